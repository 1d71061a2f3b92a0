"""Folkmoot settings: one module, configured from the environment.

With no environment at all, Folkmoot runs on SQLite under ./var/ with a generated secret key.
Every knob an operator may turn is read here from an environment variable (see README.md).
"""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, REPORT_SAMPLE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """CIDR networks, checked at start-up so a typo stops the server instead of a fetch."""
    return [str(ipaddress.ip_network(item, strict=False)) for item in env_list(name)]


DATA_DIR = Path(os.environ.get("FOLKMOOT_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _load_or_create_secret_key() -> str:
    """Keep a generated key in the data dir so sessions survive restarts."""
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _load_or_create_secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies (addresses or ranges) whose X-Forwarded-For is believed; empty: none, and
# the client is the TCP peer (folkmoot/client_address.py).
FOLKMOOT_TRUSTED_PROXIES = env_list("FOLKMOOT_TRUSTED_PROXIES")
SITE_NAME = os.environ.get("FOLKMOOT_SITE_NAME", "Folkmoot")
# The host name readers reach the site by (emails, sitemap.xml): by default the first of
# ALLOWED_HOSTS that is a plain name.
SITE_DOMAIN = os.environ.get("FOLKMOOT_SITE_DOMAIN") or next(
    (host for host in ALLOWED_HOSTS if host not in ("*",) and not host.startswith(".")),
    "localhost",
)
SITE_ID = 1

INSTALLED_APPS = [
    # Without autodiscovery: folkmoot/admin_urls.py finds the apps' admin modules on the first
    # admin request, so the worker and the site's workers do not hold the admin until then.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "folkmoot.accounts",
    "folkmoot.guests",
    "folkmoot.forums",
    "folkmoot.discussions",
    "folkmoot.composer",
    "folkmoot.moderation",
    "folkmoot.mail",
    "folkmoot.worker",
    "folkmoot.search",
    "folkmoot.people",
    "folkmoot.notifications",
]

MIDDLEWARE = [
    # Compresses pages (the topic page is ~5x smaller). Pages carry CSRF tokens, so BREACH
    # applies: Django masks the form token afresh in every response and this middleware pads
    # each gzip stream with random bytes ("Heal the BREACH"), which together defeat it.
    # (Cached pages come compressed already, and it passes them on as they are.)
    "django.middleware.gzip.GZipMiddleware",
    # Anonymous readers' cached pages, before everything that a stored copy already carries
    # the headers of: a copy is what the rest of the stack made of the page, so a hit is
    # served as is, here or before Django runs at all (page_cache.CachedPagesFirst).
    "folkmoot.discussions.page_cache.PageCacheMiddleware",
    # So everything after it (limits, bans, allauth) sees the client, not the proxy.
    "folkmoot.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Dates in a signed-in member's chosen time zone.
    "folkmoot.people.middleware.MemberTimeZoneMiddleware",
    # Pages in the member's language, else the one picked in the footer, else the site's.
    "folkmoot.languages.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Database locked, read-only, full or unreachable: a 503 page that keeps the user's text.
    "folkmoot.faults.middleware.FaultMiddleware",
]

ROOT_URLCONF = "folkmoot.urls"
WSGI_APPLICATION = "folkmoot.wsgi.application"
ASGI_APPLICATION = "folkmoot.asgi.application"

# The live server (`folkmoot serve`'s second process, folkmoot/live/asgi.py) serves only the
# Server-Sent Events streams, with only what they need: no compression (it would hold events
# back), no CSRF (they are GETs), no page cache.
if os.environ.get("FOLKMOOT_LIVE_SERVER"):
    ROOT_URLCONF = "folkmoot.live.urls"
    MIDDLEWARE = [
        "folkmoot.client_address.ClientAddressMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "allauth.account.middleware.AccountMiddleware",  # allauth refuses to start without
    ]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "folkmoot.context_processors.site",
            ],
            "builtins": ["folkmoot.template_filters"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default: WAL so readers never wait for the writer, IMMEDIATE transactions so two
# writers queue on the lock instead of failing half-way with "database is locked".
_DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'folkmoot.sqlite3'}"
# A new PostgreSQL connection costs about half of a small page, so each server thread keeps its
# own, checked before reuse (a restarted server costs one failed check, not an error page).
# SQLite's connection is kept too: opening the file (with its PRAGMAs) and closing it (the last
# connection to close checkpoints the WAL) cost ~2 ms of a 10 ms fresh topic page.
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests get their own database file next to the real one, never an in-memory one, so the
    # live server thread and the test share data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

# Behind PgBouncer in transaction pooling, a cursor cannot outlive its transaction: the few
# long scans (.iterator()) then read their whole result at once instead (docs/scale-out.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS"
)

# Read replicas of the primary (PostgreSQL streaming replicas, or anything that copies it):
# anonymous readers' pages are read from them, everything else from the primary
# (folkmoot/replicas.py, docs/scale-out.md). Tests read them as the primary unless told.
for _number, _replica_url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    DATABASES[f"replica_{_number}"] = {
        **dj_database_url.parse(
            _replica_url,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["folkmoot.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "folkmoot.replicas.ReplicaMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"


# --- Cache: local memory by default, Redis when REDIS_URL is set ------------------------------
def redis_caches(url: str) -> dict:
    """Redis as a cache the site survives losing (folkmoot/faults/cache.py): short socket
    timeouts, and while Redis is down reads miss, writes are skipped and pages render uncached."""
    timeout = float(os.environ.get("FOLKMOOT_REDIS_TIMEOUT_SECONDS", 0.5))
    return {
        "default": {
            "BACKEND": "folkmoot.faults.cache.DegradingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("FOLKMOOT_CACHE_PREFIX", "folkmoot"),
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "RETRY_AFTER_SECONDS": env_int("FOLKMOOT_REDIS_RETRY_SECONDS", 5),
            },
        }
    }


REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)  # also holds the anonymous pages: one connection pool
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},  # rendered post frames are most of it
        },
        # Anonymous topic pages and their versions (discussions/page_cache.py) must be the
        # same for every process (`serve --workers N`, the worker): files in the data dir.
        "pages": {
            "BACKEND": "folkmoot.file_cache.SharedFileCache",
            "LOCATION": str(DATA_DIR / "page-cache"),
            "OPTIONS": {"MAX_ENTRIES": env_int("FOLKMOOT_PAGE_CACHE_ENTRIES", 15_000)},
        },
    }

# --- Background tasks -------------------------------------------------------------------------
# In the database by default (no broker on one machine); on RQ when Redis is there, so queueing
# a task costs the database nothing and many workers share one queue (docs/scale-out.md).
DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_TASKS_BACKEND = "django_tasks_rq.RQBackend"
TASKS_BACKEND = os.environ.get("FOLKMOOT_TASKS_BACKEND") or (
    RQ_TASKS_BACKEND if REDIS_URL else DATABASE_TASKS_BACKEND
)
if TASKS_BACKEND == RQ_TASKS_BACKEND:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # No RQ dashboard in the admin: its model has no table (some admin pages would answer 500).
    RQ_SHOW_ADMIN_LINK = False
    # A job longer than this (a fetch has its own, shorter deadline) is stopped by RQ.
    RQ_QUEUES = {
        queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("FOLKMOOT_TASK_TIMEOUT_SECONDS", 600)}
        for queue in ("default", "fetches")
    }
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKEND,
        # "fetches": link previews and image copies, served by a worker of their own.
        "QUEUES": ["default", "fetches"],
    }
}
# A task still marked running this long after it started, whose worker has not been seen for
# as long, was cut short (a killed worker): `folkmoot worker` runs it again (folkmoot/worker).
TASK_LEASE_SECONDS = env_int("FOLKMOOT_TASK_LEASE_SECONDS", 60)

# --- Accounts (django-allauth) ----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Guests' posts waiting under a member's address are shown to them on sign-in, never claimed
# for them (accounts/adapter.py).
ACCOUNT_ADAPTER = "folkmoot.guests.adapter.AccountAdapter"
# Sign-up and password reset answer the same whether the address has an account; the mail
# to the address says which it was.
ACCOUNT_PREVENT_ENUMERATION = True
# Counted in Django's cache (Redis when REDIS_URL is set, else per process), per client IP
# address or per account/address ("key"). Past a limit allauth answers 429, or refuses in the
# form for failed sign-ins and repeated confirmation emails.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip,30/h/ip",
    "reset_password": "10/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# Argon2id for new and changed passwords; older hashes still verify and are upgraded to it on
# the member's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Email: queued, then sent by the worker (folkmoot/mail) ------------------------------------
# Nothing talks to a mail server in a request: every email is stored in the outbox and sent by
# a background task through EMAIL_TRANSPORT (SMTP, or the console without EMAIL_HOST), with a
# timeout and retries with backoff.
EMAIL_BACKEND = "folkmoot.mail.backend.OutboxBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds a socket operation with the mail server may take before the attempt fails.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_TRANSPORT = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# An email that fails is tried again after 1, 2, 4… minutes, this many times in all.
EMAIL_SEND_ATTEMPTS = env_int("FOLKMOOT_EMAIL_ATTEMPTS", 8)
EMAIL_RETRY_SECONDS = env_int("FOLKMOOT_EMAIL_RETRY_SECONDS", 60)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Folkmoot <noreply@localhost>")

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# `folkmoot serve` collects (and gzips) static files first and says so; everything else (the
# demo, tests) serves them straight from the package.
WHITENOISE_USE_FINDERS = not env_bool("FOLKMOOT_STATIC_COLLECTED")
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploads in an S3-compatible bucket instead of MEDIA_ROOT, for more than one app server
# (folkmoot/storage.py). Keys from FOLKMOOT_S3_ACCESS_KEY_ID/…SECRET_ACCESS_KEY, else from
# boto3's usual places (AWS_ACCESS_KEY_ID, an instance role).
if os.environ.get("FOLKMOOT_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "folkmoot.storage.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": os.environ["FOLKMOOT_S3_BUCKET"],
            "endpoint_url": os.environ.get("FOLKMOOT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FOLKMOOT_S3_REGION") or None,
            "access_key": os.environ.get("FOLKMOOT_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("FOLKMOOT_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("FOLKMOOT_S3_PREFIX", ""),
            "file_overwrite": False,  # a second photo.jpg gets a name of its own
            "default_acl": None,  # the bucket's policy decides; files are served by the site
        },
    }

# The site's language: anonymous readers' pages and emails to members who chose none.
LANGUAGE_CODE = os.environ.get("FOLKMOOT_LANGUAGE", "en")
# The languages a member may choose. Arabic has no catalogue yet: it is offered to prove that
# right-to-left layout works (texts fall back to English, the page is mirrored).
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("ar", "العربية")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ValueError(
        f"FOLKMOOT_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}"
    )
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The footer's language menu (Django's set_language view) keeps the choice in this cookie.
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- HTTP security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the composer reads the token from the form, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The site is served over HTTPS (usually by a TLS proxy in front): cookies only travel
# encrypted, plain HTTP is redirected, and browsers are told (HSTS) not to try plain HTTP again.
HTTPS = env_bool("FOLKMOOT_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("FOLKMOOT_HSTS_SECONDS", 31_536_000) if HTTPS else 0
# Subdomains of the forum's own host name (not of its parent domain) are HTTPS too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FOLKMOOT_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole registered domain to HTTPS in browsers for months, a choice for
# the domain's owner, so it is opt-in and `check --deploy` is not asked to nag about it.
SECURE_HSTS_PRELOAD = env_bool("FOLKMOOT_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Only behind a proxy that sets X-Forwarded-Proto itself (overwriting what a client sent): a
# client reaching Folkmoot directly could otherwise claim its plain request was HTTPS.
if env_bool("FOLKMOOT_TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles only from our own files, never
# inline, so an injected <script> or style attribute does nothing. Images may also be data:
# and blob: URLs (the editor's previews of pasted and uploaded images). Uploaded files carry
# their own stricter policy (composer.views.serve_upload). 'report-sample' puts the first
# characters of what was blocked in violation reports, so they say what it was.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, REPORT_SAMPLE],
        "style-src": [SELF, REPORT_SAMPLE],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Forum behaviour --------------------------------------------------------------------------
FOLKMOOT = {
    "POSTS_PER_PAGE": env_int("FOLKMOOT_POSTS_PER_PAGE", 25),
    "TOPICS_PER_PAGE": env_int("FOLKMOOT_TOPICS_PER_PAGE", 30),
    # Topics listed on each page of sitemap.xml's index (the protocol's limit is 50,000).
    "SITEMAP_URLS_PER_PAGE": env_int("FOLKMOOT_SITEMAP_URLS_PER_PAGE", 10_000),
    "TITLE_MAX_LENGTH": 200,
    "POST_MAX_LENGTH": env_int("FOLKMOOT_POST_MAX_LENGTH", 50_000),
    "EMOJI_MAX": env_int("FOLKMOOT_EMOJI_MAX", 75),
    # A second identical post by the same author within this many seconds is the first one.
    "DUPLICATE_WINDOW_SECONDS": env_int("FOLKMOOT_DUPLICATE_WINDOW_SECONDS", 10),
    # Topic pages for anonymous readers are cached whole, at most this long (0: never); any
    # change to a post makes them stale at once (discussions/page_cache.py).
    "PAGE_CACHE_SECONDS": env_int("FOLKMOOT_PAGE_CACHE_SECONDS", 300),
    # Where each page of a category's list begins and ends is kept this long (0: never), so a
    # deep page seeks to its first topic instead of skipping the ones before (page_cache.py);
    # any change in the category makes them stale at once.
    "LIST_MARK_SECONDS": env_int("FOLKMOOT_LIST_MARK_SECONDS", 86400),
    # With read replicas: a browser that wrote reads from the primary this long after, so it
    # sees its own post whatever the replicas' lag.
    "REPLICA_LAG_SECONDS": env_int("FOLKMOOT_REPLICA_LAG_SECONDS", 10),
    # How often an open topic's last page asks whether replies came (0: never).
    "NEW_REPLIES_POLL_SECONDS": env_int("FOLKMOOT_NEW_REPLIES_POLL_SECONDS", 15),
    # Live updates (folkmoot/live/): the live server's port on this host, which `folkmoot
    # serve` sets (0: none; pages poll), and the address pages open streams at when a proxy
    # routes /live/ to it (e.g. "/live/" or "https://live.example.org/live/"; docs/deploy.md).
    "LIVE_PORT": env_int("FOLKMOOT_LIVE_PORT", 0),
    "LIVE_URL": os.environ.get("FOLKMOOT_LIVE_URL", ""),
    "DRAFT_EXPIRY_DAYS": env_int("FOLKMOOT_DRAFT_EXPIRY_DAYS", 30),
    # Drafts kept per member; saving one more removes their least recently saved draft.
    "DRAFTS_PER_MEMBER": max(1, env_int("FOLKMOOT_DRAFTS_PER_MEMBER", 50)),
    # Uploads for members in no group with an upload policy (see composer.UploadPolicy).
    "UPLOADS_DEFAULT": {
        "may_upload": env_bool("FOLKMOOT_MEMBERS_MAY_UPLOAD", True),
        "max_file_bytes": env_int("FOLKMOOT_UPLOAD_MAX_BYTES", 5 * 1024 * 1024),
        "quota_bytes": env_int("FOLKMOOT_UPLOAD_QUOTA_BYTES", 100 * 1024 * 1024),
    },
    "IMAGE_MAX_SIDE": env_int("FOLKMOOT_IMAGE_MAX_SIDE", 2048),
    # Larger images are refused before decoding: a small file can unpack to gigabytes.
    "IMAGE_MAX_PIXELS": env_int("FOLKMOOT_IMAGE_MAX_PIXELS", 40_000_000),
    "UNUSED_ATTACHMENT_HOURS": env_int("FOLKMOOT_UNUSED_ATTACHMENT_HOURS", 24),
    # --- Outbound fetches (fetcher.py): images by URL, link previews, images in posts ---
    "FETCH_CONNECT_TIMEOUT_SECONDS": env_int("FOLKMOOT_FETCH_CONNECT_TIMEOUT", 5),
    # One deadline for a whole fetch, redirects included, however slowly the server answers.
    "FETCH_DEADLINE_SECONDS": env_int("FOLKMOOT_FETCH_DEADLINE", 15),
    "FETCH_MAX_REDIRECTS": 3,
    "FETCH_PORTS": {int(port) for port in env_list("FOLKMOOT_FETCH_PORTS", "80,443")},
    # Networks (CIDR) to open although the special-purpose table closes them, and to close
    # although they are public; the deny list wins.
    "FETCH_ALLOW_NETWORKS": env_networks("FOLKMOOT_FETCH_ALLOW_NETWORKS"),
    "FETCH_DENY_NETWORKS": env_networks("FOLKMOOT_FETCH_DENY_NETWORKS"),
    # Images by URL fetched at once by one web process; more are told to try again.
    "URL_UPLOADS_PER_PROCESS": env_int("FOLKMOOT_URL_UPLOADS_PER_PROCESS", 1),
    # Images shown in posts and preview cards are copied here by the worker, up to this size.
    "REMOTE_IMAGE_MAX_BYTES": env_int("FOLKMOOT_REMOTE_IMAGE_MAX_BYTES", 5 * 1024 * 1024),
    # Only tests set this, so the fetcher may reach their own server on 127.0.0.1.
    "FETCH_ALLOW_LOOPBACK": False,
    # --- Guests: post now, register later ---
    # One reminder to finish registering, then unclaimed guest posts are deleted.
    "GUEST_REMINDER_AFTER_DAYS": env_int("FOLKMOOT_GUEST_REMINDER_AFTER_DAYS", 2),
    "GUEST_EXPIRE_AFTER_DAYS": env_int("FOLKMOOT_GUEST_EXPIRE_AFTER_DAYS", 8),
    # Proof of work (ALTCHA): the browser tries up to this many SHA-256 hashes, about 1 s per
    # 50k in desktop Chromium (half that on average). Needs a secure context (HTTPS/localhost).
    "ALTCHA_MAX_NUMBER": env_int("FOLKMOOT_ALTCHA_MAX_NUMBER", 50_000),
    "ALTCHA_EXPIRES_SECONDS": env_int("FOLKMOOT_ALTCHA_EXPIRES_SECONDS", 600),
    # --- Abuse controls (moderation/limits.py); counted in the database, shared by every
    # process and never evicted ---
    "FLOOD_SECONDS": env_int("FOLKMOOT_FLOOD_SECONDS", 15),
    # Reactions given or changed by one member in a day.
    "REACTIONS_PER_DAY": env_int("FOLKMOOT_REACTIONS_PER_DAY", 200),
    # Posts one member nominates for recommendation in a day (each asks for a moderator's time).
    "NOMINATIONS_PER_DAY": env_int("FOLKMOOT_NOMINATIONS_PER_DAY", 20),
    # Members one post may @mention (links and notices); further @names stay plain text.
    "MENTIONS_MAX": env_int("FOLKMOOT_MENTIONS_MAX", 10),
    "GUEST_POSTS_PER_IP_PER_DAY": env_int("FOLKMOOT_GUEST_POSTS_PER_IP_PER_DAY", 10),
    "GUEST_POSTS_PER_EMAIL_PER_DAY": env_int("FOLKMOOT_GUEST_POSTS_PER_EMAIL_PER_DAY", 5),
    # A member with fewer published posts than this is new: limited links, maybe moderated.
    "NEW_MEMBER_POSTS": env_int("FOLKMOOT_NEW_MEMBER_POSTS", 3),
    # A post reported by this many distinct trusted members (not new) is hidden until a
    # moderator reviews it.
    "REPORTS_TO_HIDE": env_int("FOLKMOOT_REPORTS_TO_HIDE", 3),
    "NEW_MEMBER_MAX_LINKS": env_int("FOLKMOOT_NEW_MEMBER_MAX_LINKS", 2),
    # --- Search (folkmoot/search) ---
    # The language whose stemming the index uses (a PostgreSQL text search configuration
    # name; SQLite stems English only). Run `folkmoot manage reindex --rebuild` after a change.
    "SEARCH_LANGUAGE": os.environ.get("FOLKMOOT_SEARCH_LANGUAGE", "english"),
    "SEARCH_RESULTS_PER_PAGE": env_int("FOLKMOOT_SEARCH_RESULTS_PER_PAGE", 20),
    # Searches (and search-as-you-type lookups) one client may make in a minute.
    "SEARCHES_PER_MINUTE": env_int("FOLKMOOT_SEARCHES_PER_MINUTE", 60),
}

# Pages open their live streams at LIVE_URL's origin, or on the live server's port of the host
# they were served from (any host name: the site may answer to several).
if FOLKMOOT["LIVE_URL"].startswith(("http://", "https://")):
    _live = urlsplit(FOLKMOOT["LIVE_URL"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(f"{_live.scheme}://{_live.netloc}")
elif FOLKMOOT["LIVE_PORT"] and not FOLKMOOT["LIVE_URL"]:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(f"*:{FOLKMOOT['LIVE_PORT']}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
}
