"""Monthly range partitions of `conversation_log` (by `conversation_date`) and `quotes` (by
`quote_date`) on PostgreSQL: the migrations that turn the plain tables into partitioned ones, and
`manage.py partitions`, which keeps a year of months ahead.

Declarative partitioning, written in SQL here rather than through a library: the tables already
exist with data, names the seed fixes and triggers of their own, and the Django model (and the
admin) must not notice. Each table is one `Table` below; everything else is read from the catalog
(columns, CHECKs, indexes, foreign keys), so a later migration's index or CHECK is carried over
without being listed.

A partition is `<table>_yYYYYmMM` for one calendar month, timestamps cut at midnight UTC (so a
partition's range never depends on the session's or the store's time zone), plus
`<table>_default` for anything outside them. Every index of a partition is named
`<index of the table>_yYYYYmMM` (or `_default`), so a plan names the index it reads. On SQLite
nothing here runs: the tables stay plain."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS_AHEAD = 12


@dataclass(frozen=True)
class Table:
    name: str
    key: str  # the partition key column
    timestamp: bool  # timestamptz (bounds at midnight UTC) or date
    primary_key: tuple[str, ...]  # includes the key, as PostgreSQL requires
    # unique constraints that stay unique, widened by the key (name: columns)
    uniques: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # unique indexes that cannot be global any more and move elsewhere (see quotes.accepted)
    moved_indexes: tuple[str, ...] = ()
    # the key column was nullable before (the seed's conversation_date): so again if unpartitioned
    key_was_nullable: bool = False


CONVERSATION_LOG = Table(
    name="conversation_log",
    key="conversation_date",
    timestamp=True,
    primary_key=("log_id", "conversation_date"),
    key_was_nullable=True,
)
QUOTES = Table(
    name="quotes",
    key="quote_date",
    timestamp=False,
    primary_key=("quote_id", "quote_date"),
    uniques=(("quotes_quote_number_key", ("quote_number", "quote_date")),),
    moved_indexes=("quotes_one_accepted_per_project",),
)
TABLES = (CONVERSATION_LOG, QUOTES)


# --- months and names ---------------------------------------------------------------------------------


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(table: Table, month: dt.date) -> str:
    return f"{table.name}_y{month.year:04d}m{month.month:02d}"


def default_name(table: Table) -> str:
    return f"{table.name}_default"


def _suffix(table: Table, partition: str) -> str:
    return partition.removeprefix(table.name + "_")


def _bound(table: Table, month: dt.date) -> str:
    return f"'{month.isoformat()} 00:00:00+00'" if table.timestamp else f"'{month.isoformat()}'"


def _range(table: Table, month: dt.date) -> str:
    return f"FROM ({_bound(table, month)}) TO ({_bound(table, add_months(month, 1))})"


def _where_month(table: Table, month: dt.date) -> str:
    return f"{table.key} >= {_bound(table, month)} AND {table.key} < {_bound(table, add_months(month, 1))}"


def _q(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return f'"{name}"'


# --- reading the catalog ------------------------------------------------------------------------------


def is_partitioned(cursor, table: Table) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
        " WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
        [table.name],
    )
    return cursor.fetchone() is not None


@dataclass(frozen=True)
class Partition:
    name: str
    bounds: str  # as PostgreSQL writes them: FOR VALUES FROM (…) TO (…), or DEFAULT
    rows: int  # the planner's estimate (pg_class.reltuples; -1 before the first ANALYZE reads 0)

    @property
    def is_default(self) -> bool:
        return self.bounds == "DEFAULT"


def partitions(cursor, table: Table) -> list[Partition]:
    cursor.execute(
        """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), greatest(c.reltuples, 0)::bigint
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname = %s AND p.relnamespace = current_schema()::regnamespace
         ORDER BY c.relname
        """,
        [table.name],
    )
    return [Partition(name, bounds, rows) for name, bounds, rows in cursor.fetchall()]


def _columns(cursor, table_name: str) -> list[str]:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " ORDER BY attnum",
        [table_name],
    )
    return [row[0] for row in cursor.fetchall()]


def _plain_indexes(cursor, table_name: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of the table's indexes that back no constraint."""
    cursor.execute(
        """
        SELECT ic.relname, pg_get_indexdef(ix.indexrelid)
          FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid
         WHERE ix.indrelid = %s::regclass
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid)
         ORDER BY ic.relname
        """,
        [table_name],
    )
    return cursor.fetchall()


def _foreign_keys(cursor, table_name: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table_name],
    )
    return cursor.fetchall()


def _months_with_rows(cursor, table: Table, source: str) -> list[dt.date]:
    at = f"{table.key} AT TIME ZONE 'UTC'" if table.timestamp else table.key
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', {at})::date FROM {source} WHERE {table.key} IS NOT NULL ORDER BY 1"  # noqa: S608
    )
    return [row[0] for row in cursor.fetchall()]


def name_indexes(cursor, table: Table) -> None:
    """Renames every partition's index after the table's index it belongs to:
    `idx_conversation_followups_y2026m12`, so EXPLAIN names the index a query reads."""
    cursor.execute(
        """
        SELECT child.relname, parent.relname, part.relname
          FROM pg_inherits i
          JOIN pg_class child ON child.oid = i.inhrelid AND child.relkind = 'i'
          JOIN pg_class parent ON parent.oid = i.inhparent
          JOIN pg_index pix ON pix.indexrelid = parent.oid
          JOIN pg_index cix ON cix.indexrelid = child.oid
          JOIN pg_class part ON part.oid = cix.indrelid
         WHERE pix.indrelid = %s::regclass
        """,
        [table.name],
    )
    for child, parent, partition in cursor.fetchall():
        wanted = f"{parent}_{_suffix(table, partition)}"
        if child != wanted:
            if len(wanted) > 63:
                raise ValueError(f"index name too long for PostgreSQL: {wanted}")
            cursor.execute(f"ALTER INDEX {_q(child)} RENAME TO {_q(wanted)}")


# --- creating partitions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    table: str
    partition: str
    moved: int  # rows moved out of the DEFAULT partition into it


def ensure_months(cursor, table: Table, months) -> list[Created]:
    """Creates the monthly partitions missing among `months`. Rows already waiting in the DEFAULT
    partition for such a month are moved into the new partition (PostgreSQL refuses to create a
    partition that rows in DEFAULT belong to): DEFAULT is detached once (its triggers go with the
    detach, so the move fires none and changes no total or flag), each month's rows move into a
    standalone table in one statement, that table is attached as the month's partition, and DEFAULT
    is attached again. Call inside a transaction: a failure leaves everything as it was."""
    existing = {p.name for p in partitions(cursor, table)}
    default = default_name(table)
    missing = sorted(month for month in set(months) if partition_name(table, month) not in existing)
    if not missing:
        return []
    waiting = {}
    if default in existing:
        at = f"{table.key} AT TIME ZONE 'UTC'" if table.timestamp else table.key
        cursor.execute(
            f"SELECT date_trunc('month', {at})::date, count(*) FROM {_q(default)}"  # noqa: S608
            f" WHERE date_trunc('month', {at})::date = ANY(%s) GROUP BY 1",
            [missing],
        )
        waiting = dict(cursor.fetchall())
    columns = ", ".join(_q(c) for c in _columns(cursor, table.name))
    if waiting:
        cursor.execute(f"ALTER TABLE {_q(table.name)} DETACH PARTITION {_q(default)}")
    created = []
    for month in missing:
        name = partition_name(table, month)
        if waiting.get(month):
            cursor.execute(
                f"CREATE TABLE {_q(name)} (LIKE {_q(table.name)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
                " INCLUDING STORAGE INCLUDING STATISTICS)"
            )
            cursor.execute(
                f"WITH moved AS (DELETE FROM {_q(default)} WHERE {_where_month(table, month)}"  # noqa: S608
                f" RETURNING {columns}) INSERT INTO {_q(name)} ({columns}) SELECT {columns} FROM moved"
            )
            cursor.execute(
                f"ALTER TABLE {_q(table.name)} ATTACH PARTITION {_q(name)} FOR VALUES {_range(table, month)}"
            )
        else:
            cursor.execute(f"CREATE TABLE {_q(name)} PARTITION OF {_q(table.name)} FOR VALUES {_range(table, month)}")
        created.append(Created(table.name, name, waiting.get(month, 0)))
    if waiting:
        cursor.execute(f"ALTER TABLE {_q(table.name)} ATTACH PARTITION {_q(default)} DEFAULT")
    name_indexes(cursor, table)
    return created


def months_waiting_in_default(cursor, table: Table) -> list[dt.date]:
    """The months of the rows in the DEFAULT partition: history loaded after migrate (demo data,
    an import), or a date beyond the months created ahead."""
    if default_name(table) not in {p.name for p in partitions(cursor, table)}:
        return []
    return _months_with_rows(cursor, table, _q(default_name(table)))


def months_ahead(today: dt.date, months: int = MONTHS_AHEAD) -> list[dt.date]:
    """This month and the next `months`."""
    this = month_of(today)
    return [add_months(this, n) for n in range(months + 1)]


# --- the migration: a plain table becomes a partitioned one, and back -------------------------------


def _rebuild(cursor, table: Table, *, partitioned: bool, today: dt.date) -> None:
    """Rebuilds `table` as a partitioned table (or back as a plain one) under the same name, with
    its rows, columns, defaults, CHECKs, indexes (same names), foreign keys and primary key. The
    caller drops what depends on the table first and recreates it after (views, triggers)."""
    old = f"{table.name}_unpartitioned" if partitioned else f"{table.name}_partitioned"
    columns = ", ".join(_q(c) for c in _columns(cursor, table.name))
    # Read while the definitions still name the table as `public.<table>`: they are replayed on the
    # new table under that name once the old one is gone.
    indexes = [
        (name, definition.replace(" ON ONLY ", " ON ", 1))
        for name, definition in _plain_indexes(cursor, table.name)
        if not (partitioned and name in table.moved_indexes)
    ]
    for name, definition in indexes:
        if partitioned and definition.startswith("CREATE UNIQUE"):
            raise RuntimeError(f"{name} is unique without {table.key}: decide where its rule goes first")
    foreign_keys = _foreign_keys(cursor, table.name)
    cursor.execute(f"ALTER TABLE {_q(table.name)} RENAME TO {_q(old)}")
    if partitioned:
        # A partition key is NOT NULL (it is in the primary key); the seed's default is now().
        cursor.execute(f"UPDATE {_q(old)} SET {_q(table.key)} = now() WHERE {_q(table.key)} IS NULL")  # noqa: S608
    like = "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING STATISTICS INCLUDING COMMENTS"
    by = f" PARTITION BY RANGE ({_q(table.key)})" if partitioned else ""
    cursor.execute(f"CREATE TABLE {_q(table.name)} (LIKE {_q(old)} {like}){by}")
    null = "DROP" if table.key_was_nullable and not partitioned else "SET"
    cursor.execute(f"ALTER TABLE {_q(table.name)} ALTER COLUMN {_q(table.key)} {null} NOT NULL")
    if partitioned:
        months = set(_months_with_rows(cursor, table, _q(old))) | set(months_ahead(today))
        cursor.execute(f"CREATE TABLE {_q(default_name(table))} PARTITION OF {_q(table.name)} DEFAULT")
        ensure_months(cursor, table, months)
    cursor.execute(f"INSERT INTO {_q(table.name)} ({columns}) SELECT {columns} FROM {_q(old)}")  # noqa: S608
    cursor.execute(f"DROP TABLE {_q(old)}")  # its indexes, constraints and triggers with it
    key = table.primary_key if partitioned else table.primary_key[:1]
    cursor.execute(
        f"ALTER TABLE {_q(table.name)} ADD CONSTRAINT {_q(table.name + '_pkey')} PRIMARY KEY ({', '.join(key)})"
    )
    for name, unique in table.uniques:
        unique = unique if partitioned else unique[:1]
        cursor.execute(f"ALTER TABLE {_q(table.name)} ADD CONSTRAINT {_q(name)} UNIQUE ({', '.join(unique)})")
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {_q(table.name)} ADD CONSTRAINT {_q(name)} {definition}")
    if partitioned:
        name_indexes(cursor, table)
    cursor.execute(f"ANALYZE {_q(table.name)}")  # autovacuum never analyzes a partitioned parent


def partition(cursor, table: Table, *, today: dt.date) -> None:
    if not is_partitioned(cursor, table):
        _rebuild(cursor, table, partitioned=True, today=today)


def unpartition(cursor, table: Table, *, today: dt.date) -> None:
    if is_partitioned(cursor, table):
        _rebuild(cursor, table, partitioned=False, today=today)
