from django.core.management.base import BaseCommand

from folkmoot.discussions.services import rerender_posts


class Command(BaseCommand):
    help = "Re-render posts cooked by an older version of the Markdown renderer."

    def handle(self, *args, **options):
        changed = rerender_posts()
        self.stdout.write(f"Re-rendered {changed} post(s).")
