import uuid

from django.core.management.base import BaseCommand, CommandError

from archive import services


class Command(BaseCommand):
    help = "Brings one archived project back, every row as it was before `archive` moved it."

    def add_arguments(self, parser):
        parser.add_argument("project_id")

    def handle(self, *, project_id, **options):
        try:
            project_id = uuid.UUID(project_id)
        except ValueError:
            raise CommandError(f"{project_id!r} is not a project id.") from None
        try:
            moved = services.unarchive(project_id)
        except services.ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored project {project_id}: {moved}"))
