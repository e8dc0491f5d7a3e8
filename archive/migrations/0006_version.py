"""The live rooms, surfaces, selections and quotes gained `version` (optimistic concurrency,
aos_crm.concurrency): their archive twins follow, so an archived row keeps the live row's shape
and comes back with its version (tests/archive/test_tables.py). Rows archived before this get 1.
Like every twin column it has no default once added (archive/tables.py); on SQLite, which cannot
drop a default, it keeps one."""

from django.db import migrations

from archive import tables

TABLES = ("project_rooms", "surfaces", "selected_products", "quotes")


def _twin_columns(connection, table) -> dict:
    if connection.vendor == "postgresql":
        return tables.columns_of(connection, table, schema=tables.SCHEMA)
    return tables.columns_of(connection, f"{tables.SCHEMA}_{table}")


def add(apps, schema_editor):
    connection = schema_editor.connection
    for table in TABLES:
        # archive.0001 builds the twins from the models at its place in the plan: when the live
        # `version` migrations ran before it, the twin has the column already.
        if "version" in _twin_columns(connection, table):
            continue
        twin = tables.quoted(connection, table)
        schema_editor.execute(f"ALTER TABLE {twin} ADD COLUMN version integer NOT NULL DEFAULT 1")
        if connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {twin} ALTER COLUMN version DROP DEFAULT")


def drop(apps, schema_editor):
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {tables.quoted(schema_editor.connection, table)} DROP COLUMN version")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0005_conversation_date_not_null"),
        ("projects", "0007_version"),
        ("quotes", "0008_version"),
    ]

    operations = [migrations.RunPython(add, drop, elidable=False)]
