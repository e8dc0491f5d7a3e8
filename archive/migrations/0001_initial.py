"""The archive tables: on PostgreSQL the `archive` schema with twins of project_rooms, surfaces,
selected_products, quotes and conversation_log (same names, same columns and types); on SQLite
`archive_<table>` beside the live tables. Built from the live models as they stand at this point
of the migration history, so a column added to a live table later needs an archive migration too
(tests/archive/test_tables.py catches it)."""

from django.db import migrations

from archive import tables


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SCHEMA IF NOT EXISTS {tables.SCHEMA}")
    for app_label, model_name in tables.TWINS:
        tables.create_twin(schema_editor, apps.get_model(app_label, model_name))


def drop(apps, schema_editor):
    for app_label, model_name in reversed(tables.TWINS):
        tables.drop_twin(schema_editor, apps.get_model(app_label, model_name))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SCHEMA IF EXISTS {tables.SCHEMA}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_project_archived_at"),
        ("quotes", "0005_merge_lists_and_rules"),
        ("conversations", "0006_followup_totals"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
