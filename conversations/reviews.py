"""The manager's AOS score review (issue 6): the set-based reads behind the team dashboard, an
associate's page and the follow-up queue, and the one write, a manager's scores.

Every figure is a sum the database computed: `conversations.reporting.rows` returns the period and
the previous one summed per associate and week — from the materialized view `review_associate_day`
up to its watermark plus the live rows after it (PostgreSQL), or live alone (SQLite) — and `Report`
merges those few rows into averages, rates, the trend, the distribution and close rate by score.
A page costs the same few queries for ten conversations or a million.

Phase completeness is stored on each conversation as it is captured (the wizard's services and the
manager's scoring write it from phases.py); `with_completeness` keeps the set-based SQL twin of the
checklists, used to backfill existing rows and held equal to phases.py by the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from aos_crm.pagination import Window, window
from conversations import phases, reporting
from conversations.models import COMPLETENESS_FIELDS, SCORE_FIELDS, ConversationLog, Outcome, ScoredAs, ScoreRecord
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
        "captured_greeting": _share(greeting),
        "captured_needs": _share(needs),
        "captured_design": _share(design),
        "captured_close": close_done / close_items,
    }


def _share(items: list[Q]):
    total = _flag(items[0])
    for item in items[1:]:
        total = total + _flag(item)
    return total / Value(float(len(items)))


def _scope(qs: QuerySet) -> QuerySet:
    return qs.order_by().values("project_id")


def with_completeness(qs: QuerySet) -> QuerySet:
    """Each conversation row with its four completeness fractions as the project shows them now,
    annotated `captured_<phase>` (0–1), computed set-based by the database."""
    return qs.annotate(**_completeness(_captured(_scope(qs))))


# --- aggregates: sums from conversations.reporting, merged here -----------------------------------


def _sum_into(target: dict, row: dict):
    for name in reporting.NAMES:
        value = row.get(name)
        if value is not None:
            target[name] = target.get(name, 0) + value


def _average(total, count) -> Decimal | None:
    if not count:
        return None
    return Decimal(total) / Decimal(count)


def _figures_row(sums: dict, *, completeness: bool = True) -> dict:
    """An aggregate row in the shape the pages use: counts, average per score (NULLs ignored, as
    SQL AVG does), outcome counts, average completeness per phase (0–1)."""
    row = {
        "conversations": sums.get("conversations", 0),
        "scored": sums.get("scored", 0),
        **{f"avg_{slug}": _average(sums.get(f"sum_{slug}", 0), sums.get(f"n_{slug}", 0)) for slug, _, _ in SCORES},
        **{f"outcome_{value}": sums.get(f"outcome_{value}", 0) for value in Outcome.values},
    }
    if completeness:
        row.update(
            {
                f"completeness_{slug}": _average(
                    sums.get(f"sum_completeness_{slug}", 0), sums.get(f"n_completeness_{slug}", 0)
                )
                for slug in COMPLETENESS
            }
        )
    return row


@dataclass(frozen=True)
class Report:
    """A period and the one before it, summed per associate, per week and overall, from one query
    (conversations.reporting.rows): the materialized view up to its watermark plus the live rows
    after it on PostgreSQL, the live rows alone on SQLite."""

    current: dict  # associate id -> sums of the period
    previous: dict  # associate id -> sums of the previous period
    weeks: dict  # (associate id, Monday) -> the overall score's sum and count that week
    totals: dict  # sums of the period, every associate together
    refreshed: dt.datetime | None  # when the view part was computed; None: all live

    @classmethod
    def load(cls, *, period: Period, associates=None) -> Report:
        previous = period.previous()
        rows = reporting.rows(start=previous.start, end=period.end, split=period.start, associates=associates)
        current, before, weeks, refreshed = {}, {}, {}, None
        for row in rows:
            associate = row["sales_associate_id"]
            if row["refreshed"] is not None:
                refreshed = row["refreshed"]
            if row["current"]:
                _sum_into(current.setdefault(associate, {}), row)
                week = weeks.setdefault((associate, row["week"]), {"sum_overall": 0, "n_overall": 0})
                week["sum_overall"] += row["sum_overall"] or 0
                week["n_overall"] += row["n_overall"] or 0
            else:
                _sum_into(before.setdefault(associate, {}), row)
        totals = {}
        for sums in current.values():
            _sum_into(totals, sums)
        return cls(current=current, previous=before, weeks=weeks, totals=totals, refreshed=refreshed)

    def per_associate(self, *, previous: bool = False) -> dict[int, dict]:
        source = self.previous if previous else self.current
        return {
            associate: _figures_row(sums, completeness=not previous)
            for associate, sums in source.items()
            if sums.get("conversations")
        }

    def trend(self) -> list[dict]:
        """Average overall score per associate per week (Monday-based, local time), weeks with a
        scored conversation only."""
        points = [
            {
                "sales_associate_id": associate,
                "week": week,
                "average": _average(sums.get("sum_overall", 0), sums.get("n_overall", 0)),
                "conversations": sums.get("n_overall", 0),
            }
            for (associate, week), sums in self.weeks.items()
            if sums.get("n_overall")
        ]
        return sorted(points, key=lambda point: (point["week"], point["sales_associate_id"]))

    def distribution(self) -> dict[str, list[int]]:
        """How many conversations got each level 1–4, per scored phase."""
        return {slug: [self.totals.get(f"{slug}_{level}", 0) for level in LEVELS] for slug, _, _ in SCORES}

    def close_rate_by_score(self) -> dict[int | None, dict]:
        """Conversations and orders for each overall score (None: not scored)."""
        result = {}
        for level in LEVELS:
            conversations = self.totals.get(f"overall_{level}", 0)
            if conversations:
                result[level] = {
                    "aos_score_overall": level,
                    "conversations": conversations,
                    "orders": self.totals.get(f"orders_{level}", 0),
                }
        unscored = self.totals.get("conversations", 0) - self.totals.get("scored", 0)
        if unscored:
            result[None] = {
                "aos_score_overall": None,
                "conversations": unscored,
                "orders": self.totals.get("orders_unscored", 0),
            }
        return result


def per_associate(*, period: Period, associates=None, completeness: bool = True) -> dict[int, dict]:
    """One aggregate row per associate for the period: conversations, scored, average per score
    (NULLs ignored), outcome counts and (optionally) average completeness per phase."""
    report = Report.load(period=period, associates=associates)
    return {
        associate: _figures_row(sums, completeness=completeness)
        for associate, sums in report.current.items()
        if sums.get("conversations")
    }


def weekly_trend(*, period: Period, associates=None) -> list[dict]:
    return Report.load(period=period, associates=associates).trend()


def distribution(*, period: Period, associates=None) -> dict[str, list[int]]:
    return Report.load(period=period, associates=associates).distribution()


def close_rate_by_score(*, period: Period, associates=None) -> dict[int | None, dict]:
    return Report.load(period=period, associates=associates).close_rate_by_score()


def followups_per_associate(*, today: dt.date, associates=None) -> dict[int, dict]:
    """Overdue and due-today follow-ups per associate, from the live follow-up queue (not the
    period: a follow-up is due whenever its conversation happened). One query, on the partial index
    that holds only pending follow-ups."""
    qs = ConversationLog.objects.pending_followups().filter(sales_associate__isnull=False)
    if associates:
        qs = qs.filter(sales_associate_id__in=list(associates))
    rows = (
        qs.filter(next_contact_date__lte=today)
        .order_by()
        .values("sales_associate_id")
        .annotate(
            # counted on the indexed column, so the partial index answers alone (index-only scan)
            overdue=Count("next_contact_date", filter=Q(next_contact_date__lt=today)),
            due_today=Count("next_contact_date", filter=Q(next_contact_date=today)),
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
    refreshed: dt.datetime | None = None  # part of the figures come from the view computed then


def team_dashboard(*, period: Period, associates=None, today: dt.date, everyone=None) -> Dashboard:
    """Everything the team dashboard shows, in three queries whatever the number of conversations:
    the associates (unless `everyone` is given), the period and the previous one summed per
    associate and week (Report), and the follow-up counts."""
    everyone = list(associates_with_conversations()) if everyone is None else list(everyone)
    chosen = set(associates or ())
    report = Report.load(period=period, associates=chosen)
    current = report.per_associate()
    previous = report.per_associate(previous=True)
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
        trend=report.trend(),
        distribution=report.distribution(),
        close_by_score=report.close_rate_by_score(),
        associates=everyone,
        refreshed=report.refreshed,
    )


def associate_summary(
    *, associate, period: Period, today: dt.date
) -> tuple[AssociateRow, list[dict], dt.datetime | None]:
    """One associate's figures (this and the previous period), weekly trend and when the view part
    of them was computed: two queries."""
    ids = [associate.pk]
    report = Report.load(period=period, associates=ids)
    followups = followups_per_associate(today=today, associates=ids).get(associate.pk, {})
    row = AssociateRow(
        associate=associate,
        current=Figures.from_row(report.per_associate().get(associate.pk)),
        previous=Figures.from_row(report.per_associate(previous=True).get(associate.pk)),
        overdue=followups.get("overdue", 0),
        due_today=followups.get("due_today", 0),
    )
    return row, report.trend(), report.refreshed


def conversations_of(*, associate, period: Period) -> QuerySet:
    """The associate's conversations in the period, newest first, with their customers (the
    paginated drill-down list, on idx_conversation_associate)."""
    start, end = period.bounds()
    return (
        ConversationLog.objects.filter(
            sales_associate=associate, conversation_date__gte=start, conversation_date__lt=end
        )
        .select_related("project__customer")
        .order_by("-conversation_date", "-log_id")
    )


def completeness_of(conversations) -> dict:
    """The four completeness fractions stored on each conversation (no query).
    {log_id: {"completeness_<phase>": 0–1 or None}}"""
    return {
        conversation.pk: {name: getattr(conversation, name) for name in COMPLETENESS_FIELDS}
        for conversation in conversations
    }


# --- completeness: stored as captured, backfilled set-based ----------------------------------------------


def completeness_values(facts: phases.CapturedFacts) -> dict[str, Decimal]:
    """The four stored columns from what the wizard captured (phases.py, rounded to 2 places)."""
    return {f"completeness_{slug}": phases.completeness(slug, facts) for slug in COMPLETENESS}


def backfill_completeness(*, using: str = "default", queryset: QuerySet | None = None) -> int:
    """Store the completeness of many conversations in one set-based UPDATE … FROM (the live SQL
    expressions of `with_completeness`, which the tests hold equal to phases.py), for a migration
    or after a bulk load. Returns the rows updated."""
    from django.db import connections

    scope = queryset if queryset is not None else ConversationLog.objects.all()
    computed = with_completeness(scope.using(using).order_by()).values(
        "log_id", *[f"captured_{slug}" for slug in COMPLETENESS]
    )
    sql, params = computed.query.sql_with_params()
    table = ConversationLog._meta.db_table
    assignments = ", ".join(
        f"completeness_{slug} = ROUND(CAST(c.captured_{slug} AS NUMERIC), 2)" for slug in COMPLETENESS
    )
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if connections[using].vendor == "postgresql":
            # The checklist sets are hashed in memory: give them room, or at a million rows they
            # spill and are rescanned per conversation.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM ({sql}) AS c WHERE {table}.log_id = c.log_id",  # noqa: S608 - compiled ORM SQL, values bound
            params,
        )
        return cursor.rowcount


def followup_queue(*, associate, today: dt.date, limit: int = FOLLOWUP_ROWS, pages=None) -> dict[str, Window]:
    """The associate's pending follow-ups by next contact date, in three lists (overdue, today,
    upcoming), oldest date first, each a window of `limit` rows (`pages["overdue"]` and so on say
    which, 1 by default) that knows whether more follow: three queries, however long the queue."""
    pages = pages or {}
    queue = ConversationLog.objects.followups_for(associate)
    sections = {
        "overdue": queue.filter(next_contact_date__lt=today),
        "today": queue.filter(next_contact_date=today),
        "upcoming": queue.filter(next_contact_date__gt=today),
    }
    return {key: window(rows, size=limit, number=pages.get(key, 1)) for key, rows in sections.items()}


# --- the write ------------------------------------------------------------------------------------------


@transaction.atomic
def score_conversation(*, conversation: ConversationLog, manager, scores: dict) -> ConversationLog:
    """A manager scores or re-scores a conversation. Only the score columns and who scored when are
    written (so an associate's concurrent edit of the summary is not overwritten), and the scoring is
    kept in conversation_scores; `full_clean` applies the database's 1–4 rule first, so a bad score
    is a ValidationError with the rubric's message."""
    if not manager.has_perm(PERM_SCORE):
        raise PermissionDenied("Only managers score conversations.")
    unknown = set(scores) - set(SCORE_FIELDS)
    if unknown:
        raise ValueError(f"not score columns: {sorted(unknown)}")
    for name, value in scores.items():
        setattr(conversation, name, value)
    conversation.scored_as = ScoredAs.MANAGER
    conversation.scored_by = manager
    conversation.scored_at = timezone.now()
    fields = [*scores, "scored_as", "scored_by", "scored_at"]
    record = ScoreRecord(log_id=conversation.pk, scored_as=ScoredAs.MANAGER, scored_by=manager, **scores)
    record.full_clean()
    record.save()
    if conversation.completeness_greeting is None:
        # Recorded before completeness was stored, or written outside the wizard: store what the
        # project shows now, so the dashboard counts it.
        from conversations import selectors

        for name, value in completeness_values(selectors.captured_facts(conversation)).items():
            setattr(conversation, name, value)
            fields.append(name)
    conversation.full_clean()
    conversation.save(update_fields=fields)
    return conversation
