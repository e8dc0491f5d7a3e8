"""conversation_log and quotes are partitioned by month on PostgreSQL (conversations.partitions):
after migrate, rows land in their month, `manage.py partitions` keeps months ahead and empties
DEFAULT of the months it creates, the triggers and the global rules hold across partitions, and
date-bounded reads touch only the partitions in range."""

import datetime as dt
import io
import re
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations import partitions, reporting, reviews
from conversations.models import ConversationLog
from quotes import services
from quotes.models import ProjectAcceptedQuote, Quote, QuoteNumber, QuoteStatus
from tests.factories import AssociateFactory, ConversationFactory, ProjectFactory, QuoteFactory, SelectionFactory

pytestmark = pytest.mark.postgres

UTC = dt.UTC


def _this_month() -> dt.date:
    return timezone.now().date().replace(day=1)


def _partition_of(table: str, pk_column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE {pk_column} = %s", [pk])
        return cursor.fetchone()[0]


def _immediate():
    """Run the deferred foreign-key checks of the rows this test made now: PostgreSQL refuses to
    detach a partition with checks still pending (the command runs in its own transaction, where
    there are none)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# --- the shape after migrate --------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "key"), [("conversation_log", "conversation_date"), ("quotes", "quote_date")])
def test_after_migrate_the_table_is_partitioned_by_month_a_year_ahead_with_a_default(postgres_only, table, key):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.partstrat, a.attname FROM pg_partitioned_table p"
            " JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]"
            " WHERE p.partrelid = %s::regclass",
            [table],
        )
        assert cursor.fetchall() == [("r", key)]
        present = {p.name: p.bounds for p in partitions.partitions(cursor, partitions.TABLES[table == "quotes"])}
    assert present[f"{table}_default"] == "DEFAULT"
    month = _this_month()
    for n in range(13):
        assert (
            partitions.partition_name(partitions.TABLES[table == "quotes"], partitions.add_months(month, n)) in present
        )
    first = present[f"{table}_y{month.year:04d}m{month.month:02d}"]
    nxt = partitions.add_months(month, 1)
    if key == "quote_date":
        assert first == f"FOR VALUES FROM ('{month}') TO ('{nxt}')"
    else:
        assert first == f"FOR VALUES FROM ('{month} 00:00:00+00') TO ('{nxt} 00:00:00+00')"


@pytest.mark.parametrize(
    ("table", "columns"),
    [("conversation_log", ["log_id", "conversation_date"]), ("quotes", ["quote_id", "quote_date"])],
)
def test_the_primary_key_includes_the_partition_key(postgres_only, table, columns):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert [c["columns"] for c in constraints.values() if c["primary_key"]] == [columns]


def test_every_partition_index_is_named_after_its_table_index(postgres_only):
    month = _this_month()
    suffix = f"y{month.year:04d}m{month.month:02d}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [f"conversation_log_{suffix}"])
        names = {row[0] for row in cursor.fetchall()}
    assert {f"idx_conversation_followups_{suffix}", f"idx_conversation_date_{suffix}"} <= names
    assert f"conversation_log_pkey_{suffix}" in names


# --- rows and the command -----------------------------------------------------------------------------


def test_rows_land_in_the_partition_of_their_month(postgres_only):
    month = partitions.add_months(_this_month(), 2)
    at = dt.datetime(month.year, month.month, 1, 0, 0, tzinfo=UTC)
    inside = ConversationFactory(conversation_date=at)
    before = ConversationFactory(conversation_date=at - dt.timedelta(microseconds=1))
    far = ConversationFactory(conversation_date=at.replace(year=at.year + 5))
    assert _partition_of("conversation_log", "log_id", inside.pk) == f"conversation_log_y{month.year}m{month.month:02d}"
    previous = partitions.add_months(month, -1)
    assert _partition_of("conversation_log", "log_id", before.pk) == (
        f"conversation_log_y{previous.year}m{previous.month:02d}"
    )
    assert _partition_of("conversation_log", "log_id", far.pk) == "conversation_log_default"
    quote = QuoteFactory(quote_date=month.replace(day=28))
    assert _partition_of("quotes", "quote_id", quote.pk) == f"quotes_y{month.year}m{month.month:02d}"


def test_the_command_moves_default_rows_into_the_months_it_creates_and_is_idempotent(postgres_only, associate):
    far_month = partitions.add_months(_this_month(), 20)
    far_at = dt.datetime(far_month.year, far_month.month, 15, 12, 0, tzinfo=UTC)
    project = ProjectFactory(sales_associate=associate)
    earlier = ConversationFactory(
        project=project, outcome="follow_up_scheduled", next_contact_date=far_at.date(), conversation_date=far_at
    )
    later = ConversationFactory(project=project, conversation_date=far_at + dt.timedelta(days=1))
    quote = QuoteFactory(quote_date=far_at.date(), quote_status=QuoteStatus.ACCEPTED)
    assert _partition_of("conversation_log", "log_id", earlier.pk) == "conversation_log_default"
    counts = (ConversationLog.objects.count(), Quote.objects.count())
    totals = list(followup_totals_rows())
    _immediate()

    out = io.StringIO()
    call_command("partitions", months=20, stdout=out)

    name = f"y{far_month.year}m{far_month.month:02d}"
    assert f"Created conversation_log_{name}, 2 row(s) moved out of DEFAULT" in out.getvalue()
    assert f"Created quotes_{name}, 1 row(s) moved out of DEFAULT" in out.getvalue()
    assert _partition_of("conversation_log", "log_id", earlier.pk) == f"conversation_log_{name}"
    assert _partition_of("quotes", "quote_id", quote.pk) == f"quotes_{name}"
    assert (ConversationLog.objects.count(), Quote.objects.count()) == counts
    # Moving rows fired no trigger: flags, totals and the quote's keys are as they were.
    assert ConversationLog.objects.get(pk=earlier.pk).superseded
    assert not ConversationLog.objects.get(pk=later.pk).superseded
    assert list(followup_totals_rows()) == totals
    assert ProjectAcceptedQuote.objects.get(project_id=quote.project_id).quote_id == quote.pk
    # Indexes of the new partition are named after the table's, and the default one is back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [f"conversation_log_{name}"])
        assert f"idx_conversation_followups_{name}" in {row[0] for row in cursor.fetchall()}
        assert "conversation_log_default" in {
            p.name for p in partitions.partitions(cursor, partitions.CONVERSATION_LOG)
        }
    # The triggers work on the moved rows.
    ConversationLog.objects.filter(pk=later.pk).delete()
    assert not ConversationLog.objects.get(pk=earlier.pk).superseded

    again = io.StringIO()
    call_command("partitions", months=20, stdout=again)
    assert "Created" not in again.getvalue()
    assert f"conversation_log_{name}" in again.getvalue()


def test_the_command_gives_history_waiting_in_default_partitions_of_its_own(postgres_only):
    past = partitions.add_months(_this_month(), -3)  # migrate made this month and the next twelve
    old = ConversationFactory(conversation_date=dt.datetime(past.year, past.month, 9, tzinfo=UTC))
    QuoteFactory(quote_date=past.replace(day=9), expiration_date=None)
    assert _partition_of("conversation_log", "log_id", old.pk) == "conversation_log_default"
    _immediate()
    out = io.StringIO()
    call_command("partitions", stdout=out)
    name = f"y{past.year}m{past.month:02d}"
    assert f"Created conversation_log_{name}, 1 row(s) moved out of DEFAULT" in out.getvalue()
    assert f"Created quotes_{name}, 1 row(s) moved out of DEFAULT" in out.getvalue()
    assert _partition_of("conversation_log", "log_id", old.pk) == f"conversation_log_{name}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM conversation_log_default")
        assert cursor.fetchone()[0] == 0


def followup_totals_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sales_associate_id, pending FROM followup_totals ORDER BY 1")
        return cursor.fetchall()


def test_the_command_reports_each_partition_with_its_range(postgres_only):
    out = io.StringIO()
    call_command("partitions", stdout=out)
    text = out.getvalue()
    month = _this_month()
    assert "Created" not in text  # migrate made the first year
    assert re.search(
        rf"conversation_log_y{month.year}m{month.month:02d} +FOR VALUES FROM \('{month} 00:00:00\+00'\)", text
    )
    assert re.search(r"quotes_default +DEFAULT +~\d+ rows", text)
    assert "conversation_log: 14 partitions" in text


def test_on_sqlite_the_command_says_partitions_are_a_postgresql_feature(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's answer")
    out = io.StringIO()
    call_command("partitions", stdout=out)
    assert "Partitions are a PostgreSQL feature" in out.getvalue()


# --- triggers across partitions -----------------------------------------------------------------------


def test_moving_a_conversation_to_another_month_keeps_superseded_and_totals_right(postgres_only, associate):
    month = _this_month()
    first = dt.datetime(month.year, month.month, 2, tzinfo=UTC)
    project = ProjectFactory(sales_associate=associate)
    a = ConversationFactory(
        project=project, conversation_date=first, outcome="follow_up_scheduled", next_contact_date=first.date()
    )
    b = ConversationFactory(
        project=project,
        conversation_date=first + dt.timedelta(days=40),
        outcome="follow_up_scheduled",
        next_contact_date=first.date(),
    )
    assert ConversationLog.objects.get(pk=a.pk).superseded
    assert followup_totals_rows() == [(associate.pk, 1)]
    # b moves two months back, to another partition: a DELETE and an INSERT for the triggers.
    ConversationLog.objects.filter(pk=b.pk).update(conversation_date=first - dt.timedelta(days=40))
    assert _partition_of("conversation_log", "log_id", b.pk) != _partition_of("conversation_log", "log_id", a.pk)
    assert not ConversationLog.objects.get(pk=a.pk).superseded
    assert ConversationLog.objects.get(pk=b.pk).superseded
    assert followup_totals_rows() == [(associate.pk, 1)]
    live = ConversationLog.objects.pending_followups().filter(sales_associate=associate).count()
    assert live == 1


# --- the global rules on quotes -------------------------------------------------------------------------


def test_a_quote_number_is_unique_across_partitions_and_freed_when_its_quote_goes(postgres_only):
    month = _this_month()
    first = QuoteFactory(quote_number="Q-2031-000001", quote_date=month, expiration_date=None)
    other = QuoteFactory(quote_number="Q-2031-000002", quote_date=partitions.add_months(month, 3))
    assert _partition_of("quotes", "quote_id", first.pk) != _partition_of("quotes", "quote_id", other.pk)
    with pytest.raises(IntegrityError, match="quotes_quote_number_unique"), transaction.atomic():
        Quote.objects.filter(pk=other.pk).update(quote_number="Q-2031-000001")
    assert set(QuoteNumber.objects.values_list("quote_number", flat=True)) >= {"Q-2031-000001", "Q-2031-000002"}
    # A quote moved to another month keeps its number; a deleted one frees it.
    Quote.objects.filter(pk=first.pk).update(quote_date=partitions.add_months(month, 1))
    assert QuoteNumber.objects.get(quote_number="Q-2031-000001").quote_date == partitions.add_months(month, 1)
    Quote.objects.filter(pk=first.pk).delete()
    Quote.objects.filter(pk=other.pk).update(quote_number="Q-2031-000001")
    assert QuoteNumber.objects.filter(quote_number__startswith="Q-2031-").count() == 1


def test_model_validation_refuses_a_number_used_in_another_partition(postgres_only):
    month = _this_month()
    QuoteFactory(quote_number="Q-2031-000009", quote_date=month)
    duplicate = QuoteFactory.build(
        project=ProjectFactory(), quote_number="Q-2031-000009", quote_date=partitions.add_months(month, 5)
    )
    with pytest.raises(Exception, match="already exists"):
        duplicate.full_clean()


def test_two_accepted_quotes_on_different_dates_for_one_project_are_refused(postgres_only):
    month = _this_month()
    project = ProjectFactory()
    accepted = QuoteFactory(project=project, quote_date=month, quote_status=QuoteStatus.ACCEPTED)
    later = QuoteFactory(
        project=project, quote_date=partitions.add_months(month, 2), expiration_date=None, quote_status=QuoteStatus.SENT
    )
    with pytest.raises(IntegrityError, match="quotes_one_accepted_per_project"), transaction.atomic():
        Quote.objects.filter(pk=later.pk).update(quote_status=QuoteStatus.ACCEPTED)
    # Once the first is retired, the later one may be accepted; moving it to another month keeps
    # the project's one row.
    Quote.objects.filter(pk=accepted.pk).update(quote_status=QuoteStatus.REJECTED)
    Quote.objects.filter(pk=later.pk).update(quote_status=QuoteStatus.ACCEPTED)
    Quote.objects.filter(pk=later.pk).update(quote_date=partitions.add_months(month, 4))
    row = ProjectAcceptedQuote.objects.get(project_id=project.pk)
    assert (row.quote_id, row.quote_date) == (later.pk, partitions.add_months(month, 4))


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_across_a_month_boundary_get_unique_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL only")
    associate = AssociateFactory()
    days = [dt.date(2026, 11, 30), dt.date(2026, 12, 1)] * 4
    projects = []
    for _ in days:
        project = ProjectFactory(sales_associate=associate)
        SelectionFactory(surface__room__project=project)
        projects.append(project)
    barrier = threading.Barrier(len(days))
    errors, numbers = [], []

    def create(project, today):
        try:
            barrier.wait()
            numbers.append(services.quote_create(project=project, associate=associate, today=today).quote_number)
        except Exception as error:  # collected and asserted below
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=create, args=pair) for pair in zip(projects, days, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"Q-2026-{n:06d}" for n in range(1, len(days) + 1)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableoid::regclass::text FROM quotes ORDER BY 1")
        assert [row[0] for row in cursor.fetchall()] in (
            ["quotes_default"],  # neither month has a partition of its own on this run's calendar
            ["quotes_default", "quotes_y2026m12"],
            ["quotes_y2026m11", "quotes_y2026m12"],
        )
    assert QuoteNumber.objects.count() == len(days)


# --- partition pruning ----------------------------------------------------------------------------------


def _scanned(sql: str, params=None) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return set(re.findall(r" on (conversation_log_\w+)", plan))


def _months_between(start: dt.datetime, end: dt.datetime) -> set[str]:
    """The partitions a read of [start, end) must touch."""
    month, last = start.astimezone(UTC).date().replace(day=1), (end - dt.timedelta(microseconds=1)).astimezone(UTC)
    names = set()
    while month <= last.date():
        names.add(partitions.partition_name(partitions.CONVERSATION_LOG, month))
        month = partitions.add_months(month, 1)
    return names


@pytest.fixture
def months_of_history(postgres_only):
    """Partitions for the last six months too, as a store with history has them."""
    this = _this_month()
    with connection.cursor() as cursor:
        partitions.ensure_months(
            cursor, partitions.CONVERSATION_LOG, [partitions.add_months(this, -n) for n in range(7)]
        )


def test_the_dashboard_reads_only_the_partitions_of_its_period(months_of_history, associate):
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=34), today
    with CaptureQueriesContext(connection) as queries:
        reporting.rows(start=start, end=end, split=today - dt.timedelta(days=13))
    (sql,) = [q["sql"] for q in queries.captured_queries if "conversation_log" in q["sql"]]
    wanted = _months_between(reporting._bounds(start), reporting._bounds(end + dt.timedelta(days=1)))
    assert _scanned(sql) == wanted
    assert 1 <= len(wanted) <= 3


@pytest.mark.reporting_view
def test_the_dashboard_from_the_view_reads_only_the_partitions_after_its_watermark(months_of_history, associate):
    """The view's live top-up is bounded by the watermark, known only when the statement runs: the
    partitions before it are pruned at run time (EXPLAIN ANALYZE shows them never executed)."""
    reporting.refresh()
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=34), today
    start_at, end_at = reporting._bounds(start), reporting._bounds(end + dt.timedelta(days=1))
    params = {"start": start, "end": end, "split": today, "start_at": start_at, "end_at": end_at}
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
            + reporting._view_rows_sql(filtered=False, tz=reporting._time_zone()),
            params,
        )
        plan = [row[0] for row in cursor.fetchall()]
    scans = [re.search(r" on (conversation_log_\w+)", line) for line in plan]
    planned = {m.group(1) for m in scans if m}
    executed = {m.group(1) for m, line in zip(scans, plan, strict=True) if m and "never executed" not in line}
    # The months after the period are pruned when planning; those before the watermark at run time.
    after = {
        partitions.partition_name(partitions.CONVERSATION_LOG, partitions.add_months(_this_month(), n))
        for n in (2, 6, 12)
    }
    assert planned.isdisjoint(after)
    covered_until = reporting.last_refresh().covered_until
    assert executed == _months_between(max(start_at, covered_until), end_at)


def test_the_drill_down_list_reads_only_the_partitions_of_its_period(months_of_history, associate):
    period = reviews.Period.default(timezone.localdate())
    sql, params = reviews.conversations_of(associate=associate, period=period)[:25].query.sql_with_params()
    start, end = period.bounds()
    assert _scanned(sql, params) == _months_between(start, end)


def test_the_follow_up_queue_reads_each_partition_through_its_partial_index(months_of_history, associate):
    """The queue is by next contact date, not by conversation date: an overdue follow-up from two
    years ago is as pending as one from yesterday, so no partition can be left out. What keeps it
    cheap is that each partition's read is its own partial index of pending follow-ups."""
    queue = ConversationLog.objects.followups_for(associate).filter(next_contact_date__lt=timezone.localdate())[:20]
    sql, params = queue.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for name in ("idx_conversation_next_contact", "idx_conversation_associate"):
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        present = {p.name for p in partitions.partitions(cursor, partitions.CONVERSATION_LOG)}
    read = dict(re.findall(r"using (\w+) on (conversation_log_\w+)", plan))
    assert set(read.values()) == present
    assert all(index.startswith("idx_conversation_followups_") for index in read)


@pytest.mark.bench
def test_the_bench_seeder_loads_history_into_month_partitions_with_every_index_rebuilt(postgres_only):
    call_command("bench_dashboard", conversations=40, associates=2, weeks=30, seed_only=True, stdout=io.StringIO())
    assert ConversationLog.objects.count() == 40
    with connection.cursor() as cursor:
        for table in partitions.TABLES:
            cursor.execute(f"SELECT count(*) FROM {partitions.default_name(table)}")
            assert cursor.fetchone()[0] == 0, table.name
            # The indexes dropped for the load are back on the table and on every partition.
            cursor.execute(
                "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE i.indrelid = %s::regclass",
                [table.name],
            )
            parents = dict(cursor.fetchall())
            assert all(parents.values()), parents
            for partition in partitions.partitions(cursor, table):
                cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [partition.name])
                suffix = partition.name.removeprefix(table.name + "_")
                assert {row[0] for row in cursor.fetchall()} == {f"{name}_{suffix}" for name in parents}
