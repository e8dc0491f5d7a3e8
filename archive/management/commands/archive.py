from django.core.management.base import BaseCommand, CommandError

from archive import services


class Command(BaseCommand):
    help = (
        "Moves completed or cancelled projects with no activity since the cut-off (their rooms, "
        "surfaces, selections and quotes, and their conversations' notes) to the archive tables, "
        "in batches of at most 1,000 projects, one transaction each. Safe to interrupt and re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", required=True, help="e.g. 2y, 18m or 730d")
        parser.add_argument("--batch-size", type=int, default=services.MAX_BATCH)
        parser.add_argument("--dry-run", action="store_true", help="count what would move; change nothing")

    def handle(self, *, older_than, batch_size, dry_run, **options):
        try:
            cutoff = services.cutoff_for(older_than)
        except services.ArchiveError as error:
            raise CommandError(str(error)) from None
        verb = "would move" if dry_run else "moved"
        self.stdout.write(f"Archiving projects with no activity since {cutoff:%Y-%m-%d %H:%M %Z}.")

        def report(number, moved):
            self.stdout.write(f"batch {number}: {verb} {moved}")

        try:
            total = services.archive(cutoff=cutoff, batch_size=batch_size, dry_run=dry_run, report=report)
        except services.ArchiveError as error:
            raise CommandError(str(error)) from None
        prefix = "Dry run, nothing changed. Total" if dry_run else "Total"
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {verb} {total}"))
