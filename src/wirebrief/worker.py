"""The model runs behind a bounded queue: one worker thread, identical jobs computed once, overload refused.

The embedded model is CPU-bound and not thread-safe, so requests are served in turn. A request that finds
``capacity`` jobs already waiting is refused at once (:class:`Overloaded`) instead of piling up; a request
for a brief that is already being computed joins that computation (single-flight).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from wirebrief.errors import Overloaded
from wirebrief.schema import Brief


class ModelWorker:
    def __init__(self, capacity: int, threads: int = 1) -> None:
        self.capacity = capacity
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wirebrief-model")
        self._inflight: dict[str, Future[Brief]] = {}
        self._lock = threading.Lock()

    @property
    def depth(self) -> int:
        """Jobs queued or running."""
        return len(self._inflight)

    def submit(self, key: str, compute: Callable[[], Brief]) -> Future[Brief]:
        """The future of ``compute()``, shared with any in-flight job of the same key."""
        with self._lock:
            running = self._inflight.get(key)
            if running is not None:
                return running
            if len(self._inflight) >= self.capacity:
                raise Overloaded(f"the model queue is full ({self.capacity} articles waiting)",
                                 queue_depth=len(self._inflight))
            future = self._pool.submit(compute)
            self._inflight[key] = future
        future.add_done_callback(lambda _: self._done(key))
        return future

    def _done(self, key: str) -> None:
        with self._lock:
            self._inflight.pop(key, None)
