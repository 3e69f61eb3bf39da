"""Django's Redis cache, with `clear()` limited to this cache's own keys.

Django's RedisCache.clear() empties the whole Redis database (FLUSHDB), taking with it
whatever else shares it: another process's cache with its own key prefix (the test
suite's xdist processes) or Celery's queues on the same database. This one deletes only
the keys under its KEY_PREFIX."""

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self) -> bool:
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True
