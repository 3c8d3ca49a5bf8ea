"""Settings shared by every environment, read from one ``environ.Env()``.

Each variable is documented in ``.env.example``. Defaults exist only where
they are safe for the embedded demo run; production.py refuses to start
without its secrets.
"""

import datetime
from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="") or "insecure-local-only-key-do-not-use-in-production"
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many reverse proxies in front of the app append to X-Forwarded-For; the
# access log then records the client's address instead of the proxy's.
KAA_TRUSTED_PROXY_COUNT = env.int("KAA_TRUSTED_PROXY_COUNT", default=0)
# Used to build absolute links in e-mail digests.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_htmx",
    "csp",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "kaa",
    "registry",
    "casework",
    "followup",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Everything under /api/v1/ answers JSON; hostile bodies and queries are refused first.
    "kaa.api.guard.ApiGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kaa.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kaa.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle sessions end after SESSION_IDLE_TIMEOUT; the absolute limit is SESSION_COOKIE_AGE.
    "kaa.signin.SessionTimeoutMiddleware",
    # Managers and admins verify a TOTP code where the municipality requires it (kaa/twofactor.py).
    "kaa.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the acting user on every history row (simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses sign-in for a locked-out user name (kaa/signin.py); last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on; authenticates no one unless OIDC_RP_CLIENT_ID is set (kaa/oidc.py).
    "kaa.oidc.ExistingUserOIDCBackend",
]

ROOT_URLCONF = "kaa.urls"
WSGI_APPLICATION = "kaa.wsgi.application"
AUTH_USER_MODEL = "registry.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaa.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded run's job scheduler and web server share the file: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20


def postgres_options(database: dict, *, pool_min: int) -> None:
    """The options of the app's PostgreSQL connections (base and production settings)."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    options = database.setdefault("OPTIONS", {})
    # psycopg 3 with Django's own connection pool (Django 5.1+).
    options["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=pool_min),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
    }
    # JIT off: at national size (docs/performance.md) the report queries' cost estimates
    # cross jit_above_cost, and compiling them cost more than it saved: one of the
    # dashboard's queries spent 43.6 ms of its 75 ms in JIT compilation (EXPLAIN ANALYZE),
    # and the eight report queries over 20 ms took 720-824 ms with JIT against 680-694 ms
    # without. Our queries are short OLTP and report queries; none gains from it.
    options["options"] = "-c jit=off"


postgres_options(DATABASES["default"], pool_min=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env("MEDIA_ROOT", default="") or str(BASE_DIR / "media")
MEDIA_URL = "media/"
# Files with personal data (kaa.storage.PrivateFileStorage): never served by URL.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default="") or str(BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# E-mail: console by default; EMAIL_URL (e.g. smtp+tls://user:pw@host:587) in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="kaa@example.invalid")

# Celery. Without REDIS_URL (the embedded run) tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CACHES = {
    "default": (
        {"BACKEND": "kaa.cache.TolerantRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Content Security Policy (django-csp 4): only our own scripts and styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day: the absolute limit
# docs/domain.md: idle sessions end after 30 minutes (configurable).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60

# Two-factor sign-in (django-otp): the issuer name shown in the authenticator app.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="KAA")

# Single sign-on over OpenID Connect (kaa/oidc.py), off while OIDC_RP_CLIENT_ID is empty.
# The claim that names an EXISTING user: preferred_username (its user name) or email
# (then email_verified must be true). No user is created from a sign-in.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USERNAME_CLAIM = env("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/?sso=misslyckades"

# Sign-in throttle (django-axes, kaa/signin.py): per user name and per user name +
# address, never per address alone (one office shares one address).
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("SIGNIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "kaa.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "registry.services.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Sign-ins are in axes' own tables; no user names or addresses in the log lines.
AXES_VERBOSE = False
X_FRAME_OPTIONS = "DENY"

# Logs go to stdout as JSON lines so a log collector can parse them.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    # docs/domain.md, data protection: no personnummer, names or row contents in a log
    # line. Every handler carries the filter (a new handler must add it too).
    "filters": {"personal_data": {"()": "kaa.redaction.PersonalDataFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools log every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Error reports (the technical 500 page, admin e-mails) show no values either.
DEFAULT_EXCEPTION_REPORTER = "kaa.redaction.PersonalDataExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "kaa.redaction.PersonalDataReporterFilter"

# The SCB half-year file's column layout and code mapping (TOML); empty = the
# shipped reports/scb_layout.toml. A municipality may keep its own copy.
SCB_LAYOUT_PATH = env("SCB_LAYOUT_PATH", default="")

# API pagination size (docs/api.md, "Conventions": {"count", "next", "results"}).
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
# The largest request body the API reads (bytes); larger answers 413 (docs/api.md).
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1_000_000)
# School notifications per token (docs/api.md); more answer 429.
API_SCHOOL_NOTIFICATION_RATE = env("API_SCHOOL_NOTIFICATION_RATE", default="120/m")
# The highest page number the API accepts (a larger one answers 400 before any query).
API_MAX_PAGE = 1_000_000

# make bench only: each response says how many SQL queries it ran (X-Query-Count).
if env.bool("KAA_BENCH", default=False):
    MIDDLEWARE.insert(0, "kaa.bench.middleware.QueryCountMiddleware")
