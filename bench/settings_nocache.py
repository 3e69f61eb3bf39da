"""Production settings with no cache at all, for the benchmark's uncached rows: every
request builds its response from the database, as the first one after a change does
(bench/serve.py runs a second server with these)."""

from sharedmap.settings.production import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
