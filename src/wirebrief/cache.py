"""The brief cache (diskcache). The key covers everything that changes the output, and can be explained."""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import diskcache
from pydantic import ValidationError

from wirebrief.schema import Brief

_PREFIX = "brief:"
_INDEX = "id:"


def cache_key(components: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of ``components``."""
    blob = json.dumps(components, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def brief_id_for(key: str) -> str:
    """The public id of a brief: deterministic, derived from its cache key."""
    return f"b_{key[:24]}"


def _detached(brief: Brief) -> Brief:
    """A copy whose meta (cache_hit, latency) can be set without touching the stored brief."""
    return brief.model_copy(update={"meta": brief.meta.model_copy()})


def _as_hit(brief: Brief, started: float) -> Brief:
    hit = _detached(brief)
    hit.meta.cache_hit, hit.meta.latency_ms = True, (time.perf_counter() - started) * 1000
    return hit


class _Hot:
    """An in-memory entry: the validated brief, and its JSON as a hit once it has been asked for."""

    __slots__ = ("brief", "hit_json")

    def __init__(self, brief: Brief) -> None:
        self.brief, self.hit_json = brief, b""


class BriefCache:
    """Stores validated brief JSON with the key's components; re-validates on every read from disk.

    A small in-memory tier holds the briefs this process validated last, so a hot brief costs neither a
    SQLite read nor a re-validation (nor, for :meth:`get_json`, a serialization). Callers get copies, never
    the stored object. Whatever comes out of the cache is marked ``cache_hit`` with the lookup's latency.
    """

    def __init__(self, directory: Path, hot_size: int = 512) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._cache = diskcache.Cache(str(directory), size_limit=2**31)
        self._cache.stats(enable=True)
        self._hot: OrderedDict[str, _Hot] = OrderedDict()
        self._hot_size = hot_size

    def get(self, key: str) -> Brief | None:
        started = time.perf_counter()
        hot = self._lookup(key)
        return None if hot is None else _as_hit(hot.brief, started)

    def get_json(self, key: str) -> bytes | None:
        """What ``get`` returns, as JSON: serialized once per hot entry, then served as is (the API's hit)."""
        started = time.perf_counter()
        hot = self._lookup(key)
        if hot is None:
            return None
        if not hot.hit_json:
            hot.hit_json = _as_hit(hot.brief, started).model_dump_json().encode()
        return hot.hit_json

    def _lookup(self, key: str) -> _Hot | None:
        hot = self._hot.get(key)
        if hot is not None:
            self._hot.move_to_end(key)
            return hot
        entry = self._cache.get(_PREFIX + key)
        if entry is None:
            return None
        try:
            brief = Brief.model_validate_json(entry["brief"])
        except (ValidationError, KeyError, TypeError):
            self._cache.delete(_PREFIX + key)  # stale schema or corrupt entry: a miss, recomputed
            return None
        return self._remember(key, brief)

    def _remember(self, key: str, brief: Brief) -> _Hot:
        hot = self._hot[key] = _Hot(brief)
        self._hot.move_to_end(key)
        while len(self._hot) > self._hot_size:
            self._hot.popitem(last=False)
        return hot

    def put(self, key: str, brief: Brief, components: dict[str, Any]) -> None:
        self._cache.set(_PREFIX + key, {"brief": brief.model_dump_json(), "components": components})
        self._cache.set(_INDEX + brief.brief_id, key)
        self._remember(key, _detached(brief))

    def by_brief_id(self, brief_id: str) -> Brief | None:
        key = self._cache.get(_INDEX + brief_id)
        return None if key is None else self.get(key)

    def explain(self, key_or_id: str) -> dict[str, Any] | None:
        """What went into a key: accepts the key, a unique key prefix or a brief_id."""
        key = self._cache.get(_INDEX + key_or_id) or self._resolve_prefix(key_or_id)
        entry = self._cache.get(_PREFIX + key) if key else None
        if entry is None or not isinstance(key, str):
            return None
        components = dict(entry["components"])
        text = components.pop("text", "")
        components["text"] = {"chars": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest(),
                              "start": text[:80]}
        return {"key": key, "brief_id": brief_id_for(key), "components": components}

    def _resolve_prefix(self, prefix: str) -> str | None:
        if len(prefix) < 6:
            return None
        matches = [k[len(_PREFIX):] for k in self._cache.iterkeys() if k.startswith(_PREFIX + prefix)]
        return matches[0] if len(matches) == 1 else None

    def stats(self) -> dict[str, Any]:
        hits, misses = self._cache.stats()
        briefs = sum(1 for k in self._cache.iterkeys() if k.startswith(_PREFIX))
        return {"directory": str(self.directory), "briefs": briefs, "bytes": self._cache.volume(),
                "hits": hits, "misses": misses}

    def writable(self) -> bool:
        try:
            self._cache.set("probe:writable", 1, expire=60)
            return True
        except Exception:  # noqa: BLE001 - any failure means "not writable"
            return False

    def clear(self) -> int:
        self._hot.clear()
        return int(self._cache.clear())
