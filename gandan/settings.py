"""One settings module, read from the environment through strict helpers.

Development (the default) needs nothing set: SQLite under var/, jobs in an SQLite queue.
Production sets GANDAN_ENV=production, SECRET_KEY, DATABASE_URL (PostgreSQL), REDIS_URL and
ALLOWED_HOSTS; anything missing there stops the start with a clear message.
DEBUG (tracebacks on error pages) is off unless GANDAN_DEBUG=1 asks for it, in any environment but
production, which refuses it: a server started without care shows the product's error pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GANDAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Biến môi trường {name} là bắt buộc")  # before translations load: Vietnamese
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = env_str("GANDAN_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("GANDAN_ENV must be development, test or production")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("GANDAN_DEBUG", False)
if DEBUG and IS_PRODUCTION:
    raise ImproperlyConfigured("GANDAN_DEBUG cannot be on in production: error pages would show internals")
SECRET_KEY = env_str("SECRET_KEY", None if IS_PRODUCTION else "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "django_ratelimit",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "gandan.core",
    "gandan.org",
    "gandan.people",
    "gandan.assignments",
    "gandan.petitions",
    "gandan.fieldwork",
    "gandan.campaigns",
    "gandan.plans",
    "gandan.evaluation",
    "gandan.reports",
    "gandan.home",
    "gandan.demo",
]

MIDDLEWARE = [
    "gandan.core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gandan.core.csp_reports.PolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gandan.core.idle_sessions.IdleSessionMiddleware",
    "gandan.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gandan.core.ratelimit.PublicRateLimitMiddleware",
    "gandan.people.middleware.PasswordChangeRequiredMiddleware",
    "gandan.core.replica.ReplicaReadsMiddleware",
    "gandan.people.middleware.OtpRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gandan.core.errors.NotFoundPageMiddleware",
    "gandan.core.offline.OfflineCopyMiddleware",
]

# The pages a cadre's phone keeps for use without a network (URL names; gandan/core/offline.py).
GANDAN_OFFLINE_PAGES = ("home", "fieldwork-home", "fieldwork-capture", "fieldwork-concern-capture",
                        "fieldwork-area", "petitions-home", "me")

ROOT_URLCONF = "gandan.urls"
WSGI_APPLICATION = "gandan.wsgi.application"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gandan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gandan.people.context.scope",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gandan.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while the job worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A kept connection is checked before a request reuses it: after a database restart the first
    # request of each web process reconnects instead of failing (faults/, scenario b). While the
    # database is down, requests answer 503 with Retry-After (core/errors.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# A streaming replica for dashboard and report reads (gandan/core/replica.py): DATABASE_REPLICA_URL
# adds the alias and turns the routing on. Tests always have the alias, as a mirror of the test
# database, so that the router's tests need no replica; the routing stays off there unless a test
# turns it on (GANDAN_READ_REPLICA).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
elif ENVIRONMENT == "test":
    DATABASES["replica"] = DATABASES["default"].copy()
if "replica" in DATABASES:
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
GANDAN_READ_REPLICA = "replica" if DATABASE_REPLICA_URL else None
DATABASE_ROUTERS = ["gandan.core.replica.PrimaryReplicaRouter"]
GANDAN_REPLICA_PIN_SECONDS = int(os.environ.get("GANDAN_REPLICA_PIN_SECONDS", 15))
GANDAN_REPLICA_VIEWS = ("reports-*", "petitions-rates", "petitions-ranking", "petitions-hotspots",
                        "evaluation-ranking", "evaluation-board", "fieldwork-compliance", "assignments-coverage")
# Behind pgbouncer in transaction pooling (DATABASE_POOLER=transaction): no server-side cursors and no
# prepared statements, which would outlive the transaction on a server connection another client gets.
if os.environ.get("DATABASE_POOLER", "") == "transaction":
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
        _alias.setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Short timeouts: a Redis that is down or hung costs a request at most a second; the pages go on
    # without the cache, and the rate limits refuse (core/ratelimit.py, faults/ scenario c).
    _REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": _REDIS_OPTIONS},
              "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                            "KEY_PREFIX": "ratelimit", "OPTIONS": _REDIS_OPTIONS}}
else:
    # The default cache is shared by the web and worker processes without a server; rate limits
    # need atomic increments, which a file cache lacks (below).
    # Tests run in parallel processes (pytest-xdist): each keeps its own cache in memory.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}
              if ENVIRONMENT == "test" else
              {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")},
              "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}}

# Rate limits and the login lockout (gandan/core/ratelimit.py, django-ratelimit) count in a cache
# that must increment atomically: Redis (INCR) in production, which django-ratelimit does not list
# only because it names django-redis' backend rather than Django's own (W001). Without Redis, one
# web process serves (development, tests) and its local-memory cache is atomic but not shared
# (E003): acceptable there, and an error that stops a production start.
RATELIMIT_USE_CACHE = "ratelimit"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if IS_PRODUCTION else ["django_ratelimit.E003"])

# Background jobs: one mechanism (huey) for every module. Redis in production, an SQLite file
# when embedded, executed inline in tests (see README "Background jobs" for the choice).
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", ENVIRONMENT == "test")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "gandan", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE,
            "consumer": {"workers": 4, "worker_type": "thread"}}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "gandan", "filename": str(VAR_DIR / "jobs.sqlite3"),
            "immediate": HUEY_IMMEDIATE, "consumer": {"workers": 2, "worker_type": "thread"}}

# Mail (reminders of plans and tasks: plans/reminders.py), only where EMAIL_HOST is set; otherwise
# reminders stay in the app. The SMTP settings are Django's own, read from the environment.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = int(env_str("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gandan@localhost")
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's checks in our words (core/passwords.py: Vietnamese, with English in the catalogue).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gandan.core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "gandan.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "gandan.core.passwords.CommonPasswordValidator"},
    {"NAME": "gandan.core.passwords.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # a set-password link an administrator hands over works 3 days, once
# A session ends after SESSION_COOKIE_AGE seconds without a request (idle expiry: the age restarts at
# each request), and when the browser closes; login always starts a new session key (Django's login()).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
# Not SESSION_SAVE_EVERY_REQUEST, which makes concurrent requests overwrite each other's session:
# core/idle_sessions.py moves only the expiry date of an unchanged session.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
# TLS ends at nginx (README "Deployment"), which sends X-Forwarded-Proto: https. In production every
# plain-HTTP request is redirected to HTTPS but the health check, and browsers are told to come back
# only over HTTPS (HSTS, a year by default).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if IS_PRODUCTION else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if IS_PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION  # allows, does not make, a submission to the browsers' preload list
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts, fetches and the
# service worker from this site only; no inline script, on…= handler or javascript: link, no eval,
# no inline style (templates carry none: gandan/core/tests/test_templates_csp.py scans them; the
# small behaviours they need are in core/static/gandan/actions.js, their styles in gandan.css).
# Images may be data: URLs (Bootstrap's icons inside its CSS). Violations are logged
# (core/csp_reports.py) through report-uri and, where the browser has the Reporting API, report-to.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "report-uri": "/csp-report/",
        "report-to": "csp",
    },
}
CSRF_FAILURE_VIEW = "gandan.core.errors.csrf_failure"
LOGIN_THROTTLE = {"attempts": 5, "window_seconds": 15 * 60}  # failed logins per address and login name
# Every request of a caller who is not signed in, per address (core/ratelimit.PublicRateLimitMiddleware):
# generous, since a carrier's shared address or a commune's reception desk stands for many citizens.
PUBLIC_RATE_LIMIT = {"requests": int(os.environ.get("GANDAN_PUBLIC_RATE_LIMIT", 300)), "window_seconds": 60}
# Two-step sign-in (people/otp.py): administrators and the roles that lead a unit (committee, leader)
# must confirm each login with a TOTP code once their password is right. On by default and in
# production (`check --deploy` warns when it is off there); off in tests, whose OTP tests turn it on
# (settings.GANDAN_OTP_REQUIRED = True), so that the many tests that force_login a leader need no device.
# `GANDAN_OTP_REQUIRED=0 make run` lets the demo's leaders in without an authenticator app. A user who
# enrolled a device (required or by choice) is always asked for a code, whatever this says.
GANDAN_OTP_REQUIRED = env_bool("GANDAN_OTP_REQUIRED", ENVIRONMENT != "test")
OTP_TOTP_ISSUER = "Gần Dân"
# A user who must use a code and has no authenticator enrols only with a one-time code an administrator
# of the account issues (people/enrolment_codes.py); it expires after this many hours.
GANDAN_OTP_ENROLMENT_HOURS = int(os.environ.get("GANDAN_OTP_ENROLMENT_HOURS", 72))
# django-otp's own per-device throttle is off: one limiter (core/ratelimit.py Backoff, people/otp_views.py)
# counts wrong codes and tells the user how long to wait.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gandan" / "locale"]
FORMAT_MODULE_PATH = ["gandan.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# How long a citizen's contact (name, phone, household, files) is kept after their concern is closed;
# then the nightly job petitions.tasks.erase_expired_contacts erases it (petitions/privacy.py).
GANDAN_CONTACT_RETENTION_DAYS = int(os.environ.get("GANDAN_CONTACT_RETENTION_DAYS", 5 * 365))
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads are written whole or refused (507) when the media folder's disk would keep less than this
# free (core/storage.py): the database's and the logs' disk is often the same one.
GANDAN_MEDIA_RESERVE_BYTES = int(os.environ.get("GANDAN_MEDIA_RESERVE_BYTES", 32 * 1024 * 1024))
STORAGES = {"default": {"BACKEND": "gandan.core.storage.GuardedFileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 20 * 1024 * 1024

# gandan.errors: every 500, with its error id (the one shown to the user) and the traceback.
# gandan.denials: a WARNING for each request for an existing object outside the user's scope
# (user_id, username, method, path, route, kind, object_id: people/scoping.py), so that probing shows.
# gandan.personal_data: an INFO for each view of a citizen's contact (who, what, whose, ground, where:
# petitions/access.contact_shown), kept at INFO whatever LOG_LEVEL says.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "gandan.errors": {"level": "ERROR"},
                "gandan.denials": {"level": "WARNING"}, "gandan.personal_data": {"level": "INFO"},
                "gandan.jobs": {"level": "INFO"}},
}

# Bootstrap names the red alert "danger": an error message is drawn as one, not as an unstyled "alert-error".
MESSAGE_TAGS = {message_levels.ERROR: "danger"}
