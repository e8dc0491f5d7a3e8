from django.db import migrations, models
from django.utils import timezone

from conversations import partitions
from quotes import rules


def partition(apps, schema_editor):
    """PostgreSQL: quotes becomes a table partitioned by month of quote_date, with its rows, a
    partition for every month that has quotes, this month and the next twelve, and a DEFAULT
    partition. The primary key becomes (quote_id, quote_date) and quote_number's unique constraint
    (quote_number, quote_date). Neither the seed's quote_number UNIQUE nor the partial unique index
    quotes_one_accepted_per_project can stay global on a partitioned table: both rules move to
    small key tables kept by triggers, quote_numbers and project_accepted_quote (quotes.rules)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        partitions.partition(cursor, partitions.QUOTES, today=timezone.now().date())
    rules.install(schema_editor)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    rules.uninstall(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        partitions.unpartition(cursor, partitions.QUOTES, today=timezone.now().date())
        cursor.execute(
            f"CREATE UNIQUE INDEX {rules.ACCEPTED.name} ON quotes (project_id) WHERE quote_status = 'accepted'"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0005_merge_lists_and_rules"),
        ("conversations", "0007_partition_by_month"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectAcceptedQuote",
            fields=[
                ("project_id", models.UUIDField(primary_key=True, serialize=False)),
                ("quote_id", models.UUIDField()),
                ("quote_date", models.DateField()),
            ],
            options={
                "verbose_name": "project's accepted quote",
                "db_table": "project_accepted_quote",
            },
        ),
        migrations.CreateModel(
            name="QuoteNumber",
            fields=[
                ("quote_number", models.CharField(max_length=50, primary_key=True, serialize=False)),
                ("quote_id", models.UUIDField()),
                ("quote_date", models.DateField()),
            ],
            options={
                "verbose_name": "quote number",
                "db_table": "quote_numbers",
            },
        ),
        migrations.RunPython(partition, unpartition, elidable=False),
    ]
