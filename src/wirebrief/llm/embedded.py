"""The embedded default: llama.cpp in this process (xllamacpp), grammar-constrained JSON output."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from openai.types.chat import ChatCompletion

from wirebrief.errors import BackendError, InputTooLarge
from wirebrief.llm.base import ModelIdentity
from wirebrief.llm.model_store import resolve_model
from wirebrief.settings import Settings

log = logging.getLogger(__name__)


def compact_json_grammar(schema: dict[str, Any]) -> str:
    """An llguidance grammar for ``schema`` that allows no whitespace between JSON tokens.

    By default the model pretty-prints, a token per newline and indent: at ~15 generated tokens/s on two
    cores that is seconds per brief.
    """
    compact = {**schema, "x-guidance": {"whitespace_flexible": False, "key_separator": ":", "item_separator": ","}}
    return "%llguidance {}\nstart: %json " + json.dumps(compact)


class EmbeddedBackend:
    """Loads the GGUF model lazily, once; one call at a time (llama.cpp contexts are not thread-safe)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path, fingerprint = resolve_model(settings.model_path, settings.model_dir)
        self.identity = ModelIdentity(backend="embedded", model=self.path.name, fingerprint=fingerprint)
        self._server: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._server is not None

    def load(self) -> None:
        with self._lock:
            self._load_locked()

    def probe(self) -> str | None:
        return None if self.loaded else "the model is not loaded yet"

    def _load_locked(self) -> None:
        if self._server is not None:
            return
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(self.path)
        params.n_ctx = self.settings.n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = self.settings.n_threads
        params.cpuparams_batch.n_threads = self.settings.n_threads
        params.verbosity = -1
        # llama.cpp keeps the KV state of past prompts in RAM (8 GiB by default) to restore on a similar prompt; no
        # two articles share more than the system prompt, which the slot's own cache keeps, so that store only grew
        # (peak RSS 2.77 GB after 24 articles, and on towards 8 GiB in a batch). Off.
        params.cache_ram_mib = 0
        log.info("loading %s", self.path)
        self._server = xllamacpp.Server(params)

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        request = dict(request)
        request.pop("model", None)
        fmt = request.pop("response_format", None) or {}
        if fmt.get("type") == "json_schema":
            request["grammar"] = compact_json_grammar(fmt["json_schema"]["schema"])
        with self._lock:
            self._load_locked()
            result: dict[str, Any] = self._server.handle_chat_completions(request)
        if "error" in result:
            message = str(result["error"].get("message", result["error"]))
            if "context" in message and ("exceed" in message or "size" in message):
                raise InputTooLarge(f"the article does not fit the model's context: {message}")
            raise BackendError(f"the embedded model failed: {message}")
        return ChatCompletion.model_validate(result)
