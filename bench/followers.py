"""A reply in a topic with 10,000 followers: what it costs the member who posts (against a
topic nobody follows), and how long until every follower has their notification and email.

    uv run python bench/followers.py [--followers 10000] [--replies 40]

In a throwaway data dir (SQLite; with DATABASE_URL set, a throwaway database beside it): the
demo content, a topic with --followers followers (each with an address, instant delivery on
the site and by email) and one with none. Then:

1. Reply latency: --replies replies to each topic, alternating, through the reply service in
   this process, each timed from the call to the end of its commit (after-commit work
   included). No worker runs: the fan-out waits as one task row.
2. Delivery: `folkmoot worker` runs beside this process, its SMTP server an aiosmtpd sink on
   127.0.0.1 that counts what it is given. One more reply, then the time until every follower
   has the notification (the fan-out task, in batches of 500), until the outbox has sent every
   email, and until the sink holds all of them.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
from tests.test_demo_e2e import throwaway_database_url  # noqa: E402


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Sink:
    """aiosmtpd's handler: counts the messages and their recipients."""

    def __init__(self):
        self.messages = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
        return "250 OK"


def wait_for(what: str, done, *, timeout: float, started: float) -> float:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--replies", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for delivery")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    data_dir = Path(tempfile.mkdtemp(prefix="folkmoot-bench-followers-"))
    with throwaway_database_url("folkmoot_bench_followers") as database_url:
        env = {
            **os.environ,
            "FOLKMOOT_DATA_DIR": str(data_dir),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "LOG_LEVEL": "error",
            "FOLKMOOT_PAGE_CACHE_SECONDS": "0",
        }
        env.pop("REDIS_URL", None)  # tasks in the database, the worker below runs them
        if database_url:
            env["DATABASE_URL"] = database_url
        subprocess.run(
            [sys.executable, "-m", "folkmoot.cli", "demo", "--setup-only"],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
        import django

        django.setup()
        try:
            run(args, env, sink)
        finally:
            from django.db import connections

            connections.close_all()
            controller.stop()


def run(args, env: dict, sink: Sink) -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from folkmoot.accounts.models import User
    from folkmoot.discussions import services
    from folkmoot.forums.models import Category
    from folkmoot.mail.models import OutboxEmail
    from folkmoot.notifications.models import Follow, Notification

    category = Category.objects.create(name="Bench followers")
    author = User.objects.create_user("bench-author", "bench-author@example.org", "x" * 16)
    followed = services.start_topic(
        category=category, author=author, title="Followed", body="Watch this.", enforce_limits=False
    )
    quiet = services.start_topic(
        category=category,
        author=author,
        title="Unfollowed",
        body="Nobody watches.",
        enforce_limits=False,
    )
    started = time.perf_counter()
    members = User.objects.bulk_create(
        [
            User(username=f"follower{n}", email=f"follower{n}@example.org", password="!")
            for n in range(args.followers)
        ],
        batch_size=1000,
    )
    if members[0].pk is None:  # backends that do not return ids from bulk inserts
        members = list(User.objects.filter(username__startswith="follower"))
    Follow.objects.bulk_create(
        [Follow(member=member, topic=followed) for member in members], batch_size=1000
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Database: {connection.vendor}; {len(members):,} followers set up in "
        f"{time.perf_counter() - started:.1f} s"
    )

    writer = User.objects.create_user("bench-writer", "bench-writer@example.org", "x" * 16)
    costs: dict[str, list[float]] = {"followed": [], "quiet": []}
    for n in range(args.replies + 1):
        for label, topic in (("followed", followed), ("quiet", quiet)):
            began = time.perf_counter()
            services.reply(
                topic=topic, author=writer, body=f"Reply {n} at {time.time()}", enforce_limits=False
            )
            if n:  # the first of each warms caches up
                costs[label].append((time.perf_counter() - began) * 1000)
    queued = DBTaskResult.objects.filter(status="READY").count()
    # Those fan-outs are not what phase 2 measures: one reply, delivered from nothing queued.
    DBTaskResult.objects.all().delete()
    print(f"\n{args.replies} replies each, {queued} task rows queued meanwhile (dropped)\n")
    print("| reply (service call to commit) | p50 ms | p95 ms | mean ms |")
    print("| --- | ---: | ---: | ---: |")
    for label, name in (("quiet", "topic with no follower"), ("followed", "topic with followers")):
        samples = costs[label]
        print(
            f"| {name} | {statistics.median(samples):.1f} | "
            f"{percentile(samples, 0.95):.1f} | {statistics.mean(samples):.1f} |"
        )
    ratio = statistics.median(costs["followed"]) / statistics.median(costs["quiet"])
    print(f"\nfollowed / unfollowed, p50: {ratio:.2f}")

    worker = subprocess.Popen(
        [sys.executable, "-m", "folkmoot.cli", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(5)  # the worker starts up (Django, its fetch worker) and polls an empty queue
        connection.close()
        started = time.perf_counter()
        post = services.reply(
            topic=followed, author=writer, body="Ring the bells.", enforce_limits=False
        )
        everyone = len(members)

        def notified() -> bool:
            return Notification.objects.filter(post=post).count() >= everyone

        def sent() -> bool:
            return OutboxEmail.objects.filter(sent_at__isnull=False).count() >= everyone

        told = wait_for("notifications", notified, timeout=args.timeout, started=started)
        mailed = wait_for("the outbox", sent, timeout=args.timeout, started=started)
        received = wait_for(
            "the sink", lambda: sink.messages >= everyone, timeout=60, started=started
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    failed = OutboxEmail.objects.filter(sent_at__isnull=True).count()
    print(f"\nDelivery of one reply to {everyone:,} followers (`folkmoot worker`, one process):\n")
    print("| until | seconds | per follower |")
    print("| --- | ---: | ---: |")
    for label, seconds in (
        ("every follower has the notification (fan-out)", told),
        ("the outbox has sent every email", mailed),
        ("the SMTP sink holds every email", received),
    ):
        print(f"| {label} | {seconds:.1f} | {seconds / everyone * 1000:.2f} ms |")
    print(f"\nemails not sent: {failed}; messages in the sink: {sink.messages:,}")


if __name__ == "__main__":
    main()
