"""Any OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, llama_cpp.server, xllamacpp's server."""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Mapping
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from wirebrief.errors import BackendError, BackendTimeout, ConfigError
from wirebrief.llm.base import ModelIdentity, TransientBackendError
from wirebrief.settings import Settings
from wirebrief.text.redact import redact, register_secret

_PROBE_TIMEOUT = 2.0
_PROBE_EVERY = 5.0
"""Seconds a probe's answer is reused: /readyz polled often does not become load on the model server."""


class OpenAIBackend:
    def __init__(self, settings: Settings, http_client: Any = None) -> None:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        if key is None and settings.openai_base_url is None:
            raise ConfigError(
                "the openai backend needs an API key",
                hint="set WIREBRIEF_OPENAI_API_KEY, or WIREBRIEF_OPENAI_BASE_URL for a local server",
            )
        register_secret(key)  # an endpoint that echoes our key in an error body: masked wherever it goes
        self.client = openai.OpenAI(
            base_url=settings.openai_base_url,
            api_key=key or "not-needed",
            max_retries=0,  # the one transport retry loop is ours (tenacity), not the client's
            timeout=settings.request_timeout,
            http_client=http_client,
        )
        self.timeout = settings.request_timeout
        self.model = settings.openai_model
        self.identity = ModelIdentity(
            backend="openai", model=self.model, fingerprint=f"{self.client.base_url}|{self.model}"
        )
        self._probed: tuple[float, str | None] = (float("-inf"), None)
        self._probe_lock = threading.Lock()

    loaded = True

    def load(self) -> None:
        return None

    def probe(self) -> str | None:
        """Asks the server for its models: any answer but a 5xx or a refused key means it can take requests
        (some servers have no /models and answer 404, which is fine)."""
        with self._probe_lock:
            at, problem = self._probed
            if time.monotonic() - at < _PROBE_EVERY:
                return problem
            try:
                self.client.with_options(timeout=_PROBE_TIMEOUT).models.list()
                problem = None
            except openai.APITimeoutError:
                problem = f"the model endpoint did not answer within {_PROBE_TIMEOUT:.0f} s"
            except openai.APIConnectionError:
                problem = "the model endpoint is unreachable"
            except openai.APIStatusError as exc:
                code = exc.status_code
                problem = f"the model endpoint answers HTTP {code}" if code >= 500 or code in (401, 403) else None
            self._probed = (time.monotonic(), problem)
            return problem

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        try:
            completion: ChatCompletion = self.client.chat.completions.create(**{"model": self.model, **request})
            return completion
        except openai.APITimeoutError as exc:  # before APIConnectionError, its base class: a timeout is not retried
            raise BackendTimeout(f"the model endpoint did not answer within {self.timeout:.0f} s") from exc
        except openai.RateLimitError as exc:
            raise TransientBackendError(f"HTTP 429: {redact(exc.message)}",
                                        retry_after=retry_after(exc.response.headers)) from exc
        except (openai.APIConnectionError, openai.InternalServerError) as exc:
            raise TransientBackendError(f"{type(exc).__name__}: {redact(exc)}") from exc
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                raise TransientBackendError(f"HTTP {exc.status_code}: {redact(exc.message)}",
                                            retry_after=retry_after(exc.response.headers)) from exc
            raise BackendError(f"the endpoint refused the request (HTTP {exc.status_code}): {exc.message}") from exc


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The seconds a response's Retry-After (or OpenAI's retry-after-ms) asks for, if it says."""
    try:
        if "retry-after-ms" in headers:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (ValueError, TypeError, OverflowError):
        return None
