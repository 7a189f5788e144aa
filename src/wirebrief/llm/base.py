"""The one seam to the LLM: an OpenAI-shaped chat request in, a ChatCompletion out.

Three implementations: :class:`~wirebrief.llm.embedded.EmbeddedBackend` (llama.cpp in process),
:class:`~wirebrief.llm.openai_compat.OpenAIBackend` (any OpenAI-compatible endpoint) and
:class:`~wirebrief.llm.fake.FakeBackend` (scripted, for tests). instructor and the transport retries sit
above this seam in :mod:`wirebrief.llm.structured`, identical for all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from openai.types.chat import ChatCompletion


@dataclass(frozen=True)
class ModelIdentity:
    """Who answers; every field is part of the cache key."""

    backend: str
    model: str
    fingerprint: str
    """Hash of the model file, or size+mtime, or the remote model name: anything that changes output."""


class ChatBackend(Protocol):
    identity: ModelIdentity

    @property
    def loaded(self) -> bool:
        """Ready to answer without a load step (remote backends: always)."""
        ...

    def load(self) -> None:
        """Load the model now rather than on the first call (a no-op for remote backends)."""
        ...

    def probe(self) -> str | None:
        """Why the backend cannot answer now (not loaded, unreachable), or None when it can. /readyz asks;
        a remote backend asks its server (briefly, and not more than every few seconds)."""
        ...

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        """Run one chat completion. Raise :class:`TransientBackendError` for what is worth retrying,
        :class:`~wirebrief.errors.BackendTimeout` when the call timed out (not retried)."""
        ...


class TransientBackendError(Exception):
    """Refused or dropped connections, 429 and 5xx: the transport retry loop retries these, nothing else.

    ``retry_after``: the seconds the server asked for (a 429's Retry-After), honoured within the loop's bounds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
