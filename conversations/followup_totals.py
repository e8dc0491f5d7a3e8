"""Pending follow-ups per associate, kept by a PostgreSQL trigger (`followup_totals`).

The team dashboard shows, per associate, how many follow-ups are overdue and due today. Counting
them from the partial index `idx_conversation_followups` reads every pending follow-up, and the queue
holds the stragglers of every year (a follow-up nobody answered stays pending): at a million
conversations that was ≈ 50,000 index entries per page view, growing with history. Instead the
trigger keeps one row per associate with the number of pending follow-ups, and the dashboard reads

    overdue   = pending − (due today + upcoming)
    due today = counted from the partial index, from today on only

so the index range it reads is the coming work (a few days or weeks at the store's rate), never the
history. "Pending" is `models.PENDING_FOLLOWUP` with an associate, in SQL below; a test holds the
two equal, and one holds the totals equal to a live count after every kind of write.

A trigger rather than service code because every writer must keep it: the wizard, the admin, the
`superseded` trigger (an answered follow-up stops being pending), bulk loads, archival. Bulk loads
that disable triggers call `rebuild()`. On SQLite nothing is kept: it counts live."""

from __future__ import annotations

from django.db import connection

TABLE = "followup_totals"
NAME = "conversation_log_followup_totals"


def _pending(row: str) -> str:
    """PENDING_FOLLOWUP with an associate, written as the partial index's own predicate so the
    planner can prove a query on it may use the index."""
    return (
        f"({row}.sales_associate_id IS NOT NULL AND {row}.next_contact_date IS NOT NULL AND NOT {row}.superseded"
        f" AND NOT ({row}.outcome IN ('lost', 'order_placed') AND {row}.outcome IS NOT NULL))"
    )


POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := false;
    now_pending boolean := false;
    same boolean := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was := {_pending("OLD")};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        now_pending := {_pending("NEW")};
    END IF;
    IF TG_OP = 'UPDATE' THEN
        same := NEW.sales_associate_id IS NOT DISTINCT FROM OLD.sales_associate_id;
    END IF;
    IF was AND NOT (now_pending AND same) THEN
        UPDATE {TABLE} SET pending = pending - 1 WHERE sales_associate_id = OLD.sales_associate_id;
    END IF;
    IF now_pending AND NOT (was AND same) THEN
        INSERT INTO {TABLE} (sales_associate_id, pending) VALUES (NEW.sales_associate_id, 1)
        ON CONFLICT (sales_associate_id) DO UPDATE SET pending = {TABLE}.pending + 1;
    END IF;
    RETURN NULL;
END
$$
""",  # noqa: S608 - constants of this module
    f"DROP TRIGGER IF EXISTS {NAME} ON conversation_log",
    f"""
CREATE TRIGGER {NAME}
AFTER INSERT OR DELETE OR UPDATE OF sales_associate_id, next_contact_date, superseded, outcome ON conversation_log
FOR EACH ROW EXECUTE FUNCTION {NAME}()
""",
]

DROP_POSTGRESQL = [f"DROP TRIGGER IF EXISTS {NAME} ON conversation_log", f"DROP FUNCTION IF EXISTS {NAME}()"]

# Every associate's total from scratch: a migration's backfill, or after a load with triggers off.
REBUILD = [
    f"DELETE FROM {TABLE}",  # noqa: S608 - constant
    f"INSERT INTO {TABLE} (sales_associate_id, pending) "  # noqa: S608 - constant
    f"SELECT sales_associate_id, count(*) FROM conversation_log WHERE {_pending('conversation_log')} GROUP BY 1",
]


def kept(conn=None) -> bool:
    """The totals are kept (and read) on PostgreSQL only."""
    return (conn or connection).vendor == "postgresql"


def install(schema_editor):
    if not kept(schema_editor.connection):
        return
    for statement in POSTGRESQL + REBUILD:
        schema_editor.execute(statement)


def uninstall(schema_editor):
    if kept(schema_editor.connection):
        for statement in DROP_POSTGRESQL:
            schema_editor.execute(statement)


def rebuild(cursor):
    for statement in REBUILD:
        cursor.execute(statement)


def installed(conn=None) -> bool:
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal AND tgparentid = 0", [NAME]
        )
        return cursor.fetchone()[0] == 1


def _coming_sql(associate: str) -> str:
    """Due today and coming (today on) of one associate's pending follow-ups: the range of
    idx_conversation_followups from today on, so the overdue history before it is never read.
    Parameter: today."""
    where = f"sales_associate_id = {associate} AND {_pending('conversation_log')} AND next_contact_date >= %(today)s"
    return (
        "SELECT count(next_contact_date) FILTER (WHERE next_contact_date = %(today)s) AS due_today,"  # noqa: S608
        f" count(next_contact_date) AS coming FROM conversation_log WHERE {where}"
    )


def per_associate_sql(*, filtered: bool) -> str:
    """Overdue and due-today per associate with any, from the totals and, per associate, the index
    range from today on (a lateral join). Parameters: today, and associates (a list) when
    `filtered`."""
    only = " AND t.sales_associate_id = ANY(%(associates)s)" if filtered else ""
    return (
        "SELECT t.sales_associate_id, t.pending - c.coming AS overdue, c.due_today"  # noqa: S608 - constants
        f" FROM {TABLE} t CROSS JOIN LATERAL ({_coming_sql('t.sales_associate_id')}) c"
        f" WHERE t.pending - c.coming + c.due_today > 0{only}"
    )


def counts_for(associate_id: int, *, today, conn=None) -> dict[str, int]:
    """One associate's overdue / due today / upcoming follow-ups (the home page and My follow-ups)
    from the total and the same index range as `per_associate_sql`. PostgreSQL only (`kept()`)."""
    sql = (
        f"SELECT coalesce((SELECT pending FROM {TABLE} WHERE sales_associate_id = %(associate)s), 0) - c.coming,"  # noqa: S608 - constants
        f" c.due_today, c.coming - c.due_today FROM ({_coming_sql('%(associate)s')}) c"
    )
    with (conn or connection).cursor() as cursor:
        cursor.execute(sql, {"associate": associate_id, "today": today})
        overdue, due_today, upcoming = cursor.fetchone()
    return {"overdue": overdue, "due_today": due_today, "upcoming": upcoming}
