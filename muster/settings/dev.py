"""`make run`: no environment needed. SQLite, local media, immediate tasks, e-mails as files."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR

# The demo programme (seed_demo), with its published passwords and fixed TOTP secret: never in
# production, whose settings leave both out (demo/guard.py).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
MUSTER_DEMO_DATA_ALLOWED = True

DEBUG = True
SECRET_KEY = "dev-only-not-secret-7c1f0d2a"  # noqa: S105 - never used outside DEBUG
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Every e-mail is written as a file here, so a developer can open confirmation links.
MUSTER_OUTBOX_DIR = VAR_DIR / "outbox"
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(MUSTER_OUTBOX_DIR)},
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# SQLite, media and the outbox live here; create it so a fresh clone needs no set-up step.
VAR_DIR.mkdir(exist_ok=True)

# Security keys (WebAuthn) need a secure origin; runserver is plain HTTP on localhost. Open the
# site as http://localhost:<port>/ (not 127.0.0.1, which cannot be a WebAuthn relying party).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

# A signing key for credentials is generated under var/ (git-ignored) on first use.
MUSTER_CREDENTIAL_KEY_GENERATE = True
