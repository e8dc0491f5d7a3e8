"""conversations.0007 made `conversation_log.conversation_date` NOT NULL on PostgreSQL (it is the
partition key, so in the primary key). Its archive twin follows, so an archived row has the live
row's shape (tests/archive/test_tables.py). On SQLite neither column changed."""

from django.db import migrations

from archive import tables


def _set(schema_editor, clause: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = tables.quoted(schema_editor.connection, "conversation_log")
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN conversation_date {clause}")


def not_null(apps, schema_editor):
    _set(schema_editor, "SET NOT NULL")


def nullable(apps, schema_editor):
    _set(schema_editor, "DROP NOT NULL")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_managers_unarchive"),
        ("conversations", "0007_partition_by_month"),
    ]

    operations = [migrations.RunPython(not_null, nullable, elidable=False)]
