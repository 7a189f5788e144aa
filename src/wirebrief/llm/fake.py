"""A scripted backend for tests: no model, no network, the real instructor path above it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

from openai.types.chat import ChatCompletion

from wirebrief.llm.base import ModelIdentity

Reply = str | dict[str, Any] | Exception | Callable[[dict[str, Any]], "str | dict[str, Any]"]


class FakeBackend:
    """Answers each call with the next scripted reply; the last reply repeats.

    A reply is the JSON content (str or dict), a function of the request, or an exception to raise.
    ``finish_reason`` and ``delay`` shape the completions; ``requests`` records what was asked.
    """

    def __init__(
        self, replies: Iterable[Reply], *, finish_reason: str = "stop", delay: float = 0.0, model: str = "fake"
    ) -> None:
        self.replies = list(replies)
        self.finish_reason = finish_reason
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.identity = ModelIdentity(backend="fake", model=model, fingerprint=model)

    loaded = True
    problem: str | None = None
    """What :meth:`probe` reports; a test sets it to play an unreachable backend."""

    def load(self) -> None:
        return None

    def probe(self) -> str | None:
        return self.problem

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if self.delay:
            time.sleep(self.delay)
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            reply = reply(request)
        content = reply if isinstance(reply, str) else json.dumps(reply)
        return ChatCompletion.model_validate(
            {
                "id": f"fake-{len(self.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": self.identity.model,
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": self.finish_reason,
                        "message": {"role": "assistant", "content": content},
                    }
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
            }
        )


# --- scripted replies for the brief prompt: tests and benchmarks share them ---------------------------


def brief_reply(summary: str = "A short summary.", headline: str = "A headline") -> Any:
    """A fake reply for the brief prompt: headline and summary only (figures, labels and key points come from
    code)."""

    def reply(request: dict[str, Any]) -> dict[str, Any]:
        return {"headline": headline, "summary": summary}

    return reply
