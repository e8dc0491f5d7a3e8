"""Keep a year of monthly partitions ahead for conversation_log and quotes (PostgreSQL), give the
rows waiting in DEFAULT partitions of their own months, and say which partitions exist.
Idempotent: run it monthly from cron (see the README)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from conversations import partitions


class Command(BaseCommand):
    help = (
        "Create the missing monthly partitions of conversation_log and quotes for this month, the next N "
        "and every month with rows in the DEFAULT partition (moving those rows into them), and list the "
        "partitions present."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=partitions.MONTHS_AHEAD,
            help=f"how many months ahead of this one (default {partitions.MONTHS_AHEAD})",
        )

    def handle(self, *args, months, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Partitions are a PostgreSQL feature: on this database the tables are not partitioned.")
            return
        if months < 0:
            raise CommandError("--months cannot be negative.")
        wanted = partitions.months_ahead(timezone.now().date(), months)
        for table in partitions.TABLES:
            with transaction.atomic(), connection.cursor() as cursor:
                if not partitions.is_partitioned(cursor, table):
                    raise CommandError(f"{table.name} is not partitioned: run `manage.py migrate` first.")
                waiting = partitions.months_waiting_in_default(cursor, table)
                for made in partitions.ensure_months(cursor, table, [*wanted, *waiting]):
                    moved = f", {made.moved} row(s) moved out of DEFAULT" if made.moved else ""
                    self.stdout.write(f"Created {made.partition}{moved}")
                present = partitions.partitions(cursor, table)
            self.stdout.write(f"{table.name}: {len(present)} partitions")
            for partition in present:
                self.stdout.write(f"  {partition.name:<28} {partition.bounds:<70} ~{partition.rows} rows")
