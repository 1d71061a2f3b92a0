from django.core.management.base import BaseCommand

from folkmoot.notifications import tasks


class Command(BaseCommand):
    help = "Queue the daily or weekly notification digests (run it from cron or a timer)."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=sorted(tasks.DIGEST_PERIODS))

    def handle(self, *args, frequency: str, **options):
        count = tasks.send_digests.call(frequency)
        self.stdout.write(f"Queued {count} {frequency} digest(s).")
