"""projects.0006 added `openings` and `openings_sf` to surfaces: the archive twin gets the same
columns and types, so an archived surface keeps the live row's shape (tests/archive/test_tables.py)."""

from django.db import migrations

from archive import tables

COLUMNS = ("openings", "openings_sf")


def _twin_columns(connection) -> set[str]:
    return set(tables.columns_of(connection, "surfaces", schema=tables.SCHEMA))


def add(apps, schema_editor):
    """Adds the columns the twin lacks: archive.0001 builds the twin from the live model as it
    stands when it runs, which on a fresh database may already be after projects.0006."""
    surface = apps.get_model("projects", "Surface")
    table = tables.quoted(schema_editor.connection, "surfaces")
    present = _twin_columns(schema_editor.connection)
    for name in COLUMNS:
        if name in present:
            continue
        field = surface._meta.get_field(name)
        column = schema_editor.quote_name(field.column)
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {field.db_type(schema_editor.connection)} NULL")


def remove(apps, schema_editor):
    table = tables.quoted(schema_editor.connection, "surfaces")
    for name in reversed(COLUMNS):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0005_conversation_date_not_null"),
        ("projects", "0006_surface_openings"),
    ]

    operations = [migrations.RunPython(add, remove, elidable=False)]
