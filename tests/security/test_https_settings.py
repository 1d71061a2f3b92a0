"""HTTPS from the environment: `FOLKMOOT_HTTPS=true` makes cookies Secure, redirects plain
HTTP and sends HSTS; the proxy's X-Forwarded-Proto counts only when the operator says the
proxy sets it; and `folkmoot manage check --deploy` has nothing to say about a production
configuration. Each case runs Folkmoot's settings in a fresh process, as a deployment would."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

FOLKMOOT = str(Path(sys.executable).with_name("folkmoot"))  # the installed command

# Runs in the child: what a browser would see from the configured site. No database needed:
# the security middleware answers before any view.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/no-such-page/")
secure = client.get("/no-such-page/", secure=True)
forwarded = client.get("/no-such-page/", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "secure_hsts": secure.get("Strict-Transport-Security"),
    "forwarded": forwarded.status_code,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
}))
"""


def folkmoot_env(tmp_path, **variables) -> dict[str, str]:
    """A production-like environment and nothing inherited that could change the answer."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "folkmoot.settings",
        "FOLKMOOT_DATA_DIR": str(tmp_path / "data"),
        "ALLOWED_HOSTS": "forum.example.org,testserver",
    }
    return {**env, **variables}


def probe(tmp_path, **variables) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=folkmoot_env(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_https_nothing_is_forced(tmp_path):
    seen = probe(tmp_path)
    assert seen["plain"][0] == 404
    assert seen["secure_hsts"] is None
    assert not seen["session_cookie_secure"] and not seen["csrf_cookie_secure"]


def test_https_on_makes_cookies_secure_redirects_plain_http_and_sends_hsts(tmp_path):
    seen = probe(tmp_path, FOLKMOOT_HTTPS="true")
    assert seen["plain"] == [301, "https://testserver/no-such-page/"]
    assert seen["secure_hsts"] == "max-age=31536000; includeSubDomains"
    assert seen["session_cookie_secure"] and seen["csrf_cookie_secure"]


def test_a_forwarded_proto_header_is_ignored_unless_the_proxy_is_trusted(tmp_path):
    untrusted = probe(tmp_path, FOLKMOOT_HTTPS="true")
    assert untrusted["forwarded"] == 301  # a client's own header claims nothing

    trusted = probe(tmp_path, FOLKMOOT_HTTPS="true", FOLKMOOT_TRUST_X_FORWARDED_PROTO="true")
    assert trusted["forwarded"] == 404  # the proxy says the visitor used HTTPS: no redirect
    assert trusted["plain"][0] == 301


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = folkmoot_env(
        tmp_path,
        DEBUG="false",
        FOLKMOOT_HTTPS="true",
        FOLKMOOT_TRUST_X_FORWARDED_PROTO="true",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="forum.example.org",
        CSRF_TRUSTED_ORIGINS="https://forum.example.org",
    )
    result = subprocess.run(
        [FOLKMOOT, "manage", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
