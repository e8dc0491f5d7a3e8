from django.core.management.base import BaseCommand

from quotes.services import expire_past_quotes


class Command(BaseCommand):
    help = "Mark draft and sent quotes past their expiration date as expired (run nightly from cron)."

    def handle(self, *args, **options):
        count = expire_past_quotes()
        self.stdout.write(f"{count} quote(s) marked expired.")
