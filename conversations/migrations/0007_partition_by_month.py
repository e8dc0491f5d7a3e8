import django.db.models.functions.datetime
import django.utils.timezone
from django.db import migrations, models

from conversations import followup_totals, partitions, reporting, triggers


def partition(apps, schema_editor):
    """PostgreSQL: conversation_log becomes a table partitioned by month of conversation_date, with
    its rows, a partition for every month that has rows, this month and the next twelve, and a
    DEFAULT partition. The materialized view built on it is dropped and rebuilt around the swap,
    and the table's triggers are installed again (they went with the old table)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {reporting.VIEW}")
        partitions.partition(cursor, partitions.CONVERSATION_LOG, today=django.utils.timezone.now().date())
    _after_swap(apps, schema_editor)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {reporting.VIEW}")
        partitions.unpartition(cursor, partitions.CONVERSATION_LOG, today=django.utils.timezone.now().date())
    _after_swap(apps, schema_editor)


def _after_swap(apps, schema_editor):
    triggers.install(schema_editor)
    followup_totals.install(schema_editor)  # the trigger, then every total recounted
    reporting.create_for_migration(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0006_followup_totals"),
    ]

    operations = [
        # The partition key is in the primary key on PostgreSQL, so never NULL there; the model says
        # so too, so a form or the admin refuses a missing date before the database does. SQLite's
        # column is left as it is (nothing writes NULL; its table is not partitioned).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="conversationlog",
                    name="conversation_date",
                    field=models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(partition, unpartition, elidable=False)],
        ),
    ]
