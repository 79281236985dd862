"""One env-driven settings module. Defaults run the demo: SQLite, embedded broker, built-in engine."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from workshop.envutil import database_from_url, envbool, envhosts, envint, envlist, sqlite_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WORKSHOP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (set DEBUG=1 for local use)")
    SECRET_KEY = "insecure-local-development-key-only-used-with-DEBUG"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "workshop",
    "workshop.tenancy",
    "workshop.scenarios",
    "workshop.workshops",
    "workshop.debrief",
    "workshop.reports",
    "workshop.api",
    "workshop.participants",
    "workshop.learning",
    "facilitator",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "workshop.security.ContentSecurityPolicyMiddleware",
    "workshop.security.RejectNulQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workshop.tenancy.middleware.OrganizationScopeMiddleware",
    "participants.middleware.ParticipantLanguageMiddleware",
]

ROOT_URLCONF = "workshop.urls"
WSGI_APPLICATION = "workshop.wsgi.application"
ASGI_APPLICATION = "workshop.asgi.application"

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
                "workshop.tenancy.context.organization",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_database_url) if _database_url else sqlite_database(str(VAR_DIR / "db.sqlite3"))
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Usernames are looked up normalized (NFKC, case-folded), as they are stored (workshop/tenancy/usernames.py).
AUTHENTICATION_BACKENDS = ["workshop.tenancy.auth.UsernameBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "facilitator:home"
LOGOUT_REDIRECT_URL = "login"
# Lockout: this many failed logins for one username (or from one address) within the window locks it.
LOGIN_LOCKOUT_ATTEMPTS = envint("LOGIN_LOCKOUT_ATTEMPTS", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
INVITATION_DAYS = 7

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "workshops@localhost")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own order ("2026년 12월 1일"); templates use DATE_FORMAT, never a fixed "j F Y".
FORMAT_MODULE_PATH = ["workshop.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: downloads go through authorizing views
DEMO_OUTPUT_DIR = BASE_DIR / "demo-output"

# --- Celery: Redis when REDIS_URL is set, otherwise an embedded filesystem broker (no server needed).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every task's limits unless it names its own. They hold on the threads pool too (workshop/pool.py).
CELERY_TASK_SOFT_TIME_LIMIT = envint("TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = envint("TASK_TIME_LIMIT", 150)
# Visibility timeout above the hard time limit so a slow task is never delivered twice while alive.
CELERY_VISIBILITY_TIMEOUT = 600
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("TASK_SOFT_TIME_LIMIT < TASK_TIME_LIMIT < the visibility timeout (600 s), please")
# Redis (queue and cache): every call waits at most this long, and after one failure a process skips Redis for
# REDIS_BREAKER_SECONDS (workshop/breaker.py), so a hung Redis costs a join one short wait, not one per call.
REDIS_TIMEOUT_SECONDS = envint("REDIS_TIMEOUT_SECONDS", 1)
REDIS_BREAKER_SECONDS = envint("REDIS_BREAKER_SECONDS", 5)
# How long sending a message may spend (re)connecting in all, 4 s by default: one timeout, as for each call.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Bounded socket waits (faults, docs/resilience.md): with Redis down or hung, sending a message fails within
    # the timeout and the row stays pending for the sweeper, instead of holding a participant's request.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
                                       "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                                       "socket_timeout": REDIS_TIMEOUT_SECONDS}
else:
    _broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
        # The folder is read every polling interval, and a worker takes at most its prefetch from each read:
        # at the default 1 s a worker of 2 wrote 2 analogies a second however fast they were (issue 15).
        "polling_interval": 0.1,
    }
# Analogies stuck this long in 'running' (or 'pending' without progress) are re-enqueued by the sweeper.
# That is each row's deadline: past it the sweeper takes the row back, and the claim check keeps a late task
# (a thread that could not be interrupted) from writing over the new one. It must come after the hard limit.
ANALOGY_STUCK_SECONDS = envint("ANALOGY_STUCK_SECONDS", 300)
ANALOGY_PENDING_SECONDS = envint("ANALOGY_PENDING_SECONDS", 60)

# --- LLM defaults (an organization's own settings win). Never required: the built-in engine is the default.
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
# An organization's LLM base URL may not reach loopback, private, link-local or reserved addresses, except
# the host names and networks listed here (an on-premises vLLM or Ollama): "vllm.internal,10.0.5.0/24".
# OPENAI_BASE_URL above is the operator's own and may point anywhere.
LLM_ALLOWED_HOSTS = envhosts("LLM_ALLOWED_HOSTS")
# One LLM call's timeout stays well below the task's soft time limit: the analogy's whole LLM budget ends one
# call timeout (and a margin) before that limit (workshop/participants/llm.py); past it the built-in answers.
LLM_TIMEOUT_SECONDS = envint("LLM_TIMEOUT_SECONDS", 30)
if LLM_TIMEOUT_SECONDS * 2 >= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("LLM_TIMEOUT_SECONDS must stay below half the task soft time limit")

# --- Security headers: strict by default, relaxed only for local plain-HTTP use.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
_secure = not DEBUG and envbool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
PARTICIPANT_COOKIE_SECURE = _secure
# The language choice: sent only over HTTPS in production; no script reads it, and no other site sets it.
LANGUAGE_COOKIE_SECURE = _secure
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = not DEBUG and envbool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Content-Security-Policy (workshop/security.py): our own origin only, no inline script or style, never
# framed. The API's browsable pages and schema viewer carry inline code of their own: a relaxed policy there.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CONTENT_SECURITY_POLICY_EXEMPT = ["/api/"]
CONTENT_SECURITY_POLICY_RELAXED = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                   "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
                                   "base-uri 'none'; frame-ancestors 'none'")

# --- Cache (rate limits): Redis when REDIS_URL is set, so every web process counts together; else memory.
# Short socket timeouts and the Redis breaker: when Redis is down or hung the limiter fails open at once (or
# after one short wait per breaker window) instead of holding the request.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "ewt", "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                                                           "pool_class": "workshop.breaker.GuardedConnectionPool"}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATE_LIMIT_CACHE = "default"
# How old a report page may be while a worker computes the newer one (workshop/reports/cache.py).
REPORT_STALE_SECONDS = envint("REPORT_STALE_SECONDS", 300)
# (requests, window seconds). Joins are counted per client address, and a whole office may share one
# address behind its NAT, so the join limit is generous: it stops scripted floods, not a full room.
JOIN_RATE_LIMIT = (envint("JOIN_RATE_LIMIT", 1000), envint("JOIN_RATE_WINDOW_SECONDS", 60))
# "Try again" and "another analogy", counted per participant.
ANALOGY_RATE_LIMIT = (envint("ANALOGY_RATE_LIMIT", 10), envint("ANALOGY_RATE_WINDOW_SECONDS", 300))
# How many reverse proxies in front of the site append to X-Forwarded-For. 0: trust REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# --- REST API v1 (workshop/api/): token or session auth, one error shape, throttled per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workshop.api.authentication.ApiTokenAuthentication",  # first: its 401 carries WWW-Authenticate
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PARSER_CLASSES": ["workshop.api.parsers.DepthLimitedJSONParser"],  # a JSON depth limit
    "DEFAULT_PAGINATION_CLASS": "workshop.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [],  # each list view names its filters and the fields it orders by
    "DEFAULT_THROTTLE_CLASSES": ["workshop.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("API_THROTTLE_RATE", "600/minute")},
    "EXCEPTION_HANDLER": "workshop.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "workshop.api.schema.ApiAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "STRICT_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Empathy workshop API",
    "DESCRIPTION": "REST API v1: scenarios, workshops, participants (pseudonym, step, status), analogies "
                   "(status), k-anonymous reports, debrief packets and the audit log, scoped to the token's "
                   "organization and its owner's role. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "DEFAULT_GENERATOR_CLASS": "workshop.api.schema.ScopedSchemaGenerator",
    # Programs use tokens; the session login is for the browsable API only, so the schema documents tokens.
    "AUTHENTICATION_WHITELIST": ["workshop.api.authentication.ApiTokenAuthentication"],
    "ENUM_NAME_OVERRIDES": {"ActivityKindEnum": "workshop.activities.kinds.ActivityKind.choices"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "workshop.api.schema.closed_request_bodies"],
    # Served from our own static files (drf-spectacular-sidecar): the docs work offline, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Every line goes through one handler that takes participants' resume tokens and the query strings of
# participant routes out of URLs (workshop/logs.py). Django's own loggers name request paths ("Not Found:
# /r/...", runserver's request lines), so they reach it (at the root) rather than Django's default handlers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "workshop.logs.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
    },
}
