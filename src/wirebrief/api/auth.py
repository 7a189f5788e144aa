"""Bearer API keys (constant-time comparison, never logged), a per-key token-bucket rate limit, and a per-client
one on wrong keys (a guesser gets a few 401s, then 429s)."""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time

from fastapi import HTTPException

from wirebrief.text.redact import register_secret

WRONG_KEYS_PER_MINUTE = 10
"""Wrong keys a client may send a minute (with that burst) before every request of its is 429 for a while."""
_MAX_BUCKETS = 10_000
"""Buckets kept; past it the full ones (clients quiet for a while) are forgotten."""


class RateLimiter:
    """``per_minute`` requests a minute per key, with that burst."""

    def __init__(self, per_minute: int, what: str = "this API key") -> None:
        self.rate = per_minute / 60.0
        self.burst = float(per_minute)
        self.what = what
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str, spend: float = 1.0) -> None:
        """Take ``spend`` tokens from ``key``'s bucket, or 429 with Retry-After if it has less than one
        (``spend=0``: only the check)."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                wait = math.ceil((1 - tokens) / self.rate)
                self._buckets[key] = (tokens, now)
                raise HTTPException(429, f"rate limit exceeded for {self.what}", headers={"Retry-After": str(wait)})
            self._buckets[key] = (tokens - spend, now)
            if len(self._buckets) > _MAX_BUCKETS:
                self._forget_full(now)

    def _forget_full(self, now: float) -> None:
        for name, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * self.rate >= self.burst:
                del self._buckets[name]


class KeyChecker:
    def __init__(self, keys: list[str]) -> None:
        self._digests = [hashlib.sha256(k.encode()).digest() for k in keys]
        self.guesses = RateLimiter(WRONG_KEYS_PER_MINUTE, "wrong API keys from this client")
        for key in keys:
            register_secret(key)  # masked in any upstream text or log line that quotes it

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def identify(self, authorization: str | None, client: str = "") -> str:
        """The key's bucket name (a digest prefix, never the key) or 401; 429 for a ``client`` (its address) that
        sent too many wrong keys, whatever key it sends now (else a guess that hits would still be told). A
        request without a key is no guess: it is not counted."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "missing API key: send `Authorization: Bearer <key>`",
                                headers={"WWW-Authenticate": "Bearer"})
        self.guesses.check(client, spend=0)
        digest = hashlib.sha256(token.strip().encode()).digest()
        matched = [hmac.compare_digest(digest, d) for d in self._digests]  # every key compared, in constant time
        if not any(matched):
            self.guesses.check(client)
            raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "Bearer"})
        return digest.hex()[:12]
