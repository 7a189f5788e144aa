"""What the routes call: the pipeline behind the model worker, with metrics. No HTTP here."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

from starlette.concurrency import run_in_threadpool

from wirebrief.api.auth import KeyChecker, RateLimiter
from wirebrief.api.metrics import Metrics
from wirebrief.api.models import BriefRequest
from wirebrief.brief.schema import Brief
from wirebrief.errors import BackendTimeout, WirebriefError
from wirebrief.pipeline import Job, Pipeline
from wirebrief.runs.worker import ModelWorker
from wirebrief.settings import Settings
from wirebrief.text.normalize import script_warning

_INLINE_CHARS = 20_000
"""Texts up to this long are prepared on the event loop (cheaper than a thread hop); longer ones, and all
HTML, in a thread, so a large article never stalls other requests."""
_KEPT = 256
"""Outcomes of abandoned (504) jobs kept in memory for GET /v1/briefs/{brief_id}."""
_NO_FIGURES = b'"figures":[]'

Outcome = Brief | WirebriefError


class BriefService:
    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.worker = ModelWorker(capacity=settings.queue_capacity)
        self.metrics = Metrics()
        self.keys = KeyChecker(settings.api_key_list())
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        cache = pipeline.cache
        self.metrics.cache_degraded.set_function(lambda: float(cache is not None and cache.problem is not None))
        self.load_problem: str | None = None
        """Why the model failed to load, if it did."""
        self._pending: dict[str, Future[Brief]] = {}
        self._outcomes: OrderedDict[str, Outcome] = OrderedDict()
        self._lock = threading.Lock()

    def _prepare(self, req: BriefRequest) -> Job:
        if req.html is not None:
            return self.pipeline.prepare(req.html, prompt_id=req.options.prompt_id, kind="html")
        return self.pipeline.prepare(req.text or "", prompt_id=req.options.prompt_id)

    async def _job(self, req: BriefRequest) -> Job:
        if req.html is None and len(req.text or "") <= _INLINE_CHARS:
            return self._prepare(req)
        return await run_in_threadpool(self._prepare, req)

    async def brief(self, req: BriefRequest, timeout: float | None = None) -> Brief:
        """A brief: from the cache at once, or from the model in turn; 504 leaves the work running."""
        with self._counting_errors():
            job = await self._job(req)
            brief = None if req.options.no_cache else self.pipeline.cached(job)
            if brief is not None:
                self.metrics.cache_hit()
            else:
                brief = await self._made(job, fresh=req.options.no_cache, timeout=timeout)
            return _noted(job, brief)

    async def brief_json(self, req: BriefRequest) -> bytes:
        """The same brief as JSON; a cache hit is served as the bytes the cache keeps (no copy, no dump)."""
        with self._counting_errors():
            job = await self._job(req)
            hit = None if req.options.no_cache else self.pipeline.cached_json(job)
            if hit is not None:
                self.metrics.cache_hit()
                if _NO_FIGURES not in hit:
                    return hit
                brief = Brief.model_validate_json(hit)  # rare: no figures, perhaps a warning to add
            else:
                brief = await self._made(job, fresh=req.options.no_cache)
            return _noted(job, brief).model_dump_json().encode()

    async def batch(self, reqs: list[BriefRequest]) -> list[Outcome]:
        """Each item in turn, all within one deadline (api_timeout); a failing item fails alone."""
        deadline = time.monotonic() + self.settings.api_timeout
        outcomes: list[Outcome] = []
        for req in reqs:
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise BackendTimeout(f"the batch's {self.settings.api_timeout:g} s (WIREBRIEF_API_TIMEOUT) ran "
                                         "out before this item was started", hint="send it again, or in a smaller "
                                         "batch")
                outcomes.append(await self.brief(req, timeout=left))
            except WirebriefError as exc:
                outcomes.append(exc)
        return outcomes

    async def _made(self, job: Job, *, fresh: bool, timeout: float | None = None) -> Brief:
        """The brief from the model worker, in turn (single-flight per key)."""
        key = job.key + ("/fresh" if fresh else "")
        future, joined = self.worker.submit(key, lambda: self._compute(job, fresh))
        if joined:
            self.metrics.joined()
        self.metrics.queue_depth.set(self.worker.depth)
        waiting = asyncio.wrap_future(future)
        try:
            return await asyncio.wait_for(asyncio.shield(waiting), timeout or self.settings.api_timeout)
        except TimeoutError:
            self._abandon(key, future, job.brief_id, waiting)
            raise BackendTimeout(
                f"the brief took longer than {timeout or self.settings.api_timeout:.3g} s; it is still being made",
                hint=f"fetch it later with GET /v1/briefs/{job.brief_id}", brief_id=job.brief_id,
            ) from None
        except asyncio.CancelledError:  # the client went away: the brief is still made, in the background
            self._abandon(key, future, job.brief_id, waiting)
            raise
        finally:
            self.metrics.queue_depth.set(self.worker.depth)

    def _compute(self, job: Job, fresh: bool) -> Brief:
        """Runs in the model worker, once per computation however many requests joined it."""
        brief = self.pipeline.run(job, read_cache=not fresh, write_cache=not fresh)
        self.metrics.brief(brief)
        return brief

    def _abandon(self, key: str, future: Future[Brief], brief_id: str, waiting: asyncio.Future[Brief]) -> None:
        """Nobody waits here any more: free the queue slot, and keep the outcome for GET by brief_id (a no_cache
        brief is kept only there, in this process's memory)."""
        waiting.add_done_callback(_consume)
        self.worker.abandon(key, future)
        with self._lock:
            self._pending[brief_id] = future
        future.add_done_callback(lambda f: self._settled(brief_id, f))

    def _settled(self, brief_id: str, future: Future[Brief]) -> None:
        outcome: Outcome | None = None
        if not future.cancelled():
            exc = future.exception()
            outcome = future.result() if exc is None else exc if isinstance(exc, WirebriefError) else None
        with self._lock:
            if self._pending.get(brief_id) is future:
                del self._pending[brief_id]
            if outcome is not None:
                self._outcomes[brief_id] = outcome
                self._outcomes.move_to_end(brief_id)
                while len(self._outcomes) > _KEPT:
                    self._outcomes.popitem(last=False)

    def stored(self, brief_id: str) -> Outcome | None:
        """A brief made earlier, or why the job that should have made it failed; None if unknown or pending."""
        cache = self.pipeline.cache
        brief = cache.by_brief_id(brief_id) if cache is not None else None
        if brief is not None:
            return brief
        with self._lock:
            return self._outcomes.get(brief_id)

    def pending(self, brief_id: str) -> bool:
        with self._lock:
            return brief_id in self._pending

    @contextmanager
    def _counting_errors(self) -> Iterator[None]:
        try:
            yield
        except WirebriefError as exc:
            self.metrics.errors.labels(type(exc).__name__).inc()
            raise

    def readiness(self) -> dict[str, Any]:
        """Whether a brief can be made now, and what is wrong. May block (a probe of a remote backend, a probe
        write to the cache): call it from a thread."""
        backend, cache = self.pipeline.backend, self.pipeline.cache
        backend_problem = self.load_problem or backend.probe()
        cache_ok = cache.writable() if cache is not None else True
        problems = [p for p in (backend_problem, None if cache_ok or cache is None else
                                f"{cache.problem or 'the cache cannot be written'}: briefs are made uncached") if p]
        ready = backend.loaded and backend_problem is None
        return {"status": ("ready" if cache_ok else "degraded") if ready else "not ready",
                "checks": {"model_loaded": backend.loaded, "backend_reachable": backend_problem is None,
                           "cache_writable": cache_ok},
                "problems": problems}


def _noted(job: Job, brief: Brief) -> Brief:
    """A brief with no figures gets a warning when its text is in a script whose numerals may not be read."""
    if brief.figures:
        return brief
    note = script_warning(job.doc.text)
    if note is None or note in brief.warnings:
        return brief
    return brief.model_copy(update={"warnings": [*brief.warnings, note]})


def _consume(waiting: asyncio.Future[Brief]) -> None:
    """Retrieve an abandoned future's exception, so asyncio does not log it as never retrieved."""
    if not waiting.cancelled():
        waiting.exception()
