"""The history trigger: an AFTER INSERT/UPDATE/DELETE row trigger (django-pgtrigger installs it
from the models' `Meta.triggers`, on PostgreSQL only) that writes one `history_change` row with
the columns whose value changed, old and new, and who changed them (history.context).

Why a trigger and not `save()` or a signal: the app also writes with `QuerySet.update()`, bulk
SQL (catalog import, archive) and the admin; a trigger sees every one of them. On a partitioned
table (conversation_log, quotes) PostgreSQL clones it onto every partition, present and future."""

import pgtrigger

# Never reported as a change: kept by the ORM or the database on every write, or derived.
IGNORED = ("created_at", "updated_at", "version", "phone_digits")


def _project_expr(row: str, project: str | None) -> str:
    if project is None:
        return "NULL"
    return project.format(row=row)


def history_trigger(*, table: str, pk: str, project: str | None = None) -> pgtrigger.Trigger:
    """`project` is an SQL expression of the row (written with `{row}`) giving its project's key."""
    ignored = ", ".join(f"'{name}'" for name in IGNORED)
    # The table, key and expressions are the models' own (below and in Meta.triggers), never input.
    func = f"""
        IF TG_OP = 'DELETE' THEN
            _object := OLD.{pk}::text;
            _project := {_project_expr("OLD", project)};
        ELSE
            _object := NEW.{pk}::text;
            _project := {_project_expr("NEW", project)};
        END IF;
        _old := COALESCE(to_jsonb(OLD), '{{}}'::jsonb) - ARRAY[{ignored}];
        _new := COALESCE(to_jsonb(NEW), '{{}}'::jsonb) - ARRAY[{ignored}];
        SELECT jsonb_object_agg(k, jsonb_build_array(_old -> k, _new -> k)) INTO _changes
        FROM jsonb_object_keys(_old || _new) AS k
        WHERE (_old -> k) IS DISTINCT FROM (_new -> k)
          AND COALESCE(_old -> k, 'null'::jsonb) <> COALESCE(_new -> k, 'null'::jsonb);
        IF TG_OP = 'UPDATE' AND _changes IS NULL THEN
            RETURN NULL;
        END IF;
        _context := NULLIF(current_setting('aos.history_context', true), '');
        IF _context IS NOT NULL THEN
            _meta := _context::jsonb;
        END IF;
        INSERT INTO history_change
            (changed_at, table_name, object_id, project_id, operation, changes, user_id, url, context_id)
        VALUES (
            clock_timestamp(), '{table}', _object, _project, lower(TG_OP), COALESCE(_changes, '{{}}'::jsonb),
            (_meta ->> 'user')::bigint, COALESCE(_meta ->> 'url', ''), (_meta ->> 'id')::uuid
        );
        RETURN NULL;
    """  # noqa: S608
    return pgtrigger.Trigger(
        name="history",
        level=pgtrigger.Row,
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[
            ("_object", "text"),
            ("_project", "uuid"),
            ("_old", "jsonb"),
            ("_new", "jsonb"),
            ("_changes", "jsonb"),
            ("_context", "text"),
            ("_meta", "jsonb"),
        ],
        func=func,
    )


ROOM_PROJECT = "{row}.project_id"
SURFACE_PROJECT = "(SELECT r.project_id FROM project_rooms r WHERE r.room_id = {row}.room_id)"
SELECTION_PROJECT = (
    "(SELECT r.project_id FROM surfaces s JOIN project_rooms r ON r.room_id = s.room_id"
    " WHERE s.surface_id = {row}.surface_id)"
)
