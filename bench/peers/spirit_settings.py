"""Settings for the django-spirit peer: the project template's production settings on SQLite.

Copied by spirit.sh into the generated project as `<project>/settings/bench.py`. Everything not
set here is what `spirit startproject` writes (DEBUG off in prod.py, the DatabaseCache that
`spiritinstall` creates the tables of, the Whoosh search index, ManifestStaticFilesStorage).
"""

import os

from .prod import *  # noqa: F403 (the template's way: prod_local.py imports prod's names)
from .prod import BASE_DIR

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ST_SITE_URL = "http://127.0.0.1/"
SECRET_KEY = os.environ.get("SECRET_KEY", "folkmoot-bench-peer-not-secret")

# The same SQLite tuning Folkmoot ships with (folkmoot/settings.py): WAL so readers never wait
# for the writer, IMMEDIATE transactions and a timeout so Spirit's per-view writes (view count,
# bookmark, last seen) queue instead of failing with "database is locked" under load.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(BASE_DIR, "spirit.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}

# Mail goes nowhere (the template's prod settings would try SMTP on localhost).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Errors on stderr, not a django.log in the project nor mail to the template's example admin.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "ERROR"}},
}
