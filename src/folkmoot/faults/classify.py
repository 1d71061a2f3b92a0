"""Which exceptions are faults of the machine rather than bugs, and what to tell the user.

A fault is transient from the user's point of view: the same request can succeed later, so it
is answered 503 with Retry-After. The database raised it, so the transaction it happened in
was rolled back: nothing of that write was saved, unless it was raised after the commit (by a
callback), which `raised_after_commit` tells. Redis is not here: the cache never raises
(faults/cache.py).
"""

import errno
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    BUSY = "busy"
    READ_ONLY = "read-only"
    FULL = "full"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Fault:
    kind: Kind
    # Completes "The forum could not save your post because …" (in the reader's language).
    because: str | Promise
    retry_after: int
    status: int = 503


FAULTS = {
    Kind.BUSY: Fault(
        Kind.BUSY, _("its database was busy with other changes and did not answer in time"), 5
    ),
    Kind.READ_ONLY: Fault(
        Kind.READ_ONLY,
        _("its database is read-only at the moment (maintenance or a fail-over)"),
        60,
    ),
    Kind.FULL: Fault(Kind.FULL, _("the server has run out of disk space"), 300),
    Kind.UNAVAILABLE: Fault(Kind.UNAVAILABLE, _("it cannot reach its database right now"), 30),
}

# PostgreSQL SQLSTATE codes (psycopg puts them on the error Django wraps).
_SQLSTATES = {
    "25006": Kind.READ_ONLY,  # read_only_sql_transaction
    "53100": Kind.FULL,  # disk_full
    "53200": Kind.BUSY,  # out_of_memory
    "53300": Kind.BUSY,  # too_many_connections
    "55P03": Kind.BUSY,  # lock_not_available (lock_timeout)
    "57014": Kind.BUSY,  # query_canceled (statement_timeout)
    "40001": Kind.BUSY,  # serialization_failure
    "40P01": Kind.BUSY,  # deadlock_detected
    "57P01": Kind.UNAVAILABLE,  # admin_shutdown
    "57P02": Kind.UNAVAILABLE,  # crash_shutdown
    "57P03": Kind.UNAVAILABLE,  # cannot_connect_now (starting up, recovering)
}

# SQLite says what went wrong only in the message.
_SQLITE_MESSAGES = (
    ("database is locked", Kind.BUSY),
    ("database table is locked", Kind.BUSY),
    ("readonly database", Kind.READ_ONLY),
    ("database or disk is full", Kind.FULL),
    ("disk i/o error", Kind.UNAVAILABLE),
    ("unable to open database", Kind.UNAVAILABLE),
)

_ERRNOS = {
    errno.ENOSPC: Kind.FULL,
    errno.EDQUOT: Kind.FULL,
    errno.EROFS: Kind.READ_ONLY,
}


def classify(error: BaseException) -> Fault | None:
    """The fault `error` is, or None for anything else (a bug: a plain 500)."""
    kind = _kind(error)
    return FAULTS[kind] if kind else None


def _kind(error: BaseException) -> Kind | None:
    if isinstance(error, DatabaseError):
        sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
        if sqlstate in _SQLSTATES:
            return _SQLSTATES[sqlstate]
        if sqlstate.startswith("08"):  # connection_exception
            return Kind.UNAVAILABLE
        message = str(error).lower()
        for fragment, kind in _SQLITE_MESSAGES:
            if fragment in message:
                return kind
        if isinstance(error, InterfaceError) or (
            isinstance(error, OperationalError) and "connect" in message
        ):
            return Kind.UNAVAILABLE
        return None
    if isinstance(error, OSError) and error.errno in _ERRNOS:
        return _ERRNOS[error.errno]
    return None


def raised_after_commit(error: BaseException) -> bool:
    """Whether `error` came from an after-commit callback: the write itself was saved, and the
    user must not be told otherwise (nor to send it again)."""
    traceback = error.__traceback__
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_name in _COMMIT_HOOK_RUNNERS and code.co_filename.endswith(_DJANGO_CONNECTION):
            return True
        traceback = traceback.tb_next
    return False


# Django runs after-commit callbacks here: after a commit, or at once outside a transaction.
_COMMIT_HOOK_RUNNERS = {"run_and_clear_commit_hooks", "on_commit"}
_DJANGO_CONNECTION = str(Path("django", "db", "backends", "base", "base.py"))
