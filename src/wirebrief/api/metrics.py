"""Prometheus metrics, one registry per app (so tests can build many apps)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from wirebrief.brief.schema import Brief


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("wirebrief_requests", "HTTP requests", ["route", "status"], registry=r)
        self.latency = Histogram("wirebrief_request_seconds", "HTTP request latency", ["route"], registry=r,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120))
        self.cache = Counter("wirebrief_cache", "Brief cache lookups: hit, miss (a computation), or joined (a "
                             "request that waited for a computation already under way)", ["result"], registry=r)
        self.model_latency = Histogram("wirebrief_model_seconds", "Time in the model per brief", registry=r,
                                       buckets=(1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 300))
        self.tokens = Counter("wirebrief_tokens", "Model tokens, all attempts", ["kind"], registry=r)
        self.errors = Counter("wirebrief_errors", "Errors by type", ["type"], registry=r)
        self.queue_depth = Gauge("wirebrief_queue_depth", "Articles waiting for or in the model", registry=r)
        self.cache_degraded = Gauge("wirebrief_cache_degraded", "1 while the cache cannot be used: briefs are made "
                                    "uncached (/readyz says why)", registry=r)
        self._hit, self._miss, self._joined = (self.cache.labels(r) for r in ("hit", "miss", "joined"))
        self._per_route: dict[tuple[str, int], tuple[Any, Any]] = {}

    def request(self, route: str, status: int, seconds: float) -> None:
        """Count one request; label children are looked up once per (route, status)."""
        children = self._per_route.get((route, status))
        if children is None:
            children = (self.requests.labels(route, str(status)), self.latency.labels(route))
            self._per_route[(route, status)] = children
        children[0].inc()
        children[1].observe(seconds)

    def cache_hit(self) -> None:
        self._hit.inc()

    def joined(self) -> None:
        self._joined.inc()

    def brief(self, brief: Brief) -> None:
        """One computation (however many requests shared it): a miss, its model time and tokens."""
        (self._hit if brief.meta.cache_hit else self._miss).inc()
        if not brief.meta.cache_hit:
            self.model_latency.observe(brief.meta.model_latency_ms / 1000)
            self.tokens.labels("prompt").inc(brief.meta.usage.prompt_tokens)
            self.tokens.labels("completion").inc(brief.meta.usage.completion_tokens)
