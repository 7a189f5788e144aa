"""Bearer API keys (constant-time comparison, never logged) and a per-key token-bucket rate limit."""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time

from fastapi import HTTPException

from wirebrief.text.redact import register_secret


class RateLimiter:
    """``per_minute`` requests a minute per key, with that burst."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                wait = math.ceil((1 - tokens) / self.rate)
                self._buckets[key] = (tokens, now)
                raise HTTPException(429, "rate limit exceeded for this API key", headers={"Retry-After": str(wait)})
            self._buckets[key] = (tokens - 1, now)


class KeyChecker:
    def __init__(self, keys: list[str]) -> None:
        self._digests = [hashlib.sha256(k.encode()).digest() for k in keys]
        for key in keys:
            register_secret(key)  # masked in any upstream text or log line that quotes it

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def identify(self, authorization: str | None) -> str:
        """The key's bucket name (a digest prefix, never the key) or 401."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "missing API key: send `Authorization: Bearer <key>`",
                                headers={"WWW-Authenticate": "Bearer"})
        digest = hashlib.sha256(token.strip().encode()).digest()
        matched = [hmac.compare_digest(digest, d) for d in self._digests]  # every key compared, in constant time
        if not any(matched):
            raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "Bearer"})
        return digest.hex()[:12]
