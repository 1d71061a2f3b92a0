"""A Folkmoot process with the demo content in a throwaway data dir, for the bench scripts."""

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

FOLKMOOT = [sys.executable, "-m", "folkmoot.cli"]


@dataclass(frozen=True)
class RunningForum:
    base_url: str
    data_dir: Path

    @property
    def admin_password(self) -> str:
        return (self.data_dir / "demo_admin_password").read_text().strip()

    def seed_topic_path(self) -> str:
        category = httpx.get(self.base_url + "/c/1-world-news/").text
        return re.search(r'href="(/t/\d+-[-\w]+/)"', category)[1]


@contextlib.contextmanager
def running_forum(*serve_args: str, port: int) -> Iterator[RunningForum]:
    """Set up the demo (SQLite unless DATABASE_URL is set), then run `folkmoot serve_args`."""
    data_dir = Path(tempfile.mkdtemp(prefix="folkmoot-bench-"))
    env = {**os.environ, "FOLKMOOT_DATA_DIR": str(data_dir), "LOG_LEVEL": "warning"}
    subprocess.run([*FOLKMOOT, "demo", "--setup-only"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([*FOLKMOOT, *serve_args, "--port", str(port)], env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(base_url + "/").status_code == 200:
                    break
            time.sleep(0.1)
        yield RunningForum(base_url=base_url, data_dir=data_dir)
    finally:
        server.terminate()
        server.wait(timeout=20)
