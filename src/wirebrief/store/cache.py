"""The brief cache. The key covers everything that changes the output, and can be explained.

One interface, two stores chosen by settings: a diskcache folder (``WIREBRIEF_CACHE_DIR``, one machine), or Redis
(``WIREBRIEF_CACHE_URL=redis://host:port/db``, every replica shares it; :mod:`wirebrief.store.redis_store`). Same key,
same JSON, same `cache stats|clear|explain`; TTL (``WIREBRIEF_CACHE_TTL``) and size bound
(``WIREBRIEF_CACHE_MAX_BYTES``) for both."""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import diskcache
from pydantic import ValidationError

from wirebrief.brief.schema import Brief
from wirebrief.errors import CacheUnavailable
from wirebrief.store import redis_store

if TYPE_CHECKING:
    from wirebrief.settings import Settings

log = logging.getLogger(__name__)
_FAILURES = (sqlite3.Error, OSError, diskcache.Timeout, pickle.UnpicklingError, EOFError, *redis_store.FAILURES)
"""What a broken cache folder raises: read-only or corrupt database or value file, full disk, a lock held
too long; and what a Redis that is down or slow raises."""
_RETRY_OPEN = 30.0
"""Seconds before a cache folder that could not be opened is tried again."""
_RETRY_REDIS = 5.0
"""Seconds before a Redis that failed is tried again (a restarted Redis is back in use quickly)."""

LOCK_TTL = 10.0
"""Seconds a replica's Redis lock on computing a brief lives unless renewed: its holder renews it every third of
that while it computes, so a replica that dies frees it within this (not after WIREBRIEF_CACHE_LOCK_TIMEOUT)."""

_PREFIX = "brief:"
_INDEX = "id:"


def cache_key(components: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of ``components``."""
    blob = json.dumps(components, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def brief_id_for(key: str) -> str:
    """The public id of a brief: deterministic, derived from its cache key."""
    return f"b_{key[:24]}"


def _why(exc: BaseException) -> str:
    """A failure in words, without the folder's path (it may reach an API client through /readyz)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _detached(brief: Brief) -> Brief:
    """A copy whose meta (cache_hit, latency) can be set without touching the stored brief."""
    return brief.model_copy(update={"meta": brief.meta.model_copy()})


def _as_hit(brief: Brief, started: float) -> Brief:
    hit = _detached(brief)
    hit.meta.cache_hit, hit.meta.latency_ms = True, (time.perf_counter() - started) * 1000
    return hit


class _Hot:
    """An in-memory entry: the validated brief, its JSON as a hit once it has been asked for, and when it
    expires (``time.monotonic()``; inf without a TTL)."""

    __slots__ = ("brief", "expires", "hit_json")

    def __init__(self, brief: Brief, expires: float) -> None:
        self.brief, self.expires, self.hit_json = brief, expires, b""


class BriefCache:
    """Stores validated brief JSON with the key's components; re-validates on every read from disk.

    A small in-memory tier holds the briefs this process validated last, so a hot brief costs neither a
    SQLite read nor a re-validation (nor, for :meth:`get_json`, a serialization). Callers get copies, never
    the stored object. Whatever comes out of the cache is marked ``cache_hit`` with the lookup's latency.

    The disk tier is a convenience, never a point of failure: when its folder cannot be opened, read or
    written (read-only, corrupt, full), lookups miss and stores keep to the memory tier, one warning is
    logged, and :attr:`problem` says why until the disk works again. With ``strict`` (the ``cache``
    commands, which exist to touch the disk) the same failures raise :class:`CacheUnavailable`.
    Reads never write: diskcache's hit/miss counters (a write per read) are off.

    With ``url`` (Redis) the store is shared by replicas, and :meth:`single_flight` makes one of them compute a
    brief while the others wait for it. A Redis that is down is handled like a broken folder: briefs are made
    uncached, with a warning, and it is tried again every few seconds.
    """

    def __init__(self, directory: Path, hot_size: int = 512, *, strict: bool = False, url: str | None = None,
                 ttl: float | None = None, max_bytes: int = 2**31, lock_timeout: float = 60.0) -> None:
        self.directory = directory
        self.url = url
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self.strict = strict
        self.problem: str | None = None
        """Why the disk tier is not working now, or None."""
        self._hot: OrderedDict[str, _Hot] = OrderedDict()
        self._hot_size = hot_size
        self._lock = threading.Lock()
        """Guards the memory tier: request threads and the model worker share it."""
        self._cache: diskcache.Cache | None = None
        self._retry_at = 0.0
        self._store()

    # --- the disk tier, guarded -------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """The folder, or the Redis URL without its password."""
        return redis_store.masked(self.url) if self.url else str(self.directory)

    def _open(self) -> Any:
        if self.url:
            return redis_store.RedisStore(self.url, self.max_bytes)
        self.directory.mkdir(parents=True, exist_ok=True)
        return diskcache.Cache(str(self.directory), size_limit=self.max_bytes)

    def _store(self) -> diskcache.Cache | None:
        """The open store (a diskcache, or a RedisStore that answers the same calls), opened on first use and
        retried now and then after a failure."""
        if self._cache is None and time.monotonic() >= self._retry_at:
            try:
                cache = self._open()
            except _FAILURES as exc:
                why = "its path is a file, not a folder" if not self.url and self.directory.is_file() else _why(exc)
                self._degrade(f"the cache cannot be opened: {why}")
                return None
            self._cache = cache
            try:
                if cache.statistics:  # a cache made by an older wirebrief counts every read with a write
                    cache.stats(enable=False)
            except _FAILURES:
                pass
        return self._cache

    def _degrade(self, why: str) -> None:
        if self.strict:
            raise CacheUnavailable(f"{why} ({self.location})")
        if why != self.problem:
            log.warning("%s (%s); briefs are made without it until it works again", why, self.location)
        self.problem = why
        self._retry_at = time.monotonic() + (_RETRY_REDIS if self.url else _RETRY_OPEN)
        if self.url:  # reconnect next time: a restarted Redis is a new server
            self._cache = None

    def _recovered(self) -> None:
        if self.problem is not None:
            log.info("the cache at %s works again", self.location)
            self.problem = None

    def _read(self, key: str) -> Any:
        store = self._store()
        if store is None:
            return None
        try:
            return store.get(key)
        except _FAILURES as exc:
            self._degrade(f"the cache cannot be read: {_why(exc)}")
            return None

    def _write(self, items: dict[str, Any]) -> bool:
        store = self._store()
        if store is None:
            return False
        try:
            for k, v in items.items():
                store.set(k, v, expire=self.ttl)
        except _FAILURES as exc:
            self._degrade(f"the cache cannot store a brief: {_why(exc)}")
            return False
        self._recovered()
        return True

    # --- lookups and stores ----------------------------------------------------------------------------

    def get(self, key: str, *, memory_only: bool = False) -> Brief | None:
        """The cached brief; ``memory_only``: from the memory tier alone, which never blocks (the API's event loop
        asks that, and reads the store from a thread)."""
        started = time.perf_counter()
        hot = self._lookup(key, memory_only)
        return None if hot is None else _as_hit(hot.brief, started)

    def get_json(self, key: str, *, memory_only: bool = False) -> bytes | None:
        """What ``get`` returns, as JSON: serialized once per hot entry, then served as is (the API's hit)."""
        started = time.perf_counter()
        hot = self._lookup(key, memory_only)
        if hot is None:
            return None
        if not hot.hit_json:
            hot.hit_json = _as_hit(hot.brief, started).model_dump_json().encode()
        return hot.hit_json

    def _lookup(self, key: str, memory_only: bool = False) -> _Hot | None:
        with self._lock:
            hot = self._hot.get(key)
            if hot is not None and hot.expires > time.monotonic():
                self._hot.move_to_end(key)
                return hot
        if memory_only:
            return None
        entry = self._read(_PREFIX + key)
        if entry is None:
            return None
        try:
            brief = Brief.model_validate_json(entry["brief"])
        except (ValidationError, KeyError, TypeError):
            self._forget(_PREFIX + key)  # stale schema or corrupt entry: a miss, recomputed
            return None
        return self._remember(key, brief)

    def _forget(self, key: str) -> None:
        store = self._store()
        try:
            if store is not None:
                store.delete(key)
        except _FAILURES as exc:
            self._degrade(f"the cache cannot be written: {_why(exc)}")

    def _remember(self, key: str, brief: Brief) -> _Hot:
        expires = time.monotonic() + self.ttl if self.ttl else float("inf")
        with self._lock:
            hot = self._hot[key] = _Hot(brief, expires)
            self._hot.move_to_end(key)
            while len(self._hot) > self._hot_size:
                self._hot.popitem(last=False)
        return hot

    def put(self, key: str, brief: Brief, components: dict[str, Any]) -> None:
        """Store a brief: in memory always, on disk when the disk works (else a warning, never an error)."""
        self._remember(key, _detached(brief))
        self._write({_PREFIX + key: {"brief": brief.model_dump_json(), "components": components},
                     _INDEX + brief.brief_id: key})

    @contextmanager
    def single_flight(self, key: str) -> Iterator[None]:
        """Hold the lock on computing ``key`` across replicas (Redis), waiting while another replica holds it;
        then look in the cache before computing. Without Redis, or when Redis fails, or after
        ``lock_timeout`` s of waiting: no lock (the brief is computed here, perhaps twice).

        The lock is this brief's alone, and short-lived (:data:`LOCK_TTL`), renewed while held: a replica that died
        holding it delays only this brief, and by seconds (the waiter holds the model worker meanwhile)."""
        store = self._store()
        lock = store.lock(key, timeout=LOCK_TTL, wait=self.lock_timeout) if self.url and store else None
        try:
            held = lock is not None and lock.acquire()
        except _FAILURES as exc:
            self._degrade(f"the cache cannot be locked: {_why(exc)}")
            held = False
        renewing = _renewed(lock) if held and lock is not None else None
        try:
            yield
        finally:
            if renewing is not None:
                renewing.set()
            if held and lock is not None:
                try:
                    lock.release()
                except _FAILURES:  # expired (a slow brief) or Redis went away: the lock frees itself
                    pass

    def by_brief_id(self, brief_id: str) -> Brief | None:
        key = self._read(_INDEX + brief_id)
        if key is None:  # not on disk (or no disk): a brief this process made may still be in memory
            with self._lock:
                key = next((k for k in self._hot if brief_id_for(k) == brief_id), None)
        return None if not isinstance(key, str) else self.get(key)

    # --- the `cache` commands ---------------------------------------------------------------------------

    def _disk(self) -> diskcache.Cache:
        store = self._store()
        if store is None:
            raise CacheUnavailable(f"{self.problem} ({self.location})")
        return store

    def explain(self, key_or_id: str) -> dict[str, Any] | None:
        """What went into a key: accepts the key, a unique key prefix or a brief_id."""
        try:
            disk = self._disk()
            key = disk.get(_INDEX + key_or_id) or self._resolve_prefix(disk, key_or_id)
            entry = disk.get(_PREFIX + key) if isinstance(key, str) else None
        except _FAILURES as exc:
            raise CacheUnavailable(f"the cache cannot be read: {_why(exc)} ({self.location})") from exc
        if entry is None or not isinstance(key, str):
            return None
        components = dict(entry["components"])
        text = components.pop("text", "")
        components["text"] = {"chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest(),
                              "start": text[:80]}
        return {"key": key, "brief_id": brief_id_for(key), "components": components}

    @staticmethod
    def _resolve_prefix(disk: diskcache.Cache, prefix: str) -> str | None:
        if len(prefix) < 6:
            return None
        matches = [k[len(_PREFIX):] for k in disk.iterkeys() if k.startswith(_PREFIX + prefix)]
        return matches[0] if len(matches) == 1 else None

    def stats(self) -> dict[str, Any]:
        """Where the cache is, how many briefs it holds and its size (on disk, or of the values in Redis)."""
        try:
            disk = self._disk()
            briefs = sum(1 for k in disk.iterkeys() if k.startswith(_PREFIX))
            where = {"url": self.location} if self.url else {"directory": self.location}
            policy = disk.eviction_policy() if self.url else None
            warnings = [] if policy in (None, "noeviction") else [
                f"Redis may evict keys (maxmemory-policy {policy}): the brief index and the byte count then drift "
                "from what it holds; run it with maxmemory-policy noeviction (wirebrief keeps the size bound itself, "
                "WIREBRIEF_CACHE_MAX_BYTES)"]
            return {**where, "briefs": briefs, "bytes": disk.volume(), "ttl": self.ttl, "max_bytes": self.max_bytes,
                    "warnings": warnings}
        except _FAILURES as exc:
            raise CacheUnavailable(f"the cache cannot be read: {_why(exc)} ({self.location})") from exc

    def writable(self) -> bool:
        """Whether a brief can be stored on disk now (a probe write; /readyz and `doctor` ask)."""
        store = self._store()
        if store is None:
            return False
        try:
            store.set("probe:writable", 1, expire=60)
        except _FAILURES as exc:
            if not self.strict:
                self._degrade(f"the cache cannot be written: {_why(exc)}")
            return False
        self._recovered()
        return True

    def clear(self) -> int:
        with self._lock:
            self._hot.clear()
        try:
            return int(self._disk().clear())
        except _FAILURES as exc:
            raise CacheUnavailable(f"the cache cannot be cleared: {_why(exc)} ({self.location})") from exc


def _renewed(lock: Any) -> threading.Event:
    """Keeps a held lock alive until the returned event is set: its TTL is reset every third of :data:`LOCK_TTL`.
    A renewal that fails (Redis away, the lock expired meanwhile) stops it: another replica may then compute the
    same brief too, which costs a model call, never a wrong brief."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(LOCK_TTL / 3):
            try:
                lock.reacquire()
            except _FAILURES:
                return

    threading.Thread(target=renew, name="wirebrief-lock", daemon=True).start()
    return done


def open_cache(settings: Settings, *, strict: bool = False) -> BriefCache:
    """The cache the settings describe: Redis with ``cache_url``, else the diskcache folder."""
    return BriefCache(settings.cache_dir, strict=strict, url=settings.cache_url, ttl=settings.cache_ttl,
                      max_bytes=settings.cache_max_bytes, lock_timeout=settings.cache_lock_timeout)
