"""Topic page requests/s with 0 and N idle live connections, and memory per idle connection.

Runs `folkmoot serve` (Granian WSGI for the site, the live server beside it on the next
port) on the demo content, measures the seed topic page with wrk (Debian's package), then
opens N Server-Sent Events streams on the live server (one asyncio client, raw sockets, kept
open and idle), measures the page again and reads the live worker's resident memory before
and after. The machine is shared, so each wrk run is repeated and the best kept.

    uv run python bench/live_idle_connections.py [--connections 1000] [--workers 2]
"""

import argparse
import asyncio
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
from running_forum import running_forum


def wrk_requests_per_second(url: str, *, seconds: int, runs: int) -> float:
    best = 0.0
    for _ in range(runs):
        output = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True
        ).stdout
        best = max(best, float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]))
    return best


def live_worker_pid(live_port: int) -> int:
    """The process holding the live server's listening socket's accepted connections: the
    Granian worker, child of the `serve-live` process."""
    parents = [
        int(line.split()[0])
        for line in subprocess.run(
            ["ps", "-eo", "pid,args"], capture_output=True, text=True
        ).stdout.splitlines()
        if f"serve-live --host 127.0.0.1 --port {live_port}" in line
    ]
    for pid in parents:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if children:
            return int(children[0])
    raise SystemExit("live worker not found")


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1])


class IdleStreams:
    """N open GETs of a topic's stream, read and otherwise left alone, on a loop of its own."""

    def __init__(self, host: str, port: int, path: str, count: int):
        self.host, self.port, self.path, self.count = host, port, path, count
        self.opened = 0
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.stop = None
        threading.Thread(
            target=self.loop.run_until_complete, args=(self._main(),), daemon=True
        ).start()

    async def _one(self, opening: asyncio.Semaphore) -> None:
        async with opening:  # a few at a time, at a pace the accept queue takes
            reader, writer = await asyncio.open_connection(self.host, self.port)
            request = f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            writer.write((request + "Accept: text/event-stream\r\n\r\n").encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            assert b" 200 " in head.split(b"\r\n", 1)[0], head
            await reader.readuntil(b"\n\n")  # "retry:": the stream is open
        self.opened += 1
        if self.opened == self.count:
            self.ready.set()
        await self.stop.wait()
        writer.close()

    async def _main(self) -> None:
        self.stop = asyncio.Event()
        opening = asyncio.Semaphore(50)
        await asyncio.gather(*(self._one(opening) for _ in range(self.count)))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    live_port = args.port + 1
    with running_forum("serve", "--workers", str(args.workers), port=args.port) as forum:
        deadline = time.monotonic() + 600
        while True:  # a busy machine takes minutes to start both servers
            try:
                if httpx.get(f"http://127.0.0.1:{live_port}/live/", timeout=5).status_code == 404:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the live server did not start")
            time.sleep(1)
        while True:
            try:
                topic_path = forum.seed_topic_path()
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
        topic_id = int(re.search(r"/t/(\d+)-", topic_path)[1])
        url = forum.base_url + topic_path
        wrk_requests_per_second(url, seconds=3, runs=1)  # warm up
        pid = live_worker_pid(live_port)
        before_kib = rss_kib(pid)
        idle_rps = wrk_requests_per_second(url, seconds=args.seconds, runs=args.runs)

        streams = IdleStreams("127.0.0.1", live_port, f"/live/t/{topic_id}/", args.connections)
        if not streams.ready.wait(600):
            raise SystemExit(f"only {streams.opened} streams opened")
        time.sleep(2)
        with_streams_kib = rss_kib(pid)
        busy_rps = wrk_requests_per_second(url, seconds=args.seconds, runs=args.runs)
        still_open = streams.opened
        streams.close()

    per_connection = (with_streams_kib - before_kib) * 1024 / args.connections
    print(f"topic page, 0 live connections:     {idle_rps:8.0f} requests/s (best of {args.runs})")
    print(
        f"topic page, {args.connections} live connections: {busy_rps:8.0f} requests/s "
        f"({busy_rps / idle_rps:.0%})"
    )
    print(
        f"live worker RSS: {before_kib / 1024:.1f} MiB → {with_streams_kib / 1024:.1f} MiB "
        f"with {still_open} streams: {per_connection / 1024:.1f} KiB per idle connection"
    )


if __name__ == "__main__":
    main()
