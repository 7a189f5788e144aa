"""What the routes call: the pipeline behind the model worker, with metrics. No HTTP here."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from wirebrief.api.auth import KeyChecker, RateLimiter
from wirebrief.api.metrics import Metrics
from wirebrief.api.models import BriefRequest
from wirebrief.errors import BackendTimeout, WirebriefError
from wirebrief.pipeline import Job, Pipeline
from wirebrief.schema import Brief
from wirebrief.settings import Settings
from wirebrief.worker import ModelWorker

T = TypeVar("T")


class BriefService:
    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.worker = ModelWorker(capacity=settings.queue_capacity)
        self.metrics = Metrics()
        self.keys = KeyChecker(settings.api_key_list())
        self.limiter = RateLimiter(settings.rate_limit_per_minute)

    def _prepare(self, req: BriefRequest) -> Job:
        if req.html is not None:
            return self.pipeline.prepare(req.html, prompt_id=req.options.prompt_id, kind="html")
        return self.pipeline.prepare(req.text or "", prompt_id=req.options.prompt_id)

    async def _job(self, req: BriefRequest) -> Job:
        return self._prepare(req) if req.html is None else await run_in_threadpool(self._prepare, req)

    async def brief(self, req: BriefRequest) -> Brief:
        """A brief: from the cache at once, or from the model in turn; 504 leaves the work running."""
        return await self._serve(req, self.pipeline.cached, lambda brief: brief)

    async def brief_json(self, req: BriefRequest) -> bytes:
        """The same brief as JSON; a cache hit is served as the bytes the cache keeps (no copy, no dump)."""
        return await self._serve(req, self.pipeline.cached_json, lambda brief: brief.model_dump_json().encode())

    async def _serve(self, req: BriefRequest, cached: Callable[[Job], T | None], made: Callable[[Brief], T]) -> T:
        with self._counting_errors():
            job = await self._job(req)
            hit = None if req.options.no_cache else cached(job)
            if hit is not None:
                self.metrics.cache_hit()
                return hit
            return made(await self._made(job, fresh=req.options.no_cache))

    async def _made(self, job: Job, *, fresh: bool) -> Brief:
        """The brief from the model worker, in turn (single-flight per key)."""
        future = self.worker.submit(job.key + ("/fresh" if fresh else ""),
                                    lambda: self.pipeline.run(job, read_cache=not fresh, write_cache=not fresh))
        self.metrics.queue_depth.set(self.worker.depth)
        future.add_done_callback(lambda _: self.metrics.queue_depth.set(self.worker.depth))
        try:
            brief = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.settings.api_timeout)
        except TimeoutError:
            raise BackendTimeout(
                f"the brief took longer than {self.settings.api_timeout:.0f} s; it is still being made",
                hint=f"fetch it later with GET /v1/briefs/{job.brief_id}", brief_id=job.brief_id,
            ) from None
        self.metrics.brief(brief)
        return brief

    @contextmanager
    def _counting_errors(self) -> Iterator[None]:
        try:
            yield
        except WirebriefError as exc:
            self.metrics.errors.labels(type(exc).__name__).inc()
            raise

    def stored(self, brief_id: str) -> Brief | None:
        cache = self.pipeline.cache
        return cache.by_brief_id(brief_id) if cache is not None else None

    def readiness(self) -> dict[str, bool]:
        cache = self.pipeline.cache
        return {"model_loaded": self.pipeline.backend.loaded,
                "cache_writable": cache.writable() if cache is not None else True}
