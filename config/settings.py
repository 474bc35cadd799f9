"""Kinerja settings: every value comes from the environment, with safe defaults.

Development (`make run`) sets DEBUG=1; production runs with DEBUG unset and refuses to start
without a real SECRET_KEY. See README.md for the full list of variables.
"""

import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("KINERJA_TESTING", False) or "pytest" in sys.modules

_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", _INSECURE_KEY if (DEBUG or TESTING) else "")
if (
    not DEBUG
    and not TESTING
    and (not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32)
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off."
    )

# The site's public address: every absolute link (e-mails, QR posters, the kiosk address, PDFs)
# is built on it through kinerja.core.links. `make run` sets it to the address it serves.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_SITE_HOST = urlsplit(SITE_URL).hostname or ""
_SITE_HOST = f"[{_SITE_HOST}]" if ":" in _SITE_HOST else _SITE_HOST
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ",".join(dict.fromkeys(["localhost", "127.0.0.1", "[::1]", _SITE_HOST]))
    if DEBUG or TESTING
    else "",
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")


def _is_local_host(host: str) -> bool:
    """A name or address only this machine or its private network reaches."""
    host = host.strip().strip("[]").lstrip(".")
    if host in {"localhost", "testserver"} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


# Where HTTPS ends (docs/OPERATIONS.md, "HTTPS"): "here" (this server holds the certificate),
# "proxy" (a reverse proxy in front terminates TLS and sends X-Forwarded-Proto) or "off" (plain
# HTTP, a developer's machine). With DEBUG off and TLS here or at the proxy, every plain-HTTP
# request is redirected to HTTPS and browsers are told to use only HTTPS (HSTS).
# BEHIND_TLS_PROXY=1, the older name, means TLS=proxy.
TLS = env("TLS", "proxy" if env_bool("BEHIND_TLS_PROXY", False) else "off").strip().lower()
if TLS not in {"here", "proxy", "off"}:
    raise ImproperlyConfigured(f"TLS must be one of here, proxy, off (not {TLS!r}).")

# DEBUG shows code, settings and data of every error to whoever asks: it must never reach a
# server that the public can reach. A public host name (or "*") or a TLS proxy means production.
if DEBUG and not TESTING and (not all(map(_is_local_host, ALLOWED_HOSTS)) or TLS == "proxy"):
    raise ImproperlyConfigured(
        "DEBUG is on while ALLOWED_HOSTS (by default: localhost and the host of SITE_URL) "
        "names a public host, or TLS=proxy (BEHIND_TLS_PROXY) is set: DEBUG is for a "
        "developer's machine or a private network only. Unset DEBUG in production."
    )
# With DEBUG on (`make run`), a missing page or an error still shows Kinerja's Indonesian 404
# and 500 pages (templates/404.html, 500.html); the traceback goes to the console. Set
# FRIENDLY_ERROR_PAGES=0 to get Django's technical pages instead.
FRIENDLY_ERROR_PAGES = env_bool("FRIENDLY_ERROR_PAGES", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # before kinerja.organisation: its failure handler runs before ours (auth.py)
    "django_htmx",
    "ninja",
    "template_partials",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command is kinerja.core's, which survives a locked
    # or lost database (kinerja/core/management/commands/db_worker.py).
    "kinerja.core",
    "kinerja.core.tasks_app.TasksDatabaseConfig",  # django_tasks_db, named in Indonesian
    "kinerja.organisation",
    "kinerja.performance",
    "kinerja.public",
    "kinerja.assessment",
    "kinerja.competency",
    "kinerja.rewards",
    "kinerja.adoption",
    "kinerja.monitoring",
    "kinerja.api",
    "kinerja.home",
    "kinerja.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinerja.core.middleware.LanguageMiddleware",  # Indonesian; English only when chosen
    "kinerja.core.middleware.RefuseNulBytesMiddleware",  # U+0000: the same 400 on both databases
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (twofactor.py)
    "kinerja.organisation.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kinerja.core.middleware.FriendlyErrorsMiddleware",  # Indonesian 404/500 pages in DEBUG too
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An htmx request sent to log in moves the whole page there (HX-Redirect), not a fragment.
    "kinerja.core.middleware.HtmxLoginRedirectMiddleware",
    "kinerja.core.middleware.RequestContextMiddleware",
    "kinerja.core.replica.ReadYourWritesMiddleware",  # no-op without DATABASE_REPLICA_URL
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        # Django's backend, with templates that free their context once rendered (no
        # reference cycle left for the garbage collector: kinerja/core/templates.py).
        "BACKEND": "kinerja.core.templates.DjangoTemplates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kinerja.home.context_processors.kinerja",
            ],
        },
    },
]

# Database: DATABASE_URL, default an embedded SQLite file in var/ (WAL mode, immediate
# transactions so that concurrent writers queue instead of failing with "database is locked").
VAR_DIR = Path(env("KINERJA_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kinerja.sqlite3'}")
DATABASES = {
    # Under uvicorn each worker runs request code on a few long-lived threads
    # (kinerja/core/asgi.py), so a connection kept for CONN_MAX_AGE seconds is reused by the
    # following requests instead of being reopened for each (health-checked before reuse).
    # Tests open and close a connection per test as Django expects.
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 0 if TESTING else 300),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            # How long a writer waits for SQLite's lock before "database is locked" (ms).
            f" PRAGMA busy_timeout={env_int('SQLITE_BUSY_TIMEOUT_MS', 10_000)};"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_NAME", "") or None}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that accepts connections but never answers must not hang pages for minutes:
    # give up connecting after DB_CONNECT_TIMEOUT seconds and on any statement after
    # DB_STATEMENT_TIMEOUT_MS (long reports run as background tasks, not in a request).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 120_000)}"
    )
    # Behind pgbouncer in transaction mode (DB_POOLER=transaction, docs/SCALING.md) a server
    # connection serves another client after each transaction: no server-side cursors, and no
    # connection kept by Django (pgbouncer pools instead).
    if env("DB_POOLER", "") == "transaction":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        # pgbouncer refuses the `options` startup parameter: set the statement timeout on the
        # database instead (ALTER DATABASE kinerja SET statement_timeout = '120s').
        del DATABASES["default"]["OPTIONS"]["options"]
    else:
        # A pool of connections per process (psycopg_pool, Django's OPTIONS["pool"]): a request
        # takes an open, already warmed connection (no TCP + authentication + backend start,
        # ~3–8 ms, and the new backend's first look-ups of each table) and gives it back when it
        # ends, whichever thread it ran on, however long the process was idle. Django requires
        # CONN_MAX_AGE = 0 with a pool: "closing" a connection returns it to the pool. Sized by
        # default for what a uvicorn worker may use at once (README: ASGI_THREADS request
        # threads + the live pages' query threads, CPUs + 4). DB_POOL_MAX_SIZE=0 turns it off
        # (connections then kept per thread for CONN_MAX_AGE); off under tests unless set, and
        # behind pgbouncer (above), which pools instead.
        _pool_max = env_int(
            "DB_POOL_MAX_SIZE",
            0 if TESTING else env_int("ASGI_THREADS", 4) + (os.cpu_count() or 1) + 4,
        )
        if _pool_max > 0:
            DATABASES["default"]["CONN_MAX_AGE"] = 0
            DATABASES["default"]["OPTIONS"]["pool"] = {
                "min_size": min(env_int("DB_POOL_MIN_SIZE", env_int("ASGI_THREADS", 4)), _pool_max),
                "max_size": _pool_max,
                # How long a request waits for a free connection before failing (seconds).
                "timeout": env_int("DB_POOL_TIMEOUT", 10),
            }
    # A streaming replica (kinerja/core/replica.py): dashboard and report reads go there while
    # each user's own writes stay visible to them (read-your-writes through the WAL position).
    DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        )
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"]["OPTIONS"])
        # Tests: the replica serves the test database the primary replicates to it.
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kinerja.core.replica.ReplicaRouter"]
# How long a browser that changed data keeps reading dashboards from the primary until the
# replica has replayed its change, and how long an unreachable replica is left alone.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 600)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 30)
# /readyz (kinerja/core/readiness.py): free space under MEDIA_ROOT and the age of the oldest
# waiting background task beyond which this instance reports itself not ready.
READY_MIN_FREE_MB = env_int("READY_MIN_FREE_MB", 200)
READY_MAX_QUEUE_AGE_SECONDS = env_int("READY_MAX_QUEUE_AGE_SECONDS", 900)
# The queue's recovery (kinerja/core/taskqueue.py, every 10 minutes by the scheduler): a task
# RUNNING longer than this is taken as left by a dead worker; idempotent failures are retried
# at most TASKS_MAX_ATTEMPTS times with backoff.
TASKS_STALE_MINUTES = env_int("TASKS_STALE_MINUTES", 30)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3)
# Each db_worker records a heartbeat this often; silent for three intervals = hung or dead.
TASKS_HEARTBEAT_SECONDS = env_int("TASKS_HEARTBEAT_SECONDS", 30)
# Background exports (files with personnel data) are deleted after this many days.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)
# Kinerja's enums → SIASN's national reference codes (kinerja/assessment/siasn, docs/SIASN.md).
SIASN_MAPPING_PATH = env("SIASN_MAPPING_PATH", str(BASE_DIR / "config" / "siasn_mapping.toml"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Threads per uvicorn worker process for synchronous request code (kinerja/core/asgi.py).
ASGI_THREADS = env_int("ASGI_THREADS", 4)
# The lean path (kinerja/core/asgi.py, LeanHandler): requests from devices, not browsers, whose
# path matches one of LEAN_PATHS run through LEAN_MIDDLEWARE only, synchronously, in one hop to
# their thread. A kiosk tablet sends a bearer token: no session, cookie, CSRF token, login,
# message or htmx, so the browser middleware above has nothing to do for it but costs it half
# of its CPU (docs/PERFORMANCE.md, eleventh session). What every answer carries stays: the
# security headers and CSP, the host check, the refusal of NUL characters, the Indonesian
# language, the client address for the audit trail and the friendly error pages.
# Under WSGI and the test client every path takes MIDDLEWARE as before.
LEAN_PATHS = [r"^/api/v1/public/surveys/[^/]+/responses$"]
LEAN_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kinerja.core.middleware.LanguageMiddleware",
    "kinerja.core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kinerja.core.middleware.FriendlyErrorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kinerja.core.middleware.RequestContextMiddleware",
]

REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kinerja",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: the database queue (django_tasks_db, `manage.py db_worker`) is the embedded
# default; TASKS_BACKEND=django_tasks_rq.RQBackend puts them on RQ over REDIS_URL instead, for
# several app machines (workers: `manage.py rqworker --job-class django_tasks_rq.Job
# --with-scheduler default`; docs/SCALING.md).
TASKS_BACKEND = env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND.startswith("django_tasks_rq"):
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=django_tasks_rq.RQBackend needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = ["kinerja.organisation.auth.NipOrUsernameBackend"]
LOGIN_URL = "organisation:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "organisation:login"
# What "/" shows to a visitor who is not logged in: the citizens' portal (a dotted path, so
# that kinerja.core does not import the apps above it).
PUBLIC_HOME_VIEW = "kinerja.public.views.portal"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout (kinerja/organisation/auth.py, on django-axes, for every login path): after
# LOGIN_MAX_FAILURES wrong passwords in a row for an account from one address, that account is
# refused from that address for LOGIN_LOCKOUT_MINUTES; an address with
# LOGIN_MAX_FAILURES_PER_ADDRESS failures over any accounts in that time is refused for all.
# Unknown accounts are treated alike. An administrator's password reset unlocks at once.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 50)
AXES_HANDLER = "kinerja.organisation.auth.LoginAttemptHandler"
AXES_FAILURE_LIMIT = "kinerja.organisation.auth.failure_limit"
AXES_COOLOFF_TIME = "kinerja.organisation.auth.lockout_period"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "kinerja.organisation.auth.attempt_username"
AXES_CLIENT_IP_CALLABLE = "kinerja.core.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends on time
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log
AXES_VERBOSE = False
# axes' middleware only swaps the answer to a locked login for its own page: the login page
# explains a lockout itself, and /admin/login/ answers it as a wrong password.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
# Two-step login for administrators (kinerja/organisation/twofactor.py, django-otp): minutes to
# enter the code after the password, and wrong codes after which the login starts over.
OTP_PENDING_MINUTES = env_int("OTP_PENDING_MINUTES", 5)
OTP_MAX_FAILURES = env_int("OTP_MAX_FAILURES", 5)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Kinerja")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions live in the database (server side); flash messages live in the session too, never in
# Django's default cookie (signed, not encrypted: readable by anyone who sees the cookie).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# A refused form gets Kinerja's own Indonesian page with a link back (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "kinerja.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if TLS == "proxy":
    # Only the proxy can say the request came over HTTPS; it must overwrite (not append to)
    # X-Forwarded-Proto (nginx: proxy_set_header X-Forwarded-Proto $scheme;).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if TLS != "off" and not DEBUG:
    SECURE_SSL_REDIRECT = True
    # The health probes of a load balancer or systemd speak plain HTTP to the app itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    # HSTS: one year by default. includeSubDomains covers only names below SITE_URL's host;
    # "preload" only allows a submission to the browsers' preload list, it submits nothing.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)

# Content-Security-Policy on every response (django-csp): scripts, styles, images and
# connections from this site only; no inline script or style anywhere (templates use classes
# and static files; tests/core/test_csp.py scans them). Evidence downloads send their own,
# stricter policy (performance.views.evidence_download), which the middleware leaves alone.
# The QR codes and charts of some pages are data: images. A violation shows in the browser's
# console; CSP_REPORT_URI, when set, also has browsers report it there.
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
        **({"report-uri": [env("CSP_REPORT_URI")]} if env("CSP_REPORT_URI") else {}),
    }
}
# The reverse proxies in front of Kinerja (addresses or CIDR blocks, comma-separated). Only
# when the direct peer is one of them is X-Forwarded-For read (its right-most address that is
# not a trusted proxy is the client: kinerja.core.middleware.client_ip); empty: the peer's own
# address (REMOTE_ADDR) is the client. Rate limits, login lockouts and the audit trail use it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
try:
    import ipaddress as _ipaddress

    for _proxy in TRUSTED_PROXIES:
        _ipaddress.ip_network(_proxy, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_error}") from None

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes (a deployment may put it elsewhere; the benchmarks' servers read
# the temporary directory the bench collected into).
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded imports are parsed in memory; this bounds them (10 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# A small XLSX can expand to hundreds of thousands of rows: files are read as a stream and
# refused past these bounds (the import page states them before upload); a report lists the
# first IMPORT_MAX_ERRORS problems and counts the rest (kinerja/core/tabular.py).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 60_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 60)
# A month of attendance has a row per person per working day: 220,000 rows for a regency of
# 10,000 (written in batches by a background job, kinerja/rewards/attendance_apply.py).
ATTENDANCE_IMPORT_MAX_ROWS = env_int("ATTENDANCE_IMPORT_MAX_ROWS", 400_000)
IMPORT_MAX_ERRORS = env_int("IMPORT_MAX_ERRORS", 200)
# An XLSX is a ZIP: a few hundred kilobytes can unpack to gigabytes (one cell of 300 MB of "A").
# Refused before openpyxl reads it when its entries unpack to more than this in total, or when
# an entry larger than 1 MB is packed more than IMPORT_MAX_COMPRESSION_RATIO times. Measured:
# 100,000 employee rows with every column filled unpack to 83 MB (ratio 10), 400,000 attendance
# rows to 122 MB (ratio 10 to 18); a bomb of repeated characters packs about 1,000 times.
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
# A checked file is written IMPORT_BATCH_ROWS rows per transaction, with a pause between two
# in which other writers take the lock (kinerja/organisation/import_apply.py). On SQLite the
# pause outlasts the longest sleep of a waiting writer's busy handler (100 ms), or the import
# would take the lock back before the waiter wakes.
IMPORT_BATCH_ROWS = env_int("IMPORT_BATCH_ROWS", 200)
IMPORT_BATCH_PAUSE_MS = env_int(
    "IMPORT_BATCH_PAUSE_MS",
    150 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 10,
)
# Attendance days are light rows: ATTENDANCE_IMPORT_BATCH_ROWS of them per transaction
# (kinerja/rewards/attendance_apply.py), with the same pause.
ATTENDANCE_IMPORT_BATCH_ROWS = env_int("ATTENDANCE_IMPORT_BATCH_ROWS", 5000)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "kinerja@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},  # failures and lockouts, not every successful login
    },
}

PAGE_SIZE = 25
# Project rule (DOMAIN §1): a month's realisation is on time until the end of this day of the
# next month; later entries are marked late.
REALISATION_DEADLINE_DAY = env_int("REALISATION_DEADLINE_DAY", 5)
if not 1 <= REALISATION_DEADLINE_DAY <= 28:
    raise ImproperlyConfigured("REALISATION_DEADLINE_DAY must be between 1 and 28.")

if TESTING:
    # Hashing with PBKDF2 would dominate the suite's run time; tests need no real security.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    IMPORT_BATCH_PAUSE_MS = 0  # nobody waits for the lock in a test
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Uploaded files of the suite go to a throwaway folder, never into var/ (unless a test
    # names the folder itself, e.g. for a process it starts); the folder is removed when the
    # process ends (each run used to leave its uploads behind in /tmp).
    if "MEDIA_ROOT" not in os.environ:
        import atexit
        import shutil
        import tempfile

        MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kinerja-test-media-"))
        atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# --- API (kinerja.api, docs/API.md) -----------------------------------------------------------
# Rate limits as "count/seconds", several comma-separated, counted in the cache (set REDIS_URL
# when several server processes run, so that they share the counters): per personal token, and
# per client address (every request, failed logins included). Over a limit the API answers 429
# with Retry-After. "0/60" switches a limit off. A bulk realisation request counts as one.
API_RATE_LIMIT_TOKEN = env("API_RATE_LIMIT_TOKEN", "120/60,3000/3600")
API_RATE_LIMIT_ADDRESS = env("API_RATE_LIMIT_ADDRESS", "600/60")
# The largest bulk realisation request (people in one all-or-nothing write).
API_BULK_MAX_ITEMS = env_int("API_BULK_MAX_ITEMS", 2000)

# --- Partisipasi masyarakat (kinerja.public): survey, complaints, forum, transparency ---------
# Client IPs are kept only as a salted hash (HMAC-SHA256; the salt defaults to one derived from
# SECRET_KEY) and the hashes are erased after PUBLIC_IP_RETENTION_DAYS (`manage.py public_purge`).
PUBLIC_IP_HASH_SALT = env("PUBLIC_IP_HASH_SALT", "")
PUBLIC_IP_RETENTION_DAYS = env_int("PUBLIC_IP_RETENTION_DAYS", 30)
# Retention of citizens' personal data (UU 27/2022; docs/PRIVACY.md, kinerja/public/retention.py),
# enforced daily by the scheduler's job "data_pribadi" and `manage.py purge_personal_data`:
# a complainant's name, e-mail and telephone are blanked this many days after the complaint was
# closed (longer than the reopening window); a forum account without activity for this many
# days is erased as on its owner's request (posts stay under a neutral name); a sign-up never
# confirmed is deleted after PUBLIC_FORUM_UNCONFIRMED_DAYS.
PUBLIC_COMPLAINT_CONTACT_RETENTION_DAYS = env_int("PUBLIC_COMPLAINT_CONTACT_RETENTION_DAYS", 365)
PUBLIC_FORUM_RETENTION_DAYS = env_int("PUBLIC_FORUM_RETENTION_DAYS", 730)
PUBLIC_FORUM_UNCONFIRMED_DAYS = env_int("PUBLIC_FORUM_UNCONFIRMED_DAYS", 30)
# On PostgreSQL, concurrent kiosk questionnaires of a worker share one commit (still durable
# before the 201; kinerja/public/commits.py). Off: one commit per questionnaire.
PUBLIC_GROUP_COMMIT = env_bool("PUBLIC_GROUP_COMMIT", True)
# Rate limits as "count/seconds" per client IP (per service for the survey). The counters live in
# the cache: set REDIS_URL when several server processes run, so that they share them.
PUBLIC_SURVEY_RATE_LIMIT = env("PUBLIC_SURVEY_RATE_LIMIT", "20/3600")
PUBLIC_COMPLAINT_RATE_LIMIT = env("PUBLIC_COMPLAINT_RATE_LIMIT", "5/3600")
PUBLIC_TRACK_RATE_LIMIT = env("PUBLIC_TRACK_RATE_LIMIT", "30/600")
PUBLIC_FORUM_RATE_LIMIT = env("PUBLIC_FORUM_RATE_LIMIT", "5/600")
PUBLIC_FORUM_SIGNUP_RATE_LIMIT = env("PUBLIC_FORUM_SIGNUP_RATE_LIMIT", "5/3600")
# Per kiosk device (its token), several limits at once: a burst of 20 a minute (a tablet that
# was offline sends what it queued) and 240 an hour (a busy counter takes about one a minute).
# Over the limit the API answers 429 with Retry-After. "0/60" switches it off.
PUBLIC_KIOSK_RATE_LIMIT = env("PUBLIC_KIOSK_RATE_LIMIT", "20/60,240/3600")
# Complaint handling: first response within N working days; weekends and these holidays (ISO
# dates, comma-separated; default: national holidays 2026, SKB 3 Menteri) do not count.
PUBLIC_COMPLAINT_RESPONSE_WORKDAYS = env_int("PUBLIC_COMPLAINT_RESPONSE_WORKDAYS", 5)
PUBLIC_COMPLAINT_REOPEN_DAYS = env_int("PUBLIC_COMPLAINT_REOPEN_DAYS", 14)
if PUBLIC_COMPLAINT_CONTACT_RETENTION_DAYS <= PUBLIC_COMPLAINT_REOPEN_DAYS:
    raise ImproperlyConfigured(
        "PUBLIC_COMPLAINT_CONTACT_RETENTION_DAYS must be longer than PUBLIC_COMPLAINT_REOPEN_DAYS: "
        "a complaint reopened by its author still needs the contact."
    )
PUBLIC_HOLIDAYS = env_list(
    "PUBLIC_HOLIDAYS",
    "2026-01-01,2026-01-16,2026-02-17,2026-03-19,2026-03-20,2026-03-21,2026-04-03,"
    "2026-05-01,2026-05-14,2026-05-27,2026-05-31,2026-06-01,2026-06-16,2026-08-17,"
    "2026-08-25,2026-12-25",
)
PUBLIC_UPLOAD_MAX_BYTES = env_int("PUBLIC_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Forum: words that a post may not contain (comma-separated, case-insensitive).
PUBLIC_FORUM_BLOCKED_WORDS = env_list("PUBLIC_FORUM_BLOCKED_WORDS", "anjing,bangsat,babi,goblok")

# --- Penilaian kinerja (kinerja.assessment) ----------------------------------------------------
# Periodic evaluation (PermenPANRB 6/2022; project rule DOMAIN §1): "monthly", "quarterly"
# (default, Triwulan I–IV) or "semester"; the annual evaluation always closes the year.
ASSESSMENT_PERIODICITY = env("ASSESSMENT_PERIODICITY", "quarterly")

# --- Pemantauan (kinerja.monitoring): team boards, "Kinerja saya", the regency dashboard ------
# Live updates (kinerja.monitoring.hub): every open page holds one Server-Sent Events stream,
# fed by ONE listener per worker process: Redis pub/sub when REDIS_URL is set, PostgreSQL
# LISTEN/NOTIFY on PostgreSQL, else (SQLite) one shared poll of the feed table every
# MONITORING_STREAM_POLL_SECONDS while the process has open streams. MONITORING_LIVE_BACKEND
# forces one ("redis", "postgres", "poll"; default "auto"). The hub also reads the feed every
# MONITORING_LIVE_SWEEP_SECONDS (a lost message is late, never lost) and polls it while its
# listener reconnects. A stream ends after MONITORING_STREAM_MAX_SECONDS (the browser
# reconnects at once); it works across any number of uvicorn workers.
MONITORING_LIVE_BACKEND = env("MONITORING_LIVE_BACKEND", "auto")
MONITORING_LIVE_SWEEP_SECONDS = float(env("MONITORING_LIVE_SWEEP_SECONDS", "30"))
# 0.25 s: the shared poll is one indexed query per worker per tick (about 1 ms), so four a
# second cost ~0.005 of a core whatever the number of open pages, and a change saved on the
# other worker reaches the screen in 125 ms on average instead of 500 (issue 16: ≤ 250 ms).
MONITORING_STREAM_POLL_SECONDS = float(env("MONITORING_STREAM_POLL_SECONDS", "0.25"))
MONITORING_STREAM_MAX_SECONDS = env_int("MONITORING_STREAM_MAX_SECONDS", 300)
# Rows of the change feed older than this are pruned (a page away longer reloads its rows).
MONITORING_CHANGE_RETENTION_SECONDS = env_int("MONITORING_CHANGE_RETENTION_SECONDS", 3600)
# The database worker runs up to this many queued unit-and-team refreshes (one per save) as one
# (kinerja.core.taskbatch): each unit and each head above the savers counted once. 1: one by one.
MONITORING_REFRESH_BATCH = env_int("MONITORING_REFRESH_BATCH", 100)
# A team board lists everyone below the supervisor up to this many people; larger teams (an
# OPD head, the Sekda) show their direct reports with each one's team figures, drilled down
# on demand (kinerja.monitoring.selectors.team_board).
MONITORING_BOARD_TREE_LIMIT = env_int("MONITORING_BOARD_TREE_LIMIT", 150)
# An indicator is "at risk" when its projected capaian at year end is below this (percent).
MONITORING_AT_RISK_BELOW = env("MONITORING_AT_RISK_BELOW", "90")
# Regency-wide figures of other apps on the dashboard (IKM, complaints, predikat spread) are
# cached this many seconds (0: read them on every request).
MONITORING_EXTERNAL_CACHE_SECONDS = env_int("MONITORING_EXTERNAL_CACHE_SECONDS", 300)

# --- Pengembangan kompetensi (kinerja.competency): catalogue, JP, development plans ------------
# JP required per year (DOMAIN §4: 20 for PNS; PPPK the same by default, configurable).
COMPETENCY_JP_REQUIRED_PPPK = env_int("COMPETENCY_JP_REQUIRED_PPPK", 20)
# The QR check-in code at the venue changes every this many seconds (the previous one is still
# accepted, so a participant who scanned just before the change is not turned away).
COMPETENCY_CHECKIN_WINDOW_SECONDS = env_int("COMPETENCY_CHECKIN_WINDOW_SECONDS", 60)
# --- Adopsi (kinerja.adoption): activation, e-mail and webhook channels, reminders ------------
# Activation codes hold this many days; /aktivasi/ allows this many tries per address and per
# NIP ("count/seconds", counters in the cache: set REDIS_URL with several server processes).
ADOPTION_ACTIVATION_DAYS = env_int("ADOPTION_ACTIVATION_DAYS", 30)
ADOPTION_ACTIVATION_RATE_LIMIT = env("ADOPTION_ACTIVATION_RATE_LIMIT", "10/900")
ADOPTION_PASSWORD_RESET_RATE_LIMIT = env("ADOPTION_PASSWORD_RESET_RATE_LIMIT", "5/900")
# The webhook channel (docs/adopsi.md): every notification a person chose to receive by
# WhatsApp/SMS is POSTed as JSON to this address of the regency's own gateway, with
# "Authorization: Bearer <ADOPTION_WEBHOOK_TOKEN>"; empty: the channel is off. A failed call is
# tried ADOPTION_WEBHOOK_ATTEMPTS times, waiting ADOPTION_WEBHOOK_RETRY_SECONDS × attempt.
ADOPTION_WEBHOOK_URL = env("ADOPTION_WEBHOOK_URL", "")
ADOPTION_WEBHOOK_TOKEN = env("ADOPTION_WEBHOOK_TOKEN", "")
ADOPTION_WEBHOOK_ATTEMPTS = env_int("ADOPTION_WEBHOOK_ATTEMPTS", 3)
ADOPTION_WEBHOOK_RETRY_SECONDS = float(env("ADOPTION_WEBHOOK_RETRY_SECONDS", "5"))
ADOPTION_WEBHOOK_TIMEOUT_SECONDS = float(env("ADOPTION_WEBHOOK_TIMEOUT_SECONDS", "10"))
# Reminders: the realisation reminder goes this many days before the entry deadline; a plan
# waiting for its approver longer than ADOPTION_PLAN_WAITING_DAYS is reminded; the assessment
# period and objection reminders go this many days before their end.
ADOPTION_REALISATION_DAYS_BEFORE = env_int("ADOPTION_REALISATION_DAYS_BEFORE", 3)
ADOPTION_PLAN_WAITING_DAYS = env_int("ADOPTION_PLAN_WAITING_DAYS", 5)
ADOPTION_PERIOD_DAYS_BEFORE = env_int("ADOPTION_PERIOD_DAYS_BEFORE", 7)
ADOPTION_OBJECTION_DAYS_BEFORE = env_int("ADOPTION_OBJECTION_DAYS_BEFORE", 3)
