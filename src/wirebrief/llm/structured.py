"""Structured output over any :class:`ChatBackend`: two bounded retry loops, one above the other, never nested.

- the transport loop (tenacity) wraps one backend call and retries only :class:`TransientBackendError`,
  capped in attempts *and* total time, with jittered backoff (off in tests) or the wait a 429's Retry-After
  asks for (when it fits in the time cap; else the loop gives up at once and passes the wait on);
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
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
    wait_none,
)
from tenacity.wait import wait_base

from wirebrief.brief.schema import Usage
from wirebrief.errors import BackendError, BackendUnavailable, InvalidModelOutput, OutputTruncated, WirebriefError
from wirebrief.llm.base import ChatBackend, TransientBackendError
from wirebrief.settings import Settings
from wirebrief.text.redact import guard_logger

guard_logger("instructor.v2.retry")  # it logs each failed attempt's error, raw model output included

T = TypeVar("T", bound=BaseModel)

_MODES = {"json_schema": instructor.Mode.JSON_SCHEMA, "tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON}


@dataclass
class CallStats:
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    model_ms: float = 0.0
    last_output: str | None = None

    def add(self, other: CallStats) -> None:
        """Another call's cost (the labelling step's) counted in this brief's."""
        self.attempts += other.attempts
        self.model_ms += other.model_ms
        self.usage.prompt_tokens += other.usage.prompt_tokens
        self.usage.completion_tokens += other.usage.completion_tokens
        self.usage.total_tokens = self.usage.prompt_tokens + self.usage.completion_tokens


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
        backoff = wait_exponential_jitter(multiplier=0.5, max=8) if s.backoff else wait_none()
        return Retrying(
            # stop_before_delay: no retry whose wait would end past the cap (a long Retry-After gives up at once)
            stop=stop_after_attempt(s.transport_attempts) | stop_before_delay(s.transport_max_seconds),
            wait=_RetryAfter(backoff),
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
            raise BackendUnavailable(f"the model backend failed: {exc}", attempts=stats.attempts,
                                     retry_after=exc.retry_after) from exc
        except BackendError as exc:
            exc.attempts = stats.attempts
            raise
        except WirebriefError:
            raise
        except Exception as exc:  # noqa: BLE001 - a backend's bug or an unreadable answer: a backend failure,
            raise BackendError(  # never "did not validate"
                f"the model backend failed: {type(exc).__name__}: {exc}", attempts=stats.attempts) from exc
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
        self, messages: list[dict[str, str]], response_model: type[T], context: dict[str, Any],
        max_tokens: int | None = None,
    ) -> tuple[T, CallStats]:
        """One structured answer, validated by ``response_model`` with ``context``; stats for every attempt.
        ``max_tokens`` caps this answer below the setting (the labelling step's is sized by its figures)."""
        stats = CallStats()
        token = _current.set(stats)
        try:
            result = self._client.create(
                response_model=response_model,
                messages=messages,  # type: ignore[arg-type]
                max_retries=self.settings.reasks,
                context=context,
                temperature=self.settings.temperature,
                max_tokens=min(max_tokens or self.settings.max_output_tokens, self.settings.max_output_tokens),
            )
            return result, stats
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, WirebriefError):
                raise cause from None
            if not isinstance(cause, ValidationError | ValueError):  # ValueError: JSON that does not parse
                raise BackendError(f"the model call failed: {type(cause).__name__}: {cause}",
                                   attempts=stats.attempts) from exc
            raise InvalidModelOutput(
                f"the model's answer did not validate after {stats.attempts} attempts: {str(cause)[:300]}",
                attempts=stats.attempts,
                raw_output=stats.last_output,
            ) from exc
        finally:
            _current.reset(token)


class _RetryAfter(wait_base):
    """The wait the server asked for (bounded by the stop condition), else ``backoff``."""

    def __init__(self, backoff: wait_base) -> None:
        self.backoff = backoff

    def __call__(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome is not None else None
        asked = getattr(exc, "retry_after", None)
        return float(asked) if asked is not None else self.backoff(retry_state)
