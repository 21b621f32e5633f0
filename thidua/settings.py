"""ThiĐua settings: one module, every knob a THIDUA_* environment variable (see docs/settings.md).

The defaults run a fresh checkout in development mode on an SQLite file in the working folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from thidua.lib.env import env_bool, env_int, env_list, env_str, parse_database_url

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-insecure-thidua-secret-key-change-me-in-production-0123456789"

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "THIDUA_SECRET_KEY must be set to a random value of at least 50 characters when THIDUA_DEBUG is false"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from /static/ (API docs offline)
    "django_tasks",
    # The project's apps, lowest layer first (docs/architecture.md; thidua/tests/test_layers.py).
    "thidua.core",
    "thidua.audit",
    "thidua.accounts",
    "thidua.org",
    "thidua.notices",
    "thidua.documents",
    "thidua.history",
    "thidua.movements",
    "thidua.eligibility",
    "thidua.awards",
    "thidua.web",
    "thidua.setup",
    "thidua.demo",
    "thidua.reports",
    "thidua.portal",
]

MIDDLEWARE = [
    # /healthz answers before host checks and the HTTPS redirect (a load balancer calls it over HTTP).
    "thidua.core.middleware.HealthCheckMiddleware",
    # A request id for every log line of the request, and one access line per request.
    "thidua.core.middleware.RequestIdMiddleware",
    # After a write request: the user's next page sees their write in the kept figures (the dashboard).
    "thidua.core.middleware.PublishWritesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Content-Security-Policy on every answer; no-store on signed-in pages and the API (personal data).
    "thidua.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "thidua.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Reads of the views in REPLICA_READ_VIEWS go to the read replica, when there is one.
    "thidua.core.db_router.ReplicaReadsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{% url %}` reversing each URL name once per process (thidua/core/templatetags/fast_url.py).
            "builtins": ["thidua.core.templatetags.fast_url"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thidua.web.context_processors.nav",
                "thidua.org.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR)
}
# A read replica (PostgreSQL streaming standby): lists, reports and public pages marked
# `@reads_from_replica` read there (thidua/core/db_router.py; docs/scale.md). In tests it mirrors default.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = parse_database_url(env_str("DATABASE_REPLICA_URL", ""), base_dir=BASE_DIR) | {
        "TEST": {"MIRROR": "default"}
    }
DATABASE_ROUTERS = ["thidua.core.db_router.ReplicaRouter"]
REPLICA_READ_VIEWS = [
    "reports:*",
    "portal:*",
    "org:person_list",
    "org:person_detail",
    "org:unit_tree",
    "org:unit_detail",
    "awards:decision_list",
    "awards:dossier_list",
    "awards:council_list",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["thidua.org.backends.PersonBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: failed attempts per username+IP inside the window lock further tries.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_SECONDS = env_int("LOGIN_LOCK_SECONDS", 900)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` (run by `thidua serve --production`) puts the files WhiteNoise serves.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development WhiteNoise looks files up per request (no collectstatic, no warning about STATIC_ROOT).
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# No upload is kept past this size (thidua/core/uploads.py); each use has its own smaller limit.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "thidua.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# "public" holds the public site's rendered pages for anonymous visitors (thidua/portal/cache.py): in
# the process's memory by default; THIDUA_PUBLIC_CACHE_DIR shares one file cache between workers.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
_PUBLIC_CACHE_DIR = env_str("PUBLIC_CACHE_DIR", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache"
        if _PUBLIC_CACHE_DIR
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": _PUBLIC_CACHE_DIR or "thidua-public",
        "TIMEOUT": PUBLIC_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Security: strict in production, relaxed for the development server.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload lists are hard to leave: an organisation opts in for its own domain, never by default.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS: list[str] = []
if not SECURE_HSTS_PRELOAD:
    # `check --deploy` recommends preload (security.W021); here it is a documented opt-in.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind one trusted reverse proxy (nginx): trust its X-Forwarded-Proto, and take the client address
# from the last X-Forwarded-For entry (the one the proxy appended) so that login throttling counts
# per client, not per proxy.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_SSL_REDIRECT:
        # The proxy redirects HTTP to HTTPS itself (docs/deploy.md): no need for Django's warning.
        SILENCED_SYSTEM_CHECKS.append("security.W008")
# The app's pages load scripts, styles, fonts and images only from itself: no inline script or style
# (templates keep them in static files; a test checks), no framing, forms post only to the app.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# The production web server (`thidua serve --production`, gunicorn): worker processes and the
# seconds one request may take (large documents are background jobs, see docs/documents.md).
WEB_WORKERS = env_int("WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 9))
WEB_TIMEOUT = env_int("WEB_TIMEOUT", 120)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # A JSON body must be an object (thidua/api/parsers.py); forms and files as usual.
    "DEFAULT_PARSER_CLASSES": [
        "thidua.api.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "thidua.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ThiĐua API",
    "DESCRIPTION": "API quản lý thi đua, khen thưởng",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are for API users: same authentication as the API itself.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The docs page loads Swagger UI from the app's own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation lists its 400/401/403/404 answers in the API's error shape (thidua/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "thidua.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClusterKindEnum": "thidua.org.models.Cluster.Kind",
        "OrgRoleEnum": "thidua.org.models.Role",
        "CouncilMemberRoleEnum": "thidua.awards.models.CouncilMember.Role",
        "CouncilShareEnum": "thidua.awards.voting.SHARE_CHOICES",
        "MovementKindEnum": "thidua.movements.models.Movement.Kind",
        "MovementStatusEnum": "thidua.movements.models.Movement.Status",
        "MovementDocumentKindEnum": "thidua.movements.models.MovementDocument.Kind",
        "MilestoneKindEnum": "thidua.movements.models.Milestone.Kind",
        "RegistrationStatusEnum": "thidua.movements.models.Registration.Status",
        "ResultStatusEnum": "thidua.movements.models.Result.Status",
        "RankingStatusEnum": "thidua.movements.models.Ranking.Status",
        "RatingValueEnum": "thidua.history.models.RatingValue",
        "AwardKindEnum": "thidua.history.models.AwardRecord.Kind",
    },
}

# One line per event on stderr: time, level, logger, request id, message (tracebacks folded into the
# line). `thidua serve --production` hands the same configuration to gunicorn.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "thidua.core.logging.RequestIdFilter"}},
    "formatters": {"line": {"()": "thidua.core.logging.OneLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The public site (docs/portal.md). Titles left off the honour board: those most staff receive every
# year, which would bury the others. Pictures of articles: at most this many bytes each.
PORTAL_HONOUR_EXCLUDE = env_list(
    "HONOUR_BOARD_EXCLUDE",
    ["lao_dong_tien_tien", "tap_the_lao_dong_tien_tien", "chien_si_tien_tien", "don_vi_tien_tien"],
)
PORTAL_IMAGE_MAX_BYTES = env_int("PORTAL_IMAGE_MAX_BYTES", 2 * 1024 * 1024)

# Mail (the dossier reminders of `thidua send_reminders`). The console backend prints the messages to
# stdout, so a fresh checkout sends nothing; set an SMTP backend (and Django's EMAIL_HOST...) to send.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "thidua@localhost")
# The site's public address: notices mailed carry absolute links built on it.
SITE_URL = env_str("SITE_URL", "http://localhost:8000")

# Background jobs (django-tasks). "immediate" runs each job inline in the request, so the embedded
# SQLite install needs no worker; "database" queues them in the database for `thidua worker`.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND == "database":
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("THIDUA_TASKS_BACKEND must be 'immediate' or 'database'")
# With "immediate", a job runs in a background thread of the web process ("thread": the page answers at
# once and shows progress; at most JOBS_THREADS at a time), or inside the request ("inline": tests).
JOBS_RUN = env_str("JOBS_RUN", "thread")
if JOBS_RUN not in ("thread", "inline"):
    raise ImproperlyConfigured("THIDUA_JOBS_RUN must be 'thread' or 'inline'")
JOBS_THREADS = env_int("JOBS_THREADS", 2)
