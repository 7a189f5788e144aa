"""The model runs behind a bounded queue: worker threads, identical jobs computed once, overload refused.

The embedded model is CPU-bound and not thread-safe, so requests are served in turn. A request that finds
``capacity`` live jobs (queued or running, with someone waiting for them) is refused at once
(:class:`Overloaded`) instead of piling up; a request for a brief that is already being computed joins
that computation (single-flight).

A job whose every waiter gave up (a 504, a closed connection) is *abandoned*: it no longer holds a queue
slot. After a 504, a job not started yet moves to a background queue that the model takes from only when no
live job waits, so the brief the 504 promised is still made when there is time for it; after a closed
connection it leaves the queue (a running job is finished and cached either way). The background queue
holds at most ``capacity`` jobs; beyond that the oldest is dropped (its future fails with Overloaded).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future

from wirebrief.brief.schema import Brief
from wirebrief.errors import Overloaded

_IDLE_SECONDS = 30.0
"""A worker thread with nothing to do for this long ends; the next job starts another."""


class _Job:
    __slots__ = ("compute", "future", "key", "started", "waiters")

    def __init__(self, key: str, compute: Callable[[], Brief]) -> None:
        self.key, self.compute = key, compute
        self.future: Future[Brief] = Future()
        self.waiters, self.started = 1, False


class ModelWorker:
    def __init__(self, capacity: int, threads: int = 1) -> None:
        self.capacity = capacity
        self.threads = threads
        self._jobs: dict[str, _Job] = {}
        self._live: deque[_Job] = deque()
        self._background: deque[_Job] = deque()
        self._running_threads = 0
        self._cond = threading.Condition()

    @property
    def depth(self) -> int:
        """Live jobs, queued or running: the ones that count against ``capacity``."""
        return sum(1 for job in self._jobs.values() if job.waiters > 0)

    def submit(self, key: str, compute: Callable[[], Brief]) -> tuple[Future[Brief], bool]:
        """The future of ``compute()``, and whether it was joined (shared with an earlier job of this key)."""
        with self._cond:
            job = self._jobs.get(key)
            if job is not None:
                if job.waiters == 0 and not job.started:  # abandoned, then asked for again: live once more
                    self._background.remove(job)
                    self._live.append(job)
                job.waiters += 1
                return job.future, True
            if self.depth >= self.capacity:
                raise Overloaded(f"the model queue is full ({self.capacity} articles waiting)",
                                 queue_depth=self.depth)
            job = self._jobs[key] = _Job(key, compute)
            self._live.append(job)
            if self._running_threads < self.threads:
                self._running_threads += 1
                threading.Thread(target=self._serve, name="wirebrief-model", daemon=True).start()
            self._cond.notify()
        return job.future, False

    def abandon(self, key: str, future: Future[Brief], *, keep: bool = True) -> None:
        """One waiter of ``key`` gave up. The last one frees the job's slot; a job not started yet waits in
        the background queue if ``keep`` (a 504 promised it), else leaves the queue (its future is cancelled: a
        client that hung up was promised nothing)."""
        with self._cond:
            job = self._jobs.get(key)
            if job is None or job.future is not future or job.waiters == 0:
                return
            job.waiters -= 1
            if job.waiters > 0 or job.started:
                return
            self._live.remove(job)
            if not keep:
                del self._jobs[key]
                dropped = None
            else:
                self._background.append(job)
                dropped = self._background.popleft() if len(self._background) > self.capacity else None
                if dropped is not None:
                    del self._jobs[dropped.key]
        if not keep:
            job.future.cancel()
        elif dropped is not None:
            dropped.future.set_exception(Overloaded(
                "dropped: the model was needed for live requests before it could make this brief",
                hint="send the request again"))

    def _next(self) -> _Job | None:
        with self._cond:
            while not (self._live or self._background):
                if not self._cond.wait(timeout=_IDLE_SECONDS) and not (self._live or self._background):
                    self._running_threads -= 1
                    return None
            job = (self._live or self._background).popleft()
            job.started = True
            return job

    def _serve(self) -> None:
        while (job := self._next()) is not None:
            if not job.future.set_running_or_notify_cancel():  # cancelled while it waited
                self._finish(job)
                continue
            try:
                result = job.compute()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiters, whatever it is
                self._finish(job)
                job.future.set_exception(exc)
            else:
                self._finish(job)
                job.future.set_result(result)

    def _finish(self, job: _Job) -> None:
        with self._cond:
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]
