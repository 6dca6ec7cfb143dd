"""The Redis cache keeps one redis-py client per pool, where Django built one per call."""

from __future__ import annotations

from followup_site.redis_cache import ReusedClientRedisCache, ReusedRedisCacheClient

PRIMARY = "redis://127.0.0.1:6379/15"
REPLICA = "redis://127.0.0.1:6380/15"


def test_one_client_per_pool_for_one_server():
    cache = ReusedRedisCacheClient([PRIMARY])
    client = cache.get_client("key")
    assert cache.get_client("other") is client
    assert cache.get_client("key", write=True) is client
    assert client.connection_pool is cache._pools[0]


def test_writes_go_to_the_primary_and_reads_to_a_replica_as_in_django():
    cache = ReusedRedisCacheClient([PRIMARY, REPLICA])
    writer = cache.get_client("key", write=True)
    reader = cache.get_client("key")
    assert writer is not reader
    assert writer.connection_pool is cache._pools[0]
    assert reader.connection_pool is cache._pools[1]
    assert cache.get_client("key") is reader
    assert cache.get_client("key", write=True) is writer


def test_the_cache_uses_the_reusing_client():
    cache = ReusedClientRedisCache(PRIMARY, {"KEY_PREFIX": "test"})
    assert isinstance(cache._cache, ReusedRedisCacheClient)
