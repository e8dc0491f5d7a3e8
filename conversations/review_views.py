"""The manager's AOS score review (issue 6): the team dashboard and its CSV, an associate's page,
a manager's scoring form, and the associate's "My scores" and "My follow-ups".

Permissions are checked here, on the server: the team pages need `view_team_scores` (managers);
an associate's page is open to managers for anyone and to an associate for themselves only (a 404
otherwise, so other people's pages are not even confirmed to exist); scoring needs
`score_conversation`. The reads are `conversations.reviews`; the charts are SVG drawn here, on the
server, from the aggregate rows (no JavaScript, no CDN)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from aos_crm import roles
from aos_crm.pagination import page_number
from aos_crm.routers import reporting_reads
from catalog.resources import escape_formula
from conversations import phases, review_svg, reviews, selectors
from conversations.models import SCORE_FIELDS, ConversationLog, Outcome, followup_counts_for
from conversations.rubric import RUBRIC, level_text

VIEW = "conversations.view_conversationlog"
PAGE_SIZE = 25


# --- forms (kept beside their only views) ------------------------------------------------------------


CALENDAR_MARGIN_DAYS = 14


class PeriodForm(forms.Form):
    """?start=&end= (local dates, inclusive) and, on the team dashboard, ?associate= (repeatable).
    Anything invalid falls back to the last eight weeks, with the reason shown."""

    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    associate = forms.TypedMultipleChoiceField(
        label="Associates", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data, *, today: dt.date, associates=None):
        super().__init__(data)
        self.today = today
        if associates is None:  # a page about one person: no associate filter
            del self.fields["associate"]
        else:
            self.fields["associate"].choices = [(user.pk, user.get_full_name() or user.username) for user in associates]

    def clean(self):
        data = super().clean()
        default = reviews.Period.default(self.today)
        start, end = data.get("start"), data.get("end")
        try:
            if start and not end:
                end = max(start, min(self.today, start + dt.timedelta(days=default.days - 1)))
            if end and not start:
                start = end - dt.timedelta(days=default.days - 1)
            start, end = start or default.start, end or default.end
            if start > end:
                raise ValidationError("The start date must be on or before the end date.")
            if (end - start).days + 1 > reviews.MAX_DAYS:
                raise ValidationError("Choose at most two years.")
            period = reviews.Period(start, end)
            # The comparison period, its weeks and the day after the end must stay on the calendar.
            period.previous().start - dt.timedelta(days=CALENDAR_MARGIN_DAYS)
            end + dt.timedelta(days=CALENDAR_MARGIN_DAYS)
        except OverflowError:
            raise ValidationError(
                "Those dates are too close to the ends of the calendar to compare with the period before. "
                "Choose dates between the years 1 and 9999 (with room for the previous period)."
            ) from None
        data["period"] = period
        return data

    def period(self) -> reviews.Period:
        """The period asked for, or the default when the dates are not usable (an unknown associate
        in the filter does not throw the dates away)."""
        if not self.is_bound:
            return reviews.Period.default(self.today)
        self.is_valid()
        return self.cleaned_data.get("period") or reviews.Period.default(self.today)

    def chosen(self) -> list[int]:
        if not self.is_bound:
            return []
        self.is_valid()
        return self.cleaned_data.get("associate") or []


class ScoreForm(forms.Form):
    """A manager's scores, 1–4 on the rubric. Overall is required; a phase may be left unscored
    (a conversation with no objection has nothing to score there)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SCORE_FIELDS:
            required = name == "aos_score_overall"
            self.fields[name] = forms.TypedChoiceField(
                label=RUBRIC[name]["label"],
                choices=[("", "Not scored"), *[(level, str(level)) for level in reviews.LEVELS]],
                coerce=int,
                empty_value=None,
                required=required,
                error_messages={
                    "invalid_choice": "Scores run from 1 to 4.",
                    "required": "Give an overall score from 1 to 4.",
                },
            )


# --- charts: server-side SVG geometry ----------------------------------------------------------------

# Okabe–Ito, readable by people with the common colour-vision deficiencies; markers differ too.
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933")
MARKERS = ("circle", "square", "triangle", "diamond")
# Levels 1–4 on a diverging red–blue scale (ColorBrewer RdBu), each with a text colour that keeps
# at least 4.5:1 contrast on it.
LEVEL_COLOURS = {
    1: ("#CA0020", "#FFFFFF"),
    2: ("#F4A582", "#000000"),
    3: ("#92C5DE", "#000000"),
    4: ("#0571B0", "#FFFFFF"),
}


def _series_style(index: int) -> dict:
    return {"colour": SERIES_COLOURS[index % len(SERIES_COLOURS)], "marker": MARKERS[index % len(MARKERS)]}


def marker_path(kind: str, x: float, y: float, r: float = 4.5) -> str:
    """An SVG path for a point marker: a different shape per series, not only a different colour."""
    if kind == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}Z"
    if kind == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    if kind == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}Z"
    return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r:.1f},0a{r},{r} 0 1,0 {-2 * r:.1f},0Z"


def trend_chart(trend: list[dict], period: reviews.Period, names: dict[int, str], *, narrow: bool = False) -> dict:
    """A line per associate: weekly average overall score (1–4) across the period's weeks. Lines
    break where a week has no scored conversation. `narrow` (a chart in half a page) uses larger
    type and fewer week labels, so it stays readable at tablet width."""
    font_size, most_labels = (18, 5) if narrow else (14, 9)
    width, height, left, top = 720, 250 + font_size, 48, 14
    right, bottom = 16 + 2 * font_size, 12 + 2 * font_size
    plot_w, plot_h = width - left - right, height - top - bottom
    weeks = period.weeks()
    step = plot_w / max(1, len(weeks) - 1)
    index = {week: i for i, week in enumerate(weeks)}

    def x(i):
        return round(left + (i * step if len(weeks) > 1 else plot_w / 2), 1)

    def y(value):
        return round(top + (4 - float(value)) / 3 * plot_h, 1)

    by_associate: dict[int, dict] = {}
    for point in trend:
        by_associate.setdefault(point["sales_associate_id"], {})[point["week"]] = point
    # A person keeps their colour and marker whoever else the filter shows.
    position = {associate_id: n for n, associate_id in enumerate(names)}
    series = []
    for n, (associate_id, points) in enumerate(sorted(by_associate.items(), key=lambda item: names.get(item[0], ""))):
        style = _series_style(position.get(associate_id, n))
        segments, current, markers = [], [], []
        for week in weeks:
            point = points.get(week)
            if point is None:
                if current:
                    segments.append(current)
                current = []
                continue
            px, py = x(index[week]), y(point["average"])
            current.append(f"{px},{py}")
            markers.append(
                {
                    "path": marker_path(style["marker"], px, py),
                    "value": reviews.rounded(point["average"], Decimal("0.01")),
                    "week": week,
                    "n": point["conversations"],
                }
            )
        if current:
            segments.append(current)
        series.append(
            {
                "name": names.get(associate_id, str(associate_id)),
                **style,
                "segments": [" ".join(segment) for segment in segments],
                "points": markers,
            }
        )
    label_every = max(1, -(-len(weeks) // most_labels))
    legend_columns = 4
    legend_rows = -(-len(series) // legend_columns) if series else 0
    for n, item in enumerate(series):
        item["legend_x"] = left + (n % legend_columns) * 165
        item["legend_y"] = height + 8 + (n // legend_columns) * (font_size + 10)
        item["legend_marker"] = marker_path(item["marker"], item["legend_x"] + 12, item["legend_y"] - 4)
    return {
        "font_size": font_size,
        "width": width,
        "height": height + legend_rows * (font_size + 10) + 8,
        "tick_y": top + plot_h + font_size + 6,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "grid": [{"value": value, "y": y(value)} for value in reviews.LEVELS],
        "ticks": [
            {"x": x(i), "label": week.strftime("%b %-d")} for i, week in enumerate(weeks) if i % label_every == 0
        ],
        "series": series,
    }


def distribution_chart(distribution: dict[str, list[int]]) -> dict:
    """A 100 % stacked bar per scored phase: the share of conversations scored 1, 2, 3 and 4."""
    width, left, right, bar_h, gap, top = 600, 96, 12, 28, 10, 8
    plot_w = width - left - right
    bars = []
    for row, (slug, _, label) in enumerate(reviews.SCORES):
        counts = distribution.get(slug, [0, 0, 0, 0])
        total = sum(counts)
        y = top + row * (bar_h + gap)
        offset, segments = 0.0, []
        for level, count in zip(reviews.LEVELS, counts, strict=True):
            share = count / total if total else 0
            seg_w = plot_w * share
            fill, ink = LEVEL_COLOURS[level]
            segments.append(
                {
                    "level": level,
                    "count": count,
                    "percent": round(share * 100),
                    "x": round(left + offset, 1),
                    "w": round(seg_w, 1),
                    "text_x": round(left + offset + seg_w / 2, 1),
                    "fill": fill,
                    "ink": ink,
                    "labelled": seg_w >= 34,
                }
            )
            offset += seg_w
        bars.append({"label": label, "y": y, "text_y": y + bar_h / 2 + 4, "total": total, "segments": segments})
    legend_y = top + len(bars) * (bar_h + gap) + 14
    legend = [
        {
            "level": level,
            "text": LEVEL_NAMES[level],
            "fill": LEVEL_COLOURS[level][0],
            "x": 8 + (level - 1) % 2 * 280,
            "y": legend_y + (level - 1) // 2 * 22,
        }
        for level in reviews.LEVELS
    ]
    return {
        "width": width,
        "height": legend_y + 40,
        "left": left,
        "bar_h": bar_h,
        "plot_w": plot_w,
        "bars": bars,
        "legend": legend,
        "legend_y": legend_y,
    }


LEVEL_NAMES = {1: "1 not done", 2: "2 partly or late", 3: "3 done fully", 4: "4 moved the sale"}


def close_rate_chart(close_by_score: dict) -> dict:
    """A bar per overall score 1–4: the share of those conversations that ended in an order."""
    width, height, left, right, top, bottom = 600, 280, 52, 12, 26, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    rates = {}
    for level in reviews.LEVELS:
        row = close_by_score.get(level) or {"conversations": 0, "orders": 0}
        rates[level] = (reviews.percent(row["orders"], row["conversations"]), row)
    highest = max([float(rate) for rate, _ in rates.values() if rate is not None] or [0])
    ceiling = max(10, int(-(-highest // 10) * 10))
    slot = plot_w / len(reviews.LEVELS)
    bar_w = slot * 0.56
    bars = []
    for i, level in enumerate(reviews.LEVELS):
        rate, row = rates[level]
        bar_h = plot_h * float(rate or 0) / ceiling
        x = left + i * slot + (slot - bar_w) / 2
        bars.append(
            {
                "level": level,
                "rate": rate,
                "orders": row["orders"],
                "conversations": row["conversations"],
                "x": round(x, 1),
                "w": round(bar_w, 1),
                "y": round(top + plot_h - bar_h, 1),
                "h": round(bar_h, 1),
                "mid": round(x + bar_w / 2, 1),
                "fill": LEVEL_COLOURS[level][0] if level < 4 else LEVEL_COLOURS[4][0],
            }
        )
    grid = [
        {"value": value, "y": round(top + plot_h - plot_h * value / ceiling, 1)}
        for value in range(0, ceiling + 1, max(10, ceiling // 5 // 10 * 10))
    ]
    unscored = close_by_score.get(None) or {"conversations": 0, "orders": 0}
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "bottom": top + plot_h,
        "bars": bars,
        "grid": grid,
        "unscored": unscored,
    }


# --- team dashboard -----------------------------------------------------------------------------------


def _dashboard_context(request):
    today = timezone.localdate()
    associates = list(reviews.associates_with_conversations())
    form = PeriodForm(request.GET or None, today=today, associates=associates)
    period = form.period()
    dashboard = reviews.team_dashboard(period=period, associates=form.chosen(), today=today, everyone=associates)
    return form, dashboard, today


def _names(users) -> dict[int, str]:
    return {user.pk: user.get_full_name() or user.username for user in users}


@require_GET
@permission_required(roles.PERM_TEAM, raise_exception=True)
@reporting_reads
def team_dashboard(request):
    """What managers open every morning. The filter form swaps the dashboard with htmx and is a
    plain GET without JavaScript."""
    form, dashboard, today = _dashboard_context(request)
    context = {
        "form": form,
        "dashboard": dashboard,
        "today": today,
        "outcomes": Outcome.choices,
        "scores": reviews.SCORES,
        "completeness_phases": [phases.get(slug) for slug in reviews.COMPLETENESS],
        "trend_chart": trend_chart(dashboard.trend, dashboard.period, _names(dashboard.associates)),
        "distribution_chart": distribution_chart(dashboard.distribution),
        "close_chart": close_rate_chart(dashboard.close_by_score),
        "query": request.GET.urlencode(),
        "period_query": urlencode({"start": dashboard.period.start, "end": dashboard.period.end}),
    }
    context["trend_svg"] = review_svg.trend(context["trend_chart"])
    context["distribution_svg"] = review_svg.distribution(context["distribution_chart"])
    context["close_svg"] = review_svg.close_rate(context["close_chart"])
    template = "reviews/team.html#dashboard" if request.htmx else "reviews/team.html"
    return render(request, template, context)


def _text(value) -> str:
    return "" if value is None else str(value)


CSV_HEADER = [
    "associate",
    "username",
    "period_start",
    "period_end",
    "conversations",
    "conversations_previous",
    "scored_pct",
    *[f"avg_{slug}" for slug, _, _ in reviews.SCORES],
    *[f"avg_{slug}_previous" for slug, _, _ in reviews.SCORES],
    *[f"completeness_{slug}_pct" for slug in reviews.COMPLETENESS],
    *[f"outcome_{value}" for value in Outcome.values],
    "close_rate_pct",
    "close_rate_previous_pct",
    "followups_overdue",
    "followups_due_today",
]


@require_GET
@permission_required(roles.PERM_TEAM, raise_exception=True)
@reporting_reads
def team_csv(request):
    """The dashboard's table as CSV, for the same filters, with the same rounded values."""
    _form, dashboard, _today = _dashboard_context(request)
    period = dashboard.period
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aos-team-{period.start}-{period.end}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in dashboard.rows:
        current, previous = row.current, row.previous
        writer.writerow(
            [
                escape_formula(row.name),  # names are typed by people: no formula may run
                escape_formula(row.associate.username),
                period.start.isoformat(),
                period.end.isoformat(),
                current.conversations,
                previous.conversations,
                _text(current.scored_share),
                *[_text(current.averages[slug]) for slug, _, _ in reviews.SCORES],
                *[_text(previous.averages[slug]) for slug, _, _ in reviews.SCORES],
                *[_text(current.completeness[slug]) for slug in reviews.COMPLETENESS],
                *[current.outcomes[value] for value in Outcome.values],
                _text(current.close_rate),
                _text(previous.close_rate),
                row.overdue,
                row.due_today,
            ]
        )
    return response


# --- an associate's page ----------------------------------------------------------------------------


def _associate_page(request, associate, *, mine: bool):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    period = form.period()
    row, trend, refreshed = reviews.associate_summary(associate=associate, period=period, today=today)
    page = Paginator(reviews.conversations_of(associate=associate, period=period), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    completeness = reviews.completeness_of(page.object_list)
    entries = [_conversation_entry(conversation, completeness[conversation.pk]) for conversation in page.object_list]
    context = {
        "associate": associate,
        "mine": mine,
        "form": form,
        "period": period,
        "row": row,
        "refreshed": refreshed,
        "page": page,
        "entries": entries,
        "query": query.urlencode(),
        "completeness_phases": [phases.get(slug) for slug in reviews.COMPLETENESS],
        "score_columns": reviews.SCORES,
        "trend_chart": (chart := trend_chart(trend, period, {associate.pk: row.name}, narrow=True)),
        "trend_svg": review_svg.trend(chart),
        "can_score": request.user.has_perm(reviews.PERM_SCORE),
    }
    return render(request, "reviews/associate.html", context)


def as_percent(fraction) -> int | None:
    """A 0–1 completeness as a whole percent, rounded as phases.completeness rounds (2 places)."""
    value = reviews.rounded(fraction, Decimal("0.01"))
    return None if value is None else int(value * 100)


def _conversation_entry(conversation, fractions: dict) -> dict:
    """One row of the drill-down list (a page of at most PAGE_SIZE, already loaded): each score with,
    for the wizard's phases, the completeness the database computed beside it."""
    completeness = {slug: fractions[f"completeness_{slug}"] for slug in reviews.COMPLETENESS}
    return {
        "conversation": conversation,
        "cells": [
            {
                "slug": slug,
                "label": label,
                "score": getattr(conversation, column),
                "completeness": as_percent(completeness[slug]) if slug in completeness else None,
            }
            for slug, column, label in reviews.SCORES
        ],
    }


@require_GET
@permission_required(VIEW, raise_exception=True)
@reporting_reads
def associate_detail(request, user_id):
    """The drill-down: an associate's figures, trend and conversations. Managers may open anyone's;
    an associate only their own (anyone else's is a 404, whether or not it exists)."""
    if user_id != request.user.pk and not request.user.has_perm(roles.PERM_TEAM):
        raise Http404("No such associate")
    associate = get_object_or_404(get_user_model(), pk=user_id)
    return _associate_page(request, associate, mine=user_id == request.user.pk)


@require_GET
@permission_required(VIEW, raise_exception=True)
@reporting_reads
def my_scores(request):
    """My scores: the associate's own figures and trend; nobody else's."""
    return _associate_page(request, request.user, mine=True)


# --- scoring ----------------------------------------------------------------------------------------------


def _score_rows(form, facts, records=None) -> list[dict]:
    """Per score: the inputs with the rubric's words for each level, and beside the phase scores how
    complete the wizard's capture of that phase was (phases.py, from the rows)."""
    phase_for_field = {phase.score_field: phase for phase in phases.PHASES}
    rows = []
    for name in SCORE_FIELDS:
        bound = form[name]
        current = "" if bound.value() in (None, "") else str(bound.value())
        phase = phase_for_field.get(name)
        rows.append(
            {
                "name": name,
                "label": RUBRIC[name]["label"],
                "field": bound,
                "required": form.fields[name].required,
                "not_scored": current == "",
                "levels": [
                    {"value": level, "text": level_text(name, level), "checked": current == str(level)}
                    for level in reviews.LEVELS
                ],
                "phase": phase,
                "manager_score": getattr(records["manager"], name) if records and records["manager"] else None,
                "self_score": getattr(records["self"], name) if records and records["self"] else None,
                "completeness": as_percent(phases.completeness(phase.slug, facts)) if phase else None,
                "checklist": phases.checklist(phase.slug, facts) if phase else [],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@permission_required(reviews.PERM_SCORE, raise_exception=True)
def score_conversation(request, log_id):
    """A manager scores or re-scores a conversation, the rubric beside every level."""
    conversation = get_object_or_404(
        ConversationLog.objects.select_related("project__customer", "sales_associate"), pk=log_id
    )
    initial = {name: getattr(conversation, name) for name in SCORE_FIELDS}
    form = ScoreForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                reviews.score_conversation(conversation=conversation, manager=request.user, scores=form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Scores saved for the conversation with {conversation.project.customer}.")
                if conversation.sales_associate_id:
                    return redirect("reviews:associate", conversation.sales_associate_id)
                return redirect("reviews:score", conversation.pk)
        messages.error(request, "Nothing was saved. Check the scores marked below.")
    facts = selectors.captured_facts(conversation)
    records = selectors.score_records(conversation)
    context = {
        "conversation": conversation,
        "customer": conversation.project.customer,
        "form": form,
        "records": records,
        "history": selectors.phase_history(conversation),
        "rows": _score_rows(form, facts, records),
    }
    return render(request, "reviews/score.html", context)


# --- my follow-ups -----------------------------------------------------------------------------------------


@require_GET
@permission_required(roles.PERM_SALES, raise_exception=True)
def my_followups(request):
    """Overdue, today and upcoming follow-ups by next contact date, one click from the customer or a
    follow-up conversation."""
    today = timezone.localdate()
    counts = followup_counts_for(request.user, today=today)
    totals = {"overdue": counts["overdue"], "today": counts["due_today"], "upcoming": counts["upcoming"]}
    size = reviews.FOLLOWUP_ROWS
    # ?overdue_page=2 and so on: each section pages on its own; a page past the end shows the last.
    pages = {key: min(page_number(request.GET.get(f"{key}_page")), max(1, -(-totals[key] // size))) for key in totals}
    queue = reviews.followup_queue(associate=request.user, today=today, pages=pages)
    sections = [
        {
            "key": key,
            "label": label,
            "rows": queue[key],
            "total": totals[key],
            "page": pages[key],
            "first": (pages[key] - 1) * size + 1,
            "last": (pages[key] - 1) * size + len(queue[key]),
            "has_previous": pages[key] > 1,
            "has_next": pages[key] * size < totals[key],
            "param": f"{key}_page",
        }
        for key, label in (("overdue", "Overdue"), ("today", "Today"), ("upcoming", "Upcoming"))
    ]
    context = {"today": today, "counts": counts, "sections": sections}
    return render(request, "reviews/followups.html", context)
