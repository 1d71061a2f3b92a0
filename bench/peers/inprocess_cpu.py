"""CPU time of one page through Django's test client, in whichever forum's env runs it.

A cross-check of peer_comparison.py's server CPU per request without HTTP, Granian or wrk:

    FOLKMOOT_DATA_DIR=... FOLKMOOT_PAGE_CACHE_SECONDS=0 DJANGO_SETTINGS_MODULE=folkmoot.settings \\
        uv run python bench/peers/inprocess_cpu.py /t/4-.../ [--member MarisolVega]
    cd $PEERS_DIR/spirit-site && PYTHONPATH=. DJANGO_SETTINGS_MODULE=site_peer.settings.bench \\
        $PEERS_DIR/spirit-venv/bin/python .../bench/peers/inprocess_cpu.py /topic/1/.../
"""

import argparse
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--member", help="signed in as this member (by username)")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if args.member:
        client.force_login(get_user_model().objects.get(username__iexact=args.member))
    for _ in range(20):  # warm: templates compiled, caches filled
        response = client.get(args.path)
        assert response.status_code == 200, response.status_code
    started = time.process_time()
    for _ in range(args.requests):
        client.get(args.path)
    cpu_ms = (time.process_time() - started) * 1000 / args.requests
    print(f"{args.path} {'as ' + args.member if args.member else 'anonymous'}: "
          f"{cpu_ms:.1f} ms CPU a request, {len(response.content)} bytes")  # fmt: skip


if __name__ == "__main__":
    main()
