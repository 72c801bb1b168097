"""nadsite settings, read from the environment.

DEBUG=1 gives a local development site with a throwaway key. Without it the
settings are production settings: SECRET_KEY and ALLOWED_HOSTS must be given,
and the security headers that `manage.py check --deploy` asks for are on.

A missing SECRET_KEY does not stop management commands that need no key
(`migrate`, `makemigrations`): raising here would make Django hide the reason
behind "Models aren't loaded yet". The site itself refuses to start without
one (`nadsite.serving.require_secret_key`, called by wsgi.py and asgi.py),
and Django refuses to sign anything with an empty key.
"""

import os
from pathlib import Path

import dj_database_url

from nadsite.email_url import parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NADSITE_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo content and its accounts are for local sites only, never production.
DEMO_CONTENT_ALLOWED = DEBUG or env_flag("NADSITE_DEMO")

INSTALLED_APPS = [
    # evidence comes before wagtail so that its publish_scheduled command,
    # which asks the publish gate first, replaces Wagtail's.
    "evidence",
    "articles",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Over-size bodies are refused before anything reads them, and every
    # error under /api/ is answered in JSON (nadsite/errors.py).
    "nadsite.errors.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers get public pages from the page cache before the
    # session, auth and Wagtail routing work (articles/caching.py).
    "articles.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's page view finds the request's Site in the cache, under a key
    # naming the state of the Sites (articles/sites.py).
    "articles.sites.SiteMiddleware",
]

ROOT_URLCONF = "nadsite.urls"
WSGI_APPLICATION = "nadsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nadsite" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

SQLITE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.config(
        default=SQLITE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several writers at once: readers never wait
    # for a writer (WAL), and a write transaction takes the write lock when it
    # starts (IMMEDIATE) and waits up to NADSITE_SQLITE_BUSY_SECONDS for it, so
    # two transactions that read and then write queue up instead of failing
    # with "database is locked". PostgreSQL is the production database.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env_int("NADSITE_SQLITE_BUSY_SECONDS", 20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "nadsite",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "nadsite" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "nadsite"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No Gravatar: the admin shows Wagtail's own default avatar (or an uploaded
# one) and never asks a third party for a picture of a staff member.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "md", "pdf", "txt", "xlsx"]
# Approving the Medical review publishes the page (through the publish gate)
# although medical reviewers have no publish permission of their own.
WAGTAIL_FINISH_WORKFLOW_ACTION = "evidence.gate.finish.publish_approved_workflow_state"

# Seconds an anonymous reader may be served a stored copy of a public page
# (0 turns the page cache off). Publishing, unpublishing and Source edits
# drop the copies concerned at once.
NADSITE_PAGE_CACHE_SECONDS = int(os.environ.get("NADSITE_PAGE_CACHE_SECONDS", "300"))
NADSITE_FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("NADSITE_FRAGMENT_CACHE_SECONDS", "86400")
)
# What public pages tell caches: browsers may keep a page briefly, shared
# caches (Varnish, a CDN) long, since every change purges them
# (articles/caching.py, articles/purging.py, docs/operations.md).
NADSITE_BROWSER_CACHE_SECONDS = int(
    os.environ.get("NADSITE_BROWSER_CACHE_SECONDS", "60")
)
NADSITE_SHARED_CACHE_SECONDS = int(
    os.environ.get("NADSITE_SHARED_CACHE_SECONDS", "86400")
)
# How many processes serve the site in all (hosts x gunicorn workers). Unset
# with DEBUG off means "maybe more than one": the system check in
# articles/checks.py then refuses a cache in one process's memory.
NADSITE_PROCESSES = int(os.environ.get("NADSITE_PROCESSES") or 0)
# The frontend caches to purge (comma-separated Varnish URLs, e.g.
# http://127.0.0.1:8080): wagtail.contrib.frontend_cache with xkey tags.
WAGTAILFRONTENDCACHE = {
    f"varnish-{n}": {"BACKEND": "articles.purging.VarnishBackend", "LOCATION": url}
    for n, url in enumerate(env_list("NADSITE_FRONTEND_CACHE_URL"))
}
# NADSITE_BENCH=1 adds /_bench/minimal/, the benchmark's yardstick page.
NADSITE_BENCH = env_flag("NADSITE_BENCH")

# Background tasks. Wagtail's own tasks (reference index, search index,
# frontend-cache purges) run inline on "default", so the site needs no
# worker for them. The database backend "retractions" holds the work that
# must survive a restart: the retraction check (queue "default") and purges
# to retry (queue "purges"), run by
# `manage.py db_worker --backend retractions --queue-name '*'`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "retractions": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "purges"],
    },
}

# The REST API at /api/v1/: token or session auth (session writes need the
# CSRF token), paginated lists, throttled anonymous reads, JSON errors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["evidence.api.common.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "evidence.api.common.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "60/min"),
        "user": os.environ.get("API_USER_RATE", "600/min"),
    },
    "EXCEPTION_HANDLER": "evidence.api.common.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "nadsite API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Evidence-gated health articles: read live articles passage by "
        "passage with their sources and review state; draft articles, cite "
        "sources, record medical review decisions and publish through the "
        "same publish gate as the editorial admin. Authenticate with "
        "`Authorization: Token <key>` (POST /api/v1/auth/token/) or a "
        "session cookie plus the CSRF token for writes."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["evidence.api.common.only_api_v1"],
    "ENUM_NAME_OVERRIDES": {
        "RouteEnum": "evidence.vocab.Route",
        "CertaintyEnum": "evidence.vocab.Certainty",
    },
}

# Email: workflow notifications (submitted, changes requested, approved,
# ready to sign off, published), review reminders, refused scheduled
# publishes (docs/operations.md, "Email"). EMAIL_URL (nadsite/email_url.py)
# or the usual EMAIL_* variables; with DEBUG=1 and neither, mail is printed
# on the console. EMAIL_TIMEOUT keeps a dead mail server from holding up a
# request for long.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
if os.environ.get("EMAIL_URL"):
    globals().update(parse_email_url(os.environ["EMAIL_URL"]))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "nadsite <noreply@example.org>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Wagtail's workflow emails go to the people of each step (the task's
# groups, the writer who submitted), not to every superuser as well.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = env_flag(
    "NADSITE_NOTIFY_SUPERUSERS", False
)

# Limits on what anyone may send (docs/operations.md, "Limits", says what a
# user sees at each). Each is read from the environment variable of its name.
# Any request body, file uploads included, refused with 413 before it is read:
NADSITE_MAX_REQUEST_BYTES = env_int("NADSITE_MAX_REQUEST_BYTES", 20 * 2**20)
# A request body that is not a file upload (API JSON, admin forms), and the
# number of form fields: the admin's page editor posts several fields a block.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("NADSITE_MAX_FORM_BYTES", 5 * 2**20)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("NADSITE_MAX_FORM_FIELDS", 20_000)
# Levels of nesting in JSON sent to the API or imported (CSL-JSON).
NADSITE_JSON_MAX_DEPTH = env_int("NADSITE_JSON_MAX_DEPTH", 32)
# Characters in one passage's words (what the claim detector reads), checked
# whenever a passage is saved: the editor, the API, imports.
NADSITE_PASSAGE_MAX_CHARS = env_int("NADSITE_PASSAGE_MAX_CHARS", 20_000)
# Documents imported as articles: any file, a Markdown or text file, and a
# Word file's unpacked size and number of parts, read from its index before
# anything is unpacked.
NADSITE_IMPORT_MAX_BYTES = env_int("NADSITE_IMPORT_MAX_BYTES", 5 * 2**20)
NADSITE_IMPORT_MAX_TEXT_BYTES = env_int("NADSITE_IMPORT_MAX_TEXT_BYTES", 2**20)
NADSITE_DOCX_MAX_UNPACKED_BYTES = env_int("NADSITE_DOCX_MAX_UNPACKED_BYTES", 25 * 2**20)
NADSITE_DOCX_MAX_PARTS = env_int("NADSITE_DOCX_MAX_PARTS", 1000)
# Reference files (BibTeX, RIS, CSL-JSON) imported into the Source library:
# the file, and the records in it, counted before any is parsed.
NADSITE_REFERENCES_MAX_BYTES = env_int("NADSITE_REFERENCES_MAX_BYTES", 5 * 2**20)
NADSITE_REFERENCES_MAX_RECORDS = env_int("NADSITE_REFERENCES_MAX_RECORDS", 2000)
# Search: characters of the query kept, and words looked up.
NADSITE_SEARCH_MAX_CHARS = env_int("NADSITE_SEARCH_MAX_CHARS", 200)
NADSITE_SEARCH_MAX_WORDS = env_int("NADSITE_SEARCH_MAX_WORDS", 12)

# Contact details sent with requests to Crossref and NCBI, as both ask.
NADSITE_CONTACT_EMAIL = os.environ.get("NADSITE_CONTACT_EMAIL", "editors@example.org")
NCBI_API_KEY = os.environ.get("NCBI_API_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    X_FRAME_OPTIONS = "DENY"
