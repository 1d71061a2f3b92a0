"""One anonymous page-cache hit through the WSGI application `folkmoot serve` runs, in-process.

Calls `folkmoot.wsgi.application` (cached pages answered before Django's handler,
page_cache.CachedPagesFirst) and, for comparison, Django's own handler under it
(`folkmoot.wsgi.django_application`, where PageCacheMiddleware serves the hit), on the demo's
seed topic page, plain and gzipped, N times each after a warm-up; prints microseconds a hit
(wall, p50 of 5 batches). Uses the demo data in a throwaway data dir, files for the page cache,
or Redis with --redis (the hits then read the versions kept in the process by client tracking).

    uv run python bench/page_hit_wsgi.py [--hits 3000] [--redis redis://127.0.0.1:6379/7]
"""

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=3000)
    parser.add_argument("--redis", default="")
    args = parser.parse_args()
    os.environ["FOLKMOOT_DATA_DIR"] = tempfile.mkdtemp(prefix="folkmoot-wsgi-hit-")
    os.environ.pop("REDIS_URL", None)
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    cli = [sys.executable, "-m", "folkmoot.cli"]
    subprocess.run([*cli, "demo", "--setup-only"], check=True, capture_output=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    from folkmoot.wsgi import application, django_application

    def get(app, path: str, *, gzip: bool) -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        if gzip:
            environ["HTTP_ACCEPT_ENCODING"] = "gzip"
        started = []
        chunks = app(environ, lambda status, headers, exc_info=None: started.append(status))
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return started[0], body

    _, category = get(application, "/c/1-world-news/", gzip=False)
    page = re.search(rb'href="(/t/\d+-[-\w]+/)"', category)[1].decode()
    get(application, page, gzip=False)  # rendered and stored
    for name, app in (("before Django", application), ("in Django's handler", django_application)):
        for gzip in (False, True):
            status, body = get(app, page, gzip=gzip)
            assert status == "200 OK", status
            batches = []
            for _ in range(5):
                started = time.perf_counter()
                for _ in range(args.hits // 5):
                    get(app, page, gzip=gzip)
                batches.append((time.perf_counter() - started) / (args.hits // 5) * 1e6)
            encoding = "gzip" if gzip else "plain"
            print(
                f"{'Redis' if args.redis else 'files'} {name:20} {encoding:5} {len(body):7,} B "
                f"{statistics.median(batches):6.1f} us a hit"
            )


if __name__ == "__main__":
    main()
