"""Reporting at chain scale (issue 10): the score review's figures as sums per associate per
store-local day, kept in a PostgreSQL materialized view and topped up live from the base table.

One list of columns, `COLUMNS`, says what is summed: conversation counts, score sums and counts per
phase, level counts per phase, outcome counts, orders by overall score and completeness sums. From
it come both the view's SQL (`view_sql`) and the live aggregates over `conversation_log`
(`live_aggregates`), so the two sources cannot drift apart. Averages are never stored: a period's
average is a sum of sums over a sum of counts, exact for any period.

The view holds whole days before its watermark (local midnight of the day it was refreshed); rows
from the watermark on are read live from `conversation_log` through the date index, in the same SQL
statement (one snapshot), so a conversation closed a minute ago counts at once and nothing is
counted twice. `manage.py refresh_reporting` refreshes the view concurrently (readers never wait)
and records the watermark in `reporting_refresh` in the same transaction. Changes to rows older
than the watermark (a manager re-scoring last week) show after the next refresh; the pages say
"figures up to <time>".

On SQLite, or with REPORTING_SOURCE=live, every figure comes from the live aggregates."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import time
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, models, router, transaction
from django.db.models import Case, Count, DateField, Q, Sum, Value, When
from django.db.models.functions import TruncWeek

VIEW = "review_associate_day"
META_TABLE = "reporting_refresh"

SCORE_COLUMNS = (
    ("greeting", "aos_score_greeting"),
    ("needs", "aos_score_needs"),
    ("design", "aos_score_design"),
    ("close", "aos_score_close"),
    ("objection", "aos_score_objection"),
    ("overall", "aos_score_overall"),
)
LEVELS = (1, 2, 3, 4)
OUTCOMES = ("information_gathered", "quote_requested", "order_placed", "follow_up_scheduled", "lost")
COMPLETENESS_PHASES = ("greeting", "needs", "design", "close")


@dataclass(frozen=True)
class Column:
    """One summed figure. `count(*)` of the rows matching `where` (equalities; None is IS NULL), or
    `count(count_of)` (non-null values), or `sum(sum_of)`."""

    name: str
    count_of: str | None = None
    sum_of: str | None = None
    where: tuple[tuple[str, object], ...] = ()
    decimal: bool = False  # a sum of DECIMAL completeness, not of integers

    def aggregate(self):
        """The live aggregate over conversation_log."""
        condition = (
            Q(
                **{
                    (f"{field}__isnull" if value is None else field): (True if value is None else value)
                    for field, value in self.where
                }
            )
            if self.where
            else None
        )
        if self.sum_of:
            return Sum(self.sum_of, filter=condition)
        return Count(self.count_of or "log_id", filter=condition)

    def sql(self) -> str:
        """The same aggregate as SQL for the view (constants only: no user input reaches here)."""
        if self.sum_of:
            cast = "numeric(14, 2)" if self.decimal else "integer"
            return f"sum({_identifier(self.sum_of)})::{cast}"
        counted = _identifier(self.count_of) if self.count_of else "*"
        if not self.where:
            return f"count({counted})::integer"
        conditions = " AND ".join(
            f"{_identifier(field)} IS NULL" if value is None else f"{_identifier(field)} = {_literal(value)}"
            for field, value in self.where
        )
        return f"count({counted}) FILTER (WHERE {conditions})::integer"


def _columns() -> tuple[Column, ...]:
    columns = [Column("conversations"), Column("scored", count_of="aos_score_overall")]
    for slug, field in SCORE_COLUMNS:
        columns += [Column(f"n_{slug}", count_of=field), Column(f"sum_{slug}", sum_of=field)]
    for slug, field in SCORE_COLUMNS:
        columns += [Column(f"{slug}_{level}", where=((field, level),)) for level in LEVELS]
    columns += [Column(f"outcome_{value}", where=(("outcome", value),)) for value in OUTCOMES]
    columns += [
        Column(f"orders_{level}", where=(("outcome", "order_placed"), ("aos_score_overall", level))) for level in LEVELS
    ]
    columns.append(Column("orders_unscored", where=(("outcome", "order_placed"), ("aos_score_overall", None))))
    for phase in COMPLETENESS_PHASES:
        field = f"completeness_{phase}"
        columns += [Column(f"n_{field}", count_of=field), Column(f"sum_{field}", sum_of=field, decimal=True)]
    return tuple(columns)


COLUMNS = _columns()
NAMES = tuple(column.name for column in COLUMNS)


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a column name: {name!r}")
    return f'"{name}"'


def _literal(value) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"[a-z_]+", value):
        return f"'{value}'"
    raise ValueError(f"not a constant the view may hold: {value!r}")


def _time_zone() -> str:
    name = settings.TIME_ZONE
    zoneinfo.ZoneInfo(name)  # refuses an unknown zone before it reaches SQL
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name):
        raise ValueError(f"unexpected time zone name {name!r}")
    return name


def view_sql() -> str:
    """CREATE MATERIALIZED VIEW for the store's time zone: whole local days before the local
    midnight of the moment it is (re)built."""
    tz = _time_zone()
    columns = ",\n       ".join(f"{column.sql()} AS {_identifier(column.name)}" for column in COLUMNS)
    return (
        f"CREATE MATERIALIZED VIEW {VIEW} AS\n"
        f"SELECT sales_associate_id,\n"
        f"       (conversation_date AT TIME ZONE '{tz}')::date AS day,\n"
        f"       {columns}\n"
        f"  FROM conversation_log\n"
        f" WHERE sales_associate_id IS NOT NULL\n"
        f"   AND conversation_date < (date_trunc('day', now() AT TIME ZONE '{tz}') AT TIME ZONE '{tz}')\n"
        f" GROUP BY 1, 2"
    )


def signature() -> str:
    """Changes whenever the view's definition would: a refresh then rebuilds it."""
    return hashlib.sha256(view_sql().encode()).hexdigest()[:16]


def uses_view() -> bool:
    """The materialized view serves the figures on PostgreSQL unless REPORTING_SOURCE=live."""
    return connection.vendor == "postgresql" and getattr(settings, "REPORTING_SOURCE", "view") != "live"


# --- building and refreshing the view (PostgreSQL) ---------------------------------------------------


def _view_exists(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_matviews WHERE matviewname = %s", [VIEW])
    return cursor.fetchone() is not None


def _create(cursor):
    cursor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {VIEW}")
    cursor.execute(view_sql())
    # Unique, so it refreshes CONCURRENTLY; (day, associate) serves every period's range read.
    cursor.execute(f"CREATE UNIQUE INDEX {VIEW}_key ON {VIEW} (day, sales_associate_id)")
    cursor.execute(f"CREATE INDEX {VIEW}_associate ON {VIEW} (sales_associate_id, day)")


def _record(cursor, *, seconds: float):
    tz = _time_zone()
    cursor.execute(
        """
        INSERT INTO reporting_refresh (name, refreshed_at, covered_day, covered_until, signature, seconds)
        VALUES (%s, now(), (now() AT TIME ZONE %s)::date,
                date_trunc('day', now() AT TIME ZONE %s) AT TIME ZONE %s, %s, %s)
        ON CONFLICT (name) DO UPDATE
           SET refreshed_at = EXCLUDED.refreshed_at, covered_day = EXCLUDED.covered_day,
               covered_until = EXCLUDED.covered_until, signature = EXCLUDED.signature,
               seconds = EXCLUDED.seconds
        """,
        [VIEW, tz, tz, tz, signature(), seconds],
    )


@dataclass(frozen=True)
class RefreshResult:
    rebuilt: bool
    seconds: float
    rows: int


def refresh(*, using: str = "default") -> RefreshResult:
    """Refresh the view concurrently (readers keep reading the old rows meanwhile), or build it
    when it is missing or its definition changed (time zone, columns). One transaction, so the
    recorded watermark is exactly the one the view was computed with."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        raise RuntimeError("The reporting view exists on PostgreSQL only; SQLite reads live.")
    started = time.perf_counter()
    with transaction.atomic(using=using), conn.cursor() as cursor:
        cursor.execute(f"SELECT signature FROM {META_TABLE} WHERE name = %s", [VIEW])  # noqa: S608 - constant
        row = cursor.fetchone()
        rebuilt = not _view_exists(cursor) or row is None or row[0] != signature()
        if rebuilt:
            _create(cursor)
        else:
            cursor.execute(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {VIEW}")
        seconds = time.perf_counter() - started
        _record(cursor, seconds=seconds)
        cursor.execute(f"SELECT count(*) FROM {VIEW}")  # noqa: S608 - constant
        rows = cursor.fetchone()[0]
    return RefreshResult(rebuilt=rebuilt, seconds=seconds, rows=rows)


def create_for_migration(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        started = time.perf_counter()
        _create(cursor)
        _record(cursor, seconds=time.perf_counter() - started)


def drop_for_migration(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {VIEW}")
    schema_editor.execute(f"DELETE FROM {META_TABLE} WHERE name = %s", [VIEW])  # noqa: S608 - constant


# --- reading: view up to the watermark, live after it, in one statement ----------------------------------


def _bounds(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def rows(*, start: dt.date, end: dt.date, split: dt.date, associates=None) -> list[dict]:
    """Sums per (associate, week, current) for the local days start..end inclusive; `current` is
    whether the day is on or after `split` (the dashboard's period; before it, the previous
    period). Keys: `sales_associate_id`, `week` (the Monday), `current`, `refreshed` (when the view
    part was computed; None when all of it is live) and every name in NAMES (None for an empty sum).
    One query."""
    if uses_view():
        return _from_view(start=start, end=end, split=split, associates=associates)
    from conversations.models import ConversationLog

    start_at, split_at, end_at = _bounds(start), _bounds(split), _bounds(end + dt.timedelta(days=1))
    aggregates = {f"s_{column.name}": column.aggregate() for column in COLUMNS}
    live = ConversationLog.objects.filter(
        sales_associate__isnull=False, conversation_date__gte=start_at, conversation_date__lt=end_at
    )
    if associates:
        live = live.filter(sales_associate_id__in=list(associates))
    return _as_dicts(_grouped_live(live, split_at, aggregates))


def _select_sql(source: str, *, day: str, summed: bool) -> str:
    """The SELECT list shared by the view and live halves of `rows`: the group keys, then every
    column (a sum of the view's sums, or the column's own aggregate over conversation_log).
    Constants only: names pass _identifier, values are parameters."""
    figures = ",\n       ".join(
        (f"sum({_identifier(column.name)})" if summed else column.sql()) + f" AS {_identifier(column.name)}"
        for column in COLUMNS
    )
    return (
        f"SELECT sales_associate_id,\n"  # noqa: S608 - constants and placeholders only
        f"       date_trunc('week', ({day})::timestamp)::date AS week,\n"
        f"       {day} >= %(split)s AS current,\n"
        f"       {figures}\n"
        f"  FROM {source}"
    )


@functools.cache
def _view_rows_sql(*, filtered: bool, tz: str) -> str:
    """`rows` on PostgreSQL as one statement: the view's days before the watermark and the live
    conversations from it on, each grouped per (associate, week, current), with the refresh time.
    Built once per process from COLUMNS (no ORM compilation on the hot path); the live half uses
    the very expressions the view was built with."""
    only = " AND sales_associate_id = ANY(%(associates)s)" if filtered else ""
    local_day = f"(conversation_date AT TIME ZONE '{tz}')"
    meta = f"SELECT refreshed_at, covered_day, covered_until FROM {META_TABLE} WHERE name = '{VIEW}'"  # noqa: S608
    stored_where = f"day >= %(start)s AND day <= %(end)s AND day < (SELECT covered_day FROM meta){only}"  # noqa: S608
    since = "GREATEST(%(start_at)s, (SELECT covered_until FROM meta))"
    fresh_where = f"sales_associate_id IS NOT NULL AND conversation_date >= {since} AND conversation_date < %(end_at)s"
    fresh_where += only
    return "\n".join(
        [
            f"WITH meta AS ({meta})",
            "SELECT stored.*, (SELECT refreshed_at FROM meta) AS refreshed FROM (",
            _select_sql(VIEW, day="day", summed=True),
            f" WHERE {stored_where} GROUP BY 1, 2, 3) stored",
            "UNION ALL",
            "SELECT fresh.*, NULL FROM (",
            _select_sql("conversation_log", day=local_day, summed=False),
            f" WHERE {fresh_where} GROUP BY 1, 2, 3) fresh",
        ]
    )


def _from_view(*, start: dt.date, end: dt.date, split: dt.date, associates=None) -> list[dict]:
    params = {
        "start": start,
        "end": end,
        "split": split,
        "start_at": _bounds(start),
        "end_at": _bounds(end + dt.timedelta(days=1)),
    }
    if associates:
        params["associates"] = [int(associate) for associate in associates]
    sql = _view_rows_sql(filtered=bool(associates), tz=_time_zone())
    keys = ("sales_associate_id", "week", "current", *NAMES, "refreshed")
    from conversations.models import ConversationLog

    # The database a read of conversations goes to: the reporting replica inside @reporting_reads.
    with connections[router.db_for_read(ConversationLog)].cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def _grouped_live(qs, split_at, aggregates):
    """The live sums per (associate, week, current) on any database; `refreshed` is None: all live."""
    return (
        qs.order_by()
        .values(
            "sales_associate_id",
            week=TruncWeek("conversation_date", output_field=DateField()),
            current=Case(When(conversation_date__gte=split_at, then=Value(True)), default=Value(False)),
            refreshed=Value(None, output_field=models.DateTimeField()),
        )
        .annotate(**aggregates)
    )


def _as_dicts(qs) -> list[dict]:
    keys = ("sales_associate_id", "week", "current", "refreshed", *NAMES)
    fields = ("sales_associate_id", "week", "current", "refreshed", *(f"s_{name}" for name in NAMES))
    return [dict(zip(keys, row, strict=True)) for row in qs.values_list(*fields)]


def last_refresh():
    """When the view was last refreshed and what it covers (None before the first refresh or off
    PostgreSQL)."""
    from conversations.models import ReportingRefresh

    if connection.vendor != "postgresql":
        return None
    return ReportingRefresh.objects.filter(name=VIEW).first()
