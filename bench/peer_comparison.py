"""Folkmoot against django-spirit: the same 25-post topic page, the same server, one run.

Sets up Spirit in a venv and project of its own (bench/peers/spirit.sh: SQLite, the demo's
seed topic loaded through Spirit's forms, 25 comments a page), starts it and Folkmoot (demo
data, SQLite, `folkmoot serve --workers 2`, page cache off so every page is rendered fresh;
both on Granian WSGI with 2 workers), checks that each serves its topic page with the 25
posts, then runs `wrk` in interleaved rounds (Folkmoot, Spirit, Folkmoot, Spirit, ...) as an
anonymous reader and as a signed-in member (the session cookie passed to wrk with -H), and
with --cached also against a second Folkmoot with its anonymous page cache on (the default).
Prints requests/s, p50/p99 latency and the servers' CPU time per request (user + system of
Granian's processes, from /proc: what a page costs, which a loaded machine disturbs far less
than throughput) for every run, then medians, per-round ratios and spread.

    uv run python bench/peer_comparison.py [--rounds 3] [--duration 10s] [--cached] [--no-setup]

The machine's load moves both forums' numbers; the per-round ratios of adjacent runs are what
to compare across runs. Results: BENCHMARKS.md, "Against django-spirit".
"""

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import httpx
from running_forum import FOLKMOOT, RunningForum, running_forum

BENCH = Path(__file__).resolve().parent
SPIRIT_SH = BENCH / "peers" / "spirit.sh"
SPIRIT_TOPIC = "/topic/1/islamic-state-kills-700-alawite-syrian-soldiers/"
READER = "MarisolVega"  # a member of both forums' seed topic, not staff
READER_PASSWORD = "bench-reader-password"  # noqa: S105 (bench/peers/load_spirit.py's)
POSTS_ON_PAGE = 25
HTTP_TIMEOUT = 60  # seconds: a sign-in hashes a password, slow on a loaded machine
# A post on each forum's topic page, counted to check that both show all 25.
POST_MARKERS = {"folkmoot": '<article class="post"', "spirit": 'class="comment__text js-comment'}
# Texts from the seed topic's page 1 that both must show (rendered, so kept free of markup).
SEED_TEXTS = ("Shaer is one of the largest gas fields", "State media staying silent")


@dataclass
class Target:
    name: str
    url: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class WrkRun:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    cpu_ms_per_request: float
    errors: str
    load: str


def server_pids(port: int) -> list[int]:
    """The server's processes (Granian's main process and its workers: all are started with
    `--port PORT`)."""
    pids = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit():
                args = (entry / "cmdline").read_bytes().split(b"\0")
                if any(a == b"--port" and b == str(port).encode() for a, b in pairwise(args)):
                    pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes used so far: what a request cost the server, whatever
    else the machine's cores were busy with (its wall time is not)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            # Fields after the command's closing parenthesis; utime and stime are 14 and 15.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=HTTP_TIMEOUT).status_code == 200:
                return
        time.sleep(0.2)
    sys.exit(f"{url} did not answer 200 within {seconds:.0f} s")


@contextlib.contextmanager
def running_spirit(port: int, setup: bool):
    if setup:
        subprocess.run([str(SPIRIT_SH), "setup"], check=True)
    server = subprocess.Popen([str(SPIRIT_SH), "serve", str(port)])
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(base_url + SPIRIT_TOPIC)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)


def seed_topic_url(forum: RunningForum) -> str:
    """RunningForum.seed_topic_path with a timeout a loaded machine does not hit."""
    category = httpx.get(forum.base_url + "/c/1-world-news/", timeout=HTTP_TIMEOUT).text
    return forum.base_url + re.search(r'href="(/t/\d+-[-\w]+/)"', category)[1]


def give_folkmoot_reader_a_password(forum: RunningForum) -> None:
    """The demo's members have no password: give one the bench's, with a verified address
    (sign-in requires it)."""
    code = (
        "from allauth.account.models import EmailAddress;"
        "from folkmoot.accounts.models import User;"
        f"u = User.objects.get(username={READER!r}); u.set_password({READER_PASSWORD!r});"
        "u.save(); EmailAddress.objects.update_or_create(user=u, email=u.email,"
        " defaults={'verified': True, 'primary': True})"
    )
    env = {**os.environ, "FOLKMOOT_DATA_DIR": str(forum.data_dir)}
    subprocess.run(
        [*FOLKMOOT, "manage", "shell", "-c", code], env=env, check=True, capture_output=True
    )


def signed_in_cookies(login_url: str, fields: dict[str, str]) -> dict[str, str]:
    """Sign in through the forum's own form, as a browser does; the cookies it set."""
    with httpx.Client(timeout=HTTP_TIMEOUT) as client:
        form = client.get(login_url).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        response = client.post(
            login_url,
            data={"csrfmiddlewaretoken": token, **fields},
            headers={"Referer": login_url},
        )
        assert response.status_code == 302, f"sign-in at {login_url}: {response.status_code}"
        return dict(client.cookies)


def check_page(target: Target, signed_in: bool) -> int:
    """The page answers 200 with the 25 posts, signed in or not as meant; DEBUG is off."""
    response = httpx.get(target.url, cookies=target.cookies, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, f"{target.name}: {response.status_code}"
    page = response.text
    posts = page.count(POST_MARKERS[target.name])
    assert posts == POSTS_ON_PAGE, f"{target.name}: {posts} posts on the page"
    for text in SEED_TEXTS:
        assert text in page, f"{target.name}: {text!r} missing"
    assert ("/logout/" in page) == signed_in, f"{target.name}: signed in is not {signed_in}"
    missing = httpx.get(target.url.rstrip("/") + "-no-such-page/x/", timeout=HTTP_TIMEOUT)
    assert missing.status_code == 404 and "DEBUG = True" not in missing.text, target.name
    return len(response.content)


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(command: list[str], port: int) -> WrkRun:
    load = load_average()
    pids = server_pids(port)
    cpu_before = cpu_seconds(pids)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pids) - cpu_before
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    assert set(latency) == {"50", "99"}, output
    errors = re.findall(r"Socket errors: .*|Non-2xx or 3xx responses: \d+", output)
    requests = int(re.search(r"(\d+) requests in", output)[1])
    return WrkRun(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        p50_ms=to_ms(latency["50"]),
        p99_ms=to_ms(latency["99"]),
        requests=requests,
        cpu_ms_per_request=cpu * 1000 / requests,
        errors="; ".join(errors),
        load=load,
    )


def wrk_command(target: Target, args: argparse.Namespace, duration: str) -> list[str]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}"]
    command += ["--timeout", "10s", "--latency"]
    if target.cookies:
        cookie = "; ".join(f"{name}={value}" for name, value in target.cookies.items())
        command += ["-H", f"Cookie: {cookie}"]
    return [*command, target.url]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--folkmoot-port", type=int, default=8866)
    parser.add_argument("--spirit-port", type=int, default=8876)
    parser.add_argument("--cached-port", type=int, default=8886)
    parser.add_argument(
        "--cached", action="store_true", help="also Folkmoot with its page cache on (the default)"
    )
    parser.add_argument("--no-setup", action="store_true", help="Spirit is already set up")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian's package)")

    with contextlib.ExitStack() as running:
        spirit_url = running.enter_context(
            running_spirit(args.spirit_port, setup=not args.no_setup)
        )
        os.environ["FOLKMOOT_PAGE_CACHE_SECONDS"] = "0"  # every page rendered fresh
        serve = ("serve", "--workers", "2")
        forum = running.enter_context(running_forum(*serve, port=args.folkmoot_port))
        del os.environ["FOLKMOOT_PAGE_CACHE_SECONDS"]
        if args.cached:  # a second Folkmoot as it ships: anonymous pages from its cache
            cached = running.enter_context(running_forum(*serve, port=args.cached_port))
        give_folkmoot_reader_a_password(forum)
        folkmoot_topic = seed_topic_url(forum)
        spirit_topic = spirit_url + SPIRIT_TOPIC
        folkmoot_member = signed_in_cookies(
            forum.base_url + "/accounts/login/", {"login": READER, "password": READER_PASSWORD}
        )
        spirit_member = signed_in_cookies(
            spirit_url + "/user/login/", {"username": READER, "password": READER_PASSWORD}
        )
        scenarios = {
            "anonymous": [
                Target("folkmoot", folkmoot_topic, args.folkmoot_port),
                Target("spirit", spirit_topic, args.spirit_port),
            ],
            # Page 1 by its number: Folkmoot's plain address takes a member on to their first
            # unread post (page 2 here), with a redirect.
            "signed-in": [
                Target("folkmoot", folkmoot_topic + "?page=1", args.folkmoot_port, folkmoot_member),
                Target("spirit", spirit_topic + "?page=1", args.spirit_port, spirit_member),
            ],
        }
        if args.cached:
            scenarios["cached"] = [
                Target("folkmoot", seed_topic_url(cached), args.cached_port),
                Target("spirit", spirit_topic, args.spirit_port),
            ]
        for scenario, targets in scenarios.items():
            for target in targets:
                size = check_page(target, signed_in=scenario == "signed-in")
                processes = len(server_pids(target.port))
                print(
                    f"{scenario} {target.name}: 200, {POSTS_ON_PAGE} posts, {size} bytes, "
                    f"{processes} server processes (Granian's main and 2 workers)"
                )
                wrk(wrk_command(target, args, "3s"), target.port)  # warm up (templates, caches)

        print(f"wrk: {' '.join(wrk_command(scenarios['anonymous'][0], args, args.duration))}")
        results = {(s, t.name): [] for s, targets in scenarios.items() for t in targets}
        for round_number in range(1, args.rounds + 1):
            for scenario, targets in scenarios.items():
                for target in targets:
                    run = wrk(wrk_command(target, args, args.duration), target.port)
                    results[scenario, target.name].append(run)
                    print(
                        f"round {round_number} {scenario:9} {target.name:8} "
                        f"{run.requests_per_second:7.1f} req/s  p50 {run.p50_ms:7.1f} ms  "
                        f"p99 {run.p99_ms:7.1f} ms  "
                        f"server CPU {run.cpu_ms_per_request:5.1f} ms/req  "
                        f"load {run.load}  {run.errors}",
                        flush=True,
                    )
        summarize(scenarios, results)


def summarize(scenarios, results) -> None:
    print("\nmedians over the rounds (min-max); Folkmoot / Spirit per round (adjacent runs):")
    for scenario in scenarios:
        for name in ("folkmoot", "spirit"):
            runs = results[scenario, name]
            rps = [run.requests_per_second for run in runs]
            print(
                f"  {scenario:9} {name:8} {statistics.median(rps):7.1f} req/s "
                f"({min(rps):.1f}-{max(rps):.1f})  "
                f"p50 {statistics.median(r.p50_ms for r in runs):.1f} ms  "
                f"p99 {statistics.median(r.p99_ms for r in runs):.1f} ms  "
                f"server CPU {statistics.median(r.cpu_ms_per_request for r in runs):.1f} ms/req"
            )
        pairs = list(zip(results[scenario, "folkmoot"], results[scenario, "spirit"], strict=True))
        throughput = [f.requests_per_second / s.requests_per_second for f, s in pairs]
        # Spirit's CPU a request over Folkmoot's: how many times more pages a core serves.
        cpu = [s.cpu_ms_per_request / f.cpu_ms_per_request for f, s in pairs]
        for label, ratios in (("req/s", throughput), ("CPU/req", cpu)):
            print(
                f"  {scenario:9} {label:8} Folkmoot {statistics.median(ratios):.2f} x Spirit "
                f"(median; rounds {', '.join(f'{ratio:.2f}' for ratio in ratios)})"
            )


if __name__ == "__main__":
    main()
