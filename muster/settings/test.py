"""pytest: fast hashing, local-memory cache, immediate tasks, in-memory e-mail.

DATABASE_URL switches the suite to PostgreSQL (scripts/run_tests.py starts a throwaway cluster).
"""

import os
import tempfile

import dj_database_url

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

# The demo programme (seed_demo), with its published passwords and fixed TOTP secret: never in
# production, whose settings leave both out (demo/guard.py).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
MUSTER_DEMO_DATA_ALLOWED = True

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Off by default: a test's writes never commit, so nothing would bump the page cache's version
# (tests/pagecache turn it on and commit for real).
MUSTER_PAGE_CACHE = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Tests write uploads to a throwaway folder, never to the developer's var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="muster-test-media-"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Each test process signs credentials with its own throwaway key, never the developer's.
MUSTER_CREDENTIAL_KEY_FILE = Path(tempfile.mkdtemp(prefix="muster-test-keys-")) / "issuer-key.pem"  # noqa: F405
MUSTER_CREDENTIAL_KEY_GENERATE = True
