"""`folkmoot backup` and `folkmoot restore`: the database and the uploads in one archive.

An archive is a gzipped tar file, readable with any tar:

    manifest.json       first: format, Folkmoot version, database vendor, the migrations the
                        copied database has applied, when it was taken
    database.sqlite3    SQLite's online backup API (a consistent copy while the site writes)
    database.pgdump     or `pg_dump --format=custom`, taken in the snapshot the manifest was read in
    media/…             the uploaded files, copied after the database: every file the copied
                        database refers to was complete before its row was committed
    SHA256SUMS          last: a checksum of every file above

A restore reads the whole archive into a scratch folder beside the uploads and checks it before
it touches anything; a refusal (`BackupError`) always means nothing was changed.
"""

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
MEDIA = "media"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows `migrate` itself writes: a database holding only these holds nothing a restore could lose.
# (search_fts_data and search_fts_config: the empty SQLite full-text index's own records.)
FILLED_BY_MIGRATE = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_site",
    "search_fts_data",
    "search_fts_config",
}
PG_BIN_DIRS = "/usr/lib/postgresql/*/bin"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    size_bytes: int
    vendor: str
    media_files: int | None  # None: uploads are not on this machine's disk


@dataclass(frozen=True)
class RestoreSummary:
    vendor: str
    taken_at: str
    folkmoot_version: str
    media_files: int | None
    migrations_behind: list[str]
    cache_error: str | None


# --- Backup -----------------------------------------------------------------------------------


def create_backup(*, output: Path | None = None) -> BackupSummary:
    """Write an archive of the database and the uploads to `output` (a file, or a folder for a
    dated name; by default FOLKMOOT_DATA_DIR/backups/) and return where and how big."""
    vendor = _vendor()
    taken_at = datetime.now(UTC)
    path = _archive_path(output, taken_at)
    # Written under a name of its own, renamed when complete: an archive that exists is whole.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    with tempfile.TemporaryDirectory(prefix=".folkmoot-backup-", dir=path.parent) as scratch:
        database_file = Path(scratch) / DATABASE_MEMBER[vendor]
        if vendor == "sqlite":
            _copy_sqlite(Path(connection.settings_dict["NAME"]), database_file)
            migrations = _sqlite_migrations(database_file)
            tool = None
        else:
            migrations, tool = _dump_postgresql(database_file)
        manifest = {
            "format": FORMAT,
            "application": "folkmoot",
            "folkmoot_version": _folkmoot_version(),
            "database": vendor,
            "migrations": migrations,
            "created_at": taken_at.isoformat(),
            "media": _media_root() is not None,
            "pg_dump": tool,
        }
        try:
            media_files = _write_archive(partial, manifest, database_file)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(
        path=path, size_bytes=path.stat().st_size, vendor=vendor, media_files=media_files
    )


def _archive_path(output: Path | None, taken_at: datetime) -> Path:
    name = f"folkmoot-backup-{taken_at:%Y-%m-%d-%H%M%S}.tar.gz"
    if output is None:
        folder = settings.DATA_DIR / "backups"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder / name
    output = Path(output).expanduser().resolve()
    if output.is_dir():
        return output / name
    if not output.parent.is_dir():
        raise BackupError(f"There is no folder {output.parent} to write the backup into.")
    return output


def _write_archive(path: Path, manifest: dict, database_file: Path) -> int | None:
    checksums: dict[str, str] = {}
    # Only the owner may read it: it holds password hashes and live sessions.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode(), checksums)
            _add_file(archive, DATABASE_MEMBER[manifest["database"]], database_file, checksums)
            media_files = _add_media(archive, checksums) if manifest["media"] else None
            sums = "".join(f"{digest}  {name}\n" for name, digest in checksums.items())
            _add_bytes(archive, CHECKSUMS, sums.encode(), None)
        # On disk, trailer included, before the rename makes it the backup.
        raw.flush()
        os.fsync(raw.fileno())
    return media_files


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, checksums: dict | None) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))
    if checksums is not None:
        checksums[name] = hashlib.sha256(data).hexdigest()


class _HashingReader:
    """Hands a file to tarfile and hashes exactly the bytes that went into the archive."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def _add_file(archive: tarfile.TarFile, name: str, path: Path, checksums: dict) -> bool:
    try:
        file = path.open("rb")
    except FileNotFoundError:  # an upload deleted while we walked the folder
        return False
    with file:
        info = archive.gettarinfo(fileobj=file, arcname=name)
        info.uname = info.gname = ""
        reader = _HashingReader(file)
        archive.addfile(info, reader)
    checksums[name] = reader.digest.hexdigest()
    return True


def _add_media(archive: tarfile.TarFile, checksums: dict) -> int:
    media_root = _media_root()
    count = 0
    if media_root is None or not media_root.is_dir():
        return count
    for path in sorted(_files_under(media_root)):
        name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
        count += _add_file(archive, name, path, checksums)
    return count


def _files_under(folder: Path) -> Iterator[Path]:
    for directory, _, files in os.walk(folder):
        for file in files:
            path = Path(directory) / file
            if path.is_file() and not path.is_symlink():
                yield path


def _copy_sqlite(database: Path, target: Path) -> None:
    if not database.exists():
        raise BackupError(f"There is no database at {database}: nothing to back up.")
    with (
        closing(sqlite3.connect(database, timeout=20)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        # One step: a single read transaction, so writers carry on (WAL) and the copy is one
        # moment of the database, never half of a reply.
        source.backup(copy)
        # A self-contained file: no -wal beside it to lose.
        copy.execute("PRAGMA journal_mode=DELETE")


def _sqlite_migrations(database_file: Path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(database_file)) as copy:
        try:
            rows = copy.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.OperationalError:  # never migrated
            rows = []
    return _by_app(rows)


def _by_app(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    migrations: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        migrations.setdefault(app, []).append(name)
    return migrations


def _dump_postgresql(target: Path) -> tuple[dict[str, list[str]], dict]:
    """pg_dump in a snapshot exported by our own transaction, so the migrations written into the
    manifest are the ones of the very data in the dump."""
    pg_dump = pg_tool("pg_dump", major=_server_major())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        try:
            cursor.execute("SELECT app, name FROM django_migrations")
            rows = cursor.fetchall()
        except DatabaseError as error:
            raise BackupError("The database has not been migrated: nothing to back up.") from error
        _run(
            [pg_dump.path, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            what="pg_dump",
        )
    return _by_app(rows), {"path": str(pg_dump.path), "major": pg_dump.major}


# --- Restore ----------------------------------------------------------------------------------


def restore_backup(archive_path: Path, *, overwrite: bool) -> RestoreSummary:
    """Put the database and the uploads back as the archive holds them. Refuses (changing
    nothing) when the archive is damaged, for the other database vendor or from a newer
    Folkmoot, and when the database holds data and `overwrite` is not given."""
    archive_path = Path(archive_path).expanduser().resolve()
    if not archive_path.is_file():
        raise BackupError(f"There is no backup at {archive_path}.")
    vendor = _vendor()
    manifest = _read_manifest(archive_path)
    _refuse_unsuitable(manifest, vendor)
    media_root = _media_root()
    scratch_parent = media_root.parent if media_root else settings.DATA_DIR
    scratch_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".folkmoot-restore-", dir=scratch_parent) as scratch:
        scratch = Path(scratch)
        _extract_verified(archive_path, manifest, scratch)
        database_file = scratch / DATABASE_MEMBER[vendor]
        if vendor == "sqlite":
            _check_sqlite_copy(database_file)
        rows = _rows_at_risk()
        if rows and not overwrite:
            raise BackupError(
                f"The database already holds data ({rows}). Restoring replaces all of it: take a "
                "backup of it first if you may need it, then run again with --yes."
            )
        restore_media = manifest["media"] and media_root is not None
        if restore_media:
            previous_media = _swap_media(scratch / MEDIA, media_root, scratch / "media-before")
        try:
            if vendor == "sqlite":
                _restore_sqlite(database_file, Path(connection.settings_dict["NAME"]))
            else:
                _restore_postgresql(database_file, manifest)
        except BaseException:
            if restore_media:
                _swap_media(previous_media, media_root, scratch / "media-restored")
            raise
    media_files = sum(1 for _ in _files_under(media_root)) if restore_media else None
    return RestoreSummary(
        vendor=vendor,
        taken_at=manifest["created_at"],
        folkmoot_version=manifest["folkmoot_version"],
        media_files=media_files,
        migrations_behind=_migrations_missing_from(manifest),
        cache_error=_empty_caches(),
    )


def _damaged(archive_path: Path, detail: str) -> BackupError:
    return BackupError(
        f"{archive_path} is damaged or not a Folkmoot backup ({detail}). Nothing was changed."
    )


def _read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path, mode="r|gz") as archive:
            member = archive.next()
            if member is None or member.name != MANIFEST or not member.isfile():
                raise _damaged(archive_path, f"it does not start with {MANIFEST}")
            manifest = json.loads(archive.extractfile(member).read())
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        raise _damaged(archive_path, str(error) or type(error).__name__) from error
    required = {"format", "folkmoot_version", "database", "migrations", "created_at", "media"}
    if not isinstance(manifest, dict) or not required <= manifest.keys():
        raise _damaged(archive_path, f"{MANIFEST} lacks what a Folkmoot backup records")
    if manifest.get("application") != "folkmoot" or manifest["database"] not in DATABASE_MEMBER:
        raise _damaged(archive_path, f"{MANIFEST} is not a Folkmoot backup's")
    migrations = manifest["migrations"]
    if not isinstance(migrations, dict) or not all(
        isinstance(names, list) and all(isinstance(name, str) for name in names)
        for names in migrations.values()
    ):
        raise _damaged(archive_path, f"{MANIFEST} lists its migrations wrongly")
    return manifest


def _refuse_unsuitable(manifest: dict, vendor: str) -> None:
    if manifest["format"] != FORMAT:
        raise BackupError(
            f"This backup is in format {manifest['format']}, written by Folkmoot "
            f"{manifest['folkmoot_version']}; this version reads format {FORMAT}. Nothing was "
            "changed."
        )
    if manifest["database"] != vendor:
        theirs, ours = VENDOR_NAMES[manifest["database"]], VENDOR_NAMES[vendor]
        raise BackupError(
            f"This backup holds a {theirs} database, but this Folkmoot uses {ours} "
            f"(DATABASE_URL). Restore it into a {theirs} database; to move between the two, see "
            "docs/deploy.md. Nothing was changed."
        )
    known = _known_migrations()
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        listed = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"This backup comes from a newer Folkmoot ({manifest['folkmoot_version']}): its "
            f"database has migrations this version ({_folkmoot_version()}) does not know: "
            f"{listed}. Upgrade Folkmoot, then restore. Nothing was changed."
        )


def _extract_verified(archive_path: Path, manifest: dict, scratch: Path) -> None:
    """Every member into `scratch`, each checked against SHA256SUMS, before anything changes."""
    database_member = DATABASE_MEMBER[manifest["database"]]
    try:
        with tarfile.open(archive_path, mode="r|gz") as archive:
            names = []
            for member in archive:
                allowed = member.name in {MANIFEST, CHECKSUMS, database_member} or (
                    member.name.startswith(f"{MEDIA}/") and (member.isfile() or member.isdir())
                )
                if not allowed:
                    raise _damaged(archive_path, f"unexpected entry {member.name!r}")
                # "data": no absolute paths, no "..", no links out, no devices.
                archive.extract(member, scratch, filter="data")
                names.append(member.name)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise _damaged(archive_path, str(error) or type(error).__name__) from error
    if CHECKSUMS not in names or database_member not in names:
        raise _damaged(archive_path, "it is incomplete")
    expected = {}
    for line in (scratch / CHECKSUMS).read_text().splitlines():
        digest, _, name = line.partition("  ")
        expected[name] = digest
    files = [name for name in names if name != CHECKSUMS and (scratch / name).is_file()]
    if set(files) != set(expected):
        raise _damaged(archive_path, "its files do not match its checksum list")
    for name in files:
        if _sha256(scratch / name) != expected[name]:
            raise _damaged(archive_path, f"{name} fails its checksum")
    (scratch / MEDIA).mkdir(exist_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_sqlite_copy(database_file: Path) -> None:
    with closing(sqlite3.connect(database_file)) as copy:
        try:
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            result = str(error)
    if result != "ok":
        raise BackupError(f"The database in the backup is damaged ({result}). Nothing was changed.")


def _rows_at_risk() -> str:
    """What the current database holds beyond what `migrate` writes, e.g. "12 rows in 3 tables"."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor)) - FILLED_BY_MIGRATE
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            if count := cursor.fetchone()[0]:
                counts[table] = count
    if not counts:
        return ""
    return f"{sum(counts.values())} rows in {len(counts)} tables"


def _swap_media(replacement: Path, media_root: Path, previous: Path) -> Path:
    """Put `replacement` where the uploads live, moving what was there to `previous`. Two
    renames on one filesystem: the uploads folder is never half old, half new."""
    if media_root.exists():
        os.rename(media_root, previous)
    else:
        previous.mkdir()
    os.rename(replacement, media_root)
    return previous


def _restore_sqlite(database_file: Path, database: Path) -> None:
    """The backup API copies the checked file into the live database in one write transaction:
    a server still running waits on the lock, then sees the old or the restored database, never a
    mix. (Renaming a file into place would leave a running server on the old file, and pair the
    new file with the old one's -wal.)"""
    connection.close()
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(database_file)) as source,
        closing(sqlite3.connect(database, timeout=60)) as live,
    ):
        live.execute("PRAGMA journal_mode=WAL")
        source.backup(live)


def _restore_postgresql(dump: Path, manifest: dict) -> None:
    """pg_restore turns the dump into SQL (dropping what it will create, `--clean`); psql runs
    it after dropping every table there now, so a database that has moved on (newer migrations)
    ends exactly as the backup has it. All of it is one transaction whose COMMIT we write only
    once pg_restore has finished cleanly: if anything fails or this process dies, psql reaches
    the end of its input without a COMMIT and PostgreSQL rolls everything back."""
    major = max(_server_major(), (manifest.get("pg_dump") or {}).get("major") or 0)
    pg_restore = pg_tool("pg_restore", major=major)
    psql = pg_tool("psql", major=_server_major())
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    connection.close()
    opening = "BEGIN;\n"
    if tables:
        names = ", ".join(map(connection.ops.quote_name, tables))
        opening += f"DROP TABLE IF EXISTS {names} CASCADE;\n"
    env = {**_libpq_env(), "PGOPTIONS": "-c client_min_messages=warning"}
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        applier = subprocess.Popen(
            [psql.path, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=env,
        )
        writer = subprocess.Popen(
            [pg_restore.path, "--clean", "--if-exists", "--no-owner", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
            env=env,
        )
        psql_stopped = False
        try:
            applier.stdin.write(opening.encode())
            shutil.copyfileobj(writer.stdout, applier.stdin, CHUNK)
            if writer.wait() == 0:
                applier.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:  # psql stopped at an error: its message says which
            psql_stopped = True
            writer.kill()
            writer.wait()
        finally:
            writer.stdout.close()
            if writer.returncode and not psql_stopped:
                applier.kill()  # no COMMIT was written, and now none can be
            with suppress(BrokenPipeError):
                applier.stdin.close()
            applier.wait()
        if psql_stopped or (applier.returncode and not writer.returncode):
            raise _tool_failed("psql", psql_errors)
        if writer.returncode:
            raise _tool_failed("pg_restore", restore_errors)


def _tool_failed(what: str, errors) -> BackupError:
    errors.seek(0)
    message = errors.read().decode(errors="replace").strip()[-2000:]
    return BackupError(
        f"{what} failed, so the database was left as it was: {message or 'no output'}"
    )


def _migrations_missing_from(manifest: dict) -> list[str]:
    """Migrations of this code the restored database has not applied (`folkmoot migrate`)."""
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replaced = {key for migration in loader.replacements.values() for key in migration.replaces}
    return sorted(
        f"{app}.{name}"
        for app, name in loader.disk_migrations
        if (app, name) not in applied | replaced
    )


def _empty_caches() -> str | None:
    """Cached pages and fragments describe the database that was replaced."""
    try:
        for alias in settings.CACHES:
            caches[alias].clear()
    except Exception as error:  # the restore itself is done; say what is left to do
        return f"{type(error).__name__}: {error}"
    return None


# --- PostgreSQL client tools ------------------------------------------------------------------


@dataclass(frozen=True)
class PgTool:
    path: Path
    major: int


def pg_tool(name: str, *, major: int, search_dirs: Iterable[Path] | None = None) -> PgTool:
    """The PostgreSQL client program `name` for a server of version `major`: the same major
    version if there is one, else the oldest newer one (pg_dump refuses a server newer than
    itself; pg_restore reads no archive from a newer pg_dump). Looks on PATH, then in Debian's
    /usr/lib/postgresql/<version>/bin."""
    if search_dirs is None:
        on_path = [Path(entry) for entry in os.environ.get("PATH", "").split(os.pathsep) if entry]
        search_dirs = [*on_path, *sorted(Path("/").glob(PG_BIN_DIRS.lstrip("/")))]
    found: dict[int, Path] = {}
    for directory in search_dirs:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            candidate_major = _tool_major(candidate)
            if candidate_major is not None:
                found.setdefault(candidate_major, candidate)
    usable = sorted(version for version in found if version >= major)
    if not usable:
        seen = ", ".join(f"{found[version]} ({version})" for version in sorted(found)) or "none"
        raise BackupError(
            f"{name} for PostgreSQL {major} or newer was not found on PATH or in {PG_BIN_DIRS} "
            f"(found: {seen}). Install PostgreSQL's client programs, e.g. "
            f"`apt install postgresql-client-{major}`, or put their folder on PATH."
        )
    chosen = major if major in found else usable[0]
    return PgTool(path=found[chosen], major=chosen)


def _tool_major(path: Path) -> int | None:
    try:
        result = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(found.group(1)) if found else None


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _libpq_env() -> dict[str, str]:
    """The connection settings for PostgreSQL's programs, in their environment: the password
    never appears on a command line (`ps` shows those to every user)."""
    database = connection.settings_dict
    env = {**os.environ}
    for setting, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(setting):
            env[variable] = str(database[setting])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
    ):
        if database.get("OPTIONS", {}).get(option):
            env[variable] = str(database["OPTIONS"][option])
    return env


def _run(command: list, *, what: str) -> None:
    result = subprocess.run(
        [str(part) for part in command] + ["--no-password"],
        env=_libpq_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BackupError(f"{what} failed: {result.stderr.strip()[-2000:] or 'no output'}")


# --- Shared -----------------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"Folkmoot cannot back up a {connection.vendor} database.")
    if connection.vendor == "postgresql":
        try:
            connection.ensure_connection()
        except OperationalError as error:
            raise BackupError(
                f"Cannot reach the PostgreSQL database DATABASE_URL names: {str(error).strip()}"
            ) from error
    return connection.vendor


def _media_root() -> Path | None:
    """The uploads folder, or None when uploads live elsewhere (S3-compatible storage keeps its
    own copies)."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(settings.MEDIA_ROOT)


def _folkmoot_version() -> str:
    try:
        return package_version("folkmoot")
    except PackageNotFoundError:
        return "unknown"


def _known_migrations() -> set[tuple[str, str]]:
    """Every migration this code has, and the ones its squashed migrations replaced."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replaced = {key for migration in loader.replacements.values() for key in migration.replaces}
    return set(loader.disk_migrations) | replaced
