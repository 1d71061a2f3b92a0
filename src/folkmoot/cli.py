"""The `folkmoot` command: demo, serve, worker, migrate and any Django management command."""

import argparse
import os
import signal
import subprocess
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    import django

    django.setup()


def _serve(*, host: str, port: int, workers: int) -> None:
    """Granian (a Rust HTTP server) running Django as WSGI. Measured on the 25-post topic page
    (BENCHMARKS.md): 136 requests/s against 88 for uvicorn+uvloop and 72 for Granian as ASGI,
    since every view is synchronous and WSGI skips the thread hop. asgi.py stays for the day
    live updates need async views."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    Granian(
        "folkmoot.wsgi:application",
        address=host,
        port=port,
        workers=workers,
        interface=Interfaces.WSGI,
        websockets=False,
        # A few threads a worker overlap database waits; more only contend for the GIL.
        blocking_threads=int(os.environ.get("FOLKMOOT_THREADS", 4)),
        respawn_failed_workers=True,
        log_level=LogLevels(os.environ.get("LOG_LEVEL", "info").lower()),
    ).serve()


def _die_with_parent() -> None:
    """Runs in the worker before exec: on Linux, the kernel sends it SIGTERM when the demo
    process ends, however it ends (a server that re-raises SIGTERM skips our cleanup)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "folkmoot.cli", "worker"], preexec_fn=_die_with_parent
    )


def demo(args: argparse.Namespace) -> None:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from folkmoot import demo as demo_content

    call_command("migrate", interactive=False, verbosity=0)
    created = demo_content.load_demo()
    password = demo_content.ensure_admin(settings.DATA_DIR / "demo_admin_password")
    url = f"http://{args.host}:{args.port}/"
    print(f"Folkmoot demo {'created' if created else 'loaded'} in {settings.DATA_DIR}")
    print(f"Site:  {url}")
    print(f"Admin: {url}admin/  user '{demo_content.ADMIN_USERNAME}'  password '{password}'")
    print("Emails are printed here instead of sent.", flush=True)
    if args.setup_only:
        return
    worker = _start_worker()
    try:
        _serve(host=args.host, port=args.port, workers=1)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)


def serve(args: argparse.Namespace) -> None:
    # Static files are served from the collected, gzipped copies below, not from the package.
    os.environ["FOLKMOOT_STATIC_COLLECTED"] = "1"
    _setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _serve(host=args.host, port=args.port, workers=args.workers)


def worker(args: argparse.Namespace) -> None:
    _setup_django()
    from django.core.management import call_command

    from folkmoot.composer.tasks import schedule_housekeeping

    schedule_housekeeping()
    call_command("db_worker")


def migrate(args: argparse.Namespace) -> None:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False)


def manage(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["folkmoot manage", *args.arguments])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="folkmoot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo_parser = commands.add_parser("demo", help="set up demo content and serve it")
    demo_parser.add_argument("--host", default="127.0.0.1")
    demo_parser.add_argument("--port", type=int, default=8000)
    demo_parser.add_argument(
        "--setup-only", action="store_true", help="create the database and content, then exit"
    )
    demo_parser.set_defaults(handler=demo)

    serve_parser = commands.add_parser("serve", help="run the production ASGI server")
    serve_parser.add_argument("--host", default=os.environ.get("FOLKMOOT_HOST", "127.0.0.1"))
    serve_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    serve_parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
    )
    serve_parser.set_defaults(handler=serve)

    commands.add_parser("worker", help="run background tasks").set_defaults(handler=worker)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(handler=migrate)

    manage_parser = commands.add_parser("manage", help="any Django management command")
    manage_parser.add_argument("arguments", nargs=argparse.REMAINDER)
    manage_parser.set_defaults(handler=manage)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
