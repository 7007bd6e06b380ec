"""Settings (配置). Embedded default: everything under SANXIANG_HOME; DATABASE_URL → PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sanxiang.conf import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = env.home()
BLOB_DIR = HOME / "blobs"
KEYS_DIR = HOME / "keys"
STATIC_ROOT = HOME / "static"
for _d in (HOME, BLOB_DIR, STATIC_ROOT):
    _d.mkdir(parents=True, exist_ok=True)

DEBUG = env.flag("SANXIANG_DEBUG")
HTTPS = env.flag("SANXIANG_HTTPS")
SECRET_KEY = env.secret_key(KEYS_DIR)
ALLOWED_HOSTS = [h.strip() for h in env.get("SANXIANG_ALLOWED_HOSTS").split(",") if h.strip()]
MAX_UPLOAD_BYTES = int(env.get("SANXIANG_MAX_UPLOAD_BYTES"))
BLOB_STORE = env.get("SANXIANG_BLOB_STORE").strip()
S3_ENDPOINT_URL = env.get("SANXIANG_S3_ENDPOINT_URL").strip()
LOCKOUT_ATTEMPTS = int(env.get("SANXIANG_LOCKOUT_ATTEMPTS"))
LOCKOUT_MINUTES = int(env.get("SANXIANG_LOCKOUT_MINUTES"))
PUBLIC_COUNT_CAP = int(env.get("SANXIANG_PUBLIC_COUNT_CAP"))
if PUBLIC_COUNT_CAP < 100:
    raise ImproperlyConfigured("SANXIANG_PUBLIC_COUNT_CAP must be at least 100 (five pages of 20)")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "ninja",
    "sanxiang.core",
    "sanxiang.records",
    "sanxiang.calendar",
    "sanxiang.accounts",
    "sanxiang.catalog",
    "sanxiang.review",
    "sanxiang.cases",
    "sanxiang.disclosure",
    "sanxiang.inspections",
    "sanxiang.oversight",
    "sanxiang.web",
    "sanxiang.portal",
    "sanxiang.api",
    "sanxiang.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sanxiang.web.middleware.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "sanxiang.urls"
WSGI_APPLICATION = "sanxiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanxiang.web.context.navigation",
            ],
        },
    },
]

_database_url = env.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "sanxiang.sqlite3",
            # Keep each worker's connection (as for PostgreSQL): a new SQLite connection re-reads
            # the schema and starts with an empty page cache on every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # Memory-mapped reads (up to SQLite's own limit of 2 GiB): pages are read from the
                # operating system's cache without a copy, which halves a search that looks up
                # thousands of rows by id (a count of a common text under filters).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=2147418112;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process memory cache: the public API's rate-limit counters (`api.ratelimit`), signed tree
# heads (`disclosure.publiclog`) and the public search's exact caches (`disclosure.selectors_search`:
# capped counts, index probes and page ids, keyed by the public log's state). Room for many
# distinct searches; the least recently used entries go first. A deployment with several
# servers may point this at a shared cache (see `api.ratelimit`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sanxiang",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["sanxiang.accounts.backends.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["sanxiang.records.upload_handlers.LimitedTemporaryFileUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security (安全): strict unless explicitly in debug or on a plain-HTTP loopback trial.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS and not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

SANXIANG_NAV = [
    # (url name, label) — the staff modules; later issues fill in their pages.
    ("web:workbench", _("Workbench")),
    ("web:module-cases", _("Cases")),
    ("web:module-review", _("Legal review")),
    ("web:module-publicity", _("Publicity")),
    ("web:module-records", _("Records")),
    ("web:module-inspections", _("Random inspections")),
    ("web:module-oversight", _("Oversight")),
]
