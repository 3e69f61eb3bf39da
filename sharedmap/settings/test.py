"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE): the defaults, with what
only makes tests slow or shared taken out.

- Passwords are hashed with MD5: the hasher is not what the tests check (the production
  hasher is Django's PBKDF2 default), and PBKDF2 costs over a second per hash on CI.
- Email stays in memory (`django.core.mail.outbox`), as pytest-django sets it anyway.
- Under pytest-xdist each worker process has its own cache key prefix, so workers sharing
  one Redis never read each other's cached pages (each already has its own test database),
  and clearing the cache clears only the process's own keys (core.cache).
"""

import os

from .base import *  # noqa: F401,F403
from .base import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker:
    for _cache in CACHES.values():
        _cache["KEY_PREFIX"] = f"{_cache.get('KEY_PREFIX', '')}_{_worker}"
# A test's cache.clear() empties only its own process's keys, not the other processes'
# (Django's Redis cache would flush the whole database).
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _cache["BACKEND"] = "core.cache.PrefixedRedisCache"
