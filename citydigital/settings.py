"""Settings for City Digital Readiness, read from environment variables.

Locally nothing needs setting: SQLite and the filesystem Celery broker live under var/.
With DJANGO_ENV=production every secret must be given, or start-up stops naming it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
PRODUCTION = DJANGO_ENV == "production"

REQUIRED_IN_PRODUCTION = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
    "CONTACT_EMAIL",
)
if PRODUCTION:
    missing = [name for name in REQUIRED_IN_PRODUCTION if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables, which are not set: "
            + ", ".join(missing)
        )

SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    # Only reachable outside production (checked above).
    default="local-only-insecure-key-do-not-use-in-production-0123456789abcdef",
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Where people report problems, ask about their data and send feedback: the contact,
# accessibility, privacy and cookies pages show it. Required in production (checked above).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="digital-readiness@example.org")

INSTALLED_APPS = [
    # Django's admin with our site: it asks superusers and question-bank admins for their code.
    "accounts.admin_config.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "citydigital",
    "accounts",
    "questionbank",
    "assessments",
    "reports",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the header too.
    "citydigital.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "citydigital.middleware.private_when_signed_in",
    "accounts.middleware.TwoFactorStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lock-out into our lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citydigital.urls"
WSGI_APPLICATION = "citydigital.wsgi.application"

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
                "citydigital.context_processors.service",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production and CI).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_path = Path(DATABASES["default"]["NAME"])
    # A file, not :memory:, so a worker process started by a test sees the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(_sqlite_path.with_name(f"test-{_sqlite_path.name}"))
    }
    DATABASES["default"].setdefault("OPTIONS", {})
    # Several staff save answers at once: wait for the write lock instead of failing.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "citydigital:sign-in"
LOGIN_REDIRECT_URL = "assessments:region-list"
LOGOUT_REDIRECT_URL = "citydigital:start"

# Sign-in: django-axes first (it refuses a locked-out username or address before any password is
# checked), then usernames or email addresses (accounts.backends).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
# Lock-out: 5 failures for one username, or from one address, counted while no 15 minutes pass
# between them, refuse that username (or address) for 15 minutes from the 5th failure, even with
# the right password. Refused tries do not extend the lock, so a user who waits 15 minutes always
# gets back in. A successful sign-in or password reset clears the username's failures.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one, each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# "Alice", "alice@example.org" and "ALICE@EXAMPLE.ORG" count as one username.
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for_attempts"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Behind this many reverse proxies, the client's address is that many from the right of
# X-Forwarded-For; with none (the default), REMOTE_ADDR, which no client can forge.
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)

# Two-factor authentication (django-otp): required of superusers and of these groups, offered
# to everyone else on "Your account".
TWO_FACTOR_REQUIRED_GROUPS = ["Question-bank admins"]
OTP_TOTP_ISSUER = "City Digital Readiness"

# Sessions end after 8 hours without a request (the cookie and the stored session are renewed on
# every request), and when the browser closes unless "Keep me signed in" was ticked.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A password reset link works once, for 2 hours.
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: our compiled GOV.UK Frontend build (static/build, made by `npm run build`).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Only what pages and briefings load: static/src (Sass and the build script) stays private.
STATICFILES_DIRS = [
    (folder, BASE_DIR / "static" / folder)
    for folder in ("build", "images", "js", "open-data", "reports")
]
MEDIA_URL = "/media/"  # never served publicly: downloads go through views that check membership
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names for long-lived caching; needs collectstatic (make run and the image run it).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("DJANGO_STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: SMTP from EMAIL_URL (smtp://user:password@host:587, smtp+tls://... for STARTTLS,
# smtp+ssl://...:465 for TLS from the start); locally, one file per email under var/mail/.
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = _email["EMAIL_PORT"] or 25
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"] or str(VAR_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
# Seconds an SMTP connection may hang before the attempt fails and is retried later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="City Digital Readiness <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site as people reach it: links in emails start with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# An email still queued this long (the broker was down) is re-sent by the sweep.
EMAIL_SWEEP_AFTER_SECONDS = env.int("EMAIL_SWEEP_AFTER_SECONDS", default=60)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Security. Secure transport is assumed in production (behind a TLS-terminating proxy).
SECURE_ON = env.bool("DJANGO_SECURE", default=PRODUCTION)
SECURE_SSL_REDIRECT = SECURE_ON
SESSION_COOKIE_SECURE = SECURE_ON
CSRF_COOKIE_SECURE = SECURE_ON
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_ON else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_ON
SECURE_HSTS_PRELOAD = SECURE_ON
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# No inline scripts or styles anywhere: every script is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/,
# consumed by a real worker process (never eager mode).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_DATA_DIR = VAR_DIR / "celery"

# Django's cache holds read models of what never changes (a published question bank's snapshot):
# Redis when REDIS_URL is set, so every process shares them; else this process's memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "citydigital",
            # A dead Redis must not hang a page: callers fall back to the database.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "citydigital"}
    )
}
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = REDIS_URL or f"file://{CELERY_DATA_DIR / 'results'}"
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
REDIS_TRANSPORT_OPTIONS = {
    # Redeliver a job whose worker died soon after the hard time limit, not after kombu's hour.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60),
    # Look for abandoned jobs every 10 s rather than every 100 s (interval x throttle).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # A dead Redis must fail a web request in seconds, not hang it.
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
FILESYSTEM_TRANSPORT_OPTIONS = {
    "data_folder_in": str(CELERY_DATA_DIR / "queue"),
    "data_folder_out": str(CELERY_DATA_DIR / "queue"),
    "control_folder": str(CELERY_DATA_DIR / "control"),
    "store_processed": False,
    # kombu polls the folder once a second by default; a briefing should not wait that long.
    "polling_interval": 0.1,
}
CELERY_BROKER_TRANSPORT_OPTIONS = (
    REDIS_TRANSPORT_OPTIONS if REDIS_URL else FILESYSTEM_TRANSPORT_OPTIONS
)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Rendering PDFs grows a process by ~0.2 MB a briefing in WeasyPrint's native libraries
# (measured with bench/briefings.py), so pool processes are replaced now and then.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 300_000  # KiB: a process past this is replaced
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Sending from a web request gives up quickly; the database row stays queued and a sweep
# re-sends it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = False
CELERY_BEAT_SCHEDULE = {
    # Re-send briefings whose job the broker lost or never got (see reports.services).
    "briefing-sweep": {"task": "reports.briefing_sweep", "schedule": 60.0},
    # Re-send emails whose delivery job the broker lost or never got (see notifications.services).
    "email-sweep": {"task": "notifications.email_sweep", "schedule": 60.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")
# A queued briefing older than this is re-sent by the sweep.
BRIEFING_SWEEP_AFTER_SECONDS = env.int("BRIEFING_SWEEP_AFTER_SECONDS", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint reports every screen-only CSS rule it skips; only real problems matter.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
