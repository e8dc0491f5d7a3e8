"""The database trigger that keeps `conversation_log.superseded` true exactly when a later
conversation exists on the same project (the follow-up this one scheduled was answered).

A trigger rather than service code because every writer must keep it: the wizard, the admin, bulk
loads, the archive. Each change (insert, delete, a changed project or date) recomputes the flag for
the rows of the project(s) touched, flipping only the rows whose value is wrong. Created by
conversations migration 0002 on PostgreSQL and SQLite; tests/conversations/test_reporting.py checks
it exists and works on both, so a later migration that rebuilds the table (SQLite does, to alter a
column) cannot drop it unnoticed: re-run `install()` in that migration."""

NAME = "conversation_log_superseded"

# Rows of the projects in <projects> whose flag disagrees with "a later conversation exists".
_FIX = """
UPDATE conversation_log SET superseded = NOT superseded
 WHERE project_id {projects}
   AND superseded <> EXISTS (
        SELECT 1 FROM conversation_log later
         WHERE later.project_id = conversation_log.project_id
           AND later.conversation_date > conversation_log.conversation_date)
"""

POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        touched := ARRAY[NEW.project_id];
    ELSIF TG_OP = 'DELETE' THEN
        touched := ARRAY[OLD.project_id];
    ELSE
        touched := ARRAY[OLD.project_id, NEW.project_id];
    END IF;
    {_FIX.format(projects="= ANY(touched)")};
    RETURN NULL;
END
$$
""",
    f"DROP TRIGGER IF EXISTS {NAME} ON conversation_log",
    f"""
CREATE TRIGGER {NAME}
AFTER INSERT OR DELETE OR UPDATE OF project_id, conversation_date ON conversation_log
FOR EACH ROW EXECUTE FUNCTION {NAME}()
""",
]

SQLITE = [
    f"DROP TRIGGER IF EXISTS {NAME}_insert",
    f"DROP TRIGGER IF EXISTS {NAME}_delete",
    f"DROP TRIGGER IF EXISTS {NAME}_update",
    f"CREATE TRIGGER {NAME}_insert AFTER INSERT ON conversation_log BEGIN "
    f"{_FIX.format(projects='= NEW.project_id')}; END",
    f"CREATE TRIGGER {NAME}_delete AFTER DELETE ON conversation_log BEGIN "
    f"{_FIX.format(projects='= OLD.project_id')}; END",
    f"CREATE TRIGGER {NAME}_update AFTER UPDATE OF project_id, conversation_date ON conversation_log BEGIN "
    f"{_FIX.format(projects='IN (OLD.project_id, NEW.project_id)')}; END",
]

DROP_POSTGRESQL = [f"DROP TRIGGER IF EXISTS {NAME} ON conversation_log", f"DROP FUNCTION IF EXISTS {NAME}()"]
DROP_SQLITE = [f"DROP TRIGGER IF EXISTS {NAME}_{event}" for event in ("insert", "delete", "update")]

# Every row at once, for a backfill or after a bulk load with the trigger disabled.
RECOMPUTE_ALL = """
UPDATE conversation_log SET superseded = EXISTS (
    SELECT 1 FROM conversation_log later
     WHERE later.project_id = conversation_log.project_id
       AND later.conversation_date > conversation_log.conversation_date)
"""


def install(schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def uninstall(schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": DROP_POSTGRESQL, "sqlite": DROP_SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def installed(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal AND tgparentid = 0", [NAME]
            )
            return cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{NAME}_%"])
        return cursor.fetchone()[0] == 3
