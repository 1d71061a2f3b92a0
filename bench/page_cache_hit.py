"""The cost of one anonymous page-cache hit, in-process, per cache backend.

Times `page_cache.cached_or_rendered` serving a stored 48 KB page (the seed topic's size) to
an anonymous request, with no HTTP and no middleware, so the machine's load disturbs it less
than a load test. "before" replays the previous scheme (one site-wide version: GET the
version, then GET the page under it); "after" is the current code (versions and page in one
get_many: one MGET on Redis).

    uv run python bench/page_cache_hit.py [--hits 3000] [--redis redis://127.0.0.1:6379/7]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=3000)
    parser.add_argument("--redis", default="")
    args = parser.parse_args()
    os.environ["FOLKMOOT_DATA_DIR"] = tempfile.mkdtemp(prefix="folkmoot-hit-")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.module_loading import import_string

    from folkmoot.discussions import page_cache
    from folkmoot.settings import redis_caches

    backends = {
        "local memory (per process)": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "files (shared, the default)": settings.CACHES["pages"],
    }
    if args.redis:
        prefix = {"KEY_PREFIX": f"hitbench{os.getpid()}"}
        backends["redis"] = {**redis_caches(args.redis)["default"], **prefix}
    page = b"<p>" + b"x" * 48_000 + b"</p>"
    request = RequestFactory().get("/t/1-a-topic/", HTTP_HOST=settings.ALLOWED_HOSTS[0])
    request.user = AnonymousUser()

    def render():
        return page_cache.mark_canonical(HttpResponse(page), page_number=1)

    with open("/proc/loadavg") as loadavg:
        print(f"load average {loadavg.read().split()[:3]}, {args.hits} hits each")
    for name, backend in backends.items():
        cache = import_string(backend["BACKEND"])(backend.get("LOCATION", ""), backend)
        page_cache.pages_cache = lambda cache=cache: cache
        cache.clear()

        def before(cache=cache):  # the previous scheme: the site's version, then the page under it
            key = page_cache._page_key(request)  # the same checks of the request
            version = cache.get("content-version", 0)
            content = cache.get(f"{version}:{key}")
            if content is None:
                cache.set(f"{version}:{key}", page, 300)
                content = page
            return HttpResponse(content)

        def after():
            return page_cache.cached_or_rendered(request, render, scope=page_cache.topic_scope(1))

        for label, hit in (("before", before), ("after", after)):
            hit()  # stores the page
            timings = []
            for _ in range(args.hits):
                started = time.perf_counter()
                response = hit()
                timings.append(time.perf_counter() - started)
                assert response.content == page
            q = statistics.quantiles(timings, n=100)
            print(f"  {name:28} {label:6}  p50 {q[49] * 1e6:6.0f} µs  p95 {q[94] * 1e6:6.0f} µs")
        cache.clear()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
