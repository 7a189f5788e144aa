"""Any OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, llama_cpp.server, xllamacpp's server.

A model call has a total deadline (``request_timeout``). The HTTP client's timeout is per read: an endpoint that
trickles its answer a few bytes at a time never trips it, and would hold the model worker for as long as it
likes. So chat completions run as asyncio tasks on one event loop thread (:func:`_event_loop`), each inside
``asyncio.timeout``: cancelled at its deadline wherever it waits (connecting, headers, body), its connection closed.
"""

from __future__ import annotations

import asyncio
import email.utils
import threading
import time
from collections.abc import Mapping
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from wirebrief.errors import BackendError, BackendTimeout, ConfigError, InputTooLarge
from wirebrief.llm.base import ModelIdentity, TransientBackendError
from wirebrief.settings import Settings
from wirebrief.text.redact import guard_logger, public_url, redact, register_secret, register_url_secrets

for _name in ("httpx", "httpx2", "openai._base_client", "httpcore.connection", "httpcore.http11",
              "httpcore2.connection", "httpcore2.http11"):  # they log request URLs, which may carry credentials
    guard_logger(_name)

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
        register_url_secrets(settings.openai_base_url)  # https://user:pass@host/v1?api-key=…: the same
        self.client = openai.OpenAI(
            base_url=settings.openai_base_url,
            api_key=key or "not-needed",
            max_retries=0,  # the one transport retry loop is ours (tenacity), not the client's
            timeout=settings.request_timeout,
            http_client=http_client,
        )
        self.aclient = openai.AsyncOpenAI(  # chat completions: cancellable at their deadline (see the docstring)
            base_url=settings.openai_base_url, api_key=key or "not-needed", max_retries=0,
            timeout=settings.request_timeout,
        )
        self.timeout = settings.request_timeout
        self.model = settings.openai_model
        register_url_secrets(str(self.client.base_url))  # OPENAI_BASE_URL, read by the client when ours is unset
        self.endpoint = public_url(str(self.client.base_url))
        """The endpoint as shown and fingerprinted: scheme, host, port, path, no credentials."""
        self.identity = ModelIdentity(backend="openai", model=self.model, fingerprint=f"{self.endpoint}|{self.model}")
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
        """One chat completion, ended by ``request_timeout`` however slowly the endpoint answers."""
        future = asyncio.run_coroutine_threadsafe(self._create(request), _event_loop())
        try:
            return future.result(timeout=self.timeout + _GRACE)  # the task ends itself; this is a backstop
        except (openai.APITimeoutError, TimeoutError) as exc:  # before APIConnectionError, its base: not retried
            future.cancel()
            raise BackendTimeout(f"the model endpoint did not answer within {self.timeout:g} s") from exc
        except openai.RateLimitError as exc:
            raise TransientBackendError(f"HTTP 429: {redact(exc.message)}",
                                        retry_after=retry_after(exc.response.headers)) from exc
        except (openai.APIConnectionError, openai.InternalServerError) as exc:
            raise TransientBackendError(f"{type(exc).__name__}: {redact(exc)}") from exc
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                raise TransientBackendError(f"HTTP {exc.status_code}: {redact(exc.message)}",
                                            retry_after=retry_after(exc.response.headers)) from exc
            if exc.status_code == 400 and _too_long(exc):  # the pipeline asks again with less of the article
                raise InputTooLarge(f"the article does not fit the model's context: {redact(exc.message)}") from exc
            raise BackendError(f"the endpoint refused the request (HTTP {exc.status_code}): {exc.message}") from exc


    async def _create(self, request: dict[str, Any]) -> ChatCompletion:
        async with asyncio.timeout(self.timeout):
            completion: ChatCompletion = await self.aclient.chat.completions.create(
                **{"model": self.model, **request})
            return completion


_GRACE = 5.0
"""Seconds past the deadline the calling thread waits for the task to end before it gives up on it."""
_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def _event_loop() -> asyncio.AbstractEventLoop:
    """The process's one loop for remote model calls, in a daemon thread started on first use: a thread per
    backend would be a thread per test app, and the async client's connection pool belongs to one loop."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="wirebrief-openai", daemon=True).start()
            _loop = loop
        return _loop


def _too_long(exc: openai.APIStatusError) -> bool:
    """Whether a 400 says the prompt is longer than the model's context: OpenAI's and vLLM's "maximum context
    length is …" (code ``context_length_exceeded``), llama.cpp's "exceeds the available context size"."""
    message = str(exc.message).lower()
    return exc.code == "context_length_exceeded" or ("context" in message and ("length" in message
                                                                               or "exceed" in message))


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
