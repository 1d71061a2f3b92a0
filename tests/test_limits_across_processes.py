"""The default deployment, for real: `folkmoot serve --workers 2` on SQLite with no Redis, so
each process has its own local-memory cache. Limits and spent proofs live in the database
every process shares: a proof-of-work solution is accepted once, and a daily cap is exact,
whichever process takes each request."""

import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.antibot_solver import solve_for_tests
from tests.smtp import free_port
from tests.test_demo_e2e import SEED_TOPIC_LINK, child_pids, wait_until_serving

pytestmark = pytest.mark.e2e
CAP = 5


@pytest.fixture
def two_processes(tmp_path):
    """`folkmoot serve --workers 2` on a fresh SQLite database with demo content, no Redis."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "FOLKMOOT_DATA_DIR": str(tmp_path / "data"),
        "FOLKMOOT_FLOOD_SECONDS": "0",
        "FOLKMOOT_GUEST_POSTS_PER_IP_PER_DAY": str(CAP),
        "FOLKMOOT_GUEST_POSTS_PER_EMAIL_PER_DAY": "100",
        "FOLKMOOT_ALTCHA_MAX_NUMBER": "2000",
        "LOG_LEVEL": "warning",
    }  # no DATABASE_URL, no REDIS_URL: SQLite and local-memory caches
    folkmoot = [sys.executable, "-m", "folkmoot.cli"]
    subprocess.run([*folkmoot, "demo", "--setup-only"], env=env, check=True, capture_output=True)
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:
        process = subprocess.Popen(
            [*folkmoot, "serve", "--workers", "2", "--port", str(port), "--live-port", "0"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(base_url + "/", process)
            yield base_url, process
        finally:
            process.terminate()
            process.wait(timeout=20)


def _reply_url(base_url: str) -> str:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        index = http.get("/").text
        category = http.get(re.search(r'href="(/c/\d+-world-news/)"', index)[1]).text
        topic = SEED_TOPIC_LINK.search(category)[1]
    return f"{topic}reply/"


def _guest_post(base_url: str, reply_url: str, n: int, solved: str | None = None) -> int:
    """One guest, in its own browser and connection: fetch a challenge (and a CSRF token),
    solve it (or send `solved`), post. Returns the status: 302 means accepted."""
    with httpx.Client(base_url=base_url, timeout=30, headers={"Connection": "close"}) as http:
        challenge = http.get("/guests/challenge/").json()
        response = http.post(
            reply_url,
            data={
                "csrfmiddlewaretoken": challenge["csrfToken"],
                "body": f"Guest post number {n} from the same network",
                "email": f"guest{n}@example.net",
                "display_name": f"Guest {n}",
                "website": "",
                "altcha": solved or solve_for_tests(challenge),
            },
        )
    assert response.status_code in (302, 400, 429), response.text[:500]
    return response.status_code


def _at_once(count: int, post) -> list[int]:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(post, range(count)))


def test_a_proof_is_accepted_once_and_a_daily_cap_is_exact_across_two_processes(two_processes):
    base_url, process = two_processes
    deadline = time.monotonic() + 30
    while len(child_pids(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(child_pids(process.pid)) == 2  # two worker processes, two caches
    reply_url = _reply_url(base_url)

    # One solved challenge, sent by ten guests at once on ten connections.
    with httpx.Client(base_url=base_url, timeout=10) as http:
        solved = solve_for_tests(http.get("/guests/challenge/").json())
    replayed = _at_once(10, lambda n: _guest_post(base_url, reply_url, n, solved=solved))
    assert replayed.count(302) == 1
    assert replayed.count(400) == 9

    # Then twelve more guests from the same address, each with a proof of their own: the
    # daily cap of 5 lets exactly 4 more through, however the requests fall on the processes.
    capped = _at_once(12, lambda n: _guest_post(base_url, reply_url, 100 + n))
    assert capped.count(302) == CAP - 1
    assert capped.count(429) == 12 - (CAP - 1)
