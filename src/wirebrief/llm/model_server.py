"""llama.cpp's OpenAI-compatible HTTP server with the packaged model, for `wirebrief serve-model`.

One model process shared by several API workers and CLIs on a host: they use it as any other endpoint
(``WIREBRIEF_BACKEND=openai``, ``WIREBRIEF_OPENAI_BASE_URL=<url>/v1``). xllamacpp's ``Server`` starts the HTTP
server when it is built; ``CommonParams.hostnames`` and ``port`` say where it listens, ``listening_address``
where it does, and ``model_alias`` the id it lists at ``/v1/models``. The server answers ``response_format``
``json_schema`` requests with a grammar made from the schema, so wirebrief's ``json_schema`` mode works as is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirebrief.llm.model_store import resolve_model
from wirebrief.settings import Settings

log = logging.getLogger(__name__)


def model_alias(path: Path) -> str:
    """The id the server lists for the model: the file's name without ``.gguf``."""
    return path.name.removesuffix(".gguf")


@dataclass
class ModelServer:
    """A running llama.cpp server. It stops when this object (its ``Server``) is freed, or with the process."""

    server: Any
    alias: str
    address: str
    """``http://host:port``, as the server reports it."""

    @property
    def base_url(self) -> str:
        """What ``WIREBRIEF_OPENAI_BASE_URL`` should be."""
        return f"{self.address}/v1"


def start_model_server(settings: Settings, host: str = "127.0.0.1", port: int = 8080, parallel: int = 1,
                       api_key: str | None = None) -> ModelServer:
    """Load the model (``WIREBRIEF_MODEL_PATH`` or the packaged one) and serve it on ``host:port``.

    ``parallel`` slots share the context window (``WIREBRIEF_N_CTX`` tokens in all): with 2 slots each article
    may use half of it. Blocks until the model is loaded and the server listens."""
    import xllamacpp

    path, _ = resolve_model(settings.model_path, settings.model_dir)
    alias = model_alias(path)
    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.model_alias = {alias}
    params.n_ctx = settings.n_ctx
    params.n_parallel = parallel
    params.cpuparams.n_threads = settings.n_threads
    params.cpuparams_batch.n_threads = settings.n_threads
    params.hostnames = [host]
    params.port = port
    params.verbosity = -1
    params.cache_ram_mib = 0  # no RAM store of past prompts: articles share only the system prompt (see embedded.py)
    if api_key:
        params.api_keys = [api_key]
    log.info("loading %s", path)
    server = xllamacpp.Server(params)
    return ModelServer(server=server, alias=alias, address=str(server.listening_address))
