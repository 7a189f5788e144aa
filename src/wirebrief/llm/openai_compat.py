"""Any OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, llama_cpp.server, xllamacpp's server."""

from __future__ import annotations

from typing import Any

import openai
from openai.types.chat import ChatCompletion

from wirebrief.errors import BackendError, ConfigError
from wirebrief.llm.base import ModelIdentity, TransientBackendError
from wirebrief.settings import Settings


class OpenAIBackend:
    def __init__(self, settings: Settings, http_client: Any = None) -> None:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        if key is None and settings.openai_base_url is None:
            raise ConfigError(
                "the openai backend needs an API key",
                hint="set WIREBRIEF_OPENAI_API_KEY, or WIREBRIEF_OPENAI_BASE_URL for a local server",
            )
        self.client = openai.OpenAI(
            base_url=settings.openai_base_url,
            api_key=key or "not-needed",
            max_retries=0,  # the one transport retry loop is ours (tenacity), not the client's
            timeout=settings.request_timeout,
            http_client=http_client,
        )
        self.model = settings.openai_model
        self.identity = ModelIdentity(
            backend="openai", model=self.model, fingerprint=f"{self.client.base_url}|{self.model}"
        )

    loaded = True

    def load(self) -> None:
        return None

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        try:
            completion: ChatCompletion = self.client.chat.completions.create(**{"model": self.model, **request})
            return completion
        except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as exc:
            raise TransientBackendError(f"{type(exc).__name__}: {exc}") from exc
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                raise TransientBackendError(f"HTTP {exc.status_code}: {exc.message}") from exc
            raise BackendError(f"the endpoint refused the request (HTTP {exc.status_code}): {exc.message}") from exc
