"""A cached anonymous topic page against a static file of about its size, same server.

Issue 13's target: under `folkmoot serve --workers 2`, a page-cache hit (the 25-post seed
topic page, ~48 KB) reaches at least 0.8 x the requests/s of a static file served by the same
stack (WhiteNoise: site.css, ~44 KB). Runs the forum on SQLite without Redis (the pages in
files under FOLKMOOT_DATA_DIR/page-cache) and, with --redis, again with REDIS_URL, and for
each alternates `wrk -t2 -c8 -d10s` between the static file and the page (static, page,
static, page ...) so that whatever else the machine is doing falls on both. Each round's
ratio is page / static of that round; rounds run with and without `Accept-Encoding: gzip`
(wrk sends none by default; browsers always do).

    uv run python bench/cached_vs_static.py [--rounds 3] [--seconds 10]
        [--redis redis://127.0.0.1:6379/12]
"""

import argparse
import contextlib
import os
import re
import statistics
import subprocess

import httpx
from running_forum import running_forum

GZIP = "Accept-Encoding: gzip"


def loadavg() -> str:
    with open("/proc/loadavg") as file:
        return " / ".join(file.read().split()[:3])


def wrk(url: str, *, seconds: int, gzip: bool) -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", url]
    if gzip:
        command[1:1] = ["-H", GZIP]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])


@contextlib.contextmanager
def environment(**values: str):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def describe(client: httpx.Client, url: str, headers: dict) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    encoding = response.headers.get("Content-Encoding", "identity")
    return f"{response.num_bytes_downloaded:,} B {encoding}"


def measure(name: str, *, rounds: int, seconds: int, port: int) -> list[str]:
    lines = []
    with running_forum("serve", "--workers", "2", port=port) as forum:
        page = forum.base_url + forum.seed_topic_path()
        static = forum.base_url + "/static/folkmoot/site.css"
        with httpx.Client() as client:
            for _ in range(3):  # the page is now in the cache, and both processes have run
                describe(client, page, {})
            for gzip in (False, True):
                headers = {"Accept-Encoding": "gzip"} if gzip else {"Accept-Encoding": ""}
                sizes = f"page {describe(client, page, headers)}, "
                sizes += f"static {describe(client, static, headers)}"
                ratios, statics, pages = [], [], []
                before = loadavg()
                for _ in range(rounds):
                    statics.append(wrk(static, seconds=seconds, gzip=gzip))
                    pages.append(wrk(page, seconds=seconds, gzip=gzip))
                    ratios.append(pages[-1] / statics[-1])
                lines.append(
                    f"{name}, {'gzip' if gzip else 'identity'} ({sizes}); "
                    f"load average {before} -> {loadavg()}\n"
                    f"  static req/s {', '.join(f'{s:,.0f}' for s in statics)}\n"
                    f"  page   req/s {', '.join(f'{p:,.0f}' for p in pages)}\n"
                    f"  page/static  {', '.join(f'{r:.2f}' for r in ratios)}"
                    f"  (median {statistics.median(ratios):.2f})"
                )
                print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--redis", default="", help="also run with this REDIS_URL")
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()
    os.environ.pop("REDIS_URL", None)
    options = {"rounds": args.rounds, "seconds": args.seconds, "port": args.port}
    lines = measure("files (no Redis)", **options)
    if args.redis:
        with environment(
            REDIS_URL=args.redis,
            FOLKMOOT_CACHE_PREFIX=f"cachedvsstatic{os.getpid()}",
            # The demo's setup queues tasks; no RQ worker runs here.
            FOLKMOOT_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        ):
            lines += measure("Redis", **options)
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
