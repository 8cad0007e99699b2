"""The one settings module: every value that differs between deployments comes from the environment.

See README "Configuration" for the variables. ``ARREARS_DEV=1`` (set by ``make run`` and
``make test``) supplies throwaway keys so a fresh checkout starts; without it the keys are required.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from arrears.config.env import env_bool, env_int, env_key, env_list, env_str, env_time

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("ARREARS_DATA_DIR", str(BASE_DIR / "var")))

DEV = env_bool("ARREARS_DEV", False)
DEBUG = env_bool("ARREARS_DEBUG", False)

# Development keys are fixed so that a demo database survives restarts; they protect nothing.
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
SECRET_KEY = env_str("ARREARS_SECRET_KEY", _DEV_SECRET if DEV else None)
FIELD_KEY = env_key("ARREARS_FIELD_KEY", _DEV_FIELD_KEY if DEV else None)

ALLOWED_HOSTS = env_list("ARREARS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ARREARS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "arrears.core",
    "arrears.accounts",
    "arrears.creditors",
    "arrears.debtors",
    "arrears.cases",
    "arrears.contacts",
    "arrears.payments",
    "arrears.money",
    "arrears.compliance",
    "arrears.complaints",
    "arrears.workbench",
    "arrears.documents",
    "arrears.batch",
    "arrears.messaging",
    "arrears.visits",
    "arrears.legal",
    "django_tasks",
    "django_tasks_db",
    "arrears.intake",
    "arrears.demo",
    "arrears.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "arrears.core.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "arrears.core.audit.RequestContextMiddleware",
]

ROOT_URLCONF = "arrears.config.urls"
WSGI_APPLICATION = "arrears.config.wsgi.application"

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
                "arrears.core.context.capabilities",
            ],
        },
    },
]

if not env_str("DATABASE_URL", ""):
    # The embedded database lives in the data folder; a fresh checkout does not have one yet.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'arrears.sqlite3'}"),
        conn_max_age=env_int("ARREARS_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while an import writes; IMMEDIATE avoids lock upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not SQLite's shared in-memory database: concurrency tests need real
    # database locks between connections, which shared-cache memory databases do not give.
    # One file per test process, in the temporary folder, so two runs never share it.
    _test_db = Path(tempfile.gettempdir()) / f"arrears-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["arrears.formats"]
TIME_ZONE = env_str("ARREARS_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("ARREARS_MEDIA_ROOT", str(DATA_DIR / "media")))
# Background work: Django's tasks API (the django-tasks backport), stored in the database and run by
# `arrears worker`; RQ or Celery backends are the scale-out path, chosen here.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "batch"]}}
# When the worker starts the nightly run (for the business day just ended), local time HH:MM.
BATCH_AT = env_time("ARREARS_BATCH_AT", "01:30")
# A book too big for one worker is run in this many partitions (by creditor), one task each.
BATCH_PARTITIONS = env_int("ARREARS_BATCH_PARTITIONS", 1)

# The folder holding the Noto CJK fonts that PDF letters embed; empty: Debian's usual folders.
PDF_FONT_DIR = env_str("ARREARS_PDF_FONT_DIR", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or DEV

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Creditor files of 100,000 rows are ~20 MB; uploads above this are refused with a clear message.
ARREARS_MAX_UPLOAD_BYTES = env_int("ARREARS_MAX_UPLOAD_MB", 100) * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ARREARS_SECURE_COOKIES", not DEV)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ARREARS_LOG_LEVEL", "INFO")},
    # fontTools narrates every font subset it makes for a PDF at INFO.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
