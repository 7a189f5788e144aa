"""What the routes call: the pipeline behind the model worker, with metrics. No HTTP here."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
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
from wirebrief.text.redact import without_addresses

_INLINE_CHARS = 20_000
"""Texts up to this long are prepared on the event loop (cheaper than a thread hop); longer ones, and all
HTML, in a thread, so a large article never stalls other requests."""
_KEPT = 256
"""Outcomes of abandoned (504) jobs kept in memory for GET /v1/briefs/{brief_id}."""
_NO_FIGURES = b'"figures":[]'

Outcome = Brief | WirebriefError
Hangup = Callable[[], Awaitable[None]]
"""Returns when the client has gone (the HTTP edge passes one that watches the connection)."""


class ClientGone(Exception):  # noqa: N818 - an outcome, not a failure
    """The client hung up while its brief waited for the model: nobody is left to answer (not a WirebriefError,
    so a batch stops at once instead of going on to its next item)."""


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

    async def brief(self, req: BriefRequest, timeout: float | None = None, hangup: Hangup | None = None) -> Brief:
        """A brief: from the cache at once, or from the model in turn; 504 leaves the work running; ``hangup``
        returning (the client gone) drops the work if nobody else waits for it (:class:`ClientGone`)."""
        with self._counting_errors():
            job = await self._job(req)
            brief = None if req.options.no_cache else await self._cached(job)
            if brief is not None:
                self.metrics.cache_hit()
            else:
                brief = await self._made(job, fresh=req.options.no_cache, timeout=timeout, hangup=hangup)
            return _noted(job, brief)

    async def brief_json(self, req: BriefRequest, hangup: Hangup | None = None) -> bytes:
        """The same brief as JSON; a cache hit is served as the bytes the cache keeps (no copy, no dump)."""
        with self._counting_errors():
            job = await self._job(req)
            hit = None if req.options.no_cache else await self._cached_json(job)
            if hit is not None:
                self.metrics.cache_hit()
                if _NO_FIGURES not in hit:
                    return hit
                brief = Brief.model_validate_json(hit)  # rare: no figures, perhaps a warning to add
            else:
                brief = await self._made(job, fresh=req.options.no_cache, hangup=hangup)
            return _noted(job, brief).model_dump_json().encode()

    async def events(self, req: BriefRequest) -> AsyncIterator[tuple[str, Any]]:
        """A brief as events, figures first (``POST /v1/briefs:stream``). Input errors, auth and a full queue raise
        here, before the first event; what goes wrong later is an ``error`` event (a WirebriefError)."""
        with self._counting_errors():
            job = await self._job(req)
            hit = None if req.options.no_cache else await self._cached_json(job)
            submitted = None if hit is not None else self.submit(job, fresh=req.options.no_cache)
        if hit is not None:
            self.metrics.cache_hit()
        return self._events(req, job, hit, submitted)

    async def _events(self, req: BriefRequest, job: Job, hit: bytes | None,
                      submitted: tuple[str, Future[Brief]] | None) -> AsyncIterator[tuple[str, Any]]:
        """``figures`` (everything code makes), ``prose`` (the model's headline and summary), ``brief`` (the bytes
        POST /v1/briefs answers with); a cache hit sends the three at once."""
        envelope = b'{"id":%s,"brief":%s}'
        if hit is not None:
            brief = _noted(job, Brief.model_validate_json(hit))
            yield "figures", {"brief_id": brief.brief_id, "text": job.doc.text, **_made_by_code(brief)}
        else:
            assert submitted is not None
            try:
                parts = await run_in_threadpool(self.pipeline.code_parts, job.doc, job.key)
                yield "figures", {"brief_id": job.brief_id, **parts.preview()}
                with self._counting_errors():
                    brief = _noted(job, await self.wait(job, *submitted))
            except WirebriefError as exc:
                yield "error", exc
                return
        yield "prose", {"headline": brief.headline, "summary": brief.summary}
        data = hit if hit is not None and _NO_FIGURES not in hit else brief.model_dump_json().encode()
        yield "brief", envelope % (json.dumps(req.id).encode(), data)

    async def _cached(self, job: Job) -> Brief | None:
        """A cache hit: from memory on the event loop, from the store (Redis, the disk) in a thread, so a paused
        Redis or a slow disk never stalls the loop."""
        cache = self.pipeline.cache
        if cache is None:
            return None
        hot = cache.get(job.key, memory_only=True)
        return hot if hot is not None else await run_in_threadpool(self.pipeline.cached, job)

    async def _cached_json(self, job: Job) -> bytes | None:
        """:meth:`_cached` as the JSON the cache keeps."""
        cache = self.pipeline.cache
        if cache is None:
            return None
        hot = cache.get_json(job.key, memory_only=True)
        return hot if hot is not None else await run_in_threadpool(self.pipeline.cached_json, job)

    async def batch(self, reqs: list[BriefRequest], hangup: Hangup | None = None) -> list[Outcome]:
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
                outcomes.append(await self.brief(req, timeout=left, hangup=hangup))
            except WirebriefError as exc:
                outcomes.append(exc)
        return outcomes

    async def _made(self, job: Job, *, fresh: bool, timeout: float | None = None,
                    hangup: Hangup | None = None) -> Brief:
        """The brief from the model worker, in turn (single-flight per key)."""
        key, future = self.submit(job, fresh=fresh)
        return await self.wait(job, key, future, timeout, hangup)

    def submit(self, job: Job, *, fresh: bool) -> tuple[str, Future[Brief]]:
        """Queue the job for the model worker (Overloaded when the queue is full); its key and future."""
        key = job.key + ("/fresh" if fresh else "")
        future, joined = self.worker.submit(key, lambda: self._compute(job, fresh))
        if joined:
            self.metrics.joined()
        self.metrics.queue_depth.set(self.worker.depth)
        return key, future

    async def wait(self, job: Job, key: str, future: Future[Brief], timeout: float | None = None,
                   hangup: Hangup | None = None) -> Brief:
        """The submitted job's brief; on a timeout (504) the work goes on in the background; on a closed
        connection (``hangup`` returned, or this task cancelled) a job not started yet leaves the queue."""
        waiting = asyncio.wrap_future(future)
        try:
            return await asyncio.wait_for(_awaited(waiting, hangup), timeout or self.settings.api_timeout)
        except TimeoutError:
            self._abandon(key, future, job.brief_id, waiting)
            raise BackendTimeout(
                f"the brief took longer than {timeout or self.settings.api_timeout:.3g} s; it is still being made",
                hint=f"fetch it later with GET /v1/briefs/{job.brief_id}", brief_id=job.brief_id,
            ) from None
        except (ClientGone, asyncio.CancelledError):  # the client went away: a job not started leaves the queue
            self._abandon(key, future, job.brief_id, waiting, keep=False)
            raise
        finally:
            self.metrics.queue_depth.set(self.worker.depth)

    def _compute(self, job: Job, fresh: bool) -> Brief:
        """Runs in the model worker, once per computation however many requests joined it."""
        brief = self.pipeline.run(job, read_cache=not fresh, write_cache=not fresh)
        self.metrics.brief(brief)
        return brief

    def _abandon(self, key: str, future: Future[Brief], brief_id: str, waiting: asyncio.Future[Brief], *,
                 keep: bool = True) -> None:
        """Nobody waits here any more: free the queue slot, and keep the outcome for GET by brief_id (a no_cache
        brief is kept only there, in this process's memory). Not ``keep``: a job not started is dropped."""
        waiting.add_done_callback(_consume)
        self.worker.abandon(key, future, keep=keep)
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
        problems = [without_addresses(p) for p in (  # a client is not told where the internal servers are
            backend_problem, None if cache_ok or cache is None else
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


def _made_by_code(brief: Brief) -> dict[str, Any]:
    """The parts of a finished brief that code made, as a stream's ``figures`` event carries them."""
    return {"figures": [f.model_dump(mode="json") for f in brief.figures],
            "checks": [c.model_dump(mode="json") for c in brief.checks],
            "key_points": brief.key_points, "warnings": brief.warnings}


async def _awaited(waiting: asyncio.Future[Brief], hangup: Hangup | None) -> Brief:
    """``waiting``'s brief, unless ``hangup`` returns first (:class:`ClientGone`). ``waiting`` itself is never
    cancelled here: other requests may share it."""
    if hangup is None:
        return await asyncio.shield(waiting)
    gone: asyncio.Future[Any] = asyncio.ensure_future(hangup())
    try:
        await asyncio.wait([waiting, gone], return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not waiting.done():
        raise ClientGone
    return waiting.result()


def _consume(waiting: asyncio.Future[Brief]) -> None:
    """Retrieve an abandoned future's exception, so asyncio does not log it as never retrieved."""
    if not waiting.cancelled():
        waiting.exception()
