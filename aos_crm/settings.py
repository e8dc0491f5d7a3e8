"""Settings for AOS CRM, every value read once from the environment (django-environ).

Defaults make a local run work on a bare machine (SQLite file, local-memory cache, DEBUG on).
Production sets DJANGO_DEBUG=false and must then supply a real DJANGO_SECRET_KEY; see .env.example.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Settings come from the environment, and from .env where present (the environment wins). With
# DJANGO_ENV_FILE another file is read instead and its values win: `make lint` runs
# `check --deploy` on .env.example's production values that way.
if _ENV_FILE := environ.Env().str("DJANGO_ENV_FILE", default=""):
    environ.Env.read_env(_ENV_FILE, overwrite=True)
else:
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - refused below when DEBUG is off
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "import_export",
    "aos_crm",
    "customers",
    "projects",
    "conversations",
    "quotes",
    "catalog",
    "archive",
    "axes",
    "csp",
    "pgtrigger",
    "history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every answer carries the policy (the NUL refusal and static files included).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aos_crm.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aos_crm.middleware.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aos_crm.routers.ReadYourWritesMiddleware",
    "history.context.HistoryContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused for too many failures into the locked page (aos_crm/logins.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aos_crm.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # The app's templates without their indentation (aos_crm/template_loaders.py), the
            # apps' (admin, crispy) as they are; cached, as Django does by default, and read
            # through django-template-partials' loader (what it would set up itself).
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "aos_crm.template_loaders.IndentStrippingLoader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aos_crm.context_processors.role_flags",
            ],
        },
    },
]

WSGI_APPLICATION = "aos_crm.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's own pool; off when an external pooler (PgBouncer) sits in front.
    if env.bool("DATABASE_POOL", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # Server-side prepared statements: a statement run DATABASE_PREPARE_THRESHOLD times on a
    # connection is parsed and planned once, then reused with new parameters (psycopg 3's automatic
    # preparation, which Django leaves off for transaction-mode poolers). Planning was most of the
    # cost of the sales floor's reads by associate or project, which cannot skip the monthly
    # partitions of conversation_log (docs/performance.md). Off (`DATABASE_PREPARED_STATEMENTS=false`)
    # behind a PgBouncer in transaction mode older than 1.21 or without max_prepared_statements.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=5)
        )
    # PostgreSQL's JIT compiles the expressions of expensive plans; for this app's short reads it
    # cost more than it saved (docs/dashboard.md), so the app's sessions run without it.
    if not env.bool("DATABASE_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# A PostgreSQL streaming replica for reporting reads (aos_crm/routers.py). In tests it mirrors the
# test database: the standby receives it from the primary like any other database.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "ATOMIC_REQUESTS": False,
        "CONN_HEALTH_CHECKS": True,
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 60),
        "OPTIONS": {k: v for k, v in DATABASES["default"].get("OPTIONS", {}).items() if k == "options"},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["aos_crm.routers.ReplicaRouter"]
REPORTING_USE_REPLICA = env.bool("REPORTING_USE_REPLICA", default=True)
REPLICA_READ_YOUR_WRITES_SECONDS = env.int("REPLICA_READ_YOUR_WRITES_SECONDS", default=5)
# "view": the score review reads the materialized view plus today's rows (PostgreSQL);
# "live": every figure from conversation_log (what SQLite always does).
REPORTING_SOURCE = env.str("REPORTING_SOURCE", default="view")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "aos_crm.User"
# ModelBackend, reading the user's permissions in the user's own query (aos_crm/auth_backend.py).
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "aos_crm.auth_backend.UserWithPermissionsBackend"]

# Login throttling (django-axes, aos_crm/logins.py): LOGIN_FAILURE_LIMIT failed logins for one
# username from one address lock that pair out for LOGIN_LOCKOUT_MINUTES after the last try; the app's
# login and the admin's are both covered (they authenticate through the backends above). A
# successful login clears the count. Managers unlock on /accounts/locked/.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_ENABLED = env.bool("LOGIN_THROTTLING", default=True)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aos_crm.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "aos_crm.logins.client_ip"
# The failures are what count; no row per successful login.
AXES_DISABLE_ACCESS_LOG = True

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://aos-crm")}

# Catalog import: the uploaded file waits between preview and confirm. With Redis it waits there,
# so any web worker can confirm it (the web tier is stateless); locally a temp folder will do.
IMPORT_EXPORT_TMP_STORAGE_CLASS = (
    "import_export.tmp_storages.CacheStorage"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "import_export.tmp_storages.TempFolderStorage"
)
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
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

# Django's form renderer with its input, select and textarea templates written in Python
# (aos_crm/forms_renderer.py; the same markup, a fraction of the time).
FORM_RENDERER = "aos_crm.forms_renderer.FastWidgetRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Messages ("Room added.") travel in a signed cookie, the session only when they outgrow it:
# kept in the session, every write wrote the session row once to add a message and once more on
# the next page to clear it.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# Security: strict when DEBUG is off (production), relaxed for a local run.
SESSION_COOKIE_HTTPONLY = True
# Sessions end after SESSION_IDLE_MINUTES without a request (default 8 hours: a shift on a shared
# showroom tablet), refreshed at most every SESSION_REFRESH_SECONDS (aos_crm/middleware.py).
# Django gives the session a new key at login (no session fixation).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=480)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every response: scripts, styles, images and fonts from
# this site only; no inline script, style attribute or eval (htmx is configured for it in
# base.html); no framing, no plugins, forms post only here. Bootstrap's form controls draw their
# arrows and ticks as data: SVG images. CSP_REPORT_ONLY=true reports violations without blocking
# (to try a change of policy in production first).
CONTENT_SECURITY_POLICY_DIRECTIVES = {
    "default-src": [CSP_SELF],
    "script-src": [CSP_SELF],
    "style-src": [CSP_SELF],
    "img-src": [CSP_SELF, "data:"],
    "font-src": [CSP_SELF],
    "connect-src": [CSP_SELF],
    "object-src": [CSP_NONE],
    "base-uri": [CSP_SELF],
    "form-action": [CSP_SELF],
    "frame-ancestors": [CSP_NONE],
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CONTENT_SECURITY_POLICY_DIRECTIVES}
    CONTENT_SECURITY_POLICY = None
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CONTENT_SECURITY_POLICY_DIRECTIVES}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; its lockouts come at WARNING.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
    },
}

# Store settings used by quotes and pricing.
STORE_NAME = env.str("STORE_NAME", default="Example Tile & Stone")
STORE_TAX_RATE = Decimal(env.str("STORE_TAX_RATE", default="0.0825"))
QUOTE_VALIDITY_DAYS = env.int("QUOTE_VALIDITY_DAYS", default=30)
# Phones without a country code are read as this region's (ISO 3166 code); stored as E.164.
PHONE_REGION = env.str("PHONE_REGION", default="US").upper()

# The one-query floor view of `manage.py bench_pages` (aos_crm/bench.py), mounted at /bench/floor/
# only when this is on: the benchmark turns it on for the gunicorn it starts, nothing else does.
BENCH_FLOOR_VIEW = env.bool("BENCH_FLOOR_VIEW", default=False)
