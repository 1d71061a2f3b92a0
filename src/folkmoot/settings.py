"""Folkmoot settings: one module, configured from the environment.

With no environment at all, Folkmoot runs on SQLite under ./var/ with a generated secret key.
Every knob an operator may turn is read here from an environment variable (see README.md).
"""

import os
import secrets
from pathlib import Path

import dj_database_url

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
SITE_NAME = os.environ.get("FOLKMOOT_SITE_NAME", "Folkmoot")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "folkmoot.accounts",
    "folkmoot.forums",
    "folkmoot.discussions",
    "folkmoot.composer",
    "folkmoot.moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "folkmoot.urls"
WSGI_APPLICATION = "folkmoot.wsgi.application"
ASGI_APPLICATION = "folkmoot.asgi.application"

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
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default: WAL so readers never wait for the writer, IMMEDIATE transactions so two
# writers queue on the lock instead of failing half-way with "database is locked".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'folkmoot.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache: local memory by default, Redis when REDIS_URL is set ------------------------------
REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("FOLKMOOT_CACHE_PREFIX", "folkmoot"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},  # rendered post frames are most of it
        }
    }

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FOLKMOOT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

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
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Email: console unless an SMTP host is configured ------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
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

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the composer reads the token from the form, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Forum behaviour --------------------------------------------------------------------------
FOLKMOOT = {
    "POSTS_PER_PAGE": env_int("FOLKMOOT_POSTS_PER_PAGE", 25),
    "TOPICS_PER_PAGE": env_int("FOLKMOOT_TOPICS_PER_PAGE", 30),
    "TITLE_MAX_LENGTH": 200,
    "POST_MAX_LENGTH": env_int("FOLKMOOT_POST_MAX_LENGTH", 50_000),
    "EMOJI_MAX": env_int("FOLKMOOT_EMOJI_MAX", 75),
    # A second identical post by the same author within this many seconds is the first one.
    "DUPLICATE_WINDOW_SECONDS": env_int("FOLKMOOT_DUPLICATE_WINDOW_SECONDS", 10),
    # Topic pages for anonymous readers are cached whole, at most this long (0: never); any
    # change to a post makes them stale at once (discussions/page_cache.py).
    "PAGE_CACHE_SECONDS": env_int("FOLKMOOT_PAGE_CACHE_SECONDS", 300),
    "DRAFT_EXPIRY_DAYS": env_int("FOLKMOOT_DRAFT_EXPIRY_DAYS", 30),
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
    # --- Abuse controls (moderation/limits.py); counted in the cache ---
    "FLOOD_SECONDS": env_int("FOLKMOOT_FLOOD_SECONDS", 15),
    "GUEST_POSTS_PER_IP_PER_DAY": env_int("FOLKMOOT_GUEST_POSTS_PER_IP_PER_DAY", 10),
    "GUEST_POSTS_PER_EMAIL_PER_DAY": env_int("FOLKMOOT_GUEST_POSTS_PER_EMAIL_PER_DAY", 5),
    # A member with fewer published posts than this is new: limited links, maybe moderated.
    "NEW_MEMBER_POSTS": env_int("FOLKMOOT_NEW_MEMBER_POSTS", 3),
    "NEW_MEMBER_MAX_LINKS": env_int("FOLKMOOT_NEW_MEMBER_MAX_LINKS", 2),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
}
