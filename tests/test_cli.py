"""The `folkmoot` command run as a user runs it: clear one-line errors, help, version, and an
admin who can sign in without an email round trip."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from allauth.account.models import EmailAddress

from folkmoot.accounts.models import User
from folkmoot.cli import build_parser
from tests.factories import PASSWORD
from tests.test_demo_e2e import serving

pytestmark = pytest.mark.e2e


def run(env: dict, *arguments: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "folkmoot.cli", *arguments],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path) -> dict:
    env = {**os.environ, "FOLKMOOT_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    return env


def assert_one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "Site:" not in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("folkmoot: ")
    for word in words:
        assert word in line


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_a_busy_port_is_one_line_and_no_site_address(env, command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run(env, command, "--port", port)
    assert_one_clear_line(result, f"port {port}", "in use", "--port")


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_an_unreachable_database_is_one_line_without_its_password(env, command):
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    env["DATABASE_URL"] = f"postgres://someone:hunter2@127.0.0.1:{port}/forum"
    result = run(env, command, "--port", "1")
    assert_one_clear_line(result, "cannot connect", "'forum'", "DATABASE_URL")
    assert "hunter2" not in result.stderr


def test_a_database_url_of_an_unknown_kind_is_one_line(env):
    env["DATABASE_URL"] = "mongodb://127.0.0.1/forum"
    assert_one_clear_line(run(env, "demo", "--setup-only"), "DATABASE_URL")


def test_a_data_dir_that_cannot_be_written_is_one_line(env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env["FOLKMOOT_DATA_DIR"] = str(blocker / "data")  # under a file: no folder can be made
    assert_one_clear_line(run(env, "demo"), "data directory", "FOLKMOOT_DATA_DIR")


def test_version_and_help_say_what_they_should(env):
    version = run(env, "--version")
    assert version.returncode == 0 and version.stdout.startswith("folkmoot 0.")
    serve_help = run(env, "serve", "--help").stdout
    assert "Granian" in serve_help and "WSGI" in serve_help


def test_every_option_has_help_text():
    parser = build_parser()
    [commands] = [a for a in parser._actions if a.dest == "command"]
    parsers = [parser, *commands.choices.values()]
    for each in parsers:
        for action in each._actions:
            assert action.help, f"{each.prog}: {action.option_strings or action.dest}"


@pytest.mark.django_db(transaction=True)
def test_createadmin_makes_an_admin_who_signs_in_at_once(client, settings):
    # The subprocess uses this test's database: the same SQLite file or PostgreSQL database.
    database = settings.DATABASES["default"]
    env = {**os.environ}
    if database["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        )
    # The command hashes with the site's real hasher, which the tests otherwise skip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    result = run(env, "createadmin", "boss", "boss@example.org", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    admin = User.objects.get(username="boss")
    assert admin.is_superuser and admin.is_staff
    assert EmailAddress.objects.get(user=admin).verified

    response = client.post("/accounts/login/", {"login": "boss", "password": PASSWORD})
    assert response.status_code == 302 and "confirm-email" not in response.url
    assert client.session["_auth_user_id"] == str(admin.pk)

    again = run(env, "createadmin", "boss", "other@example.org", stdin=PASSWORD + "\n")
    assert_one_clear_line(again, "taken")
    weak = run(env, "createadmin", "weakling", "weak@example.org", stdin="123\n")
    assert_one_clear_line(weak, "password")
    assert not User.objects.filter(username="weakling").exists()


SERVE_WITHOUT_SERVING = """
import sys
from folkmoot import cli
cli._serve = lambda **options: print("django loaded:", "django" in sys.modules)
cli.main(["serve", "--port", sys.argv[1], "--workers", "2", "--live-port", "0"])
"""


def test_serve_prepares_in_a_child_so_the_servers_parent_holds_no_django(env):
    """The parent of the web workers only watches them: with Django loaded it held 75 MiB."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    run(env, "migrate")
    # As after serve's restart with glibc's settings (the restart would not keep the stand-in).
    env["MALLOC_ARENA_MAX"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", SERVE_WITHOUT_SERVING, port],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django loaded: False"
    # Prepared all the same: the static files collected.
    assert (Path(env["FOLKMOOT_DATA_DIR"]) / "static" / "folkmoot" / "site.css").exists()


def environment_of(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/environ").read_text().split("\0")


@pytest.mark.parametrize(("given", "kept"), [(None, "1"), ("2", "2")])
def test_serve_and_its_web_workers_run_with_one_malloc_arena_unless_told(env, given, kept):
    """glibc reads MALLOC_ARENA_MAX only when a process starts: `serve` starts itself again
    with it, and the workers it forks inherit it; an operator's own value is kept."""
    if given:
        env["MALLOC_ARENA_MAX"] = given
    run(env, "migrate")
    with serving(env, "serve", "--workers", "1") as (url, process):
        worker = int(
            Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()[-1]
        )
        assert httpx.get(url + "/").status_code == 200
        for pid in (process.pid, worker):
            assert f"MALLOC_ARENA_MAX={kept}" in environment_of(pid)
