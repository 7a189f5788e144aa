"""The LLM seam and what sits on it. :func:`make_backend` picks the implementation from settings."""

from __future__ import annotations

from wirebrief.llm.base import ChatBackend, ModelIdentity, TransientBackendError
from wirebrief.llm.structured import CallStats, StructuredLLM
from wirebrief.settings import Settings

__all__ = ["CallStats", "ChatBackend", "ModelIdentity", "StructuredLLM", "TransientBackendError", "make_backend"]


def make_backend(settings: Settings) -> ChatBackend:
    """The backend the settings name. The embedded model is resolved (not loaded) here."""
    if settings.backend == "openai":
        from wirebrief.llm.openai_compat import OpenAIBackend

        return OpenAIBackend(settings)
    from wirebrief.llm.embedded import EmbeddedBackend

    return EmbeddedBackend(settings)
