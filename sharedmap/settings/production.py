"""Production settings: refuse to start without a secret key, the allowed hosts and the
site's public address.

Use with DJANGO_SETTINGS_MODULE=sharedmap.settings.production. Passes
`manage.py check --deploy`.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# The address links in emails start with (no request to build it from in a worker).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
# A blank key or a list of only commas counts as missing.
for _required, _value in (
    ("SECRET_KEY", SECRET_KEY.strip()),
    ("ALLOWED_HOSTS", ALLOWED_HOSTS),
    ("SITE_URL", SITE_URL),
):
    if not _value:
        raise ImproperlyConfigured(f"{_required} must be set in the environment for production.")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SITE_URL must be an absolute address, such as https://example.org.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DEBUG = False

# OpenStreetMap tiles unless another tile server (or none) is configured.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors" if MAP_TILE_URL else ""
)
LEAFLET_CONFIG = {
    **LEAFLET_CONFIG,  # noqa: F405
    "TILES": [("Map", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})] if MAP_TILE_URL else [],
}
# The CSP's img-src follows the tile server chosen here.
CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILE_URL)  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer probes each container over plain HTTP at its own address; the health
# reply holds no secret and no link (sharedmap/health.py).
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-redirect-exempt
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
