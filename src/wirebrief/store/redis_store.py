"""A Redis store behind the brief cache, for replicas that share one cache: ``WIREBRIEF_CACHE_URL=redis://…``.

It offers the few diskcache calls :class:`~wirebrief.store.cache.BriefCache` makes (``get``, ``set`` with ``expire``,
``delete``, ``iterkeys``, ``volume``, ``clear``), so the cache's logic, keys and JSON are the same whichever
store is behind it. Values are stored as JSON. Keys live under ``wirebrief:e:``; the size bound is kept by
Lua scripts (atomic, so replicas can store at once): every stored value's size is recorded, and when the total
passes ``max_bytes`` the oldest stored values go first (a read writes nothing, so hits cost one GET).

:meth:`lock` is a redis-py ``Lock`` with a short timeout that its holder renews: single-flight across replicas (the
holder computes a brief, the others wait for it, then read it from the cache; a holder that died frees the lock
within seconds, when it expires).

The bookkeeping assumes Redis deletes nothing by itself: run it with ``maxmemory-policy noeviction`` (an evicting
policy drops entries behind the byte count's back; ``cache stats`` warns, :meth:`RedisStore.eviction_policy`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.lock import Lock

_NS = "wirebrief:"
_ENTRY = _NS + "e:"
_SIZES, _ORDER, _BYTES = _NS + "meta:sizes", _NS + "meta:order", _NS + "meta:bytes"

# KEYS: entry, sizes, order, bytes. ARGV: data, ttl ms (0: none), now, field, max bytes, entry prefix.
_SET = """
local old = tonumber(redis.call('HGET', KEYS[2], ARGV[4]) or '0')
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else redis.call('SET', KEYS[1], ARGV[1]) end
redis.call('HSET', KEYS[2], ARGV[4], #ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
local total = redis.call('INCRBY', KEYS[4], #ARGV[1] - old)
local evicted = 0
while total > tonumber(ARGV[5]) do
  local popped = redis.call('ZPOPMIN', KEYS[3])
  if #popped == 0 then break end
  local size = tonumber(redis.call('HGET', KEYS[2], popped[1]) or '0')
  redis.call('HDEL', KEYS[2], popped[1])
  redis.call('DEL', ARGV[6] .. popped[1])
  total = redis.call('DECRBY', KEYS[4], size)
  evicted = evicted + 1
end
return evicted
"""
# KEYS: entry, sizes, order, bytes. ARGV: field.
_DELETE = """
local size = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('DECRBY', KEYS[4], size)
return redis.call('DEL', KEYS[1])
"""

FAILURES: tuple[type[BaseException], ...] = (redis.RedisError, ValueError)
"""What a Redis that is down, slow, full or holding something else raises (ValueError: JSON that is not ours)."""


def masked(url: str) -> str:
    """The URL without its password (it is shown by `cache stats` and in warnings)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisStore:
    statistics = False
    """Like a diskcache with its hit counters off: reads write nothing."""

    def __init__(self, url: str, max_bytes: int, timeout: float = 0.5) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self.client.ping()  # like opening a diskcache folder: fails now, not at the first brief
        self.max_bytes = max_bytes
        self._set = self.client.register_script(_SET)
        self._delete = self.client.register_script(_DELETE)

    def get(self, key: str) -> Any:
        raw = self.client.get(_ENTRY + key)
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, expire: float | None = None) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        ttl_ms = int(expire * 1000) if expire else 0
        self._set(keys=[_ENTRY + key, _SIZES, _ORDER, _BYTES],
                  args=[data, ttl_ms, time.time(), key, self.max_bytes, _ENTRY])

    def delete(self, key: str) -> bool:
        return bool(self._delete(keys=[_ENTRY + key, _SIZES, _ORDER, _BYTES], args=[key]))

    def iterkeys(self) -> Iterator[str]:
        for raw in self.client.scan_iter(match=_ENTRY + "*", count=1000):
            yield raw.decode()[len(_ENTRY):]

    def volume(self) -> int:
        """Bytes of the values stored (those whose TTL ran out are counted until they are evicted)."""
        return int(self.client.get(_BYTES) or 0)

    def clear(self) -> int:
        """Delete every entry and the bookkeeping; the number of entries deleted."""
        count = 0
        batch: list[bytes] = []
        for raw in self.client.scan_iter(match=_ENTRY + "*", count=1000):
            batch.append(raw)
            if len(batch) == 500:
                count += int(self.client.unlink(*batch))
                batch.clear()
        if batch:
            count += int(self.client.unlink(*batch))
        self.client.unlink(_SIZES, _ORDER, _BYTES)
        return count

    def lock(self, key: str, timeout: float, wait: float) -> Lock:
        """A lock on computing ``key``: expires after ``timeout`` s; acquiring gives up after ``wait`` s."""
        lock: Lock = self.client.lock(_NS + "lock:" + key, timeout=timeout, blocking_timeout=wait,
                                      thread_local=False)  # renewed from another thread than the holder's
        return lock

    def eviction_policy(self) -> str | None:
        """Redis's ``maxmemory-policy``, or None where CONFIG is not allowed (some hosted Redis)."""
        try:
            policy = self.client.config_get("maxmemory-policy").get("maxmemory-policy")
        except redis.ResponseError:
            return None
        return None if policy is None else str(policy.decode() if isinstance(policy, bytes) else policy)

    def close(self) -> None:
        self.client.close()
