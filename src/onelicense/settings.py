"""Settings, read from the environment with typed helpers that fail loudly.

Every value has a default that runs the embedded demo (SQLite in the data folder);
production sets DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()  # lets admin.ModelAdmin[Model] and QuerySet[Model] run

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("", "True", "False"):
        raise ImproperlyConfigured(f"Unexpected value {name}={value}, use 'True' or 'False'")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value} is not a whole number") from exc


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.getenv(name, default).split(",") if part.strip()]


DATA_DIR = Path(os.getenv("ONELICENSE_DATA_DIR", Path.cwd() / "onelicense-data")).resolve()

DEBUG = envbool("DEBUG", "False")
SECRET_KEY = os.getenv("SECRET_KEY", "onelicense-demo-secret-key-not-for-production")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "onelicense.core",
    "onelicense.accounts",
    "onelicense.catalogue",
    "onelicense.applications",
    "onelicense.approvals",
    "onelicense.licences",
    "onelicense.verification",
    "onelicense.exchange",
    "onelicense.supervision",
    "onelicense.reports",
    "onelicense.portal",
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
]

ROOT_URLCONF = "onelicense.urls"
WSGI_APPLICATION = "onelicense.wsgi.application"

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
                "onelicense.core.context_processors.display",
                "onelicense.portal.context_processors.navigation",
            ],
        },
    },
    {
        # The chrome and the live verification page: see onelicense.core.jinja.
        "BACKEND": "onelicense.core.jinja.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "onelicense.core.jinja.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "onelicense.core.context_processors.display",
                "onelicense.portal.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.getenv("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "onelicense.sqlite3"}
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Parameters bound on the server, and a statement run five times on a connection is
        # prepared: the hot reads (the QR code's live check) skip planning.
        config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN, so two concurrent writers queue instead of failing with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Where the outbox's messages go, by channel: the demo writes e-mail and SMS to files under the
# data folder; certificate records are posted to the city e-licence library.
ONELICENSE_OUTBOX_BACKENDS = {
    "email": os.getenv("ONELICENSE_EMAIL_BACKEND", "onelicense.core.messaging.EmailFileBackend"),
    "sms": os.getenv("ONELICENSE_SMS_BACKEND", "onelicense.core.messaging.SmsFileBackend"),
    "library": os.getenv(
        "ONELICENSE_LIBRARY_BACKEND", "onelicense.exchange.library.HttpLibraryBackend"
    ),
    "archive": "onelicense.exchange.archive.ArchiveBackend",
}
ONELICENSE_LIBRARY_URL = os.getenv(
    "ONELICENSE_LIBRARY_URL", "http://127.0.0.1:8000/library-receiver-not-configured"
)

# The e-licence type code of 综合许可凭证 (GB/T 36904: definer's USCC + 3 digits) and each
# district issuer's USCC. The defaults are well-formed but assumed; production configures them.
ONELICENSE_CERTIFICATE_TYPE_CODE = os.getenv(
    "ONELICENSE_CERTIFICATE_TYPE_CODE", "11110000MB0000000U001"
)
ONELICENSE_ISSUER_USCC: dict[str, str] = {}

# The address the QR code on a certificate opens (the public verification page).
ONELICENSE_PUBLIC_URL = os.getenv("ONELICENSE_PUBLIC_URL", "http://127.0.0.1:8000")

# Public verification: requests allowed per address ("requests/seconds", counted in this cache:
# give a shared one, Redis or Memcached, when several servers answer), and how long a process
# keeps the trusted keys before reading them again (seconds).
ONELICENSE_VERIFY_RATE = "60/10"
ONELICENSE_VERIFY_CACHE = "default"
ONELICENSE_VERIFY_KEY_TTL = 300

# Later steps of a use case, run in its transaction (core/pipeline.py).
ONELICENSE_ON_ACCEPTED = ["onelicense.approvals.services.cases_dispatch"]
ONELICENSE_ON_APPROVED = ["onelicense.licences.services.permit_issue"]
ONELICENSE_ON_CERTIFICATE = [
    "onelicense.exchange.library.library_enqueue",
    "onelicense.exchange.archive.archive_on_issue",
]

# What `onelicense worker` runs on every round.
ONELICENSE_WORKER_JOBS = [
    "onelicense.approvals.services.cases_warn",
    "onelicense.licences.services.permits_expire",
    "onelicense.core.messaging.outbox_drain",
    "onelicense.reports.services.figures_refresh_due",
    "onelicense.supervision.followup.rectifications_overdue",
]

# The CJK TrueType font embedded in every PDF; found on the usual Debian paths when unset.
CJK_FONT_PATH = os.getenv("ONELICENSE_CJK_FONT", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
