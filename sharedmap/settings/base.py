"""Settings shared by every environment.

With no environment variables this runs on SQLite in the project folder, with Celery
tasks executed eagerly and emails printed to the console. `DATABASE_URL` switches to
PostgreSQL and `REDIS_URL` to a real broker.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("SHAREDMAP_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A local default so that `make run` needs nothing; production refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "local-development-only-not-secret")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "sharedmap.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the widgets' templates, for FORM_RENDERER below
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "django_htmx",
    "csp",
    "axes",
    "simple_history",
    "core",
    "core.outbox",
    "core.activity",
    "partnerships",
    "submissions",
    "matchmaking",
    "benefits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestBodyLimitMiddleware",
    "core.middleware.NulRefusalMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # /health/ for the load balancer, answered before the host check, the session and
    # CSRF, with the headers above (sharedmap/health.py).
    "sharedmap.health.HealthMiddleware",
    # WhiteNoise, also serving the map's layer files written after startup.
    "sharedmap.layer_static.LayerFilesMiddleware",
    # Stored responses (counts, highlights, layers, API pages) from memory, at the same
    # point as the static files (sharedmap/http.py).
    "sharedmap.http.StoredResponseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sets request.htmx, so views answer htmx with a fragment.
    # https://django-htmx.readthedocs.io/en/latest/middleware.html
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: https://django-axes.readthedocs.io/en/latest/2_installation.html
    "axes.middleware.AxesMiddleware",
]

# What every stored response depends on besides its address: the data version (renewed
# by every write the map or API shows) and the financial year ("now"). sharedmap/http.py
STORED_RESPONSES_VERSION = [
    "partnerships.map_layers.map_data_version",
    "partnerships.timeline.current_financial_year",
]

ROOT_URLCONF = "sharedmap.urls"
WSGI_APPLICATION = "sharedmap.wsgi.application"
# Every form and field is drawn by the site's templates (core/templates/core/forms/).
# https://docs.djangoproject.com/en/5.2/ref/forms/renderers/#templatessetting
FORM_RENDERER = "core.forms.FormRenderer"

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
                "partnerships.context_processors.site",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first, so that a locked-out address is refused before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The map's council shapes as immutable, versioned files (partnerships/layer_files.py),
# served at LAYER_FILES_URL by WhiteNoise (sharedmap/layer_static.py) or by nginx from
# the same directory; web and worker containers share it.
LAYER_FILES_ROOT = Path(os.environ.get("LAYER_FILES_ROOT", BASE_DIR / "var" / "layers"))
LAYER_FILES_URL = "/layers/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")

# The cache holds the rendered map layers; Redis when there is one, local memory otherwise.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sharedmap"),
            # A Redis that hangs fails a request (and the health check) in seconds
            # instead of holding a worker: redis-py's timeouts, through Django's pool.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: eager (in-process) with no broker, a real Redis broker when REDIS_URL is set.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The refresh's schedule (times in CELERY_TIMEZONE), run by `celery -A sharedmap beat`.
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html
CELERY_BEAT_SCHEDULE: dict = {
    # Every day at 06:30: the cycles whose "Opens on" date has come open, and their
    # contacts are invited (before the reminders; a repeated run opens nothing new).
    "refresh-cycles-open": {
        "task": "submissions.tasks.cycles_open_due",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every day at 07:00: the reminders before the deadline and chasers after it that are
    # due today (a repeated run the same day sends nothing new).
    "refresh-reminders": {
        "task": "submissions.tasks.reminders_send_due",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every 15 minutes: emails whose task or worker was lost (left queued, or stuck in
    # sending) are queued again; each is still sent once.
    "refresh-emails-stale": {
        "task": "core.outbox.tasks.emails_send_stale",
        "schedule": crontab(minute="*/15"),
    },
    # Every 15 minutes (at 5, 20, 35 and 50 past): staff's decisions that no email
    # carries yet (their announcement after commit was lost) are announced, once.
    "refresh-decisions-missed": {
        "task": "submissions.tasks.decisions_announce_missed",
        "schedule": crontab(minute="5-59/15"),
    },
    # Every night, ten minutes apart from 02:10: personal data past the retention periods
    # below (RETENTION_*) is blanked or deleted, one app at a time. A repeated run
    # changes nothing.
    # 02:10: the refresh's questionnaires, proposals and contacts.
    "retention-refresh": {
        "task": "submissions.tasks.personal_data_remove",
        "schedule": crontab(hour=2, minute=10),
    },
    # 02:20: match requests and Expert Programme applications.
    "retention-matchmaking": {
        "task": "matchmaking.tasks.personal_data_remove",
        "schedule": crontab(hour=2, minute=20),
    },
    # 02:30: benefits trackers' creators.
    "retention-benefits": {
        "task": "benefits.tasks.personal_data_remove",
        "schedule": crontab(hour=2, minute=30),
    },
    # 02:40: emails, admin sign-in records, expired sessions.
    "retention-kernel": {
        "task": "core.tasks.personal_data_remove",
        "schedule": crontab(hour=2, minute=40),
    },
}

# ---- Retention: how long personal data is kept, as the privacy notice (/privacy/) says;
# the nightly tasks above enforce it (submissions/, matchmaking/, benefits/ and
# core/retention.py). Whole years or days, from the environment.
# Names and emails of those who answered a refresh questionnaire, counted from the
# closing of its cycle; and council contacts switched off, from the last email to them.
RETENTION_YEARS_REFRESH = int(os.environ.get("RETENTION_YEARS_REFRESH", "3"))
# The name and email given with a proposal (the public form, an Expert Programme outcome
# or a tracker's figures), from staff's decision on it.
RETENTION_YEARS_PROPOSALS = int(os.environ.get("RETENTION_YEARS_PROPOSALS", "3"))
# Requesters', applicants' and introduced contacts' details, from the last action on the
# match request or Expert Programme application.
RETENTION_YEARS_MATCHMAKING = int(os.environ.get("RETENTION_YEARS_MATCHMAKING", "3"))
# A benefits tracker's creator's name and email, from the last change to the tracker.
RETENTION_YEARS_BENEFITS = int(os.environ.get("RETENTION_YEARS_BENEFITS", "6"))
# Every email's recipient and contents, from the day it was sent (or queued, if it failed).
RETENTION_DAYS_OUTBOX = int(os.environ.get("RETENTION_DAYS_OUTBOX", "365"))
# The admin's records of sign-ins and failed sign-ins (django-axes: IP address, username,
# browser), from the attempt.
RETENTION_DAYS_SIGN_IN_RECORDS = int(os.environ.get("RETENTION_DAYS_SIGN_IN_RECORDS", "90"))

# ---- The site's own pages (sharedmap/pages.py). The team's address, shown on the
# start page, the accessibility statement and the privacy notice.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "sharedservices@local.gov.uk")
# The accessibility statement's dates (ISO dates): when it was prepared and when the site
# was last tested. Change them when the site is tested again and the statement reviewed.
ACCESSIBILITY_STATEMENT_PREPARED = "2026-12-04"
ACCESSIBILITY_LAST_TESTED = "2026-12-04"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sharedservices@local.gov.uk")
# Seconds a mail server may take to answer before a send fails (and is retried), so a
# hung server never holds a worker. https://docs.djangoproject.com/en/5.2/ref/settings/#email-timeout
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
# The site's public address, for links in emails sent without a request (Celery beat's
# reminders and chasers). Production refuses to start without it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Extra addresses told of each submitted questionnaire, besides active staff users.
REFRESH_STAFF_EMAILS = [a for a in os.environ.get("REFRESH_STAFF_EMAILS", "").split(",") if a]

LOGIN_URL = "admin:login"

# The map's background tiles. None by default (the map draws boundaries on a plain
# background and needs no network); production uses OpenStreetMap.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors" if MAP_TILE_URL else ""
)
# django-leaflet: https://django-leaflet.readthedocs.io/en/latest/templates.html#configuration
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (52.8, -1.6),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 14,
    "TILES": [("Map", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})] if MAP_TILE_URL else [],
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
}

# ---- Client address (core/ratelimit.py client_address): how many proxies in front of the
# site append to X-Forwarded-For (a load balancer, nginx). 0, the default, trusts no header
# and uses REMOTE_ADDR; N takes the Nth address from the right of X-Forwarded-For. The
# forms' allowances, the API's throttles and the admin's login lockout all use it.
# API_NUM_PROXIES, its earlier name, still works.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT") or os.environ.get("API_NUM_PROXIES") or "0"
)

# The public API under /api/: read-only for everyone, anonymous reads throttled per
# client address. https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["partnerships.api.permissions.ReadOnly"],
    # Each operation's parameters and refusals as its view checks them (partnerships.api.schema).
    "DEFAULT_SCHEMA_CLASS": "partnerships.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "partnerships.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # https://www.django-rest-framework.org/api-guide/throttling/
    "DEFAULT_THROTTLE_CLASSES": [
        "partnerships.api.throttling.AnonSustainedThrottle",
        "partnerships.api.throttling.AnonBurstThrottle",
        "partnerships.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "600/hour"),
        "anon_burst": os.environ.get("API_ANON_BURST_RATE", "60/min"),
        "user": os.environ.get("API_USER_RATE", "3000/hour"),
    },
    # Our throttles key on core.ratelimit.client_address; this is for any other DRF code
    # (DRF's default, None, would believe a client's own X-Forwarded-For).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

# The OpenAPI schema at /api/schema/ and its docs pages, drawn from local static files
# (drf-spectacular-sidecar), never a CDN.
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Shared Services Map API",
    "DESCRIPTION": (
        "Read-only open data on councils in England, the public bodies they share "
        "services with, their shared-service partnerships and the savings reported. "
        "Open Government Licence v3.0."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    # A public, read-only API: no authentication scheme to declare (staff's session only
    # raises their throttle allowance), so Swagger UI shows no Authorize button.
    "AUTHENTICATION_WHITELIST": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts them inside the operations' buttons, a link nested
    # in a button that keyboard and screen reader users cannot reach (WCAG 4.1.2).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None},
    # Two choice sets share the field name "kind"; name their enums after what they are.
    "ENUM_NAME_OVERRIDES": {
        "PublicBodyKindEnum": "partnerships.models.PublicBodyKind",
        "SavingsKindEnum": "partnerships.models.SavingsKind",
    },
}

# ---- Browser security: Content-Security-Policy (django-csp) and Permissions-Policy.
# https://django-csp.readthedocs.io/en/latest/configuration.html
import re  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402


def tile_origins(tile_url: str) -> list[str]:
    """The origin the map's tiles come from, for img-src: none for local tiles or none at
    all; a "{s}" subdomain placeholder becomes CSP's leading "*." wildcard."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return []
    host = re.sub(r"^\{[^}]*\}\.", "*.", parts.netloc)
    return [f"{parts.scheme}://{host}"]


def content_security_policy(tile_url: str) -> dict:
    """Enforced: scripts and styles only from the site's own files (no inline script or
    style), images from the site and the configured tile server, no framing."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, "data:", *tile_origins(tile_url)],
            "connect-src": [SELF],
            "font-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }


CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILE_URL)
# https://github.com/adamchainz/django-permissions-policy
PERMISSIONS_POLICY: dict[str, list] = {
    "camera": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# ---- Login throttling (django-axes): https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
# The same client address as the forms and the API (TRUSTED_PROXY_COUNT above).
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
# Locked per account and address together: five wrong passwords for one account from one
# address lock that pair. Neither alone: by account, anyone who knows a username could
# lock its owner out from anywhere; by address, one person's slips would lock out every
# colleague behind the same office connection.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The page says when to try again (core/lockout.py, templates/admin/locked_out.html).
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"

# ---- Bounded input: https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Whole request bodies, file parts included (core/middleware.py): 3 MB anywhere, and up
# to 6 MB under the admin, whose partnerships CSV upload takes files of up to 2 MB
# (partnerships.admin_forms). nginx's limits sit above these (deploy/nginx.conf).
REQUEST_BODY_MAX_BYTES = 3 * 1024 * 1024
REQUEST_BODY_UPLOAD_MAX_BYTES = 6 * 1024 * 1024
REQUEST_BODY_UPLOAD_PREFIXES = ["/admin/"]

# Every handler masks the tokens of secret links in what it writes (core/logging.py):
# Django logs the path of 4xx and 5xx replies, and runserver every request line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "secret_paths": {"()": "core.logging.SecretPathFilter"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["secret_paths"]},
        # Django's own runserver handler (django.utils.log.DEFAULT_LOGGING), masked.
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["secret_paths"],
        },
    },
    "loggers": {
        # Django's default handlers for these would write unmasked: everything goes to
        # the masked ones instead (the "django" logger through the root's console).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
