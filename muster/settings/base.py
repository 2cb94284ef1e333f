"""Settings shared by every profile. Profiles: dev (make run), test (pytest), production (env)."""

from pathlib import Path

from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything a running instance writes locally (database, media, outbox) lives under var/.
VAR_DIR = BASE_DIR / "var"

INSTALLED_APPS = [
    # Muster apps, in the order their dependencies point (see DESIGN.md).
    "accounts",
    # The audit log sits below every feature app: each may record into it.
    "audit",
    # Background imports, the worker's lease and e-mail sent-markers (imports no app of ours).
    "jobs",
    "attendees",
    # Personal-data export and erasure (depends on accounts, audit, attendees; higher apps
    # contribute through hooks).
    "privacy",
    "courses",
    "sessions.apps.TrainingSessionsConfig",
    # Feedback and knowledge checks (reads sessions; certificates and reports read it).
    "evaluation",
    "certificates",
    # Signed Open Badges 3.0 credentials of certificates, the issuer's did:web keys and the
    # revocation list (depends on certificates; certificates signals it).
    "credentials",
    "reports",
    # Agency coordinators and nominations (depends on attendees, sessions, certificates).
    "coordinators",
    # The HTTP API (/api/v1/, Django Ninja): reads through the apps' selectors.
    "api",
    "ninja",
    # Anonymous pages and feeds from the shared cache, invalidated on commit (imports no app).
    "pagecache",
    # Messages from trainers to a session's registrants (reads sessions; nothing reads it).
    "communications",
    # "demo" (seed_demo: published passwords, a fixed TOTP secret) is added by the dev and test
    # profiles only; production never installs it (demo/guard.py).
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    # Editors translate pages with Wagtail's own copy-for-translation (no new dependency;
    # courses/translation.py serves the translation in the reader's language).
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Wagtail's search index uses PostgreSQL full-text fields when the database is PostgreSQL.
    "django.contrib.postgres",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "muster.middleware.RejectForeignCharsetMiddleware",
    "muster.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, keeping 404s outside the language prefix as 404s (muster/middleware.py).
    "muster.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous GET pages from the shared cache (pagecache/middleware.py): a hit skips the rest.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After a sign-in: the person's preferred language becomes the cookie's.
    "accounts.middleware.PreferredLanguageMiddleware",
    # Times in the signed-in person's own zone (their profile's).
    "accounts.middleware.ProfileTimeZoneMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Security (accounts/middleware.py): idle sign-out, then MFA for staff, then headers.
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "accounts.middleware.AdminIsForStaffMiddleware",
    "accounts.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "muster.urls"
WSGI_APPLICATION = "muster.wsgi.application"

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
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # Dates in the reader's language from CLDR (muster/dates.py), in every template.
            "builtins": ["muster.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "muster.sqlite3",
        # Several requests may write at once under runserver; wait rather than fail.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Internationalisation: every string is marked; dates follow the locale and a time zone.
LANGUAGE_CODE = "en"
# A language is offered only when its catalogue is complete (tests/i18n/test_catalogues.py).
# Each is named in its own script, untranslated, so a reader finds theirs whatever the page's
# language. zh-HK, zh-TW and zh-MO browsers reach zh-hant through Django's LANG_INFO fallbacks.
LANGUAGES = [
    ("en", "English"),
    ("th", "ภาษาไทย"),
    ("zh-hant", "繁體中文"),
    ("zh-hans", "简体中文"),
    ("ko", "한국어"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "muster" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Accounts (django-allauth): e-mail only, verified, without revealing who has an account.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Muster] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# Sign-up asks for name, agency (or "not listed") and rank; new officers land on their profile,
# which says whether they were verified from their e-mail domain or wait for a lead.
ACCOUNT_SIGNUP_FORM_CLASS = "attendees.forms.OfficerSignupForm"
# ...and the whole sign-up (user, profile, agency request, e-mail address) is one transaction.
ACCOUNT_FORMS = {"signup": "attendees.signup.AtomicSignupForm"}
# E-mails in the recipient's preferred language (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_REDIRECT_URL = "/accounts/profile/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
DEFAULT_FROM_EMAIL = "Muster <training@muster.example>"

# --- Security (README, "Security"). Staff must use a second factor (accounts/mfa.py).
MFA_TOTP_ISSUER = "Muster"
# Security keys only as a second factor, never as a password replacement.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# allauth's login, sign-up and password-reset limits (its defaults, written out so an operator
# sees them), counted in the shared cache. "ip" is the client address resolved as below.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# The site's canonical host name: rate-limit keys use it, never the request's Host header, which
# the client writes (a port or another name would otherwise count apart). Production derives it
# from MUSTER_BASE_URL.
MUSTER_SITE_HOST = "127.0.0.1"
# The failed-login key above and every limit's answer (429 + Retry-After) (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Where the client address comes from, for allauth's limits and the project's
# (accounts/ratelimit.py) alike: REMOTE_ADDR unless a trusted proxy is configured (production.py).
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
# Project limits: (requests, window in seconds) per client.
MUSTER_CHECKIN_RATE_LIMIT = (20, 60)  # per signed-in officer
MUSTER_FEED_RATE_LIMIT = (60, 3600)  # per personal feed token
MUSTER_FEED_IP_RATE_LIMIT = (600, 3600)  # per address fetching personal feeds
# Signed out after this long without a request (accounts/middleware.py).
MUSTER_IDLE_TIMEOUT_MINUTES = 60
# Sessions a person may list and end (allauth.usersessions); no write per request.
USERSESSIONS_TRACK_ACTIVITY = False

# Content Security Policy (Django's own). The public site: only our own files, scripts only
# with the per-response nonce, no plugins, no <base>, never framed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # data: for the TOTP set-up QR code allauth renders as a data URI.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
# The Wagtail admin (under /admin/): Wagtail 8 still writes inline <script> without a nonce
# (date and time pickers, inline panels, the page editor), uploads preview images as blob: URLs,
# and frames its own previews. Styles need nothing inline (tests/browser/test_csp.py sweeps the
# admin and fails on any violation). Everything else is as strict as the public site.
MUSTER_ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Staff e-mail hashes are not sent to a third party, and the admin does not call home.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Tasks: e-mails and other side effects run after commit through Django's tasks framework.
# Wagtail 8 enqueues its own tasks through the django_tasks backport, which reads the same
# setting, so one backend path serves both.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Wagtail
WAGTAIL_SITE_NAME = "Muster"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
# The admin signs in through allauth only: no second login form beside its rate limits.
WAGTAILADMIN_LOGIN_URL = "account_login"
# ...and resets passwords only through allauth's form, with its rate limits (404 at the admin's).
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Course content in the reader's language: every offered language is a content language, each
# with a Locale row (courses/migrations/0007). Pages are routed through the English tree and show
# a live translation when one exists (courses/translation.py, docs/languages.md).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Staff choose the admin's language among the languages the site offers, nothing else
# (accounts/languages.py keeps it in step with the person's preferred language).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Documents are always served through a Django view, so access checks can run on every request
# and no restricted file is ever reachable under /media/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "csv", "txt", "odt", "odp", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
# Checks a document's content against its extension and refuses HTML (muster/uploads.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "muster.uploads.CheckedDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Programme
MUSTER_PROGRAMME_NAME = "Global Law Enforcement Training Programme"
MUSTER_CERTIFICATE_PREFIX = "LETP"
# The Ed25519 key credentials are signed with (credentials/keys.py, docs/credentials.md): a PEM
# in the environment, else this file. Never in the database. Only the dev and test profiles
# generate a missing key file.
MUSTER_CREDENTIAL_PRIVATE_KEY = ""
MUSTER_CREDENTIAL_KEY_FILE = VAR_DIR / "credentials" / "issuer-key.pem"
MUSTER_CREDENTIAL_KEY_GENERATE = False
# Merging a duplicate agency: when both agencies have a row that may exist only once (a session's
# headcount per agency), these numbers are added up instead of refusing the merge. attendees
# may not import the apps that own these models, so they are named here (see merge_agencies).
MUSTER_AGENCY_MERGE_ADDITIVE_FIELDS = {"training_sessions.headcount": ["count"]}
# Issue certificates to every eligible officer as soon as a session is marked delivered.
MUSTER_CERTIFICATES_AUTO_ISSUE = False

# Feedback after a session (evaluation/): the form opens when the last day ends; officers who have
# not answered are reminded after N days and the form closes after M days. A session may set its
# own (SessionEvaluation).
MUSTER_FEEDBACK_REMINDER_DAYS = 3
MUSTER_FEEDBACK_CLOSE_DAYS = 14
# Scheduled notices (communications/notices.py), sent by `manage.py send_notices` at this hour of
# each recipient's local day: joining instructions N days before the first day, a reminder N days
# before, a thank-you the day after the last day. None switches a kind off. A session may set
# its own (SessionNotices).
MUSTER_NOTICE_HOUR = 9
MUSTER_NOTICES = {"joining": 7, "reminder": 1, "thank_you": 1}
# anonymise_inactive_officers: officers not signed in for more than this many years.
MUSTER_ANONYMISE_INACTIVE_AFTER_YEARS = 5
# seed_demo and demo_totp run only where this is True (dev and test profiles; demo/guard.py).
MUSTER_DEMO_DATA_ALLOWED = False
# Public certificate checks allowed per client address: (requests, window in seconds).
# Anonymous pages and public feeds served from the shared cache (pagecache/, docs/performance.md).
MUSTER_PAGE_CACHE = True
MUSTER_VERIFY_RATE_LIMIT = (30, 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# A nomination not accepted within this many days lapses and frees its seat
# (`manage.py lapse_nominations`, run daily by cron; --days overrides).
NOMINATION_LAPSE_DAYS = 7
