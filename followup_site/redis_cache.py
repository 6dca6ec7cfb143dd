"""Django's Redis cache, with one redis-py client per connection pool for the process.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache operation
(``get_client``), and redis-py's constructor registers its response callbacks anew: some
540 function calls for each read, most of the cost of loading a session from Redis on
every signed-in request. The client object is a thin, thread-safe wrapper of the pool
Django already keeps per server (redis-py's pool reconnects after a fork), so one per
pool does the same work.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key: object = None, *, write: bool = False) -> object:
        # Django picks the pool (the first server for writes, a replica for reads) and keeps
        # it for good, so its id names it for the life of the process.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``ReusedRedisCacheClient``."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
