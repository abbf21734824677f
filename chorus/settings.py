"""Chorus settings: one module, driven by environment variables.

Every variable is documented in the README's configuration table. With ``DEBUG=1`` and no
``DATABASE_URL`` / ``REDIS_URL``, the portal uses the embedded PostgreSQL cluster and Redis
server that ``chorus/scripts/stack.py`` runs under ``var/`` on loopback. With ``DEBUG=0`` there
are no defaults for secrets, database or broker: a missing one stops start-up and is named.
"""

from __future__ import annotations

import os
from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHORUS_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()


def env_secret(name: str, default: str | None = None) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``.

    Container platforms mount secrets as files; accepting both keeps them out of the process
    environment when the operator prefers that.
    """
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to an unreadable file: {exc}") from exc
    value = os.environ.get(name)
    if value:
        return value
    if default is not None:
        return default
    raise ImproperlyConfigured(
        f"Set the {name} environment variable (or {name}_FILE): it is required when DEBUG=0."
    )


DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("CHORUS_TESTING", default=False)

# --- Core ------------------------------------------------------------------------------------
SECRET_KEY = env_secret(
    "SECRET_KEY",
    default=(
        "insecure-development-key-only-used-with-DEBUG-1-never-in-production-0123456789"
        if DEBUG or TESTING
        else None
    ),
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG or TESTING else []
)
if not DEBUG and not TESTING and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable: required when DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("CHORUS_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "django_celery_beat",
    "widget_tweaks",
    "dsfr",
    "hijack",
    "rest_framework",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "chorus.core",
    "chorus.circuits",
    "chorus.accounts",
    "chorus.api",
    "chorus.outbox",
    "chorus.webhooks",
    "suppliers",
    "public_entities",
    "invoices",
    "works_contracts",
    "justice_fees",
    "tic_refunds",
    "support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chorus.core.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hijack.middleware.HijackUserMiddleware",
    "support.middleware.SubstitutionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "chorus.accounts.middleware.SecondFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chorus.urls"
WSGI_APPLICATION = "chorus.wsgi.application"

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chorus.core.context_processors.portal",
                "invoices.context_processors.notifications",
                "chorus.accounts.context_processors.organisations",
            ],
            "string_if_invalid": "",
        },
    },
]

# --- Database: PostgreSQL only ---------------------------------------------------------------
EMBEDDED_PG_PORT = env.int("CHORUS_PG_PORT", default=54329)
EMBEDDED_REDIS_PORT = env.int("CHORUS_REDIS_PORT", default=63799)

if "DATABASE_URL" in os.environ or "DATABASE_URL_FILE" in os.environ:
    DATABASE_URL = env_secret("DATABASE_URL")
elif DEBUG or TESTING:
    DATABASE_URL = f"postgres://chorus:chorus@127.0.0.1:{EMBEDDED_PG_PORT}/chorus"
else:
    raise ImproperlyConfigured(
        "Set the DATABASE_URL environment variable (postgres://user:password@host:port/name): "
        "it is required when DEBUG=0."
    )
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must point to PostgreSQL: the portal relies on its full-text search, "
        "row locks and triggers."
    )
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CHORUS_DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker, allauth rate limits --------------------------------------
if "REDIS_URL" in os.environ or "REDIS_URL_FILE" in os.environ:
    REDIS_URL = env_secret("REDIS_URL")
elif DEBUG or TESTING:
    REDIS_URL = f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"
else:
    raise ImproperlyConfigured(
        "Set the REDIS_URL environment variable (redis://host:port/db): it is required when "
        "DEBUG=0 (Celery broker and cache)."
    )

CACHES = {
    "default": {
        "BACKEND": "chorus.core.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        # Fail fast when Redis is down: the cache degrades to misses (chorus.core.cache).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "KEY_PREFIX": env.str("CHORUS_CACHE_PREFIX", default="chorus"),
    }
}

# --- Authentication: custom user keyed by email, allauth, MFA, axes ----------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "chorus.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# The verification link is valid for 60 minutes (allauth counts in days).
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 1 / 24
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Chorus] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# django-axes owns the per-account lock-out (5 failures, wrong passwords and wrong codes alike,
# 1 hour); allauth keeps its per-IP limits so that credential stuffing from one address is
# slowed down too. Wrong second-factor codes have an address limit of their own, apart from
# the password logins' (chorus/accounts/mfa.py), and set-up mistakes are limited per user.
#
# Sized for a shared office address (a town hall's staff behind one NAT at 9 a.m.): successful
# logins are not limited at all ("login" off; allauth's default counted them, 30 a minute per
# address), failures are counted per address at 60 a minute, and the real client address is
# read through the one trusted-proxy setting below.
ACCOUNT_RATE_LIMITS = {
    "login": "",
    "login_failed": "60/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
    "second_factor_failed": "20/10m/ip",
    "second_factor_activation_failed": "10/10m/user",
}
MFA_ADAPTER = "chorus.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("CHORUS_MFA_ISSUER", default="Chorus")
MFA_FORMS = {
    "authenticate": "chorus.accounts.mfa_forms.CountedAuthenticateForm",
    "reauthenticate": "chorus.accounts.mfa_forms.CountedReauthenticateForm",
    "activate_totp": "chorus.accounts.mfa_forms.LimitedActivateTOTPForm",
}

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "chorus.accounts.lockout.username_from_request"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Wrong second-factor codes are recorded too: the code itself is masked in the failure log.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# One trusted-proxy setting for every limiter and log (allauth, axes, the API's throttle and
# audit, chorus.core.client_ip): the number of reverse proxies in front of the web service.
# With 0, X-Forwarded-For is ignored (a client could forge it); with N, the N-th address from
# the right is the client's.
PROXY_COUNT = env.int("CHORUS_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if PROXY_COUNT else ("REMOTE_ADDR",)
)

# --- Sessions, cookies and security headers -----------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 3600  # absolute lifetime
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("CHORUS_SECURE_COOKIES", default=not TESTING)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("CHORUS_SSL_REDIRECT", default=not TESTING)
    SECURE_HSTS_SECONDS = env.int("CHORUS_HSTS_SECONDS", default=0 if TESTING else 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("CHORUS_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation: French first, English second ----------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("CHORUS_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("CHORUS_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # documents are served by permission-checking views only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail: console + var/mail/ unless SMTP is configured -------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Chorus <no-reply@chorus.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = Path(env.str("CHORUS_MAIL_DIR", default=str(VAR_DIR / "mail")))
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email.get("EMAIL_HOST", "")
    EMAIL_PORT = _email.get("EMAIL_PORT", 25)
    EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "chorus.core.mail.ConsoleAndFileEmailBackend"

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB
# A broker that does not answer fails a publish within seconds (deposits stay stored and
# the sweep re-sends them; on_commit hooks are robust) instead of holding the page.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CHORUS_CELERY_QUEUE", default="chorus")
CELERY_TIMEZONE = TIME_ZONE
# Published outbox rows are kept this many days (to answer "was it sent?"), then purged.
CHORUS_OUTBOX_RETENTION_DAYS = env.int("CHORUS_OUTBOX_RETENTION_DAYS", default=7)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "sessions-clear-expired": {
        "task": "chorus.accounts.tasks.sessions_clear_expired_task",
        "schedule": 3600.0,
    },
    # The database is the source of truth: deposits whose task message was lost are re-sent.
    "deposits-sweep": {"task": "invoices.tasks.flow_sweep_task", "schedule": 15.0},
    # Tacit transitions and lateness flags of every circuit, each fired exactly once.
    "circuit-deadlines": {
        "task": "chorus.circuits.tasks.deadlines_sweep_task",
        "schedule": 60.0,
    },
    # Task messages whose on-commit publish failed (broker down) are published from the table.
    "outbox-drain": {"task": "chorus.outbox.tasks.outbox_drain_task", "schedule": 10.0},
    "outbox-purge": {"task": "chorus.outbox.tasks.outbox_purge_task", "schedule": 3600.0},
    "invoice-notifications-digest": {
        "task": "invoices.tasks.notification_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Support: substitution (django-hijack) -------------------------------------------------
# Support agents act as a user only through support's own start view (reason required, time
# limit, audit); the permission check refuses staff, superusers, agents and inactive users.
HIJACK_PERMISSION_CHECK = "support.permissions.hijack_permission_check"
HIJACK_INSERT_BEFORE = None  # our own banner (templates/components/substitution_banner.html)
# Hypervision: a document still not final after this many minutes is shown as stuck.
CHORUS_STUCK_MINUTES = env.int("CHORUS_STUCK_MINUTES", default=15)
CHORUS_SUBSTITUTION_MINUTES = env.int("CHORUS_SUBSTITUTION_MINUTES", default=30)
CHORUS_SUPPORT_TEAM_EMAIL = env.str("CHORUS_SUPPORT_TEAM_EMAIL", default="")
# Ends substitutions whose agent left without releasing (closed browser), and tells the user.
CELERY_BEAT_SCHEDULE["support-substitution-expire"] = {
    "task": "support.tasks.substitution_expire_overdue_task",
    "schedule": 300.0,
}

# --- Design system and product ------------------------------------------------------------
# django-dsfr components may mark their content safe; we never trust it.
DSFR_CONTENT_IS_SAFE = False
CHORUS_PRODUCT_NAME = env.str("CHORUS_PRODUCT_NAME", default="Chorus")
# What the footer pages (legal notice, personal data, accessibility) state about this
# deployment: set them before opening a portal to the public (chorus/site_pages.py).
CHORUS_OPERATOR = env.str("CHORUS_OPERATOR", default="")
CHORUS_HOST = env.str("CHORUS_HOST", default="")
CHORUS_CONTACT_EMAIL = env.str("CHORUS_CONTACT_EMAIL", default="")
CHORUS_DPO_EMAIL = env.str("CHORUS_DPO_EMAIL", default="")
# RGAA compliance as audited: "none" (not audited: "non conforme"), "partial" or "full".
CHORUS_ACCESSIBILITY_STATUS = env.str("CHORUS_ACCESSIBILITY_STATUS", default="none")
CHORUS_ACCESSIBILITY_AUDIT = env.str("CHORUS_ACCESSIBILITY_AUDIT", default="")
CHORUS_SOURCE_URL = env.str("CHORUS_SOURCE_URL", default="")
# The State's brand block (Marianne, "République française") is reserved to official State
# sites: it is shown only when the deployment declares itself one.
CHORUS_OFFICIAL_STATE_SITE = env.bool("CHORUS_OFFICIAL_STATE_SITE", default=False)
CHORUS_DEMO = env.bool("CHORUS_DEMO", default=DEBUG)

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("CHORUS_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# axes.W006 asks for the IP in the lock-out key. We lock the account itself after five
# failures, as Chorus Pro does (docs/decisions.md); per-IP throttling is allauth's job.
SILENCED_SYSTEM_CHECKS: list[str] = ["axes.W006"]


# --- API (Chorus Pro-compatible services under /cpro/, OAuth2 client credentials) ------------
# The token lasts 3600 s as PISTE's; what a client may do is its connection's scopes, checked
# on every call (chorus.api.choices.Scope), so the token's own scope is only PISTE's openid.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "OAUTH2_VALIDATOR_CLASS": "chorus.api.oauth.CproOAuth2Validator",
    "SCOPES": {"openid": "OpenID (Chorus Pro API)", "resource.READ": "Read (PISTE)"},
    "DEFAULT_SCOPES": ["openid"],
    "CLIENT_SECRET_GENERATOR_LENGTH": 64,
    # Only the client-credentials grant is used; the OAuth 2.0 security BCP (RFC 9700) applies.
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
API_MAX_BODY_BYTES = 170 * 1024 * 1024  # a 120 MB file once in base64, plus its JSON
API_DOWNLOAD_MAX_BYTES = 120 * 1024 * 1024  # telecharger/groupe: a dossier de facturation
API_RATE = env.str("CHORUS_API_RATE", default="6000/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["chorus.api.authentication.CproAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "chorus.api.schema.CproAutoSchema",
    "EXCEPTION_HANDLER": "chorus.api.errors.cpro_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"cpro_client": API_RATE},
    "NUM_PROXIES": PROXY_COUNT,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chorus — API compatible Chorus Pro",
    "DESCRIPTION": (
        "Chorus Pro's services (factures, transverses, structures) at the same paths with the "
        "same JSON fields: an integration switches by changing the token URL and the API base."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/cpro/",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set shared by several fields (statutCourant, statutAttendu...).
    "ENUM_NAME_OVERRIDES": {
        "StatutFactureEnum": "invoices.api.serializers_read.STATUSES",
        "CodeLangueEnum": "public_entities.api.serializers.LANGUAGES",
    },
}
CELERY_BEAT_SCHEDULE["webhook-retries"] = {
    "task": "chorus.webhooks.tasks.webhook_retry_task",
    "schedule": 30.0,
}
CELERY_BEAT_SCHEDULE["api-connection-expiry-reminders"] = {
    "task": "chorus.api.tasks.connection_expiry_remind",
    "schedule": 3600.0,
}
