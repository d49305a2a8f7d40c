"""Settings of PK Portal, read from the environment.

Defaults give the embedded set-up (SQLite file, tasks run eagerly, e-mails written to files).
Production needs only environment variables: see `.env.example`.
"""

import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from pk_portal.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Django's own `check --deploy` (security.W009) flags this key: production must set its own.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-pk-portal-development-key-do-not-deploy")
# The address of the site as users reach it, for links in e-mails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "organisations",
    "indicators",
    "agreements",
    "submissions",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the body: an oversized request is refused unread.
    "pk_portal.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): a one-time code was given in this session (e-signing asks it).
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Records who made each change to an audited model (the field history of a PK).
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pk_portal.urls"
WSGI_APPLICATION = "pk_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agreements.notifications.unread_notifications",
                "submissions.services.national_reviewer_flag",
            ],
            "builtins": ["organisations.templatetags.pk_format"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pk_portal.sqlite3'}")
try:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL={_database_url!r} is not valid: {exc}") from exc
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL or SQLite.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's web process and a worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Django turns psycopg's prepared statements off (its cursors bind on the client and
    # are never prepared anyway). 0: a cursor that binds on the server prepares its
    # statement at once; the PK page's statement is the one such cursor
    # (agreements.page_cache), so PostgreSQL plans it once per connection, not per view.
    # Behind PgBouncer in transaction mode before 1.21: DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        0 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None
    )
DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", "pk_portal_test")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {}  # an in-memory database for tests

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

# --- Redis: broker, result backend and cache, or nothing at all ----------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis:// or rediss://.")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, reusing its redis-py client (pk_portal/cache.py).
            "BACKEND": "pk_portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "pk_portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A broker of its own (CELERY_BROKER_URL), else Redis, else none. `make demo` sets
# filesystem:// (kombu's filesystem transport: messages are files under var/celery/) so that a
# worker runs beside the web process without Redis, and slow work shows its real progress.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or REDIS_URL or "memory://"
if not CELERY_BROKER_URL.startswith(
    ("redis://", "rediss://", "unix://", "filesystem://", "memory://")
):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r} must start with redis:// or filesystem://."
    )
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_FOLDER = Path(env_str("CELERY_BROKER_FOLDER", str(VAR_DIR / "celery")))
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
    # One folder in and out: the web process and the worker share the queue.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "store_processed": False,
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
    }
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker the embedded default runs every task in the calling process.
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A separate queue name keeps test workers (and staging) apart from production ones.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Deadline reminders (submissions/reminders.py): days before a deadline, then every N days late.
REMINDER_DAYS_BEFORE = [int(d) for d in env_list("REMINDER_DAYS_BEFORE", ["7", "3", "1", "0"])]
REMINDER_OVERDUE_EVERY_DAYS = env_int("REMINDER_OVERDUE_EVERY_DAYS", 3)
# Days before each quarter's closing date on which operators are reminded to report.
QUARTER_REMINDER_DAYS_BEFORE = [
    int(d) for d in env_list("QUARTER_REMINDER_DAYS_BEFORE", [str(d) for d in REMINDER_DAYS_BEFORE])
]

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "PK Portal"
# Electronic signing needs a one-time code, given once per session (agreements/signing/service).
SIGNING_REQUIRES_OTP = env_bool("SIGNING_REQUIRES_OTP", True)
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# By username (wherever the attempts come from), never by IP alone: a whole KPU office often
# shares one public IP address, and one colleague's typos must not lock out the others.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# JSON 429 for the API (docs/api/openapi.yaml), the template above for pages.
AXES_LOCKOUT_CALLABLE = "pk_portal.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Password-reset requests: at most this many per address typed and per client address in the
# window (seconds), counted in the shared cache; past it the form refuses, no e-mail goes out.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 10)
PASSWORD_RESET_LIMIT_WINDOW = env_int("PASSWORD_RESET_LIMIT_WINDOW", 60 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Language, time and formats -------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
# Django's `id` locale prints "15 Jan. 2026"; ours prints "15 Januari 2026" as KPU writes it.
FORMAT_MODULE_PATH = ["pk_portal.formats"]

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# No MEDIA_URL is served: uploads leave only through views that check permission.
MEDIA_URL = "/media-not-served/"

_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if env_bool("STATIC_MANIFEST", False)
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
_file_storage = env_choice("FILE_STORAGE", "local", {"local", "s3"})
if _file_storage == "s3":
    # Shared by every web process and worker; needs the `s3` extra (django-storages).
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
# Without collectstatic (the demo, the tests) whitenoise serves straight from the apps' folders,
# and STATIC_ROOT not existing yet is expected, not worth a warning.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", False)
if WHITENOISE_USE_FINDERS:
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {"default": _default_storage, "staticfiles": {"BACKEND": _static_backend}}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
# Single files are at most 20 MB (scans, proofs); a quarter form may carry several evidence files.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 50 * 1024 * 1024)
# The lampiran editor posts ~9 fields per row in two formsets: a 250-indicator PK needs
# ~2,300; Django's default of 1,000 would refuse it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PK Portal <pk-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------
_secure = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers and the container health check call /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A year of HSTS in production unless said otherwise (browsers apply it over HTTPS only).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Electronic signatures ------------------------------------------------------------------
SIGNER_BACKEND = env_choice("SIGNER_BACKEND", "pkcs12", {"pkcs12", "bsre"})
# Passphrase of the development CA's key in the storage. Officials' keys are encrypted with
# the signing secret each sets at enrolment, never with this (docs/signing.md).
SIGNING_KEY_PASSPHRASE = env_str("SIGNING_KEY_PASSPHRASE", "dev-only-passphrase")
# PBKDF2 rounds of an official's PKCS#12 (opening the key at each signature pays them once).
SIGNING_KEY_KDF_ROUNDS = env_int("SIGNING_KEY_KDF_ROUNDS", 600_000)
# An enrolment link (sent to the official's e-mail of record) is valid this many hours, once.
SIGNING_ENROLMENT_HOURS = env_int("SIGNING_ENROLMENT_HOURS", 48)
# Wrong signing secrets per official before signing is refused for SIGNING_SECRET_COOLOFF s.
SIGNING_SECRET_FAILURE_LIMIT = env_int("SIGNING_SECRET_FAILURE_LIMIT", 5)
SIGNING_SECRET_COOLOFF = env_int("SIGNING_SECRET_COOLOFF", 15 * 60)
BSRE_BASE_URL = env_str("BSRE_BASE_URL", "http://127.0.0.1:8079")

# --- Content-Security-Policy (django-csp) -----------------------------------------------------
# No inline script anywhere (a test checks the templates); inline style attributes are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO ("Step 5 - Creating layout - Page 3"), and its
    # stylesheets as it is imported: a dozen lines per PDF. Its warnings still come through.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
