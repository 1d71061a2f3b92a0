"""The `folkmoot` command: demo, serve, worker, migrate and any Django management command."""

import argparse
import errno
import getpass
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _fail(message: str) -> None:
    """One line on stderr and a non-zero exit: what went wrong, in the user's terms."""
    sys.exit(f"folkmoot: {message}")


def _check_data_dir() -> None:
    """The data dir (SQLite, the secret key, uploads) must be a folder we can write in."""
    data_dir = Path(os.environ.get("FOLKMOOT_DATA_DIR", "var")).resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as error:
        _fail(
            f"cannot write in the data directory {data_dir} ({error.strerror}); "
            "set FOLKMOOT_DATA_DIR to a folder you can write in"
        )


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    _check_data_dir()
    import django

    try:
        django.setup()
    except ValueError as error:  # dj-database-url refusing DATABASE_URL
        _fail(f"DATABASE_URL is not a database address Folkmoot can use: {error}")


def _describe_database() -> str:
    """The database in words, without its password."""
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the SQLite database {database['NAME']}"
    where = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 'default port'}"
    return f"the {connection.display_name} database '{database['NAME']}' on {where}"


def _check_database() -> None:
    """Connect once before anything is printed or served, and say plainly if we cannot."""
    from django.db import connection
    from django.db.utils import Error as DatabaseError

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0].strip()
        _fail(f"cannot connect to {_describe_database()} (check DATABASE_URL): {reason}")


def _check_port_free(host: str, port: int) -> None:
    """Refuse before printing the site's address if another server already has the port."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror:
        _fail(f"cannot listen on {host}: no such address (check --host)")
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                _fail(f"port {port} on {host} is already in use; choose another with --port")
            _fail(f"cannot listen on {host} port {port}: {error.strerror}")


# Granian's Rust half allocates from a jemalloc of its own, which reads this variable when the
# library loads (the forked workers inherit what the parent read). One arena and no per-thread
# caches: ~2.5 MiB less RSS a web worker, no measurable CPU a request (BENCHMARKS.md, "Memory").
# Purging freed pages at once (dirty_decay_ms:0) saved ~2 MiB more in all but cost 15-30 % more
# CPU a cached page.
GRANIAN_JEMALLOC_SETTINGS = "narenas:1,tcache:false"


def _configure_granian_allocator() -> None:
    """Before Granian is imported; an operator's own setting wins."""
    os.environ.setdefault("_RJEM_MALLOC_CONF", GRANIAN_JEMALLOC_SETTINGS)


def _serve(*, host: str, port: int, workers: int) -> None:
    """Granian (a Rust HTTP server) running Django as WSGI. Measured on the 25-post topic page
    (BENCHMARKS.md): 136 requests/s against 88 for uvicorn+uvloop and 72 for Granian as ASGI,
    since every view is synchronous and WSGI skips the thread hop. asgi.py stays for the day
    live updates need async views."""
    _configure_granian_allocator()
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


LIVE_STOP_SECONDS = 3


def _serve_live(*, host: str, port: int) -> None:
    """The live server: Granian running folkmoot/live/asgi.py (only /live/ streams), one
    async process whatever the number of site workers. An open stream is a suspended
    coroutine there (~350 KiB with Django's request, BENCHMARKS.md), never a site thread."""
    _configure_granian_allocator()
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    Granian(
        "folkmoot.live.asgi:application",
        address=host,
        port=port,
        workers=1,
        interface=Interfaces.ASGI,
        websockets=False,
        backlog=4096,
        # Streams are open requests: Granian's default limit (the backlog) would queue the
        # rest of them; the limit is the open files the system allows the process.
        backpressure=int(os.environ.get("FOLKMOOT_LIVE_MAX_STREAMS", 20_000)),
        respawn_failed_workers=True,
        # Told to stop, the worker is killed if not gone by then: open streams never end on
        # their own, and a stop that reaches a worker still starting up is lost (it then
        # served on forever, orphaned, after `serve` or `demo` ended).
        workers_kill_timeout=LIVE_STOP_SECONDS,
        log_level=LogLevels(os.environ.get("LOG_LEVEL", "info").lower()),
    ).serve()


def _start_live_server(host: str, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "folkmoot.cli", "serve-live", "--host", host]
    return subprocess.Popen([*command, "--port", str(port)], preexec_fn=_die_with_parent)


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


def _claim_live_port(args: argparse.Namespace) -> int:
    """The live server's port (0: none, pages poll), checked free and told to the site's
    processes, which read it from the environment: pages open their streams there, and
    without Redis the site's workers send their events to it on loopback
    (folkmoot/live/broker.py). Before Django reads its settings."""
    live_port = args.port + 1 if args.live_port is None else args.live_port
    if live_port:
        _check_port_free(args.host, live_port)
        os.environ["FOLKMOOT_LIVE_PORT"] = str(live_port)
    return live_port


def _add_live_port_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--live-port",
        type=int,
        default=int(os.environ["FOLKMOOT_LIVE_PORT"])
        if "FOLKMOOT_LIVE_PORT" in os.environ
        else None,
        help="port of the live server (Server-Sent Events for open pages; 0: none, pages poll) "
        "(default: $FOLKMOOT_LIVE_PORT or the site's port + 1)",
    )


def _stop_live_server(live: subprocess.Popen | None) -> None:
    """Told to stop, not waited for: the command ends as soon as the site has, and the live
    server (which the kernel would signal anyway when we end) finishes its streams."""
    if live is not None:
        live.terminate()


def demo(args: argparse.Namespace) -> None:
    live_port = 0
    if not args.setup_only:
        _check_port_free(args.host, args.port)
        live_port = _claim_live_port(args)
    _setup_django()
    _check_database()
    from django.conf import settings
    from django.core.management import call_command

    from folkmoot import demo as demo_content
    from folkmoot.accounts.site_record import sync_site

    call_command("migrate", interactive=False, verbosity=0)
    if not os.environ.get("FOLKMOOT_SITE_DOMAIN"):
        sync_site(domain=f"{args.host}:{args.port}")
    else:
        sync_site()
    created = demo_content.load_demo()
    password = demo_content.ensure_admin(settings.DATA_DIR / "demo_admin_password")
    url = f"http://{args.host}:{args.port}/"
    print(f"Folkmoot demo {'created' if created else 'loaded'} in {settings.DATA_DIR}")
    print(f"Site:  {url}")
    print(f"Admin: {url}admin/  user '{demo_content.ADMIN_USERNAME}'  password '{password}'")
    if live_port:
        print(f"Live:  replies and bells stream from http://{args.host}:{live_port}/live/")
    print("Emails are printed here instead of sent.", flush=True)
    if args.setup_only:
        return
    worker = _start_worker()
    live = _start_live_server(args.host, live_port) if live_port else None
    try:
        _serve(host=args.host, port=args.port, workers=1)
    finally:
        _stop_live_server(live)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)


# glibc's malloc gives threads that allocate at the same moment arenas of their own (up to 8 a
# core), and reads its limit only when a process starts. One arena: ~2 MiB less RSS in all
# (BENCHMARKS.md, "Memory"); the threads seldom wait on it, as they allocate holding the GIL.
GLIBC_MALLOC_SETTINGS = {"MALLOC_ARENA_MAX": "1"}


def _restart_with_malloc_settings(args: argparse.Namespace) -> None:
    """`serve` starts again, once, with glibc's settings in its environment, which the Granian
    workers it forks and the live server inherit. An operator's own value wins."""
    if sys.platform != "linux" or all(name in os.environ for name in GLIBC_MALLOC_SETTINGS):
        return  # glibc is Linux's
    command = [sys.executable, "-m", "folkmoot.cli", "serve", "--host", args.host]
    command += ["--port", str(args.port), "--workers", str(args.workers)]
    if args.live_port is not None:
        command += ["--live-port", str(args.live_port)]
    os.execve(sys.executable, command, {**GLIBC_MALLOC_SETTINGS, **os.environ})


def serve(args: argparse.Namespace) -> None:
    _restart_with_malloc_settings(args)
    # Static files are served from the collected, gzipped copies, not from the package.
    os.environ["FOLKMOOT_STATIC_COLLECTED"] = "1"
    _check_port_free(args.host, args.port)
    live_port = _claim_live_port(args)
    # Django does its setting up in a process of its own: the server's parent process only
    # watches its workers, and would otherwise hold all of Django in memory for nothing.
    prepared = subprocess.run([sys.executable, "-m", "folkmoot.cli", "prepare-serve"])
    if prepared.returncode:
        sys.exit(prepared.returncode)  # it said why
    live = _start_live_server(args.host, live_port) if live_port else None
    try:
        _serve(host=args.host, port=args.port, workers=args.workers)
    finally:
        _stop_live_server(live)


def serve_live(args: argparse.Namespace) -> None:
    _serve_live(host=args.host, port=args.port)


def prepare_serve(args: argparse.Namespace) -> None:
    """What `serve` needs before serving: the database reached, the site record and the
    collected static files up to date."""
    _setup_django()
    _check_database()
    from django.core.management import call_command

    from folkmoot.accounts.site_record import sync_site

    sync_site()
    call_command("collectstatic", interactive=False, verbosity=0)


def worker(args: argparse.Namespace) -> None:
    _setup_django()
    from folkmoot.composer.tasks import FETCH_QUEUE, schedule_housekeeping
    from folkmoot.worker import runner

    if args.queue:  # one queue only (an operator's extra worker)
        runner.run(queue_name=args.queue)
        return
    schedule_housekeeping()
    if runner.uses_database_backend():
        # The fetch queue (previews, image copies) in a thread of this process: a slow far
        # server holds up that thread only, never the default queue (emails, housekeeping).
        runner.run(queue_name="default", side_queues=(FETCH_QUEUE,))
        return
    # On RQ a job runs in a forked child that RQ stops by a signal, which only a process's
    # main thread can take: the fetch queue keeps an RQ worker process of its own.
    fetch_worker = _start_fetch_worker(FETCH_QUEUE)
    try:
        runner.run(queue_name="default")
    finally:
        _stop_fetch_worker(fetch_worker)


def _start_fetch_worker(queue_name: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "folkmoot.cli", "worker", "--queue", queue_name]
    return subprocess.Popen(command, preexec_fn=_die_with_parent)


def _stop_fetch_worker(fetch_worker: subprocess.Popen) -> None:
    """A fetch may be dropped half-way (RQ fails it when its worker goes): one SIGTERM lets
    the worker finish a quick one, a second makes RQ stop it, then it is killed."""
    for stop in (fetch_worker.terminate, fetch_worker.terminate, fetch_worker.kill):
        stop()
        try:
            fetch_worker.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def migrate(args: argparse.Namespace) -> None:
    _setup_django()
    _check_database()
    from django.core.management import call_command

    from folkmoot.accounts.site_record import sync_site

    call_command("migrate", interactive=False)
    sync_site()


def _read_new_password() -> str:
    """Asked twice at a terminal; one line from standard input otherwise (scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != password:
        _fail("the two passwords differ")
    return password


def createadmin(args: argparse.Namespace) -> None:
    _setup_django()
    _check_database()
    from django.core.exceptions import ValidationError

    from folkmoot.accounts.services import create_admin

    try:
        admin = create_admin(
            username=args.username, email=args.email, password=_read_new_password()
        )
    except ValidationError as error:
        _fail(" ".join(error.messages))
    print(
        f"Admin '{admin.username}' created with the verified address {admin.email}: "
        "they can sign in to the forum and the admin now."
    )


def bench_data(args: argparse.Namespace) -> None:
    _setup_django()
    from folkmoot import bench_data as generator

    try:
        long_topics = tuple(int(size) for size in args.long_topics.split(",") if size.strip())
    except ValueError:
        _fail("--long-topics takes sizes separated by commas, e.g. 10000,5000")
    started = time.monotonic()
    try:
        summary = generator.generate(
            posts=args.posts,
            topics=args.topics,
            members=args.members,
            categories=args.categories,
            long_topics=long_topics,
            progress=generator.Progress(args.posts),
        )
    except ValueError as error:
        _fail(str(error))
    print(
        f"{summary.posts:,} posts in {summary.topics:,} topics by {summary.members:,} members "
        f"in {time.monotonic() - started:.1f} s. Long topics: "
        + ", ".join(f"/t/{topic_id}-x/" for topic_id in summary.long_topic_ids)
    )


def _size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    if size < 1000**3:
        return f"{size / 1000**2:.1f} MB"
    return f"{size / 1000**3:.1f} GB"


def backup(args: argparse.Namespace) -> None:
    _setup_django()
    from folkmoot.backup import VENDOR_NAMES, BackupError, create_backup

    try:
        summary = create_backup(output=args.output)
    except BackupError as error:
        sys.exit(f"folkmoot backup: {error}")
    media = (
        f"{summary.media_files} uploaded files"
        if summary.media_files is not None
        else "no uploads (they are not on this machine's disk: back up their storage)"
    )
    print(f"Backup written to {summary.path}")
    print(f"{_size(summary.size_bytes)}: the {VENDOR_NAMES[summary.vendor]} database and {media}.")


def restore(args: argparse.Namespace) -> None:
    _setup_django()
    from folkmoot.backup import VENDOR_NAMES, BackupError, restore_backup

    try:
        summary = restore_backup(args.path, overwrite=args.yes)
    except BackupError as error:
        sys.exit(f"folkmoot restore: {error}")
    media = f" and {summary.media_files} uploaded files" if summary.media_files is not None else ""
    print(
        f"Restored the {VENDOR_NAMES[summary.vendor]} database{media} from the backup taken "
        f"{summary.taken_at} by Folkmoot {summary.folkmoot_version}."
    )
    if summary.migrations_behind:
        print(
            f"The backup predates {len(summary.migrations_behind)} migrations of this version: "
            "run `folkmoot migrate` before starting the site."
        )
    if summary.cache_error:
        print(
            f"The cache could not be emptied ({summary.cache_error}): empty it (or restart "
            "Redis) so no page of the replaced database is served."
        )


def manage(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["folkmoot manage", *args.arguments])


class _PrintVersion(argparse.Action):
    """--version, reading the installed version only when asked: importlib.metadata (~1.4 MiB)
    would otherwise stay in `serve`'s server process and in each site worker it forks."""

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import version

        print(f"folkmoot {version('folkmoot')}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="folkmoot", description=__doc__)
    parser.add_argument(
        "--version",
        action=_PrintVersion,
        nargs=0,
        help="print Folkmoot's version and exit",
    )
    commands = parser.add_subparsers(dest="command", required=True, help="what to do")

    demo_parser = commands.add_parser(
        "demo",
        help="set up demo content and serve it",
        description="Create the database and demo content if needed, then serve the site with "
        "a background worker (Granian running Django as WSGI, one process) and live updates "
        "(Server-Sent Events) from one async process on the next port.",
    )
    demo_parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    demo_parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    demo_parser.add_argument(
        "--setup-only", action="store_true", help="create the database and content, then exit"
    )
    _add_live_port_argument(demo_parser)
    demo_parser.set_defaults(handler=demo)

    serve_parser = commands.add_parser(
        "serve",
        help="run the production web server (Granian, Django as WSGI; live updates as ASGI)",
        description="Collect static files, then serve the site with Granian running Django as "
        "WSGI in several worker processes, and live updates (Server-Sent Events) from one "
        "async process on the next port. Background tasks need `folkmoot worker` beside it.",
    )
    serve_parser.add_argument(
        "--host",
        default=os.environ.get("FOLKMOOT_HOST", "127.0.0.1"),
        help="address to listen on (default: $FOLKMOOT_HOST or 127.0.0.1)",
    )
    serve_parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", 8000)),
        help="port to listen on (default: $PORT or 8000)",
    )
    serve_parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2)),
        help="web worker processes (default: $WEB_CONCURRENCY or the number of CPUs)",
    )
    _add_live_port_argument(serve_parser)
    serve_parser.set_defaults(handler=serve)
    live_parser = commands.add_parser(
        "serve-live",
        help="run only the live server (serve runs it): Granian, ASGI, /live/ streams",
    )
    live_parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    live_parser.add_argument("--port", type=int, required=True, help="port to listen on")
    live_parser.set_defaults(handler=serve_live)
    commands.add_parser(
        "prepare-serve",
        help="check the database, update the site record and collect static files (serve runs it)",
    ).set_defaults(handler=prepare_serve)

    worker_parser = commands.add_parser("worker", help="run background tasks")
    worker_parser.add_argument("--queue", help="run only this queue (by default: every queue)")
    worker_parser.set_defaults(handler=worker)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(handler=migrate)

    bench_parser = commands.add_parser(
        "bench-data", help="add a large generated forum for benchmarks (bulk inserts)"
    )
    bench_parser.add_argument(
        "--posts", type=int, default=1_000_000, help="posts to add (default 1,000,000)"
    )
    bench_parser.add_argument(
        "--topics", type=int, default=20_000, help="topics to add (default 20,000)"
    )
    bench_parser.add_argument(
        "--members", type=int, default=2_000, help="members to add (default 2,000)"
    )
    bench_parser.add_argument(
        "--categories", type=int, default=4, help="categories to add (default 4)"
    )
    bench_parser.add_argument(
        "--long-topics",
        default=",".join(str(size) for size in (10_000, 5_000, 5_000, 5_000)),
        help="sizes of the long topics, comma-separated (the first holds the seed article)",
    )
    bench_parser.set_defaults(handler=bench_data)

    admin_parser = commands.add_parser(
        "createadmin",
        help="create an admin who can sign in at once (no confirmation email)",
        description="Create a superuser whose email address is already verified. The password "
        "is asked for at a terminal, or read as one line from standard input.",
    )
    admin_parser.add_argument("username", help="the admin's username")
    admin_parser.add_argument("email", help="the admin's email address")
    admin_parser.set_defaults(handler=createadmin)

    backup_parser = commands.add_parser(
        "backup", help="write the database and the uploads to one archive"
    )
    backup_parser.add_argument(
        "--output",
        type=Path,
        help="the archive's file name, or a folder for a dated one (default: DATA_DIR/backups/)",
    )
    backup_parser.set_defaults(handler=backup)

    restore_parser = commands.add_parser(
        "restore", help="put the database and the uploads back from an archive"
    )
    restore_parser.add_argument("path", type=Path, help="an archive written by folkmoot backup")
    restore_parser.add_argument(
        "--yes", action="store_true", help="replace a database that already holds data"
    )
    restore_parser.set_defaults(handler=restore)

    manage_parser = commands.add_parser("manage", help="any Django management command")
    manage_parser.add_argument(
        "arguments", nargs=argparse.REMAINDER, help="the command and its options, as for manage.py"
    )
    manage_parser.set_defaults(handler=manage)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
