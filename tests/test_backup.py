"""`folkmoot backup` and `folkmoot restore`, run as real processes against the database the suite
is on (SQLite, or PostgreSQL when DATABASE_URL says so), with real uploads on disk.

Restores go into a separate install: a fresh data folder, and for PostgreSQL a scratch database
created and dropped here. Rows are compared table by table, every column, read with raw SQL, so
no model, allauth table, session or task row can be missed.
"""

import hashlib
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tarfile
import threading
import uuid
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from folkmoot.backup import BackupError, pg_tool
from folkmoot.composer import services as composer_services
from folkmoot.composer.models import LinkPreview, UploadPolicy
from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from folkmoot.moderation import services as moderation_services
from folkmoot.moderation.models import Ban
from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.guests import guest_reply
from tests.images import image_bytes

pytestmark = pytest.mark.e2e
real_database = pytest.mark.django_db(transaction=True)
ON_POSTGRESQL = connection.vendor == "postgresql"
# Tables the round trip must find rows in: every kind of data a forum holds.
MUST_HOLD_ROWS = [
    "accounts_user",
    "accounts_user_groups",
    "accounts_guestpost",
    "account_emailaddress",
    "auth_group",
    "django_session",
    "django_tasks_database_dbtaskresult",
    "forums_category",
    "forums_category_moderators",
    "discussions_topic",
    "discussions_post",
    "discussions_postrevision",
    "composer_attachment",
    "composer_draft",
    "composer_linkpreview",
    "composer_uploadpolicy",
    "moderation_ban",
    "moderation_queuedpost",
    "moderation_moderationlog",
]


@dataclass(frozen=True)
class Install:
    """A Folkmoot install the CLI runs against: a data folder and a database."""

    data_dir: Path
    database_url: str

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    def run(self, *arguments: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "FOLKMOOT_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.database_url,
        }
        return subprocess.run(
            [sys.executable, "-m", "folkmoot.cli", *arguments],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def backup(self, folder: Path) -> Path:
        result = self.run("backup", "--output", str(folder))
        assert result.returncode == 0, result.stderr
        return Path(re.search(r"Backup written to (.+)", result.stdout).group(1))

    def every_row(self) -> dict[str, list[tuple]]:
        return every_row(self.database_url)

    def files(self) -> dict[str, bytes]:
        if not self.media.exists():
            return {}
        return {
            path.relative_to(self.media).as_posix(): path.read_bytes()
            for path in self.media.rglob("*")
            if path.is_file()
        }


def _url_of(settings_dict: dict, name: str) -> str:
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings_dict['PORT'] or 5432}/{name}"


def every_row(database_url: str) -> dict[str, list[tuple]]:
    """Every row of every table (and, on PostgreSQL, where every sequence stands)."""
    if database_url.startswith("sqlite"):
        database = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        tables = [
            row[0]
            for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        sequences = []
    else:
        database = psycopg.connect(database_url)
        tables = [
            row[0]
            for row in database.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        ]
        sequences = database.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "ORDER BY sequencename"
        ).fetchall()
    rows = {"(sequences)": sequences}
    with database:
        for table in tables:
            cursor = database.execute(f'SELECT * FROM "{table}" LIMIT 0')
            order = ", ".join(str(column + 1) for column in range(len(cursor.description)))
            rows[table] = database.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
    database.close()
    return rows


@pytest.fixture
def live(tmp_path, settings) -> Install:
    """The install the suite's own database and uploads belong to."""
    database = connection.settings_dict
    url = f"sqlite:///{database['NAME']}"
    if ON_POSTGRESQL:
        url = _url_of(database, database["NAME"])
    settings.MEDIA_ROOT = tmp_path / "live" / "media"
    return Install(data_dir=tmp_path / "live", database_url=url)


@pytest.fixture
def fresh(tmp_path) -> Install:
    """A new install with an empty database: a new file, or a scratch PostgreSQL database."""
    data_dir = tmp_path / "fresh"
    if not ON_POSTGRESQL:
        yield Install(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'folkmoot.sqlite3'}")
        return
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"[-63:]
    admin_url = _url_of(settings_dict, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield Install(data_dir=data_dir, database_url=_url_of(settings_dict, name))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def fill_the_forum(client_factory, media: Path) -> None:
    """A bit of everything a forum holds, made the way the site makes it."""
    staff = MemberFactory(is_staff=True, is_superuser=True)
    member = MemberFactory()
    open_category = CategoryFactory(name="Open")
    open_category.moderators.add(member)
    held_category = CategoryFactory(name="Held", moderate_new_members=True)
    topic = make_topic(category=open_category, author=member, replies=3)
    first = topic.posts.get(number=1)
    services.edit_post(post=first, editor=member, body="The first post, **edited** once.")
    services.delete_post(post=topic.posts.get(number=3), actor=staff)
    newcomer = MemberFactory()
    for title in ("Hello from a newcomer", "A second topic, also held"):
        held = services.start_topic(
            category=held_category, author=newcomer, title=title, body="Hi all"
        )
    moderation_services.approve_post(post=held.posts.get(), moderator=staff)

    guest_reply(client_factory(), topic, body="A guest's reply, waiting for its author")
    client_factory().force_login(member)  # a session

    trusted = Group.objects.create(name="Trusted")
    UploadPolicy.objects.create(group=trusted, max_file_bytes=2_000_000)
    member.groups.add(trusted)
    photo = SimpleUploadedFile("photo.png", image_bytes(), content_type="image/png")
    attachment = composer_services.upload_image(owner=member, uploaded_file=photo)
    services.reply(
        topic=topic, author=member, body=f"Look: ![photo](/media/{attachment.file.name})"
    )
    composer_services.save_draft(author=member, key=f"topic-{topic.pk}", body="Half-wri", seq=0)
    LinkPreview.objects.create(
        url_hash=hashlib.sha256(b"https://example.org/").hexdigest(),
        url="https://example.org/",
        status=LinkPreview.Status.OK,
        title="Example — ünïcode",
    )
    Ban.objects.create(email="spammer@example.com", reason="spam")
    # Files with every byte value and names tar and filesystems find awkward.
    odd = media / "attachments" / "2026" / "11"
    odd.mkdir(parents=True, exist_ok=True)
    (odd / "every byte.bin").write_bytes(bytes(range(256)) * 64)
    (odd / "ümlaut-café.txt").write_bytes("naïve\n".encode())
    (media / "empty").write_bytes(b"")


@real_database
def test_a_restored_backup_holds_every_row_of_every_table_and_every_upload_byte_for_byte(
    live, fresh, client_factory, tmp_path
):
    fill_the_forum(client_factory, live.media)
    before, files_before = live.every_row(), live.files()
    model_tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed  # not django_rq's table-less dashboard model
    }
    assert model_tables <= before.keys(), "every installed model's table is compared"
    assert [table for table in MUST_HOLD_ROWS if not before[table]] == []
    assert len(files_before) == 4

    result = live.run("backup", "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    archive = Path(re.search(r"Backup written to (.+)", result.stdout).group(1))
    assert archive.parent == tmp_path
    assert re.fullmatch(r"folkmoot-backup-\d{4}-\d\d-\d\d-\d{6}\.tar\.gz", archive.name)
    assert f"the {'PostgreSQL' if ON_POSTGRESQL else 'SQLite'} database and 4 uploaded files" in (
        result.stdout
    )
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # password hashes, sessions

    assert fresh.run("migrate").returncode == 0  # an emptied database: tables, no content
    result = fresh.run("restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "Restored the" in result.stdout and "4 uploaded files" in result.stdout

    after = fresh.every_row()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], f"{table} differs after the round trip"
    assert fresh.files() == files_before


def consistency_problems(database_url: str) -> list[str]:
    """Counters and links that must agree in any moment of the forum's database."""
    checks = {
        "posts without their topic": """
            SELECT COUNT(*) FROM discussions_post p
            LEFT JOIN discussions_topic t ON t.id = p.topic_id WHERE t.id IS NULL""",
        "topics whose post_count is wrong": """
            SELECT COUNT(*) FROM discussions_topic t WHERE t.post_count <> (
                SELECT COUNT(*) FROM discussions_post p
                WHERE p.topic_id = t.id AND p.status = 'published')""",
        "topics whose last_post is not their latest post": """
            SELECT COUNT(*) FROM discussions_topic t WHERE t.last_post_id IS DISTINCT FROM (
                SELECT p.id FROM discussions_post p
                WHERE p.topic_id = t.id AND p.status = 'published'
                ORDER BY p.number DESC LIMIT 1)""",
        "topics whose next_number is wrong": """
            SELECT COUNT(*) FROM discussions_topic t WHERE t.next_number <> 1 + (
                SELECT COALESCE(MAX(p.number), 0) FROM discussions_post p
                WHERE p.topic_id = t.id)""",
        "categories whose post_count is wrong": """
            SELECT COUNT(*) FROM forums_category c WHERE c.post_count <> (
                SELECT COALESCE(SUM(t.post_count), 0) FROM discussions_topic t
                WHERE t.category_id = c.id)""",
        "members whose post_count is wrong": """
            SELECT COUNT(*) FROM accounts_user u WHERE u.post_count <> (
                SELECT COUNT(*) FROM discussions_post p
                WHERE p.author_id = u.id AND p.status = 'published')""",
    }
    if database_url.startswith("sqlite"):
        database = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    else:
        database = psycopg.connect(database_url)
    with database:
        found = {name: database.execute(sql).fetchone()[0] for name, sql in checks.items()}
    database.close()
    return [f"{count} {name}" for name, count in found.items() if count]


def published_posts(database_url: str) -> int:
    sql = "SELECT COUNT(*) FROM discussions_post WHERE status = 'published'"
    if database_url.startswith("sqlite"):
        database = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    else:
        database = psycopg.connect(database_url)
    with database:
        count = database.execute(sql).fetchone()[0]
    database.close()
    return count


@real_database
def test_a_backup_taken_while_replies_keep_coming_is_one_consistent_moment(live, fresh, tmp_path):
    categories = [CategoryFactory(), CategoryFactory()]
    members = [MemberFactory() for _ in range(4)]
    topics = [make_topic(category=categories[n % 2], author=members[n]) for n in range(4)]
    stop, errors, written = threading.Event(), [], []

    def keep_replying():
        try:
            for number, (topic, author) in enumerate(zip(cycle(topics), cycle(members[1:]))):
                if stop.is_set():
                    break
                services.reply(
                    topic=topic, author=author, body=f"Reply {number}", enforce_limits=False
                )
                written.append(number)
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    writer = threading.Thread(target=keep_replying)
    writer.start()
    try:
        while len(written) < 20 and writer.is_alive():
            stop.wait(0.05)
        posts_when_backup_started = published_posts(live.database_url)
        archive = live.backup(tmp_path)
        written_by_then = len(written)
        while len(written) < written_by_then + 5 and writer.is_alive():
            stop.wait(0.05)
    finally:
        stop.set()
        writer.join()
    assert errors == []
    assert consistency_problems(live.database_url) == []  # the checks hold at rest
    posts_at_the_end = published_posts(live.database_url)

    result = fresh.run("restore", str(archive))
    assert result.returncode == 0, result.stderr
    restored = published_posts(fresh.database_url)
    # The copy is a moment taken while the replies were being written...
    assert posts_when_backup_started < restored < posts_at_the_end
    # ...and in that moment every counter agrees with the posts.
    assert consistency_problems(fresh.database_url) == []


def rewritten(archive: Path, target: Path, *, manifest=None, files=None, sums=True) -> Path:
    """A copy of `archive` with some manifest fields or member contents changed; with
    `sums=True` its checksum list is rewritten to match, as a careful forger would."""
    members = {}
    with tarfile.open(archive) as source:
        for member in source.getmembers():
            if member.isfile():
                members[member.name] = source.extractfile(member).read()
    if manifest:
        members["manifest.json"] = json.dumps(
            {**json.loads(members["manifest.json"]), **manifest}
        ).encode()
    members.update(files or {})
    if sums:
        members["SHA256SUMS"] = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n"
            for name, data in members.items()
            if name != "SHA256SUMS"
        ).encode()
    order = ["manifest.json", *(name for name in members if name != "manifest.json")]
    order.remove("SHA256SUMS")
    with tarfile.open(target, "w:gz") as copy:
        for name in [*order, "SHA256SUMS"]:
            info = tarfile.TarInfo(name)
            info.size = len(members[name])
            copy.addfile(info, io.BytesIO(members[name]))
    return target


@pytest.fixture
def backed_up(live, client_factory, tmp_path) -> tuple[Install, Path]:
    """The live install with content, and a backup of it."""
    fill_the_forum(client_factory, live.media)
    return live, live.backup(tmp_path)


@real_database
def test_restore_refuses_a_backup_of_the_other_database_and_changes_nothing(
    backed_up, fresh, tmp_path
):
    live, archive = backed_up
    other = "sqlite" if ON_POSTGRESQL else "postgresql"
    foreign = rewritten(archive, tmp_path / "foreign.tar.gz", manifest={"database": other})
    before = live.every_row()

    result = live.run("restore", str(foreign), "--yes")

    assert result.returncode == 1
    theirs, ours = ("SQLite", "PostgreSQL") if ON_POSTGRESQL else ("PostgreSQL", "SQLite")
    assert f"This backup holds a {theirs} database, but this Folkmoot uses {ours}" in result.stderr
    assert "Nothing was changed." in result.stderr
    assert live.every_row() == before


@real_database
def test_restore_refuses_a_backup_from_newer_migrations_and_changes_nothing(backed_up, tmp_path):
    live, archive = backed_up
    with tarfile.open(archive) as source:
        migrations = json.loads(source.extractfile("manifest.json").read())["migrations"]
    migrations["discussions"].append("0099_from_a_newer_folkmoot")
    newer = rewritten(archive, tmp_path / "newer.tar.gz", manifest={"migrations": migrations})
    before, files_before = live.every_row(), live.files()

    result = live.run("restore", str(newer), "--yes")

    assert result.returncode == 1
    assert "This backup comes from a newer Folkmoot" in result.stderr
    assert "discussions.0099_from_a_newer_folkmoot" in result.stderr
    assert "Upgrade Folkmoot, then restore." in result.stderr
    assert live.every_row() == before and live.files() == files_before


def truncated(archive: Path, target: Path) -> Path:
    data = archive.read_bytes()
    target.write_bytes(data[: len(data) * 2 // 3])
    return target


def one_byte_changed_in_the_database(archive: Path, target: Path) -> Path:
    """A valid gzip and tar whose database differs from its recorded checksum."""
    with tarfile.open(archive) as source:
        name = next(n for n in source.getnames() if n.startswith("database."))
        data = bytearray(source.extractfile(name).read())
    data[len(data) // 2] ^= 0xFF
    return rewritten(archive, target, files={name: bytes(data)}, sums=False)


def garbage_database_with_matching_checksums(archive: Path, target: Path) -> Path:
    with tarfile.open(archive) as source:
        name = next(n for n in source.getnames() if n.startswith("database."))
    return rewritten(archive, target, files={name: os.urandom(8192)})


@real_database
@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (truncated, "is damaged or not a Folkmoot backup"),
        (one_byte_changed_in_the_database, "fails its checksum"),
        (
            garbage_database_with_matching_checksums,
            "pg_restore failed" if ON_POSTGRESQL else "The database in the backup is damaged",
        ),
    ],
)
def test_restore_refuses_a_damaged_archive_and_changes_nothing(backed_up, tmp_path, damage, says):
    live, archive = backed_up
    damaged = damage(archive, tmp_path / "damaged.tar.gz")
    before, files_before = live.every_row(), live.files()

    result = live.run("restore", str(damaged), "--yes")

    assert result.returncode == 1
    assert says in result.stderr
    assert "left as it was" in result.stderr or "Nothing was changed." in result.stderr
    assert live.every_row() == before
    assert live.files() == files_before
    assert [p.name for p in live.data_dir.iterdir() if p.name.startswith(".folkmoot")] == []


@real_database
def test_restore_asks_for_yes_before_replacing_a_database_that_holds_data(
    backed_up, client_factory
):
    live, archive = backed_up
    at_backup, files_at_backup = live.every_row(), live.files()
    topic = make_topic(title="Written after the backup", replies=2)
    (live.media / "after-the-backup.png").write_bytes(image_bytes())
    now = live.every_row()

    refused = live.run("restore", str(archive))

    assert refused.returncode == 1
    assert "The database already holds data" in refused.stderr
    assert "run again with --yes" in refused.stderr
    assert live.every_row() == now
    assert (live.media / "after-the-backup.png").exists()

    restored = live.run("restore", str(archive), "--yes")

    assert restored.returncode == 0, restored.stderr
    assert live.every_row() == at_backup
    assert live.files() == files_at_backup
    assert not Post.objects.filter(topic_id=topic.pk).exists()


@real_database
@pytest.mark.skipif(not ON_POSTGRESQL, reason="a PostgreSQL restore's single transaction")
def test_a_postgresql_restore_that_fails_half_way_rolls_back_to_the_database_as_it_was(
    backed_up, tmp_path
):
    """A dump granting rights to a role this server lacks fails at its very end, after every
    table was dropped and refilled: all of that must roll back."""
    live, _ = backed_up
    role = f"folkmoot_backup_reader_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}"')
        cursor.execute(f'GRANT SELECT ON discussions_post TO "{role}"')
    archive = live.backup(tmp_path / "with-grant")
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE SELECT ON discussions_post FROM "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')
    make_topic(title="Only in the database, not in the backup")
    before, files_before = live.every_row(), live.files()

    result = live.run("restore", str(archive), "--yes")

    assert result.returncode == 1
    assert "psql failed, so the database was left as it was" in result.stderr
    assert f'role "{role}" does not exist' in result.stderr
    assert live.every_row() == before
    assert live.files() == files_before


def fake_tool(folder: Path, name: str, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version} (Debian)'\n")
    program.chmod(0o755)
    return folder


def test_pg_dump_of_the_servers_version_is_preferred_to_a_newer_one(tmp_path):
    newer = fake_tool(tmp_path / "17", "pg_dump", "17.2")
    same = fake_tool(tmp_path / "15", "pg_dump", "15.20")
    assert pg_tool("pg_dump", major=15, search_dirs=[newer, same]).path == same / "pg_dump"
    older = fake_tool(tmp_path / "14", "pg_dump", "14.1")
    assert pg_tool("pg_dump", major=16, search_dirs=[older, newer]).major == 17


def test_a_missing_or_too_old_pg_dump_is_a_clear_error(tmp_path):
    with pytest.raises(BackupError) as missing:
        pg_tool("pg_dump", major=15, search_dirs=[tmp_path])
    assert "pg_dump for PostgreSQL 15 or newer was not found" in str(missing.value)
    assert "apt install postgresql-client-15" in str(missing.value)

    older = fake_tool(tmp_path / "13", "pg_dump", "13.9")
    with pytest.raises(BackupError) as too_old:
        pg_tool("pg_dump", major=15, search_dirs=[older])
    assert f"found: {older / 'pg_dump'} (13)" in str(too_old.value)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs the PostgreSQL server the suite runs on")
@real_database
def test_the_pg_dump_found_on_this_machine_matches_the_server():
    tool = pg_tool("pg_dump", major=connection.pg_version // 10000)
    version = subprocess.run([tool.path, "--version"], capture_output=True, text=True).stdout
    assert f"(PostgreSQL) {connection.pg_version // 10000}." in version


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump runs only for PostgreSQL")
@real_database
def test_pg_dump_gets_the_password_from_its_environment_never_its_command_line(live, tmp_path):
    """`ps` shows every user the command lines of every process."""
    real = pg_tool("pg_dump", major=connection.pg_version // 10000)
    spy = tmp_path / "spy"
    spy.mkdir()
    (spy / "pg_dump").write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {tmp_path}/argv\n'
        f'echo "$PGPASSWORD" >> {tmp_path}/password\n'
        f'exec {real.path} "$@"\n'
    )
    (spy / "pg_dump").chmod(0o755)
    password = connection.settings_dict["PASSWORD"] or "s3cret-in-the-url"
    database_url = _url_of(
        {**connection.settings_dict, "PASSWORD": password}, connection.settings_dict["NAME"]
    )
    env = {
        **os.environ,
        "PATH": f"{spy}{os.pathsep}{os.environ['PATH']}",
        "DATABASE_URL": database_url,
        "FOLKMOOT_DATA_DIR": str(live.data_dir),
    }

    result = subprocess.run(
        [sys.executable, "-m", "folkmoot.cli", "backup", "--output", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stderr
    dump_calls = [line for line in (tmp_path / "argv").read_text().splitlines() if "--file" in line]
    assert len(dump_calls) == 1
    assert password not in dump_calls[0]
    assert password in (tmp_path / "password").read_text()
