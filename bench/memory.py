"""Memory of a running Folkmoot: `serve --workers 2` plus `worker`, on the demo data, after
10,000 and 50,000 requests (anonymous pages, mostly cache hits, and some fresh).

    uv run python bench/memory.py [--requests 50000] [--threads 8]

Uses DATABASE_URL and REDIS_URL as set (SQLite and files without them). Prints each process's
RSS and PSS (RSS counts pages shared between processes once per process; PSS shares them out,
so the PSS total is what the machine really spends) and the totals, with and without the live
server that `serve` starts beside the site.

Modules are loaded from compiled bytecode, as in a deployment (pip and `uv sync
--compile-bytecode` write it at install): compiling them at every start, which
PYTHONDONTWRITEBYTECODE would make each process do, costs ~13 MiB more a process.
"""

import argparse
import compileall
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from itertools import cycle
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from running_forum import FOLKMOOT  # noqa: E402

import folkmoot  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += descendants(int(child))
    return found


def kib(pid: int, field: str, path: str) -> int:
    for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def snapshot(roots: dict[str, int]) -> list[tuple[str, int, int, int]]:
    rows = []
    for role, root in roots.items():
        for pid in descendants(root):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").strip()
                rss = kib(pid, "VmRSS", "status")
                pss = kib(pid, "Pss", "smaps_rollup")
            except (FileNotFoundError, ProcessLookupError):
                continue  # a forked job that just ended
            name = "live" if "serve-live" in command else role
            rows.append((f"{name}: {command[-60:]}", pid, rss, pss))
    return rows


def report(label: str, rows) -> tuple[float, float, float, float]:
    print(f"\n{label}")
    for name, pid, rss, pss in rows:
        print(f"  {pid:>7}  RSS {rss / 1024:6.1f} MiB  PSS {pss / 1024:6.1f} MiB  {name}")
    rss_total = sum(row[2] for row in rows) / 1024
    pss_total = sum(row[3] for row in rows) / 1024
    print(f"  total    RSS {rss_total:6.1f} MiB  PSS {pss_total:6.1f} MiB")
    site = [row for row in rows if not row[0].startswith("live:")]
    site_rss, site_pss = sum(row[2] for row in site) / 1024, sum(row[3] for row in site) / 1024
    print(f"  without the live server: RSS {site_rss:6.1f} MiB  PSS {site_pss:6.1f} MiB")
    return rss_total, pss_total, site_rss, site_pss


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not come up")


RECONNECT_EVERY = 100


def drive(base_url: str, paths: list[str], count: int, threads: int) -> None:
    done = 0
    lock = threading.Lock()

    def run():
        nonlocal done
        client = httpx.Client(base_url=base_url, timeout=60)
        try:
            for sent, path in enumerate(cycle(paths)):
                with lock:
                    if done >= count:
                        return
                    done += 1
                # A new connection now and then: a kept-alive one stays with the worker that
                # took it, and 8 of them could leave the other worker idle all run long.
                if sent % RECONNECT_EVERY == RECONNECT_EVERY - 1:
                    client.close()
                    client = httpx.Client(base_url=base_url, timeout=60)
                client.get(path)
        finally:
            client.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="folkmoot-memory-"))
    env = {**os.environ, "FOLKMOOT_DATA_DIR": str(data_dir), "LOG_LEVEL": "warning"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for folder in {Path(folkmoot.__file__).parent, Path(httpx.__file__).parent.parent}:
        compileall.compile_dir(folder, quiet=1)  # Folkmoot, and the packages it runs on
    subprocess.run([*FOLKMOOT, "demo", "--setup-only"], env=env, check=True, capture_output=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # The live server's port too: the default (the site's + 1) may be taken.
    live_port = str(free_port())
    serve = [*FOLKMOOT, "serve", "--workers", "2", "--port", str(port), "--live-port", live_port]
    server = subprocess.Popen(serve, env=env)
    worker = subprocess.Popen([*FOLKMOOT, "worker"], env=env)
    try:
        wait_until_up(base_url + "/", server)
        # Topics are linked from the category pages (the index lists the categories).
        index = httpx.get(base_url + "/").text
        categories = sorted(set(part.split('"', 1)[0] for part in index.split('href="/c/')[1:]))
        topics = set()
        for category in categories:
            page = httpx.get(f"{base_url}/c/{category}").text
            topics |= set(part.split('"', 1)[0] for part in page.split('href="/t/')[1:])
        paths = ["/", "/c/1-world-news/"] + [f"/t/{topic}" for topic in sorted(topics)[:8]]
        if not topics:
            raise SystemExit("no topic links on the category pages")
        roots = {"serve": server.pid, "worker": worker.pid}
        print("cycling", ", ".join(paths))
        report("started", snapshot(roots))
        drive(base_url, paths, 10_000, args.threads)
        at_10k = report("after 10,000 requests", snapshot(roots))
        drive(base_url, paths, args.requests - 10_000, args.threads)
        at_end = report(f"after {args.requests:,} requests", snapshot(roots))
        growth = [100 * (end / start - 1) for start, end in zip(at_10k, at_end, strict=True)]
        print(
            f"\ngrowth from 10,000: RSS {growth[0]:+.1f} %, PSS {growth[1]:+.1f} % "
            f"(without the live server: RSS {growth[2]:+.1f} %, PSS {growth[3]:+.1f} %)"
        )
    finally:
        stop(server, worker)


if __name__ == "__main__":
    main()
