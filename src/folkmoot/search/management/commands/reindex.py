"""`folkmoot manage reindex`: rebuild the search index from the posts, in batches, resumably.

Posts are read in id order, BATCH at a time; after each batch the last id done is saved, so a
run that is stopped (Ctrl-C, a crash, a deploy) continues from there next time. The index
stays searchable throughout: each batch replaces its own posts' entries. `--rebuild` first
recreates the engine's structures (after changing FOLKMOOT_SEARCH_LANGUAGE); `--restart`
ignores an unfinished run.
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from folkmoot.discussions.models import Post
from folkmoot.search import indexing
from folkmoot.search.backends import engine
from folkmoot.search.models import IndexedPost, ReindexProgress


def progress_bar(done: int, total: int, started: float) -> str:
    width = 30
    share = done / total if total else 1.0
    filled = int(width * share)
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0
    return (
        f"\r[{'#' * filled}{'.' * (width - filled)}] {share:6.1%} "
        f"{done:,}/{total:,} posts, {rate:,.0f}/s"
    )


class Command(BaseCommand):
    help = "Rebuild the full-text search index (resumable; safe while the site runs)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="posts per batch")
        parser.add_argument(
            "--rebuild", action="store_true", help="recreate the index structures first"
        )
        parser.add_argument(
            "--restart", action="store_true", help="start over, ignoring an unfinished run"
        )

    def handle(self, *args, batch: int, rebuild: bool, restart: bool, **options):
        run = ReindexProgress.objects.filter(finished_at__isnull=True).order_by("-pk").first()
        if run and not restart:
            self.stdout.write(f"Resuming the run started {run.started_at:%Y-%m-%d %H:%M} UTC.")
        else:
            ReindexProgress.objects.filter(finished_at__isnull=True).delete()
            run = ReindexProgress.objects.create(started_at=timezone.now())
        if rebuild:
            with transaction.atomic():
                engine().install(connection)
        posts = Post.objects.order_by("pk").values_list("pk", flat=True)
        total = Post.objects.count()
        done = Post.objects.filter(pk__lte=run.last_post_id).count()
        started = time.monotonic()
        interactive = sys.stdout.isatty()
        last_shown = 0.0
        while True:
            ids = list(posts.filter(pk__gt=run.last_post_id)[:batch])
            if not ids:
                break
            with transaction.atomic():
                indexing.write(ids)
                run.last_post_id = ids[-1]
                run.save(update_fields=["last_post_id"])
            done += len(ids)
            if interactive or time.monotonic() - last_shown > 5:
                self.stdout.write(progress_bar(done, total, started), ending="")
                self.stdout.flush()
                last_shown = time.monotonic()
        # Entries of posts that are gone entirely (deleted rows) have cascaded already.
        engine().optimize()
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        seconds = time.monotonic() - started
        self.stdout.write(progress_bar(done, total, started))
        self.stdout.write(
            f"Indexed {IndexedPost.objects.count():,} searchable posts of {total:,} "
            f"in {seconds:.1f} s."
        )
