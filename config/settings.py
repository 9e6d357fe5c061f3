"""Jinzhi settings: one module, every value read from the environment.

The defaults are the embedded path (SQLite file in the project, Celery tasks run
eagerly in-process, mail printed to the console) so that `make run` works on a
fresh machine with nothing else running. Production sets the variables listed
in ENVIRONMENT_VARIABLES (docker-compose.yml does; a test checks they agree).
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable this module reads, so that deployment files can be checked
# against it (tests/test_deployment.py).
ENVIRONMENT_VARIABLES = (
    "DJANGO_READ_DOT_ENV",
    "DEBUG",
    "TECHNICAL_ERROR_PAGES",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CELERY_WORKER_MAX_TASKS_PER_CHILD",
    "LOG_LEVEL",
    "CONN_MAX_AGE",
    # Deployment (issue 12): media storage, cache.
    "MEDIA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "DOCUMENT_JOB_LEASE_SECONDS",
    # Deadline reminders without celery beat (issue 15).
    "DEADLINE_SCAN_ON_REQUEST_MINUTES",
)

env = environ.Env()
# A developer's .env (written by scripts/bootstrap.sh) holds DEBUG and a local
# SECRET_KEY; production passes real variables and has no such file.
if env.bool("DJANGO_READ_DOT_ENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (it is only optional "
            "with DEBUG=true, for development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
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
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "audit",
    "exemptions",
    "cases",
    # The stages after registration, each its own app; reviews keeps only
    # the migrations that made their tables.
    "investigation",
    "panel",
    "deliberation",
    "filing",
    "reviews",
    "documents",
    "protections",
    "vindication",
    "overview",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless it opts out explicitly.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # With DEBUG on (the demo), the error pages instead of Django's technical
    # ones, which list every URL pattern (config/errors.py).
    "config.errors.FriendlyErrorPagesMiddleware",
]
# A developer who wants Django's technical 404 and 500 pages back, with DEBUG on.
TECHNICAL_ERROR_PAGES = env.bool("TECHNICAL_ERROR_PAGES", default=False)
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "config.context_processors.navigation",
            ],
        },
    },
]

# An empty DATABASE_URL means the embedded default too, as an empty REDIS_URL does.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and an eager task share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Deployment: static files, media storage, shared cache and sessions ----
# (issue 12). Everything here is meant to hold on several web nodes at once:
# nothing lives in one process's memory or on one node's disk by accident.
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Media is private (evidence, documents): no URL pattern serves MEDIA_URL;
# files are only streamed by views that check permissions first.
MEDIA_URL = "/media/"
# "filesystem": MEDIA_ROOT, which several nodes share as a volume (NFS, a
# compose volume); "s3": an S3-compatible object store through django-storages
# (MinIO, a government cloud's OSS), private, read back by the same views.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
MEDIA_BACKENDS = {
    "filesystem": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
}
if MEDIA_STORAGE not in MEDIA_BACKENDS:
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE must be one of {', '.join(MEDIA_BACKENDS)}, not {MEDIA_STORAGE!r}."
    )
STORAGES = {
    "default": MEDIA_BACKENDS[MEDIA_STORAGE],
    "staticfiles": {
        # The manifest storage names each file by its content hash, so every
        # node serves the same files and browsers may cache them for ever;
        # `collectstatic` must run with DEBUG=false (the Dockerfile does, and
        # the deploy check documents.E003 refuses to start without it).
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps are for a developer's browser tools, fetched rarely: compressing
# them (about 1.5 MB) only slows collectstatic down.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# One cache for every node: Redis when there is one, else this process's memory
# (the embedded path has one process). Sessions live in the database, which
# every node shares, so a user logged in through one node is so on all.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jinzhi",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# --- end of the deployment block --------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="jinzhi@localhost")
# The address notices link to in e-mails (e.g. https://jinzhi.example.gov.cn);
# empty: the links are paths only.
SITE_URL = env.str("SITE_URL", default="")

# Celery: a real broker when REDIS_URL is set, otherwise eager in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# --- Deployment: job queuing and recovery (issue 12) -------------------------
# A running document job is leased to its worker for this long and the
# worker's heartbeat renews it; a killed worker's job is claimed again after
# at most a lease plus one requeue period (60 + 30 s, under the 2 minutes the
# operations team asked for), and never while its worker is alive.
DOCUMENT_JOB_LEASE_SECONDS = env.int("DOCUMENT_JOB_LEASE_SECONDS", default=60)
DOCUMENT_JOB_REQUEUE_EVERY = 30.0
# A broker that is down must not hold a request for long: a few quick tries,
# then the job waits in its row (documents.services.document_enqueue).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# --- end of job queuing block ------------------------------------------------
CELERY_BEAT_SCHEDULE = {
    # Deadlines are in days; scanning every hour is plenty and idempotent.
    "deadlines-scan": {"task": "cases.deadlines_scan", "schedule": 3600.0},
    # Users who chose the daily digest get one e-mail a day (issue 15).
    "notices-digest": {"task": "cases.send_digests", "schedule": crontab(hour=7, minute=30)},
    "documents-requeue-stuck": {
        "task": "documents.requeue_stuck",
        "schedule": DOCUMENT_JOB_REQUEUE_EVERY,
    },
}
# Deadline reminders without celery beat (issue 15): on the embedded default
# (no Redis, tasks eager, `make run` starts no beat) the deadline scan runs
# before a request at most once every this many minutes
# (cases.middleware.DeadlineScanOnRequestMiddleware); 0 turns it off, as
# where beat runs the scan (any REDIS_URL: the production stack).
DEADLINE_SCAN_ON_REQUEST_MINUTES = env.int(
    "DEADLINE_SCAN_ON_REQUEST_MINUTES", default=0 if REDIS_URL else 10
)
# A document job sent to the broker this long ago and still queued (a lost
# message) is sent again.
DOCUMENT_JOB_STUCK_AFTER = datetime.timedelta(minutes=10)
DOCUMENT_JOB_MAX_ATTEMPTS = 5

# Evidence uploads: checked by size and by content type before being stored.
EVIDENCE_MAX_BYTES = 50 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Official document fonts: per face, the families tried in order. The official
# fonts come first when a bureau installs them; the free ones (Fandol, Noto
# CJK) are what scripts/bootstrap.sh installs. "Family:bold" asks for that
# family's bold style: no free XiaoBiaoSong exists, and FandolSong Bold is the
# stand-in (a heavy Song like Noto Serif CJK SC Bold, but with ~10k glyphs
# instead of 65k, which keeps subsetting fast and the PDFs small). The first
# installed entry decides the weight. documents/checks.py refuses to start when
# no family of a face is installed.
DOCUMENT_FONT_STACK = {
    "fangsong": ["FangSong_GB2312", "仿宋_GB2312", "FangSong", "FandolFang"],
    "song": ["SimSun", "宋体", "FandolSong", "Noto Serif CJK SC"],
    "hei": ["SimHei", "黑体", "FandolHei", "Noto Sans CJK SC"],
    "kai": ["KaiTi_GB2312", "楷体_GB2312", "KaiTi", "FandolKai", "AR PL UKai CN"],
    "xiaobiaosong": [
        "FZXiaoBiaoSong-B05S",
        "方正小标宋简体",
        "FandolSong:bold",
        "Noto Serif CJK SC:bold",
    ],
}
# Fonts the renderer prepares from the installed ones (documents.fonts): the
# page numbers' cut-down copy of the Song face. Made at the first render.
DOCUMENT_FONT_CACHE_DIR = BASE_DIR / "var" / "fonts"

# Production hardening, on whenever DEBUG is off (`manage.py check --deploy`).
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # fontTools logs every subset operation at INFO.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}

# Shown in the interface next to the product name.
SITE_TITLE = _("尽职 · 执法人员履职尽责免责案件系统")

# =====================================================================================
# Security model (issue 13): 三员分立, login throttling, sessions, CSP, the keyed
# audit chain, uploads. Kept in one block so other settings merge cleanly.
# =====================================================================================
from csp.constants import NONE, SELF  # noqa: E402

ENVIRONMENT_VARIABLES += (  # noqa: F405 - extends the tuple at the top of this module
    "AUDIT_HMAC_KEYS",
    "AUDIT_HMAC_KEY_ID",
    "AUDIT_ANCHOR_FILE",
    "SESSION_IDLE_MINUTES",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
)

INSTALLED_APPS += ["axes", "csp"]
# django-axes must be the first backend (it refuses a locked-out login before
# any other is asked); the model backend grants the superuser flag nothing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.NoSuperuserModelBackend",
]
MIDDLEWARE.insert(0, "accounts.middleware.SecurityHeadersMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "accounts.middleware.SessionTimeoutMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
# After authentication, so that the reminders it creates are there for the
# page about to be shown.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "cases.middleware.DeadlineScanOnRequestMiddleware",
)
# Last, as django-axes asks: it turns a lockout into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# Passwords (GB/T 22239-2019 8.1.4.1): at least 12 characters from at least
# three of upper case, lower case, digits and symbols; not like the account
# name, not a common or all-digit password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
]

# Login throttling (django-axes): a lockout after this many consecutive
# failures for one account from one address, lifted after the cool-off or by
# the security administrator; a success resets the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions: ended at browser close, after SESSION_IDLE_MINUTES without a
# request, and at most SESSION_ABSOLUTE_SECONDS after login
# (accounts.middleware.SessionTimeoutMiddleware). Disabling an account or
# changing its roles ends its sessions (User.session_generation).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = 12 * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp 4): nothing inline, nothing from
# elsewhere. htmx is told not to inject styles or eval (templates/base.html).
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
    },
}
# Browser features the application never uses (accounts.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The audit chain: each link is HMAC-SHA-256 under a key from the environment,
# never stored in the database. AUDIT_HMAC_KEYS holds "id:secret" pairs
# separated by commas; AUDIT_HMAC_KEY_ID names the one new events use, the
# others verify the events written before a rotation (README: "Audit chain").
# Without AUDIT_HMAC_KEYS a key derived from SECRET_KEY is used (id "s0"), and
# `check --deploy` warns.
AUDIT_HMAC_KEYS = env.str("AUDIT_HMAC_KEYS", default="")
AUDIT_HMAC_KEY_ID = env.str("AUDIT_HMAC_KEY_ID", default="")
# The append-only anchor log outside the database (audit.tasks.audit_anchor_head).
AUDIT_ANCHOR_FILE = Path(
    env.str("AUDIT_ANCHOR_FILE", default=str(BASE_DIR / "var" / "audit-anchors.jsonl"))
)
# Approved catalogue changes take effect on their date (exemptions.lifecycle).
CELERY_BEAT_SCHEDULE["catalog-changes-activate"] = {
    "task": "exemptions.activate_due_catalog_changes",
    "schedule": 3600.0,
}

# Signed filing packages (issue 17, docs/signing.md). Each unit signs what it
# issues with the key and certificate in JINZHI_SIGNING_DIR/<机关代字>/
# (key.pem, cert.pem, optional chain.pem); the key's passphrase, if any, comes
# from JINZHI_SIGNING_KEY_PASSPHRASE. A unit without them issues unsigned
# documents and the pages say so. JINZHI_TRUST_ANCHORS lists the root
# certificates a received package is verified against. The defaults are the
# demo PKI that `manage.py make_demo_pki` writes under var/pki.
ENVIRONMENT_VARIABLES += (
    "JINZHI_SIGNING_DIR",
    "JINZHI_SIGNING_KEY_PASSPHRASE",
    "JINZHI_TRUST_ANCHORS",
)
JINZHI_SIGNING_DIR = env.str("JINZHI_SIGNING_DIR", default=str(BASE_DIR / "var" / "pki" / "units"))
JINZHI_SIGNING_KEY_PASSPHRASE = env.str("JINZHI_SIGNING_KEY_PASSPHRASE", default="")
JINZHI_TRUST_ANCHORS = env.list(
    "JINZHI_TRUST_ANCHORS", default=[str(BASE_DIR / "var" / "pki" / "demo-root.pem")]
)
CELERY_BEAT_SCHEDULE["audit-anchor-head"] = {
    "task": "audit.anchor_head",
    "schedule": 24 * 3600.0,
}

# Uploads: the request body is counted while it streams and refused at the
# limit (accounts.uploads.SizeCapUploadHandler); stored files are 0640.
FILE_UPLOAD_HANDLERS = [
    "accounts.uploads.SizeCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_REQUEST_BYTES = EVIDENCE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Office files (zip containers): what an evidence .docx/.xlsx may expand to.
OFFICE_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
OFFICE_MAX_ENTRIES = 2000
OFFICE_MAX_RATIO = 100

# Optional TOTP second factor (django-otp) for the three administrative roles:
# with JINZHI_ADMIN_TOTP on, such an account enrols an authenticator app at its
# first login and gives a code after every password login; until then it opens
# nothing, the admin included (accounts.middleware.AdminSecondFactorMiddleware).
# Off on the embedded default.
ENVIRONMENT_VARIABLES += ("JINZHI_ADMIN_TOTP",)  # noqa: F405
JINZHI_ADMIN_TOTP = env.bool("JINZHI_ADMIN_TOTP", default=False)
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "accounts.middleware.AdminSecondFactorMiddleware",
)
# The issuer shown in the authenticator app next to the account name.
OTP_TOTP_ISSUER = "Jinzhi"
