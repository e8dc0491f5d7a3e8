"""The manager's AOS score review (issue 6): the set-based reads behind the team dashboard, an
associate's page and the follow-up queue, and the one write, a manager's scores.

Every figure is computed by the database: averages, counts, completeness and trends are
aggregates over `conversation_log`, grouped by associate (and week, score or level), so a page
costs the same few queries for ten conversations or a hundred thousand. Python only merges the
handful of aggregate rows (one per associate) and formats them.

The reads start from `facts()`: conversations carrying, per row, the columns the dashboard
aggregates — associate, date, scores, outcome and the four phase completeness fractions. A
PostgreSQL materialized view with those column names can replace it without touching the
aggregates (docs/dashboard.md, "Moving the read to a materialized view")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from conversations import phases
from conversations.models import SCORE_FIELDS, ConversationLog, Outcome
from projects.models import InstallationMethod, ProductType, ProjectRoom, SelectedProduct, SelectionStatus, Surface
from quotes.models import Quote

PERM_SCORE = "conversations.score_conversation"

# The scored phases, in rubric order: (slug, column, label).
SCORES: tuple[tuple[str, str, str], ...] = (
    ("greeting", "aos_score_greeting", "Greeting"),
    ("needs", "aos_score_needs", "Needs"),
    ("design", "aos_score_design", "Design"),
    ("close", "aos_score_close", "Close"),
    ("objection", "aos_score_objection", "Objection"),
    ("overall", "aos_score_overall", "Overall"),
)
LEVELS = (1, 2, 3, 4)
# Completeness is measured for the four wizard phases (conversations/phases.py).
COMPLETENESS = phases.SLUGS
SETTING_MATERIALS = (ProductType.GROUT, ProductType.ADHESIVE, ProductType.UNDERLAYMENT, ProductType.TRIM)
TILE_CHOSEN = (SelectionStatus.SELECTED, SelectionStatus.ORDERED, SelectionStatus.DELIVERED)
DEFAULT_WEEKS = 8
FOLLOWUP_ROWS = 50  # per section of "My follow-ups"; the counts above them are complete
MAX_DAYS = 2 * 366

_2DP = Decimal("0.01")
_1DP = Decimal("0.1")
_0DP = Decimal("1")


# --- the period ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days, `start` to `end` inclusive."""

    start: dt.date
    end: dt.date

    @classmethod
    def default(cls, today: dt.date, weeks: int = DEFAULT_WEEKS) -> Period:
        """The last `weeks` weeks, today included."""
        return cls(today - dt.timedelta(days=weeks * 7 - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[from, to) as aware datetimes at local midnight, so the date index serves the filter."""
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )

    def weeks(self) -> list[dt.date]:
        """The Mondays of the weeks the period touches (TruncWeek's buckets)."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        result = []
        while monday <= self.end:
            result.append(monday)
            monday += dt.timedelta(days=7)
        return result


# --- per-conversation facts, as SQL expressions ----------------------------------------------------


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1.0)), default=Value(0.0), output_field=FloatField())


def _filled(name: str) -> Q:
    return Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""})


def _captured(scope: QuerySet) -> dict[str, Q]:
    """What the wizard captured on each conversation's project: the set-based twin of
    `selectors.captured_facts`, one condition per item of the phases.py checklists.

    Each is `project_id IN (<the projects where the item holds>)`, over the projects in `scope` (a
    `project_id` values queryset). The subqueries are uncorrelated, so the database computes each set
    once (a hash on PostgreSQL, an index on SQLite) and probes it per conversation, instead of running
    a dozen correlated EXISTS per row; an "every ... has ..." item is one GROUP BY ... HAVING, so no
    set is computed twice; scoping them to the period's projects keeps them small."""
    rooms = ProjectRoom.objects.filter(project_id__in=scope)
    surfaces = Surface.objects.filter(room__project_id__in=scope)
    selections = SelectedProduct.objects.filter(surface__room__project_id__in=scope)
    tile_chosen = Q(selections__product_type=ProductType.TILE, selections__selection_status__in=TILE_CHOSEN)

    def projects(rows: QuerySet, path: str) -> Q:
        return Q(project_id__in=rows.values(path))

    def every(rows: QuerySet, path: str, *, total, passing) -> Q:
        """Projects with at least one row, all of which pass (the two counts agree)."""
        grouped = rows.values(path).annotate(total=total, passing=passing).filter(total=F("passing"))
        return Q(project_id__in=grouped.values(path))

    return {
        "has_room": projects(rooms, "project_id"),
        "every_room_has_a_surface": every(
            rooms,
            "project_id",
            total=Count("room_id", distinct=True),
            passing=Count("surfaces__room_id", distinct=True),
        ),
        "every_surface_measured": every(
            surfaces,
            "room__project_id",
            total=Count("surface_id"),
            passing=Count("surface_id", filter=Q(surface_area_sf__gt=0, pattern_type__isnull=False)),
        ),
        "every_surface_has_a_tile": every(
            surfaces,
            "room__project_id",
            total=Count("surface_id", distinct=True),
            passing=Count("surface_id", filter=tile_chosen, distinct=True),
        ),
        "every_selection_quantified": every(
            selections,
            "surface__room__project_id",
            total=Count("selection_id"),
            passing=Count("selection_id", filter=Q(quantity_ordered__gt=0)),
        ),
        "has_setting_material": projects(
            selections.filter(product_type__in=SETTING_MATERIALS), "surface__room__project_id"
        ),
        "has_quote": projects(Quote.objects.filter(project_id__in=scope), "project_id"),
    }


def _completeness(captured: dict[str, Q]) -> dict:
    """The four phase completeness fractions (0–1) of phases.checklist, as expressions over the
    conversation, its project and customer, and the `_captured()` conditions. Same items, same
    rules: tests/conversations/test_reviews.py checks both agree conversation by conversation."""
    c = captured
    customer = "project__customer__"
    installer = Q(project__installation_method__isnull=False) & ~Q(
        project__installation_method__in=["", InstallationMethod.UNKNOWN]
    )
    greeting = [
        _filled(customer + "first_name"),
        _filled(customer + "phone_primary") | _filled(customer + "email"),
        _filled(customer + "customer_type"),
        installer,
    ]
    needs = [
        c["has_room"],
        c["every_room_has_a_surface"],
        c["every_surface_measured"],
        Q(project__project_start_date__isnull=False),
        Q(project__total_budget_min__isnull=False)
        | Q(project__total_budget_max__isnull=False)
        | Q(project__tile_budget__isnull=False),
        installer,
    ]
    design = [
        c["every_surface_has_a_tile"],
        c["every_selection_quantified"],
        c["has_setting_material"],
    ]
    outcome = Q(outcome__isnull=False)
    next_step = outcome & ~Q(outcome__in=[Outcome.ORDER_PLACED, Outcome.LOST])
    quote_wanted = Q(outcome=Outcome.QUOTE_REQUESTED)
    close_done = (
        _flag(outcome)
        + _flag(next_step & _filled("next_action"))
        + _flag(next_step & Q(next_contact_date__isnull=False))
        + _flag(quote_wanted & c["has_quote"])
    )
    close_items = Value(1.0) + _flag(next_step) * Value(2.0) + _flag(quote_wanted)
    return {
        "completeness_greeting": _share(greeting),
        "completeness_needs": _share(needs),
        "completeness_design": _share(design),
        "completeness_close": close_done / close_items,
    }


def _share(items: list[Q]):
    total = _flag(items[0])
    for item in items[1:]:
        total = total + _flag(item)
    return total / Value(float(len(items)))


def _scope(qs: QuerySet) -> QuerySet:
    return qs.order_by().values("project_id")


def facts(*, period: Period | None = None, associates=None) -> QuerySet:
    """Conversations of the period (and associates) with per-row aliases `completeness_<phase>`.
    Aliases cost nothing unless an aggregate names them. This is the queryset a materialized view
    would replace: its columns are the names used below."""
    qs = ConversationLog.objects.filter(sales_associate__isnull=False)
    if period is not None:
        start, end = period.bounds()
        qs = qs.filter(conversation_date__gte=start, conversation_date__lt=end)
    if associates:
        qs = qs.filter(sales_associate_id__in=list(associates))
    return qs.alias(**_completeness(_captured(_scope(qs)))).order_by()


def with_completeness(qs: QuerySet) -> QuerySet:
    """Each conversation row with its four completeness fractions (for lists of conversations)."""
    return qs.annotate(**_completeness(_captured(_scope(qs))))


# --- aggregates -------------------------------------------------------------------------------------


def _aggregates(*, completeness: bool) -> dict:
    aggregates = {
        "conversations": Count("log_id"),
        "scored": Count("log_id", filter=Q(aos_score_overall__isnull=False)),
        **{f"avg_{slug}": Avg(column) for slug, column, _ in SCORES},
        **{f"outcome_{value}": Count("log_id", filter=Q(outcome=value)) for value in Outcome.values},
    }
    if completeness:
        aggregates.update({f"completeness_{slug}": Avg(f"completeness_{slug}") for slug in COMPLETENESS})
    return aggregates


def per_associate(*, period: Period, associates=None, completeness: bool = True) -> dict[int, dict]:
    """One aggregate row per associate: conversations, scored, average per score (NULLs ignored),
    outcome counts and (optionally) average completeness per phase. One query."""
    rows = (
        facts(period=period, associates=associates)
        .values("sales_associate_id")
        .annotate(**_aggregates(completeness=completeness))
    )
    return {row.pop("sales_associate_id"): row for row in rows}


def weekly_trend(*, period: Period, associates=None) -> list[dict]:
    """Average overall score per associate per week (Monday-based, local time). One query."""
    return list(
        facts(period=period, associates=associates)
        .filter(aos_score_overall__isnull=False)
        .values("sales_associate_id", week=TruncWeek("conversation_date", output_field=DateField()))
        .annotate(average=Avg("aos_score_overall"), conversations=Count("log_id"))
        .order_by("week", "sales_associate_id")
    )


def distribution(*, period: Period, associates=None) -> dict[str, list[int]]:
    """How many conversations got each level 1–4, per scored phase: conditional counts in one
    aggregate query. {slug: [count of 1, of 2, of 3, of 4]}."""
    counts = facts(period=period, associates=associates).aggregate(
        **{
            f"{slug}_{level}": Count("log_id", filter=Q(**{column: level}))
            for slug, column, _ in SCORES
            for level in LEVELS
        }
    )
    return {slug: [counts[f"{slug}_{level}"] for level in LEVELS] for slug, _, _ in SCORES}


def close_rate_by_score(*, period: Period, associates=None) -> dict[int | None, dict]:
    """Conversations and orders for each overall score (None: not scored). One query."""
    rows = (
        facts(period=period, associates=associates)
        .values("aos_score_overall")
        .annotate(
            conversations=Count("log_id"),
            orders=Count("log_id", filter=Q(outcome=Outcome.ORDER_PLACED)),
        )
    )
    return {row["aos_score_overall"]: row for row in rows}


def followups_per_associate(*, today: dt.date, associates=None) -> dict[int, dict]:
    """Overdue and due-today follow-ups per associate, from the live follow-up queue (not the
    period: a follow-up is due whenever its conversation happened). One query."""
    qs = ConversationLog.objects.pending_followups().filter(sales_associate__isnull=False)
    if associates:
        qs = qs.filter(sales_associate_id__in=list(associates))
    rows = (
        qs.order_by()
        .values("sales_associate_id")
        .annotate(
            overdue=Count("log_id", filter=Q(next_contact_date__lt=today)),
            due_today=Count("log_id", filter=Q(next_contact_date=today)),
        )
    )
    return {row.pop("sales_associate_id"): row for row in rows}


def associates_with_conversations() -> QuerySet:
    """The people the dashboard can show: everyone who ever led a conversation. One query."""
    User = get_user_model()
    return User.objects.filter(Exists(ConversationLog.objects.filter(sales_associate_id=OuterRef("pk")))).order_by(
        "first_name", "last_name", "username"
    )


# --- figures for the pages ----------------------------------------------------------------------------


def rounded(value, places: Decimal) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


def _as_percent(fraction) -> Decimal | None:
    return None if fraction is None else rounded(fraction * 100, _0DP)


def percent(part: int, whole: int, places: Decimal = _1DP) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)


def _difference(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or before is None:
        return None
    return now - before


@dataclass(frozen=True)
class Figures:
    """One associate's aggregate row for one period, rounded for people: averages to 2 places,
    close rate to 0.1 %, completeness and scored share to whole percent."""

    conversations: int = 0
    scored: int = 0
    averages: dict = field(default_factory=dict)  # slug -> Decimal | None
    outcomes: dict = field(default_factory=dict)  # Outcome value -> int
    completeness: dict = field(default_factory=dict)  # slug -> Decimal % | None

    @classmethod
    def from_row(cls, row: dict | None) -> Figures:
        row = row or {}
        return cls(
            conversations=row.get("conversations", 0),
            scored=row.get("scored", 0),
            averages={slug: rounded(row.get(f"avg_{slug}"), _2DP) for slug, _, _ in SCORES},
            outcomes={value: row.get(f"outcome_{value}", 0) for value in Outcome.values},
            completeness={slug: _as_percent(row.get(f"completeness_{slug}")) for slug in COMPLETENESS},
        )

    @property
    def orders(self) -> int:
        return self.outcomes.get(Outcome.ORDER_PLACED, 0)

    @property
    def close_rate(self) -> Decimal | None:
        """Orders placed ÷ conversations, in percent to one place."""
        return percent(self.orders, self.conversations)

    @property
    def scored_share(self) -> Decimal | None:
        return percent(self.scored, self.conversations, _0DP)


@dataclass(frozen=True)
class AssociateRow:
    associate: object
    current: Figures
    previous: Figures
    overdue: int = 0
    due_today: int = 0

    @property
    def name(self) -> str:
        return self.associate.get_full_name() or self.associate.username

    @property
    def conversations_change(self) -> int:
        return self.current.conversations - self.previous.conversations

    @property
    def close_rate_change(self) -> Decimal | None:
        return _difference(self.current.close_rate, self.previous.close_rate)

    @property
    def scores(self) -> list[dict]:
        """Per scored phase: label, average, change against the previous period, completeness."""
        return [
            {
                "slug": slug,
                "label": label,
                "average": self.current.averages[slug],
                "change": _difference(self.current.averages[slug], self.previous.averages[slug]),
                "completeness": self.current.completeness.get(slug),
            }
            for slug, _, label in SCORES
        ]

    @property
    def outcomes(self) -> list[dict]:
        return [
            {"value": value, "label": label, "count": self.current.outcomes[value]} for value, label in Outcome.choices
        ]


@dataclass(frozen=True)
class Dashboard:
    period: Period
    previous: Period
    rows: list[AssociateRow]
    trend: list[dict]
    distribution: dict[str, list[int]]
    close_by_score: dict[int | None, dict]
    associates: list  # every associate the filter can choose


def team_dashboard(*, period: Period, associates=None, today: dt.date, everyone=None) -> Dashboard:
    """Everything the team dashboard shows, in seven queries whatever the number of conversations:
    the associates (unless `everyone` is given), this period's and the previous period's aggregate
    rows, the weekly trend, the score distribution, close rate by overall score and the follow-up
    counts."""
    everyone = list(associates_with_conversations()) if everyone is None else list(everyone)
    chosen = set(associates or ())
    current = per_associate(period=period, associates=chosen)
    previous = per_associate(period=period.previous(), associates=chosen, completeness=False)
    followups = followups_per_associate(today=today, associates=chosen)
    rows = [
        AssociateRow(
            associate=user,
            current=Figures.from_row(current.get(user.pk)),
            previous=Figures.from_row(previous.get(user.pk)),
            overdue=followups.get(user.pk, {}).get("overdue", 0),
            due_today=followups.get(user.pk, {}).get("due_today", 0),
        )
        for user in everyone
        if (not chosen or user.pk in chosen) and (user.pk in current or user.pk in followups)
    ]
    return Dashboard(
        period=period,
        previous=period.previous(),
        rows=rows,
        trend=weekly_trend(period=period, associates=chosen),
        distribution=distribution(period=period, associates=chosen),
        close_by_score=close_rate_by_score(period=period, associates=chosen),
        associates=everyone,
    )


def associate_summary(*, associate, period: Period, today: dt.date) -> tuple[AssociateRow, list[dict]]:
    """One associate's figures (this and the previous period) and weekly trend: four queries."""
    ids = [associate.pk]
    current = per_associate(period=period, associates=ids).get(associate.pk)
    previous = per_associate(period=period.previous(), associates=ids, completeness=False).get(associate.pk)
    followups = followups_per_associate(today=today, associates=ids).get(associate.pk, {})
    row = AssociateRow(
        associate=associate,
        current=Figures.from_row(current),
        previous=Figures.from_row(previous),
        overdue=followups.get("overdue", 0),
        due_today=followups.get("due_today", 0),
    )
    return row, weekly_trend(period=period, associates=ids)


def conversations_of(*, associate, period: Period) -> QuerySet:
    """The associate's conversations in the period, newest first, with their customers (the
    paginated drill-down list)."""
    start, end = period.bounds()
    return (
        ConversationLog.objects.filter(
            sales_associate=associate, conversation_date__gte=start, conversation_date__lt=end
        )
        .select_related("project__customer")
        .order_by("-conversation_date", "-log_id")
    )


def completeness_of(conversations) -> dict:
    """The four completeness fractions of the given conversations (a page of them) in one query,
    its sets scoped to those conversations' projects. {log_id: {"completeness_<phase>": 0–1}}"""
    ids = [conversation.pk for conversation in conversations]
    if not ids:
        return {}
    names = [f"completeness_{slug}" for slug in COMPLETENESS]
    rows = with_completeness(ConversationLog.objects.filter(pk__in=ids)).values("log_id", *names)
    return {row.pop("log_id"): row for row in rows}


def followup_queue(*, associate, today: dt.date, limit: int = FOLLOWUP_ROWS) -> dict[str, list]:
    """The associate's pending follow-ups by next contact date, in three lists (overdue, today,
    upcoming) of at most `limit` each, oldest date first: three queries, however long the queue."""
    queue = ConversationLog.objects.followups_for(associate)
    return {
        "overdue": list(queue.filter(next_contact_date__lt=today)[:limit]),
        "today": list(queue.filter(next_contact_date=today)[:limit]),
        "upcoming": list(queue.filter(next_contact_date__gt=today)[:limit]),
    }


# --- the write ------------------------------------------------------------------------------------------


@transaction.atomic
def score_conversation(*, conversation: ConversationLog, manager, scores: dict) -> ConversationLog:
    """A manager scores or re-scores a conversation. Only the score columns are written (so an
    associate's concurrent edit of the summary is not overwritten); `full_clean` applies the
    database's 1–4 rule first, so a bad score is a ValidationError with the rubric's message."""
    if not manager.has_perm(PERM_SCORE):
        raise PermissionDenied("Only managers score conversations.")
    unknown = set(scores) - set(SCORE_FIELDS)
    if unknown:
        raise ValueError(f"not score columns: {sorted(unknown)}")
    for name, value in scores.items():
        setattr(conversation, name, value)
    conversation.full_clean()
    conversation.save(update_fields=list(scores))
    return conversation
