"""Production: everything comes from the environment. See README, "Production profile".

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, MUSTER_BASE_URL.
Optional: media storage (AWS_*), e-mail (EMAIL_*), proxy and HSTS settings.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def env(name, default=None, *, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in production.")
    return value


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    return env(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = env("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = env("MUSTER_BASE_URL", required=True).rstrip("/")
# Rate limits count per this host, whatever Host header a request carries (accounts/adapter.py).
MUSTER_SITE_HOST = env("MUSTER_SITE_HOST") or urlsplit(WAGTAILADMIN_BASE_URL).hostname

# The credential signing key: a PEM in the environment, or a file (a mounted secret). Never
# generated here, never in the database (docs/credentials.md).
MUSTER_CREDENTIAL_PRIVATE_KEY = env("MUSTER_CREDENTIAL_PRIVATE_KEY", "")
MUSTER_CREDENTIAL_KEY_FILE = env("MUSTER_CREDENTIAL_KEY_FILE") or None
MUSTER_CREDENTIAL_KEY_GENERATE = False

# Persistent connections, checked before reuse so a restarted database does not break requests.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", required=True), conn_max_age=600, conn_health_checks=True
    )
}

# Import jobs write their progress through a second connection to the same database, committed
# at once, so the progress page sees it while the import's transaction is open (jobs/progress.py).
DATABASES["job_progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}

# One cache shared by every app server: allauth's rate limits must count across workers.
CACHES = {
    "default": {
        # django-redis, failing soft: while Redis is unreachable pages are served without the
        # cache and rate-limited actions answer 503 (muster/cache.py).
        "BACKEND": "muster.cache.FailSoftRedisCache",
        "LOCATION": env("REDIS_URL", required=True),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # Seconds: an unreachable Redis must cost a request little, not a hung worker.
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Media on S3-compatible storage when a bucket is named; otherwise a local volume.
if env("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            # Files are private: every download goes through an access-checked view.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_ROOT = env("MEDIA_ROOT", str(VAR_DIR / "media"))  # noqa: F405
STATIC_ROOT = env("STATIC_ROOT", str(BASE_DIR / "static_collected"))  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# E-mail through SMTP.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", "localhost"),
            "port": int(env("EMAIL_PORT", "587")),
            "username": env("EMAIL_HOST_USER", ""),
            "password": env("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 20,
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Side effects run on a worker reading a database-backed queue (manage.py db_worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Run by `manage.py run_worker` (jobs/worker.py): a running task's lease, renewed while it runs;
# a task whose worker died is queued again, at most this many runs in all.
MUSTER_TASK_LEASE_SECONDS = int(env("MUSTER_TASK_LEASE_SECONDS", "300"))
MUSTER_TASK_MAX_ATTEMPTS = int(env("MUSTER_TASK_MAX_ATTEMPTS", "5"))

# HTTPS everywhere, behind a proxy that terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The client address for rate limits: the last N entries of X-Forwarded-For are added by our own
# proxies (N = MUSTER_TRUSTED_PROXY_COUNT), or a header our proxy sets and overwrites
# (MUSTER_TRUSTED_CLIENT_IP_HEADER, e.g. "X-Real-IP"). Neither set: REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("MUSTER_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("MUSTER_TRUSTED_CLIENT_IP_HEADER") or None
MUSTER_IDLE_TIMEOUT_MINUTES = int(env("MUSTER_IDLE_TIMEOUT_MINUTES", "60"))
# Images on a separate media host (S3) must be allowed by the Content Security Policy.
for _origin in env_list("MUSTER_CSP_MEDIA_ORIGINS"):
    SECURE_CSP["img-src"].append(_origin)  # noqa: F405
    if _origin not in MUSTER_ADMIN_CSP["img-src"]:  # noqa: F405
        MUSTER_ADMIN_CSP["img-src"].append(_origin)  # noqa: F405
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
