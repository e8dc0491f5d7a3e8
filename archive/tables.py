"""Where archived rows live, and their shape.

Each archive table has the name and the columns (names and database types) of a live table: on
PostgreSQL it is the live name in the `archive` schema (`archive.project_rooms`), on SQLite, which
has no schemas in one file, `archive_<name>` in the same database. Archive tables carry no defaults,
CHECKs or foreign keys: rows arrive as exact copies of rows the live constraints already accepted,
and go back through the live constraints on unarchive.

The moved tables, parent first. Conversations are not moved: their row stays live for analytics and
only a copy made before their notes are cleared is kept here (`NOTE_COLUMNS`)."""

from __future__ import annotations

from django.apps.registry import Apps
from django.conf import settings
from django.db import models

SCHEMA = "archive"
# (app label, model name) of every live table with an archive twin, parents before children.
MOVED = (
    ("projects", "ProjectRoom"),
    ("projects", "Surface"),
    ("projects", "SelectedProduct"),
    ("quotes", "Quote"),
)
NOTES = ("conversations", "ConversationLog")
TWINS = (*MOVED, NOTES)
# The conversation's long text: copied to the archive and cleared on the live row. Everything the
# score review, the follow-up queue and the reporting view read (dates, scores, outcome, associate,
# next contact date, completeness) stays on the live row.
NOTE_COLUMNS = ("conversation_summary", "next_action")
# Lookups the archived project page and unarchive make.
INDEXED = {
    "project_rooms": "project_id",
    "surfaces": "room_id",
    "selected_products": "surface_id",
    "quotes": "project_id",
    "conversation_log": "project_id",
}


def is_postgresql(vendor: str | None = None) -> bool:
    if vendor is not None:
        return vendor == "postgresql"
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def archive_table(live_table: str, vendor: str | None = None) -> str:
    """The archive twin's `db_table`: `archive"."x` quotes to "archive"."x" on PostgreSQL."""
    if is_postgresql(vendor):
        return f'{SCHEMA}"."{live_table}'
    return f"{SCHEMA}_{live_table}"


def quoted(connection, live_table: str) -> str:
    return connection.ops.quote_name(archive_table(live_table, connection.vendor))


class _Column(models.Field):
    """A column of a given database type and nothing else: no default, no CHECK, no reference."""

    def __init__(self, *args, db_type_text: str, **kwargs):
        self.db_type_text = db_type_text
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["db_type_text"] = self.db_type_text
        return name, path, args, kwargs

    def db_type(self, connection):
        return self.db_type_text


def create_twin(schema_editor, live_model) -> None:
    """Creates the archive twin of `live_model` (a historical model in a migration) with the same
    column names and database types, in the same order, and its lookup index."""
    connection = schema_editor.connection
    live_table = live_model._meta.db_table
    # NULL or NOT NULL as the live column is in the database, which a state-only change can leave
    # different from the model (conversation_date is NOT NULL on PostgreSQL only).
    with connection.cursor() as cursor:
        null_ok = {c.name: c.null_ok for c in connection.introspection.get_table_description(cursor, live_table)}
    attrs = {"__module__": __name__}
    for field in live_model._meta.concrete_fields:
        attrs[field.attname] = _Column(
            db_type_text=field.db_type(connection),
            db_column=field.column,
            null=null_ok.get(field.column, field.null) and not field.primary_key,
            primary_key=field.primary_key,
        )

    class Meta:
        app_label = "archive"
        db_table = archive_table(live_table, connection.vendor)
        apps = Apps()

    attrs["Meta"] = Meta
    model = type(f"Twin_{live_table}", (models.Model,), attrs)
    schema_editor.create_model(model)
    column = INDEXED.get(live_table)
    if column:
        index = schema_editor.quote_name(f"archive_{live_table}_{column}"[:63])
        schema_editor.execute(
            f"CREATE INDEX {index} ON {quoted(connection, live_table)} ({schema_editor.quote_name(column)})"
        )


def drop_twin(schema_editor, live_model) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted(schema_editor.connection, live_model._meta.db_table)}")


def columns_of(connection, table: str, *, schema: str | None = None) -> dict[str, str]:
    """Column name → database type as the database reports it (information_schema on PostgreSQL,
    PRAGMA table_info on SQLite): what the drift test compares between a live table and its twin."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT column_name,
                       format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN c.is_nullable = 'NO' THEN ' not null' ELSE '' END
                  FROM information_schema.columns c
                  JOIN pg_attribute a
                    ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
                   AND a.attname = c.column_name
                 WHERE c.table_schema = %s AND c.table_name = %s
                """,
                [schema or "public", table],
            )
        else:
            name = f"{schema}_{table}" if schema else table
            cursor.execute(
                "SELECT name, type || CASE WHEN \"notnull\" THEN ' not null' ELSE '' END FROM pragma_table_info(%s)",
                [name],
            )
        return dict(cursor.fetchall())
