import os

from django.core.management.base import BaseCommand, CommandError

from aos_crm.demo.loader import load_demo_data
from aos_crm.demo.users import DEFAULT_PASSWORD, DEMO_USERS
from conversations import reporting


class Command(BaseCommand):
    help = (
        "Load the demo catalog, demo logins and twelve weeks of invented sales-floor activity. "
        "Safe to run again: nothing changes the second time. The password comes from DEMO_PASSWORD "
        f'(default "{DEFAULT_PASSWORD}").'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the demo users' password again even if they already exist.",
        )
        parser.add_argument(
            "--flush-activity",
            action="store_true",
            help=(
                "Delete ALL customers, projects, rooms, surfaces, selections, conversations and quotes, "
                "then generate the demo activity again. Meant for demo databases only."
            ),
        )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        try:
            report = load_demo_data(
                password=password,
                reset_passwords=options["reset_passwords"],
                flush_activity=options["flush_activity"],
            )
        except LookupError as error:
            raise CommandError(str(error)) from error
        for line in report.lines:
            self.stdout.write(line)
        if reporting.uses_view():
            refreshed = reporting.refresh()
            self.stdout.write(f"Reporting view refreshed in {refreshed.seconds:.2f} s ({refreshed.rows} rows).")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {report.seconds:.1f} s."))
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<11} {user.first_name} {user.last_name} ({user.group})")
        self.stdout.write(f"Password for new (or --reset-passwords) demo users: {password}")
