"""Settings for Followup, driven entirely by environment variables.

The defaults give the embedded mode (SQLite and a filesystem broker under ``var/``, mail
captured locally). Production switches by environment, never by a different file: with
DEBUG off the app refuses to start on an insecure SECRET_KEY or an empty ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from followup_site.client_address import ipware_settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("FOLLOWUP_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    """Read a boolean strictly: a typo must not silently flip a security switch."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = _env_bool("DEBUG", default=False)

_INSECURE_KEY = "insecure-embedded-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

if DEBUG:
    SECRET_KEY = SECRET_KEY or _INSECURE_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
else:
    if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or insecure. With DEBUG off, set SECRET_KEY to a random "
            'string of at least 50 characters, e.g. the output of: python -c "import secrets; '
            'print(secrets.token_urlsafe(64))"'
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is empty. With DEBUG off, set ALLOWED_HOSTS to the comma-separated "
            "host names the site is served on, e.g. ALLOWED_HOSTS=followup.example.com"
        )

# The port `make run` serves on. Links in emails follow it unless SITE_URL names the site: a
# second instance on PORT=8101 must not send links to the one on 8000. Honcho gives each process
# of the Procfile its own PORT (web 8101, worker 8201, ...), so the Makefile passes the web's
# SITE_URL to all of them; this default serves a web process started on its own.
_PORT = env.str("PORT", default="8000").strip()
if not _PORT.isdigit() or not 0 < int(_PORT) < 65536:
    raise ImproperlyConfigured(f"PORT must be a TCP port number, not {_PORT!r}.")
SITE_URL = env.str("SITE_URL", default=f"http://localhost:{int(_PORT)}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "anymail",
    "axes",
    "csp",
    # Only for its system checks, which refuse a cache the throttles cannot count in.
    "django_ratelimit",
    "django_htmx",
    "accounts",
    "interviews",
    "outreach",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte anywhere in a request answers 400 before a view or the database sees it.
    "followup_site.nul_bytes.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, the signed-in user read by hand (accounts/session_user.py).
    "accounts.middleware.SessionUserAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: partial responses for the in-place updates of the board and lists.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "followup_site.urls"
WSGI_APPLICATION = "followup_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "followup_site.context_processors.site",
            ],
        },
    },
    {
        # The emails the reminder sweep sends by the thousand (followup_site/jinja2_env.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "emails",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "followup_site.jinja2_env.environment"},
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'followup.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat write to one file at once: WAL lets readers run beside the writer,
    # IMMEDIATE takes the write lock at BEGIN (so no transaction fails half-way on upgrade),
    # and the busy timeout makes a second writer wait instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file, not the default in-memory database: threads in the reliability tests
    # and the Celery worker the worker test starts must see the same data. One per process,
    # so that concurrent runs do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The hottest pages' hand-written reads are prepared (followup_site.raw_sql.planned_cursor):
    # psycopg may prepare statements (Django turns that off by default), and PostgreSQL keeps
    # one generic plan for each. The ORM's statements bind on the client and are never
    # prepared, so neither setting touches them.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c plan_cache_mode=force_generic_plan")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses every log-in from a client address past THROTTLE_LOGIN_FAILURES_PER_ADDRESS.
    "accounts.backends.ClientAddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: lock out a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The log-in form posts the email as "username"; axes would look for "email" (USERNAME_FIELD)
# and lock nobody. The callable also folds letter case, as log-in does.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.axes.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

# Client addresses: behind TRUSTED_PROXY_COUNT proxies (0: none, so X-Forwarded-For is never
# read), the N-th X-Forwarded-For entry from the right is the client. Lock-outs are per
# address and account, so an attacker elsewhere cannot lock the owner out.
if env.ENVIRON.get("AXES_IP_HEADERS", "REMOTE_ADDR").strip() not in ("", "REMOTE_ADDR"):
    raise ImproperlyConfigured(
        "AXES_IP_HEADERS is no longer read: it trusted any X-Forwarded-For a client sent. "
        "Remove it and set TRUSTED_PROXY_COUNT to the number of proxies in front of "
        "Followup (1 for one TLS proxy; 0 when clients connect directly)."
    )
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
globals().update(ipware_settings(trusted_proxy_count=TRUSTED_PROXY_COUNT))


def _env_rate(name: str, default: str) -> str:
    """A throttle rate such as "20/h" or "3/15m": that many per period, per key."""
    raw = env.str(name, default=default).strip()
    if not re.fullmatch(r"[1-9][0-9]*/[1-9]?[0-9]*[smhd]", raw):
        raise ImproperlyConfigured(
            f'{name} must be a rate like "20/h", "5/15m" or "100/d", not {raw!r}.'
        )
    return raw


# Throttles, counted in the shared cache per client address or per target address. The
# per-account log-in lock-out above is axes'; these slow what it cannot see.
THROTTLE_LOGIN_FAILURES_PER_ADDRESS = _env_rate("THROTTLE_LOGIN_FAILURES_PER_ADDRESS", "20/h")
THROTTLE_PASSWORD_RESETS_PER_ADDRESS = _env_rate("THROTTLE_PASSWORD_RESETS_PER_ADDRESS", "10/h")
THROTTLE_PASSWORD_RESETS_PER_TARGET = _env_rate("THROTTLE_PASSWORD_RESETS_PER_TARGET", "3/h")
THROTTLE_SIGNUPS_PER_ADDRESS = _env_rate("THROTTLE_SIGNUPS_PER_ADDRESS", "10/h")
THROTTLE_SIGNUP_NOTICES_PER_TARGET = _env_rate("THROTTLE_SIGNUP_NOTICES_PER_TARGET", "1/h")
THROTTLE_VERIFICATION_EMAILS_PER_USER = _env_rate("THROTTLE_VERIFICATION_EMAILS_PER_USER", "3/h")
RATELIMIT_IP_META_KEY = "accounts.throttle.client_ip"

# A verification link works this long, and only while the address is unverified and the same.
EMAIL_VERIFICATION_MAX_AGE_HOURS = env.int("EMAIL_VERIFICATION_MAX_AGE_HOURS", default=72)
# Messages one user may send through the app in any 24 hours (their own mail program is
# not limited): a cap on what a stolen or fake account can do to strangers.
DAILY_SEND_LIMIT = env.int("DAILY_SEND_LIMIT", default=20)
if DAILY_SEND_LIMIT < 0:
    raise ImproperlyConfigured("DAILY_SEND_LIMIT must be 0 or more.")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # Django's and WhiteNoise's storages, each URL worked out once per process.
            "followup_site.static_storage.RememberedStaticFilesStorage"
            if DEBUG
            else "followup_site.static_storage.RememberedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CRISPY_FAIL_SILENTLY = not DEBUG

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        # Fanout and pidbox messages; kombu's default is a "control" folder in the cwd.
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
# Results are never read: the database is the record of what happened.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Cache ----------------------------------------------------------------------------------
# The throttles count in the cache, so it must be shared by every process and count
# atomically: Redis when configured, else files under var/ with a lock (one machine, like
# the filesystem broker).
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, one redis-py client per pool (followup_site/redis_cache.py).
            "BACKEND": "followup_site.redis_cache.ReusedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "followup",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "followup_site.cache.LockedFileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }
# How long a sweep owns the reminders it claimed before renewing; a crashed worker's claims
# are taken over by the first sweep after it runs out (beat sweeps every minute), so within
# two minutes. Tests shorten it to put a batch under lease pressure.
SWEEP_LEASE_SECONDS = 60

# A beat tick older than this makes /healthz answer 503.
BEAT_STALE_AFTER_SECONDS = env.int("BEAT_STALE_AFTER_SECONDS", default=180)

# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Followup <followup@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
_CAPTURED_MAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="").strip()
if DEBUG:
    EMAIL_BACKEND = EMAIL_BACKEND or _CAPTURED_MAIL_BACKEND
elif EMAIL_BACKEND in {"", _CAPTURED_MAIL_BACKEND}:
    # Captured mail in production would look like it works while no one ever gets an email.
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is not set to a backend that delivers mail. With DEBUG off, set "
        "EMAIL_BACKEND to your ESP's anymail backend (e.g. anymail.backends.postmark.EmailBackend "
        "with its ANYMAIL_* credentials) or to django.core.mail.backends.smtp.EmailBackend with "
        "EMAIL_HOST and EMAIL_PORT. Captured mail (the default) is for development only."
    )
CAPTURED_MAIL_DIR = VAR_DIR / "mail"
# The captured-mail reader at /mail/ exists only in development mode, with mail captured.
MAIL_CAPTURE_ENABLED = DEBUG and EMAIL_BACKEND == _CAPTURED_MAIL_BACKEND
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# django-anymail: the ESP is chosen by EMAIL_BACKEND (e.g.
# anymail.backends.postmark.EmailBackend); its credentials come from ANYMAIL_* variables.
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_") and value
}
# Webhooks (/anymail/<esp>/inbound/ and /tracking/) need ANYMAIL_WEBHOOK_SECRET ("user:password",
# sent as HTTP basic auth); without it replies and delivery reports are ignored. Only the
# webhooks of the ESP that EMAIL_BACKEND names are mounted (none for SMTP or captured mail).
_ESP_BACKEND = re.fullmatch(r"anymail\.backends\.(\w+)\.EmailBackend", EMAIL_BACKEND)
WEBHOOK_ESP = _ESP_BACKEND.group(1) if _ESP_BACKEND else ""
# Replies reach a user at reply+<their inbound token>@INBOUND_DOMAIN (empty: inbound is off).
INBOUND_DOMAIN = env.str("INBOUND_DOMAIN", default="").strip().lower()

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("BEHIND_HTTPS_PROXY", default=False) else None
)
_SECURE = not DEBUG and _env_bool("SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SECURE_SSL_REDIRECT = not DEBUG and _env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every page (django-csp): scripts and styles only from our own
# static files, so injected markup can neither run script nor restyle the page; no plugins,
# no <base> hijack, no framing, forms post only here. Pages carry no inline script, style
# attribute or event handler. Bootstrap draws its icons as data: SVGs in CSS, hence img-src.
# The captured-mail viewer's HTML part sends its own, stricter policy (followup_site/mailbox.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# django-ratelimit warns about every cache it does not list; it lists django-redis but not
# Django's own RedisCache (atomic INCR too) nor our locked file cache. Its errors for caches
# that cannot work (local memory, dummy, plain file or database) stay on.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Interviews from calendar invitations (.ics uploaded, or forwarded to the inbound address):
# the largest file read, and the most events one file may hold (one is picked from several).
INVITATION_MAX_BYTES = env.int("INVITATION_MAX_BYTES", default=512 * 1024)
INVITATION_MAX_EVENTS = env.int("INVITATION_MAX_EVENTS", default=20)
if INVITATION_MAX_BYTES < 1024 or INVITATION_MAX_EVENTS < 1:
    raise ImproperlyConfigured(
        "INVITATION_MAX_BYTES must be at least 1024 and INVITATION_MAX_EVENTS at least 1."
    )
# --- Contacts from business cards and vCards (interviews.cards, interviews.vcards) ---------
# Uploads are refused above these sizes before they are read; the pixel limit also stops an
# image that is small as a file but unpacks into gigapixels (a decompression bomb).
CARD_IMAGE_MAX_BYTES = env.int("CARD_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
CARD_IMAGE_MAX_PIXELS = env.int("CARD_IMAGE_MAX_PIXELS", default=40_000_000)
# Seconds all the OCR of one card may take. It runs on the web request, so keep it under the
# web server's own limit (gunicorn cuts a request off at 30 seconds).
CARD_OCR_TIMEOUT_SECONDS = env.float("CARD_OCR_TIMEOUT_SECONDS", default=20.0)
# The tesseract program; when it is missing, cards are read from their QR codes only.
TESSERACT_CMD = env.str("TESSERACT_CMD", default="tesseract")
VCARD_IMPORT_MAX_BYTES = env.int("VCARD_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
VCARD_IMPORT_MAX_CARDS = env.int("VCARD_IMPORT_MAX_CARDS", default=1000)
for _name in (
    "CARD_IMAGE_MAX_BYTES",
    "CARD_IMAGE_MAX_PIXELS",
    "CARD_OCR_TIMEOUT_SECONDS",
    "VCARD_IMPORT_MAX_BYTES",
    "VCARD_IMPORT_MAX_CARDS",
):
    if globals()[_name] <= 0:
        raise ImproperlyConfigured(f"{_name} must be more than 0.")
# --- Data export and account deletion (issue 12) --------------------------------------------
# Files kept for one user (their data exports, uploads) live in USER_FILES_DIR/<user id>/, so
# deleting an account deletes one folder. Web and worker must both see it (one volume).
# Empty (as .env.example leaves it) means the default: never the current directory.
USER_FILES_DIR = Path(env.str("USER_FILES_DIR", default="").strip() or VAR_DIR / "user-files")
# Hours an export stays downloadable; then the periodic cleanup deletes the file.
DATA_EXPORT_TTL_HOURS = env.int("DATA_EXPORT_TTL_HOURS", default=24)
if not 1 <= DATA_EXPORT_TTL_HOURS <= 24 * 30:
    raise ImproperlyConfigured("DATA_EXPORT_TTL_HOURS must be between 1 and 720 hours.")
# --- Speed at scale (issue 11) --------------------------------------------------------------
# Every logged-in request reads its session. With Redis, read it from the cache (written
# through to the database, so a flushed cache logs no one out): one database round trip less
# per request, the same session lifetime, rotation and log-out. The embedded mode keeps
# database sessions: SQLite in process answers faster than the file cache.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# --- Spreadsheet import and CSV export (issue 12, part 4) -------------------------------------
# A CSV upload larger than this is refused before its body is read.
SPREADSHEET_IMPORT_MAX_BYTES = env.int("SPREADSHEET_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Data rows one CSV may hold; a longer file is refused whole.
SPREADSHEET_IMPORT_MAX_ROWS = env.int("SPREADSHEET_IMPORT_MAX_ROWS", default=10_000)
# Files with more rows than this import in the background (Celery) behind a progress bar.
SPREADSHEET_IMPORT_BACKGROUND_ROWS = env.int("SPREADSHEET_IMPORT_BACKGROUND_ROWS", default=300)
# Hours an uploaded spreadsheet waits for the user to finish the import before it is deleted.
SPREADSHEET_IMPORT_KEEP_HOURS = env.int("SPREADSHEET_IMPORT_KEEP_HOURS", default=24)
for _name in (
    "SPREADSHEET_IMPORT_MAX_BYTES",
    "SPREADSHEET_IMPORT_MAX_ROWS",
    "SPREADSHEET_IMPORT_BACKGROUND_ROWS",
    "SPREADSHEET_IMPORT_KEEP_HOURS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive whole number.")
# --- Dashboard board (issue 11) ---------------------------------------------------------------
# Cards each stage column shows before its "Show all"; the column's badge counts them all.
BOARD_COLUMN_CARDS = env.int("BOARD_COLUMN_CARDS", default=12)
if BOARD_COLUMN_CARDS < 1:
    raise ImproperlyConfigured("BOARD_COLUMN_CARDS must be a positive whole number.")
