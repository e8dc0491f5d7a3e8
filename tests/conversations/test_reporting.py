"""Issue 10, reporting at chain scale: completeness stored as it is captured, the `superseded`
trigger behind the follow-up queue, the materialized view (PostgreSQL) against the live figures,
and the indexes the follow-up queue and the drill-down read through."""

import io
import zoneinfo
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from aos_crm.models import User
from conversations import followup_totals, phases, reporting, reviews, selectors, services, triggers
from conversations.models import ConversationLog, FollowupTotal, ReportingRefresh
from quotes import services as quote_services
from tests.factories import (
    ConversationFactory,
    ProjectFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the view's columns: one list, two renderings ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sql"),
    [
        ("conversations", "count(*)::integer"),
        ("scored", 'count("aos_score_overall")::integer'),
        ("sum_needs", 'sum("aos_score_needs")::integer'),
        ("design_3", 'count(*) FILTER (WHERE "aos_score_design" = 3)::integer'),
        ("outcome_lost", "count(*) FILTER (WHERE \"outcome\" = 'lost')::integer"),
        (
            "orders_unscored",
            'count(*) FILTER (WHERE "outcome" = \'order_placed\' AND "aos_score_overall" IS NULL)::integer',
        ),
        ("sum_completeness_close", 'sum("completeness_close")::numeric(14, 2)'),
    ],
)
def test_each_view_column_renders_the_aggregate_it_names(name, sql):
    (column,) = [column for column in reporting.COLUMNS if column.name == name]
    assert column.sql() == sql


def test_the_view_has_every_figure_the_pages_show():
    names = set(reporting.NAMES)
    for slug, _, _ in reviews.SCORES:
        assert {f"n_{slug}", f"sum_{slug}", *(f"{slug}_{level}" for level in reviews.LEVELS)} <= names
    assert {f"outcome_{value}" for value in reporting.OUTCOMES} <= names
    assert {f"sum_completeness_{slug}" for slug in phases.SLUGS} <= names
    assert len(names) == len(reporting.COLUMNS), "no column twice"


@pytest.mark.parametrize("value", ["lost'; DROP TABLE users; --", 1.5, None])
def test_only_plain_constants_reach_the_views_sql(value):
    with pytest.raises(ValueError):
        reporting._literal(value)


def test_the_time_zone_must_be_a_real_zone(settings):
    settings.TIME_ZONE = "America/Chicago'; --"
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError):  # refused before any SQL is built
        reporting.view_sql()


# --- the superseded trigger ---------------------------------------------------------------------------


def test_the_superseded_trigger_is_installed():
    assert triggers.installed(connection)


def _flag(conversation) -> bool:
    return ConversationLog.objects.values_list("superseded", flat=True).get(pk=conversation.pk)


def test_a_later_conversation_answers_the_earlier_follow_up_whoever_writes_it(associate):
    now = timezone.now()
    project = ProjectFactory(sales_associate=associate)
    first = ConversationFactory(project=project, conversation_date=now - timedelta(days=3))
    assert _flag(first) is False
    answer = ConversationFactory(project=project, conversation_date=now - timedelta(days=1))
    assert (_flag(first), _flag(answer)) == (True, False)
    # a conversation recorded afterwards but dated between them supersedes nothing later, is superseded
    between = ConversationFactory(project=project, conversation_date=now - timedelta(days=2))
    assert (_flag(first), _flag(between), _flag(answer)) == (True, True, False)
    # other projects are untouched
    other = ConversationFactory(project=ProjectFactory(sales_associate=associate))
    assert _flag(other) is False


def test_deleting_or_moving_the_answer_reopens_the_follow_up(associate):
    now = timezone.now()
    project = ProjectFactory(sales_associate=associate)
    first = ConversationFactory(project=project, conversation_date=now - timedelta(days=3))
    answer = ConversationFactory(project=project, conversation_date=now - timedelta(days=1))
    ConversationLog.objects.filter(pk=answer.pk).update(conversation_date=now - timedelta(days=5))
    assert (_flag(first), _flag(answer)) == (False, True)
    ConversationLog.objects.filter(pk=answer.pk).update(project=ProjectFactory(sales_associate=associate))
    assert (_flag(first), _flag(answer)) == (False, False)
    ConversationLog.objects.filter(pk=answer.pk).update(project=project, conversation_date=now)
    assert _flag(first) is True
    ConversationLog.objects.filter(pk=answer.pk).delete()
    assert _flag(first) is False


# --- follow-up totals kept by a trigger (PostgreSQL) ----------------------------------------------


def _totals() -> dict:
    return {row.sales_associate_id: row.pending for row in FollowupTotal.objects.filter(pending__gt=0)}


def _live_totals() -> dict:
    rows = (
        ConversationLog.objects.pending_followups()
        .filter(sales_associate__isnull=False)
        .order_by()
        .values("sales_associate_id")
        .annotate(n=Count("log_id"))
    )
    return {row["sales_associate_id"]: row["n"] for row in rows}


def test_the_follow_up_totals_trigger_is_installed(postgres_only):
    assert followup_totals.installed(connection)


def test_follow_up_totals_follow_every_kind_of_write(postgres_only, associate, associate2):
    """After each write the kept totals equal a live count of PENDING_FOLLOWUP per associate."""
    now, today = timezone.now(), timezone.localdate()
    project = ProjectFactory(sales_associate=associate)

    def pending(**fields):
        fields.setdefault("outcome", "follow_up_scheduled")
        fields.setdefault("next_contact_date", today + timedelta(days=2))
        fields.setdefault("sales_associate", associate)
        return ConversationFactory(**fields)

    first = pending(project=project, conversation_date=now - timedelta(days=5))
    steps = [
        ("a follow-up is scheduled", lambda: None, {associate.pk: 1}),
        ("another on another project", lambda: pending(project=ProjectFactory()), {associate.pk: 2}),
        (
            "a later conversation answers the first",
            lambda: pending(project=project, conversation_date=now - timedelta(days=1), next_contact_date=None),
            {associate.pk: 1},
        ),
        (
            "the answer is deleted: the first is due again",
            lambda: ConversationLog.objects.filter(project=project).exclude(pk=first.pk).delete(),
            {associate.pk: 2},
        ),
        (
            "it is handed to a colleague",
            lambda: ConversationLog.objects.filter(pk=first.pk).update(sales_associate=associate2),
            {associate.pk: 1, associate2.pk: 1},
        ),
        (
            "it ends in an order",
            lambda: ConversationLog.objects.filter(pk=first.pk).update(outcome="order_placed"),
            {associate.pk: 1},
        ),
        (
            "reopened with no outcome",
            lambda: ConversationLog.objects.filter(pk=first.pk).update(outcome=None),
            {associate.pk: 1, associate2.pk: 1},
        ),
        (
            "its date is cleared",
            lambda: ConversationLog.objects.filter(pk=first.pk).update(next_contact_date=None),
            {associate.pk: 1},
        ),
        (
            "no associate: not counted",
            lambda: pending(project=ProjectFactory(), sales_associate=None),
            {associate.pk: 1},
        ),
        (
            "the last one is lost",
            lambda: ConversationLog.objects.filter(sales_associate=associate).update(outcome="lost"),
            {},
        ),
    ]
    for label, write, expected in steps:
        write()
        assert _totals() == expected == _live_totals(), label


def test_dashboard_follow_up_counts_from_the_totals_equal_the_live_count(postgres_only, demo, monkeypatch):
    today = timezone.localdate()
    ConversationLog.objects.filter(pk__in=ConversationLog.objects.pending_followups().values("pk")[:3]).update(
        next_contact_date=today
    )
    kept = reviews.followups_per_associate(today=today)
    some = sorted(kept)[:2]
    kept_some = reviews.followups_per_associate(today=today, associates=some)
    monkeypatch.setattr(followup_totals, "kept", lambda conn=None: False)
    assert kept == reviews.followups_per_associate(today=today)
    assert kept_some == reviews.followups_per_associate(today=today, associates=some)
    assert set(kept_some) == set(some)
    assert sum(row["due_today"] for row in kept.values()) >= 3
    assert sum(row["overdue"] for row in kept.values()) > 0


def test_an_associates_own_follow_up_counts_from_the_totals_equal_the_live_count(postgres_only, associate):
    """The home page's and My follow-ups' three counts: from the kept total and the queue from today
    on, equal to counting every pending follow-up, with some of each kind and some not pending."""
    from conversations.models import followup_counts_for

    today, now = timezone.localdate(), timezone.now()
    for days, outcome in [
        (-400, None),
        (-3, None),
        (-1, None),
        (0, None),
        (0, None),
        (2, None),
        (9, None),
        (-5, "lost"),
    ]:
        ConversationFactory(
            sales_associate=associate,
            project=ProjectFactory(sales_associate=associate),
            conversation_date=now - timedelta(days=500),
            outcome=outcome or "follow_up_scheduled",
            next_contact_date=today + timedelta(days=days),
        )
    live = ConversationLog.objects.filter(sales_associate=associate).followup_counts(today=today)
    assert live == {"overdue": 3, "due_today": 2, "upcoming": 2}
    assert followup_counts_for(associate, today=today) == live
    assert followup_totals.counts_for(associate.pk + 1000, today=today) == {"overdue": 0, "due_today": 0, "upcoming": 0}


def test_rebuilding_the_totals_recounts_them(postgres_only, associate):
    ConversationFactory(
        sales_associate=associate, outcome="follow_up_scheduled", next_contact_date=timezone.localdate()
    )
    FollowupTotal.objects.update(pending=99)
    with connection.cursor() as cursor:
        followup_totals.rebuild(cursor)
    assert _totals() == {associate.pk: 1}


def test_a_full_save_of_a_stale_instance_cannot_reopen_an_answered_follow_up(associate):
    project = ProjectFactory(sales_associate=associate)
    first = ConversationFactory(project=project, conversation_date=timezone.now() - timedelta(days=2))
    ConversationFactory(project=project)
    first.next_action = "Call back"  # the in-memory row still says superseded=False
    first.save()
    assert _flag(first) is True


# --- completeness stored as the conversation goes ---------------------------------------------------


def _stored(conversation) -> dict:
    conversation.refresh_from_db()
    return {slug: getattr(conversation, f"completeness_{slug}") for slug in phases.SLUGS}


def _expected(conversation) -> dict:
    facts = selectors.captured_facts(conversation)
    return {slug: phases.completeness(slug, facts) for slug in phases.SLUGS}


def test_a_phase_move_stores_what_was_captured_until_then(associate):
    conversation = ConversationFactory(project=ProjectFactory(sales_associate=associate), sales_associate=associate)
    services.conversation_advance(conversation=conversation, phase="needs")
    before = _stored(conversation)
    assert before["needs"] < 1
    surface = SurfaceFactory(room=RoomFactory(project=conversation.project))
    SelectionFactory(surface=surface)
    assert _stored(conversation) == before, "nothing is stored between moves"
    services.conversation_advance(conversation=conversation, phase="design")
    after = _stored(conversation)
    assert after == _expected(conversation)
    assert after["needs"] > before["needs"]


def test_closing_stores_the_close_phase_and_a_later_change_to_the_project_does_not(associate):
    conversation = ConversationFactory(project=ProjectFactory(sales_associate=associate), sales_associate=associate)
    SelectionFactory(surface__room__project=conversation.project)
    services.conversation_close(
        conversation=conversation,
        data={"outcome": "follow_up_scheduled", "next_action": "Call back", "next_contact_date": timezone.localdate()},
    )
    closed = _stored(conversation)
    assert closed["close"] == Decimal("1.00")
    assert closed == _expected(conversation)
    RoomFactory(project=conversation.project)  # a room without a surface, added after the close
    assert _expected(conversation)["needs"] < closed["needs"]
    assert _stored(conversation) == closed, "the record is what was captured during the conversation"


def test_the_quote_made_right_after_a_close_completes_the_close(associate):
    conversation = ConversationFactory(project=ProjectFactory(sales_associate=associate), sales_associate=associate)
    SelectionFactory(surface__room__project=conversation.project)
    services.conversation_close(
        conversation=conversation,
        data={"outcome": "quote_requested", "next_action": "Send", "next_contact_date": timezone.localdate()},
    )
    assert _stored(conversation)["close"] == Decimal("0.75")  # outcome, next action, date; no quote yet
    quote_services.quote_create(project=conversation.project, associate=associate)
    assert _stored(conversation)["close"] == Decimal("1.00")


def test_a_manager_scoring_an_unrecorded_conversation_stores_its_completeness(associate, manager):
    conversation = ConversationFactory(project=ProjectFactory(sales_associate=associate), sales_associate=associate)
    assert conversation.completeness_greeting is None
    reviews.score_conversation(conversation=conversation, manager=manager, scores={"aos_score_overall": 3})
    assert _stored(conversation) == _expected(conversation)


def test_backfill_stores_the_same_fractions_as_phases_py(associate):
    made = []
    for n in range(4):
        project = ProjectFactory(sales_associate=associate, project_start_date=None if n % 2 else timezone.localdate())
        for _ in range(n):
            SelectionFactory(surface__room__project=project)
        made.append(ConversationFactory(project=project, outcome=["lost", "quote_requested", None, "order_placed"][n]))
    assert reviews.backfill_completeness() == len(made)
    for conversation in made:
        assert _stored(conversation) == _expected(conversation)


# --- the follow-up queue and the drill-down read through their indexes (PostgreSQL) ------------------


def _plan(queryset, *, hide=()) -> str:
    """EXPLAIN with sequential scans off and the named indexes dropped inside the test's transaction
    (rolled back after): on a test's few rows any index will do, so this shows that the index the
    query should use can serve it. docs/dashboard.md keeps the plans at a million rows."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for name in hide:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_follow_up_reads_use_the_partial_index(postgres_only, associate):
    today = timezone.localdate()
    counts = (
        ConversationLog.objects.pending_followups()
        .filter(sales_associate__isnull=False, next_contact_date__lte=today)
        .order_by()
        .values("sales_associate_id")
        .annotate(n=reviews.Count("log_id"))
    )
    others = (
        "idx_conversation_next_contact",
        "idx_conversation_associate",
        "conversation_log_sales_associate_id_ec26836c",
    )
    assert "idx_conversation_followups" in _plan(counts, hide=others)
    queue = ConversationLog.objects.followups_for(associate).filter(next_contact_date__lt=today)[:50]
    assert "idx_conversation_followups" in _plan(queue, hide=others)


def test_dashboard_follow_up_counts_read_each_associates_index_range_from_today(postgres_only, associate):
    ConversationFactory(
        sales_associate=associate, outcome="follow_up_scheduled", next_contact_date=timezone.localdate()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for name in ("idx_conversation_next_contact", "idx_conversation_associate"):
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        sql = followup_totals.per_associate_sql(filtered=False)
        cursor.execute("EXPLAIN " + sql, {"today": timezone.localdate()})
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "idx_conversation_followups" in plan
    assert "sales_associate_id = t.sales_associate_id" in plan and "next_contact_date >=" in plan


def test_the_drill_down_list_reads_the_associates_index(postgres_only, associate):
    page = reviews.conversations_of(associate=associate, period=reviews.Period.default(timezone.localdate()))[:25]
    # Partitioned on PostgreSQL: on empty partitions the date index ties with the associate's, so it
    # is hidden; a partition's index is named after the table's (idx_conversation_associate_y…).
    assert "idx_conversation_associate" in _plan(page, hide=("idx_conversation_date",))


# --- the materialized view against the live figures (PostgreSQL) -------------------------------------


def _snapshot(dashboard) -> tuple:
    rows = [(row.associate.pk, row.current, row.previous, row.overdue, row.due_today) for row in dashboard.rows]
    return rows, dashboard.trend, dashboard.distribution, dashboard.close_by_score


@pytest.fixture
def demo(db, monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", "pytest-demo-password")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", stdout=io.StringIO())


@pytest.mark.reporting_view
@pytest.mark.parametrize("weeks", [1, 8, 26])
def test_figures_from_the_view_equal_the_live_figures_over_the_demo_data(postgres_only, demo, settings, weeks):
    reporting.refresh()
    today = timezone.localdate()
    period = reviews.Period.default(today, weeks=weeks)
    from_view = reviews.team_dashboard(period=period, today=today)
    assert from_view.refreshed is not None
    settings.REPORTING_SOURCE = "live"
    live = reviews.team_dashboard(period=period, today=today)
    assert live.refreshed is None
    assert _snapshot(from_view) == _snapshot(live)
    assert sum(row.current.conversations for row in live.rows) > 0


def _per_key(rows):
    """rows() summed per (associate, week, current): the view's and the live half may both hold the
    week of the watermark."""
    merged = {}
    for row in rows:
        sums = merged.setdefault((row["sales_associate_id"], row["week"], row["current"]), {})
        for name in reporting.NAMES:
            sums[name] = sums.get(name, 0) + (row[name] or 0)
    return merged


@pytest.mark.reporting_view
def test_rows_from_the_view_equal_the_live_rows_for_chosen_associates(postgres_only, demo, settings):
    reporting.refresh()
    period = reviews.Period.default(timezone.localdate())
    chosen = [User.objects.get(username="associate").pk]
    args = {"start": period.previous().start, "end": period.end, "split": period.start, "associates": chosen}
    from_view = reporting.rows(**args)
    assert {row["refreshed"] is not None for row in from_view} >= {True}
    settings.REPORTING_SOURCE = "live"
    live = reporting.rows(**args)
    assert _per_key(from_view) == _per_key(live)
    assert {key[0] for key in _per_key(live)} == set(chosen)
    assert {key[2] for key in _per_key(live)} == {True, False}, "both periods have conversations"


@pytest.mark.reporting_view
def test_a_conversation_closed_after_the_refresh_counts_at_once(postgres_only, demo, settings):
    reporting.refresh()
    today = timezone.localdate()
    period = reviews.Period.default(today)
    associate = User.objects.get(username="associate")
    before = reviews.team_dashboard(period=period, today=today)
    conversation = ConversationFactory(project=ProjectFactory(sales_associate=associate), sales_associate=associate)
    services.conversation_close(
        conversation=conversation,
        data={"outcome": "order_placed", "aos_score_overall": 4, "aos_score_greeting": 4},
    )
    after = reviews.team_dashboard(period=period, today=today)
    row = {r.associate.pk: r for r in after.rows}[associate.pk]
    old = {r.associate.pk: r for r in before.rows}[associate.pk]
    assert row.current.conversations == old.current.conversations + 1
    assert row.current.orders == old.current.orders + 1
    assert after.close_by_score[4]["orders"] == before.close_by_score[4]["orders"] + 1
    settings.REPORTING_SOURCE = "live"
    assert _snapshot(after) == _snapshot(reviews.team_dashboard(period=period, today=today))


@pytest.mark.reporting_view
def test_the_pages_say_how_fresh_the_view_is(postgres_only, demo):
    reporting.refresh()
    manager = User.objects.get(username="manager")
    html = logged_in(manager).get("/reviews/team/").content.decode()
    assert "Figures up to" in html
    associate = User.objects.get(username="associate")
    assert "Figures up to" in logged_in(associate).get("/reviews/mine/").content.decode()


def test_live_pages_do_not_claim_a_refresh(manager_client, associate):
    ConversationFactory(project=ProjectFactory(sales_associate=associate), sales_associate=associate)
    assert "Figures up to" not in manager_client.get("/reviews/team/").content.decode()


@pytest.mark.reporting_view
def test_refresh_records_its_watermark_and_rebuilds_when_the_definition_changes(postgres_only, settings):
    first = reporting.refresh()
    record = ReportingRefresh.objects.get(name=reporting.VIEW)
    assert record.signature == reporting.signature()
    assert record.covered_day == timezone.localdate()
    assert record.covered_until == timezone.make_aware(
        timezone.datetime.combine(record.covered_day, timezone.datetime.min.time())
    )
    assert not first.rebuilt
    settings.TIME_ZONE = "America/New_York"
    assert reporting.refresh().rebuilt
    assert ReportingRefresh.objects.get(name=reporting.VIEW).signature == reporting.signature()


@pytest.mark.reporting_view
def test_refresh_reporting_command_prints_what_it_did(postgres_only):
    out = io.StringIO()
    call_command("refresh_reporting", stdout=out)
    assert f"{reporting.VIEW} in" in out.getvalue()
    assert "later rows are read live" in out.getvalue()


def test_refresh_reporting_says_sqlite_reads_live(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's answer")
    with pytest.raises(CommandError, match="reads live"):
        call_command("refresh_reporting", stdout=io.StringIO())
