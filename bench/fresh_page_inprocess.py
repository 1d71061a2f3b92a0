"""A fresh topic page's cost in-process: the WSGI application called in a loop, no HTTP.

    FOLKMOOT_DATA_DIR=$(mktemp -d) uv run folkmoot demo --setup-only   # then, with that dir:
    FOLKMOOT_DATA_DIR=... uv run python bench/fresh_page_inprocess.py [--as member] [--lang de]
        [--requests 500] [--profile 40] [--queries] [--dump FILE]

The page cache is off (FOLKMOOT_PAGE_CACHE_SECONDS=0): every request reads and renders the
page afresh. Prints the p50/p95 of CPU (process time) and wall time per request, and the
load average; --profile prints cProfile's top functions by own time, --queries the queries
of one request, --dump writes one response's HTML with its CSRF tokens and nonces blanked,
for comparing pages between two versions of the code.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time

os.environ["FOLKMOOT_PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")

READERS = {"anonymous": None, "member": "MarisolVega", "moderator": "admin"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--as", dest="reader", choices=[*READERS, "noguests"], default="anonymous")
    parser.add_argument("--lang", default="", help="the footer's language cookie (de, ar)")
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", type=int, default=0, help="show this many functions")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--dump", help="write one page's HTML here (tokens, nonces blanked)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from folkmoot.demo import SEED_TITLE
    from folkmoot.discussions.models import Topic
    from folkmoot.forums.models import Category
    from folkmoot.wsgi import application

    topic = Topic.objects.get(title=SEED_TITLE)
    guest_policy = topic.category.guest_policy
    if args.reader == "noguests":  # an anonymous reader where guests may not post
        Category.objects.filter(pk=topic.category_id).update(guest_policy=Category.GuestPolicy.NONE)
    cookies = {}
    if args.lang:
        cookies["language"] = args.lang
    username = READERS.get(args.reader)
    if username:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookies["sessionid"] = client.cookies["sessionid"].value
    cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    path = topic.get_absolute_url()

    def environ() -> dict:
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": f"page={args.page}",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_ACCEPT": "text/html",
            "HTTP_COOKIE": cookie_header,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def one() -> bytes:
        body = b"".join(application(environ(), start_response))
        assert statuses[-1].startswith("200"), statuses[-1]
        return body

    try:
        for _ in range(30):  # warm: templates compiled, patterns and frames cached
            body = one()
        if args.dump:
            html = body.decode()
            html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1-", html)
            html = re.sub(r'nonce="[^"]+"', 'nonce="-"', html)
            with open(args.dump, "w") as out:
                out.write(html)
        if args.queries:
            with CaptureQueriesContext(connection) as captured:
                one()
            for query in captured.captured_queries:
                print(query["sql"][:300])
            print(f"{len(captured.captured_queries)} queries")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                one()
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(args.profile)
            stats.sort_stats("cumulative").print_stats(args.profile * 2)
            return
        cpu, wall = [], []
        load = os.getloadavg()
        for _ in range(args.requests):
            started_cpu, started = time.process_time(), time.perf_counter()
            one()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)

        def p95(values):
            return statistics.quantiles(values, n=20)[-1]

        print(
            f"{args.reader} {args.lang or 'en'} page {args.page}: {args.requests} requests, "
            f"CPU p50 {statistics.median(cpu):.2f} / p95 {p95(cpu):.2f} ms, "
            f"wall p50 {statistics.median(wall):.2f} / p95 {p95(wall):.2f} ms, "
            f"{len(body)} bytes, load {load[0]:.2f} -> {os.getloadavg()[0]:.2f}"
        )
    finally:
        Category.objects.filter(pk=topic.category_id).update(guest_policy=guest_policy)


if __name__ == "__main__":
    main()
