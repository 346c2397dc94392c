"""KOMDIR portal settings: one file, driven by environment variables.

Development defaults need no server: SQLite, an embedded Celery broker and the
console mail backend. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and
the SMTP variables (see README.md and .env.example).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from komdir.schedules import CopenhagenCrontab

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - DEBUG only

# The address `make run` prints and serves, so that a link in a mail opens the same origin
# (a session cookie for 127.0.0.1 is not sent to localhost).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The form widgets' own templates, for FORM_RENDERER below.
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "taggit",
    "rules",
    "django_htmx",
    "csp",
    "core",
    "members",
    "circles",
    "focusareas",
    "events",
    "documents",
    "assemblies",
    # The project package, last: it composes the apps; listed so that its seed_demo is
    # found and its admin module (the cross-app inlines) loads after every app's admin.
    "komdir",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.LoginRequiredMiddleware",
    "members.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "komdir.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "members.context_processors.roles",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so that templates/ overrides a widget's template too
# (the admin's split date-time field, templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "komdir.wsgi.application"

# Database: SQLite for zero-install development, PostgreSQL (psycopg 3 with a
# connection pool) whenever DATABASE_URL points at one.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(env("DATABASE_POOL_MAX_SIZE", "10")),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections
    # JIT compiles plans for seconds-long analytics; a page's queries are short, and at
    # scale JIT added over 100 ms to each of the larger ones (BENCHMARKS.md).
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.Member"

# Cache: Redis in production, so that login rate limits are shared by every
# web process; local memory in development.
REDIS_URL = env("REDIS_URL")
REDIS_CACHE = {
    "BACKEND": "komdir.cache.SharedClientRedisCache",
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": env("CACHE_KEY_PREFIX", "komdir"),
    # A Redis that does not answer costs a request a fraction of a second, once a second
    # per process at most (komdir/cache.py fails soft), not five seconds.
    "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    # While Redis is down, allauth's login rate limits count in each process's memory.
    "LOCAL_FALLBACK_KEY_PREFIXES": ["allauth:rl:"],
}
if REDIS_URL:
    CACHES = {"default": REDIS_CACHE}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Whole pages cached in the cache above (core/page_cache.py); off shows every page's
# full cost, as `make bench` does for its second table.
PAGE_CACHE = env_bool("PAGE_CACHE", True)

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # allauth's login by email (a ModelBackend), loading the member in one query.
    "members.backends.MemberBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login; signup only through an invitation (see
# members.adapters.InvitationAccountAdapter).
ACCOUNT_ADAPTER = "members.adapters.InvitationAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupProfileForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KOMDIR] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_RATE_LIMIT", "20/5m/ip,5/5m/key"),
}
# Behind the production proxy, the client address is the last hop it appends;
# anything before it in X-Forwarded-For is what the client claims.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "KOMDIR"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_FORMS = {"add_webauthn": "members.forms.AddWebAuthnForm"}

INVITATION_VALID_DAYS = 14

# Internationalisation: Danish first, English second.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the portal writes them, per language and kind of place (Django's own Danish
# short formats are 02.12.2026, and "M" gives "Dec" in Danish too).
FORMAT_MODULE_PATH = ["komdir.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("STATIC_PLAIN_STORAGE")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Documents (documents/storage.py): files under var/media in development, never served
# by a URL of their own (only /dokumenter/..., to those who may see the event); in
# production any S3-compatible store when DOCUMENTS_S3_BUCKET is set.
DOCUMENTS_S3_BUCKET = env("DOCUMENTS_S3_BUCKET")
if DOCUMENTS_S3_BUCKET:
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "location": env("DOCUMENTS_S3_PREFIX"),
            # Private objects, never overwritten; the portal streams them itself.
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "media"))},
    }
DOCUMENTS_MAX_UPLOAD_BYTES = int(env("DOCUMENTS_MAX_UPLOAD_MB", "20")) * 1024 * 1024

# Mail: the console in development, SMTP in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "KOMDIR <noreply@komdir.dk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mail printed to the console (development) reaches it as the backend writes it, not as
# WARNING records of the worker's process that Celery makes of anything a task prints.
CELERY_WORKER_REDIRECT_STDOUTS = not EMAIL_BACKEND.endswith("console.EmailBackend")

# Celery: Redis in production; in development an embedded filesystem broker, so
# that `make run` needs no server. Reminders are never ETA tasks (DESIGN.md).
# (The filesystem transport has no host; naming one spares kombu's warning that none was.)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost/")
# A request publishing to a broker that does not answer gives up within
# CELERY_BROKER_CONNECTION_TIMEOUT seconds, all tries together (core/enqueue.py), tried a
# tenth of a second apart; kombu's defaults are four seconds, a second or more apart.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {"interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
if CELERY_BROKER_URL.startswith("filesystem"):
    BROKER_FOLDER = BASE_DIR / "var" / "broker"
    BROKER_FOLDER.mkdir(parents=True, exist_ok=True)  # the transport does not create it
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(BROKER_FOLDER),
        "data_folder_out": str(BROKER_FOLDER),
        # The transport's exchange bindings too, not in a control/ folder of the cwd.
        "control_folder": str(BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "visibility_timeout": 3600,
        # Connecting only: a read timeout shorter than the worker's blocking wait for a
        # task would break that wait.
        "socket_connect_timeout": 0.5,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE: dict = {
    # Monday 07:00 in Copenhagen (06:00 UTC in winter, 05:00 UTC in summer).
    "focusareas-weekly-digest": {
        "task": "focusareas.tasks.weekly_digest_send",
        "schedule": CopenhagenCrontab(hour=7, minute=0, day_of_week="mon"),
    },
    # The outbox's safety net: whatever a lost hand-off after commit left behind.
    "core-outbox-send-due": {
        "task": "core.tasks.outbox_send_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "events-reminders-send-due": {
        "task": "events.tasks.reminders_send_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Nightly at 03:30 in Copenhagen: files of uploads whose transaction rolled back.
    "documents-files-sweep": {
        "task": "documents.tasks.document_files_sweep",
        "schedule": CopenhagenCrontab(hour=3, minute=30),
    },
}
# A mail (a reminder too) left `sending` longer than this (a worker died mid-send) is
# sent again under its own Message-ID, so mail systems see one message.
OUTBOX_LEASE_SECONDS = int(env("OUTBOX_LEASE_SECONDS", "600"))
# The relay's limit (Microsoft 365: 30 a minute per mailbox), shared by every worker and
# kept in the database; empty or 0 is no limit.
EMAIL_MAX_PER_MINUTE = int(env("EMAIL_MAX_PER_MINUTE", "0") or 0) or None
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# Security. Production (DEBUG off) gets HTTPS-only cookies with the __Host-
# prefix, HSTS and a strict CSP; `manage.py check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
if not DEBUG and not env_bool("INSECURE_HTTP"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_NAME = "__Host-django_language"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs go to stdout: one JSON object per line in production (for the log shipper),
# plain lines in development.
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        # Django's own, for runserver's request lines (configuring the logger replaces it).
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    # Django logs the path of every 404 and 500, and runserver every request line.
    "filters": {
        "redact_secrets": {"()": "komdir.redaction.RedactSecrets"},
        "no_traceback_below_500": {"()": "komdir.redaction.NoTracebackBelow500"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own "django" logger would print each record a second time in DEBUG.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A 403 or 404 is a line, not a traceback: the refusal is the view's intent.
        "django.request": {"filters": ["redact_secrets", "no_traceback_below_500"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secrets"],
        },
    },
}

# Optional error reporting: set SENTRY_DSN (Sentry or a compatible service such as
# GlitchTip) to send unhandled errors from web, worker and beat.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

BOARD_GROUP_NAME = "Bestyrelse"
# "Frivillighed" and "frivillighed" are one tag.
TAGGIT_CASE_INSENSITIVE = True
