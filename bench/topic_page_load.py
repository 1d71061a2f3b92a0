"""Throughput and latency of the seed topic page under `folkmoot serve`.

Sets up the demo content in a throwaway SQLite data dir (or the DATABASE_URL you give),
starts the production server with N workers on 127.0.0.1, then sends a bounded number of
anonymous GETs from a few client threads and prints requests/s and latency percentiles.

    uv run python bench/topic_page_load.py [--requests 2000] [--clients 8] [--workers 2]

Python clients share the machine's cores with the server, so when `wrk` is installed
(Debian's package) it also runs `wrk -t2 -c8 -d10s --latency` against the same page, which
measures the server rather than the client.
"""

import argparse
import shutil
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from running_forum import running_forum


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    with running_forum("serve", "--workers", str(args.workers), port=args.port) as forum:
        topic = forum.base_url + forum.seed_topic_path()

        def one_client(count: int) -> list[float]:
            timings = []
            with httpx.Client() as client:
                for _ in range(count):
                    start = time.perf_counter()
                    response = client.get(topic)
                    timings.append(time.perf_counter() - start)
                    assert response.status_code == 200
            return timings

        one_client(50)  # warm up
        per_client = args.requests // args.clients
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(pool.map(one_client, [per_client] * args.clients))
        elapsed = time.perf_counter() - started
        timings = sorted(t for result in results for t in result)
        quantiles = statistics.quantiles(timings, n=100)
        print(f"{len(timings)} GETs of the 25-post seed topic page, {args.clients} clients, "
              f"{args.workers} workers")  # fmt: skip
        print(f"  {len(timings) / elapsed:.0f} requests/s")
        print(f"  latency p50 {quantiles[49] * 1000:.1f} ms, p95 {quantiles[94] * 1000:.1f} ms, "
              f"p99 {quantiles[98] * 1000:.1f} ms")  # fmt: skip
        if shutil.which("wrk"):
            wrk = ["wrk", "-t2", "-c8", "-d10s", "--latency", topic]
            print(subprocess.run(wrk, capture_output=True, text=True, check=True).stdout)


if __name__ == "__main__":
    main()
