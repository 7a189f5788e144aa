"""Structured output over any :class:`ChatBackend`: two bounded retry loops, one above the other, never nested.

- the transport loop (tenacity) wraps one backend call and retries only :class:`TransientBackendError`,
  capped in attempts *and* total time, with jittered backoff (off in tests);
- instructor's loop re-asks only on validation errors, ``settings.reasks`` times at most.

Every attempt of either loop is counted, and its tokens added, in :class:`CallStats`.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

import instructor
from instructor.core.exceptions import InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
    wait_none,
)

from wirebrief.errors import BackendUnavailable, InvalidModelOutput, OutputTruncated, WirebriefError
from wirebrief.llm.base import ChatBackend, TransientBackendError
from wirebrief.schema import Usage
from wirebrief.settings import Settings

T = TypeVar("T", bound=BaseModel)

_MODES = {"json_schema": instructor.Mode.JSON_SCHEMA, "tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON}


@dataclass
class CallStats:
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    model_ms: float = 0.0
    last_output: str | None = None


_current: contextvars.ContextVar[CallStats] = contextvars.ContextVar("wirebrief_call_stats")


class StructuredLLM:
    def __init__(self, backend: ChatBackend, settings: Settings) -> None:
        self.backend = backend
        self.settings = settings
        mode = _MODES[settings.openai_mode] if backend.identity.backend == "openai" else _MODES["json_schema"]
        self._client = instructor.Instructor(
            client=None, create=instructor.patch(create=self._create, mode=mode), mode=mode
        )

    def _retrying(self) -> Retrying:
        s = self.settings
        return Retrying(
            stop=stop_after_attempt(s.transport_attempts) | stop_after_delay(s.transport_max_seconds),
            wait=wait_exponential_jitter(multiplier=0.5, max=8) if s.backoff else wait_none(),
            retry=retry_if_exception_type(TransientBackendError),
            reraise=True,
        )

    def _create(self, **request: Any) -> ChatCompletion:
        stats = _current.get()
        try:
            for attempt in self._retrying():
                with attempt:
                    stats.attempts += 1
                    started = time.perf_counter()
                    try:
                        completion = self.backend.complete(request)
                    finally:
                        stats.model_ms += (time.perf_counter() - started) * 1000
        except TransientBackendError as exc:
            raise BackendUnavailable(f"the model backend failed: {exc}", attempts=stats.attempts) from exc
        if completion.usage is not None:
            u = stats.usage
            u.prompt_tokens += completion.usage.prompt_tokens
            u.completion_tokens += completion.usage.completion_tokens
            u.total_tokens = u.prompt_tokens + u.completion_tokens
        choice = completion.choices[0]
        stats.last_output = choice.message.content
        if choice.finish_reason == "length":
            raise OutputTruncated(
                f"the answer hit max_tokens={request.get('max_tokens')} before it was complete",
                attempts=stats.attempts,
            )
        return completion

    def generate(
        self, messages: list[dict[str, str]], response_model: type[T], context: dict[str, Any]
    ) -> tuple[T, CallStats]:
        """One structured answer, validated by ``response_model`` with ``context``; stats for every attempt."""
        stats = CallStats()
        token = _current.set(stats)
        try:
            result = self._client.create(
                response_model=response_model,
                messages=messages,  # type: ignore[arg-type]
                max_retries=self.settings.reasks,
                context=context,
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_output_tokens,
            )
            return result, stats
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, WirebriefError):
                raise cause from None
            raise InvalidModelOutput(
                f"the model's answer did not validate after {stats.attempts} attempts: {str(cause)[:300]}",
                attempts=stats.attempts,
                raw_output=stats.last_output,
            ) from exc
        finally:
            _current.reset(token)
