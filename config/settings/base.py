"""Base settings, driven by environment variables (SQLite by default, DATABASE_URL for PostgreSQL)."""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _kept_key(env_name: str, file_name: str) -> str:
    """Take a key from the environment; otherwise keep a random one in var/ (never in the repo or the database)."""
    if key := os.environ.get(env_name):
        return key
    path = VAR_DIR / file_name
    if not path.exists():
        try:  # created 0600 from the start, and only once if two processes start together
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _secret_key() -> str:
    return _kept_key("GONGKAI_SECRET_KEY", "secret_key")


SECRET_KEY = _secret_key()
DEBUG = _env_bool("GONGKAI_DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
HTTPS = _env_bool("GONGKAI_HTTPS")
# The reverse proxy's own addresses (comma separated, e.g. 127.0.0.1): only a request from one of them has its
# X-Forwarded-For read for the client address (core/middleware.py). Empty: REMOTE_ADDR is the client.
GONGKAI_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("GONGKAI_TRUSTED_PROXIES", "").split(",") if a.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.orgs",
    "gongkai.workdays",
    "gongkai.catalog",
    "gongkai.applications",
    "gongkai.notifications",
    "gongkai.reports",
    "gongkai.archives",
    "gongkai.api",
    "gongkai.backoffice",
    "gongkai.portal",
]

MIDDLEWARE = [
    "gongkai.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # public pages kept whole: answered here, before URL resolution and the rest (gongkai/core/pagecache)
    "gongkai.core.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.core.middleware.RequestContextMiddleware",
    "gongkai.core.middleware.PrivateCacheControlMiddleware",
    "gongkai.core.middleware.RejectControlCharactersMiddleware",
    "gongkai.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"),
        conn_max_age=int(os.environ.get("GONGKAI_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Public pages cached whole (gongkai/core/pagecache, docs/deploy.md §3a) -----------------------------------
# On by default with a shared cache (REDIS_URL): a change on one node retires the copies every node serves. The
# in-process cache is per worker, so without Redis it is on only when asked for (make demo: one process).
# GONGKAI_PAGE_CACHE_URL puts the pages in a Redis of their own (e.g. one with maxmemory-policy allkeys-lru).
if os.environ.get("GONGKAI_PAGE_CACHE_URL"):
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["GONGKAI_PAGE_CACHE_URL"],
    }
GONGKAI_PAGE_CACHE_ALIAS = "pages" if "pages" in CACHES else "default"
GONGKAI_PAGE_CACHE = _env_bool("GONGKAI_PAGE_CACHE", bool(os.environ.get("REDIS_URL")))
GONGKAI_PAGE_CACHE_SECONDS = int(os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", "3600"))
# Seconds a browser, nginx or a CDN may serve a copy without asking (0: always ask, answered 304 when unchanged).
GONGKAI_PAGE_MAX_AGE = int(os.environ.get("GONGKAI_PAGE_MAX_AGE", "0"))
GONGKAI_PAGE_CACHE_VERSION = os.environ.get("GONGKAI_PAGE_CACHE_VERSION", "")
# Which paths the middleware may answer from the cache, and the generations they depend on (the portal's URLs).
GONGKAI_PAGE_CACHE_PATHS = "gongkai.portal.page_paths.page_scopes_of_path"

# --- Background jobs (gongkai/core/jobs, docs/deploy.md) ------------------------------------------
# With a broker (GONGKAI_BROKER_URL, else REDIS_URL) a `celery worker` runs the jobs and `celery beat` the
# schedule; without one (the demo, the SQLite tests) each job runs eagerly in the process that starts it.
GONGKAI_BROKER_URL = os.environ.get("GONGKAI_BROKER_URL") or os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = GONGKAI_BROKER_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not GONGKAI_BROKER_URL
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-job loses nothing: the broker hands the job out again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A job a dead worker held is handed out again after this many seconds: longer than the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("GONGKAI_JOB_REDELIVERY", 2 * 3600))
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Days a job's files are kept: a failed job's input (for a retry; it may hold applicants' names) and a
# produced file (the zip of a tree's reports), removed nightly by `jobs_cleanup` (core/jobs/cleanup.py).
GONGKAI_JOB_FILES_DAYS = int(os.environ.get("GONGKAI_JOB_FILES_DAYS", "7"))
CELERY_TASK_IGNORE_RESULT = True  # results live in the Job row, not in a result backend
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "gongkai.heartbeat", "schedule": 60.0},
    # 07:00 every day: mail the assignees their overdue and due-soon deadlines.
    "remind-due": {"task": "gongkai.command", "schedule": crontab(hour=7, minute=0), "args": ["remind_due"]},
    # Every 10 minutes: append the audit chain's head to the external anchors (core/README.md).
    "audit-anchor": {"task": "gongkai.command", "schedule": crontab(minute="*/10"), "args": ["audit_anchor"]},
    # Every 5 minutes: send the applicant notifications that are due (notifications/README.md; retries back off).
    "send-outbox": {"task": "gongkai.command", "schedule": crontab(minute="*/5"), "args": ["send_outbox"]},
    # 07:10 every day: provisional deadlines to each 公开办; from 1 December, next year's arrangement missing.
    "check-provisional-deadlines": {
        "task": "gongkai.command",
        "schedule": crontab(hour=7, minute=10),
        "args": ["check_provisional_deadlines"],
    },
    # 03:20 every night: job inputs and produced files older than GONGKAI_JOB_FILES_DAYS.
    "jobs-cleanup": {
        "task": "gongkai.command",
        "schedule": crontab(hour=3, minute=20),
        "args": ["jobs_cleanup"],
    },
    # 03:05 every night: applicants' personal data past each organisation's retention period (PIPL 第十九条).
    "purge-personal-data": {
        "task": "gongkai.command",
        "schedule": crontab(hour=3, minute=5),
        "args": ["purge_personal_data"],
    },
}

# --- Security baseline (等保 2.0 level 3 minded) -------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "gongkai.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username for 15 minutes from an address after 5 failed logins from there.
# Wrong TOTP codes are throttled per account, password and address (accounts/second_factor.py), not per
# device: a device-wide throttle lets whoever knows the password keep the owner locked out (finding L6).
OTP_TOTP_THROTTLE_FACTOR = 0
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Locked per username *and* client address: a lock on the username alone let anyone lock out any account,
# the only 系统管理员 included, every 15 minutes without knowing its password (red-team N1). Guessing from many
# addresses is bounded by the password rules, and a 系统管理员 also needs the second factor. Behind a reverse
# proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER to the proxy's client-address header, or every client shares one.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Idle sessions end after 30 minutes: every request renews the cookie, silence lets it lapse.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
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
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Locale -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"


def _file_storage() -> dict[str, object]:
    """Stored files (attachments): the local disk under var/media, or an S3-compatible object store when
    GONGKAI_S3_BUCKET is set (docs/deploy-storage.md). Downloads always stream through the application —
    never a pre-signed link — so type sniffing, Content-Disposition, permissions and audited reads apply."""
    bucket = os.environ.get("GONGKAI_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("GONGKAI_S3_ENDPOINT") or None,
            "region_name": os.environ.get("GONGKAI_S3_REGION") or None,
            "location": os.environ.get("GONGKAI_S3_PREFIX", ""),
            # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment (boto3 reads them).
            "querystring_auth": False,  # no pre-signed links
            "default_acl": None,  # the bucket stays private
            "file_overwrite": False,  # a name taken gets a suffix, as on disk
            "addressing_style": os.environ.get("GONGKAI_S3_ADDRESSING_STYLE") or None,
        },
    }


STORAGES = {
    "default": _file_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")
# Applicant notifications (gongkai/notifications/README.md): the SMS gateway class (the default records messages in
# memory and sends nothing), how often a message is tried, and the first wait between tries (doubling each time).
GONGKAI_SMS_GATEWAY = os.environ.get("GONGKAI_SMS_GATEWAY", "gongkai.notifications.gateways.RecordingGateway")
GONGKAI_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("GONGKAI_NOTIFY_MAX_ATTEMPTS", "5"))
GONGKAI_NOTIFY_BACKOFF_SECONDS = int(os.environ.get("GONGKAI_NOTIFY_BACKOFF_SECONDS", "300"))
# 归档: the default retention period in years (国家档案局令第8号: 永久 (0), 30 or 10 years; gongkai/archives).
GONGKAI_ARCHIVE_RETENTION_YEARS = int(os.environ.get("GONGKAI_ARCHIVE_RETENTION_YEARS", "10"))

# The audit chain (core/chain.py): HMAC key kept outside the database (the environment in production, or
# var/audit_key), hash algorithm ("sha256" or "sm3"), and where `audit_verify`/`audit_anchor` append the
# head: a local append-only file (empty: none) and/or syslog ("/dev/log" or "host:port", UDP).
GONGKAI_AUDIT_KEY = _kept_key("GONGKAI_AUDIT_KEY", "audit_key")
GONGKAI_AUDIT_HASH = os.environ.get("GONGKAI_AUDIT_HASH", "sha256")
GONGKAI_AUDIT_ANCHOR_FILE = os.environ.get("GONGKAI_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.log"))
GONGKAI_AUDIT_ANCHOR_SYSLOG = os.environ.get("GONGKAI_AUDIT_ANCHOR_SYSLOG", "")

# Applicants' personal data: the years it is kept after an application is closed, where an organisation sets
# none of its own (机构管理; applications/retention.py, `gongkai purge_personal_data`). Empty: no automatic purge.
GONGKAI_PERSONAL_DATA_RETENTION_YEARS = (
    int(os.environ.get("GONGKAI_PERSONAL_DATA_RETENTION_YEARS") or 0) or None
)

# Site identity for the portal header and footer (《政府网站发展指引》国办发〔2017〕47号: the footer names the
# 主办单位 and its contact details, the 网站标识码 (also SiteIDCode in page meta), the ICP 备案号 and the 公安机关备案号).
# The footer facts' defaults are the demo's and say so (DEMO_SITE_FOOTER); config/settings/production.py empties
# every one of them, so a deployment shows only what its environment sets. GONGKAI_SITE_EMBLEM: a static path (or
# a same-site URL) of the emblem beside the name.
DEMO_SITE_FOOTER: dict[str, str] = {}


def _footer_fact(name: str, demo: str) -> str:
    DEMO_SITE_FOOTER[name] = demo
    return os.environ.get(name, demo)


GONGKAI_SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "政府信息公开平台")
GONGKAI_SITE_ID_CODE = _footer_fact("GONGKAI_SITE_ID_CODE", "3399000001")
GONGKAI_SITE_HOST = _footer_fact("GONGKAI_SITE_HOST", "江川市人民政府办公室（演示）")
GONGKAI_SITE_PHONE = _footer_fact("GONGKAI_SITE_PHONE", "0579-12345678")
GONGKAI_SITE_EMAIL = _footer_fact("GONGKAI_SITE_EMAIL", "gongkai@example.gov.cn")
GONGKAI_SITE_ADDRESS = _footer_fact("GONGKAI_SITE_ADDRESS", "江川市人民路1号")
GONGKAI_SITE_ICP = _footer_fact("GONGKAI_SITE_ICP", "ICP备00000000号（演示）")
GONGKAI_SITE_PSB = _footer_fact("GONGKAI_SITE_PSB", "公网安备00000000000000号（演示）")
GONGKAI_SITE_EMBLEM = os.environ.get("GONGKAI_SITE_EMBLEM", "gongkai/emblem.svg")

# Annual-report deadlines set by local rules, per deadline group (gongkai/orgs/report_deadlines.py), as JSON:
# {"township": ["03-31", "《……》"], "agency": ["01-31", "《……》"]}. Empty: 第四十九条, and for the groups it does
# not name the dates used before (人民政府 3月31日, others 1月31日). Per-organisation overrides are set in 机构管理.
GONGKAI_REPORT_DEADLINES = json.loads(os.environ.get("GONGKAI_REPORT_DEADLINES") or "{}")

# Logs go to the console (stderr), one line each; GONGKAI_LOG_JSON=1 writes JSON lines for a collector
# (gongkai/core/logs.py). The platform's own loggers (gongkai.<app>.<module>) log from INFO up; everything else
# from WARNING. GONGKAI_LOG_LEVEL sets both. No personal data is ever logged (docs/ARCHITECTURE.md: Logging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "gongkai.core.logs.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("GONGKAI_LOG_JSON") == "1" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
    "loggers": {"gongkai": {"level": os.environ.get("GONGKAI_LOG_LEVEL", "INFO")}},
}

# Accounts are locked by username on purpose (等保: lock the account, not the address); the W006
# hint is about rate limiting, which the public forms do separately.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
