"""Refresh the score review's materialized view (PostgreSQL), concurrently: managers keep reading
while it runs. Safe to run every few minutes from cron (see the README)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from conversations import reporting


class Command(BaseCommand):
    help = "Refresh the AOS score review's materialized view concurrently and print how long it took."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The reporting view exists on PostgreSQL only; on this database the score review reads live."
            )
        result = reporting.refresh()
        refreshed = reporting.last_refresh()
        action = "Built" if result.rebuilt else "Refreshed"
        self.stdout.write(
            f"{action} {reporting.VIEW} in {result.seconds:.2f} s: {result.rows} associate-days, "
            f"whole days up to {refreshed.covered_day:%Y-%m-%d} (store time); later rows are read live."
        )
