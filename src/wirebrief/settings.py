"""The one settings class. Read from the environment (``WIREBRIEF_*``) and ``.env`` at the edge only."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

_CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "wirebrief"


class Settings(BaseSettings):
    """Every knob wirebrief has. Environment variables use the ``WIREBRIEF_`` prefix."""

    model_config = SettingsConfigDict(env_prefix="WIREBRIEF_", env_file=".env", extra="ignore",
                                      hide_input_in_errors=True)  # a wrong value may be a key or a URL with a password

    backend: Literal["embedded", "openai"] = "embedded"
    """Which LLM answers: the in-process GGUF model, or any OpenAI-compatible endpoint."""

    # --- embedded model -------------------------------------------------------------------
    model_path: Path | None = None
    """Your own GGUF file. Unset: the packaged Qwen2.5-Coder-1.5B-Instruct, assembled into model_dir."""
    model_dir: Path = _CACHE_HOME / "models"
    """Where the packaged model is assembled from its PyPI parts (once, ~1.1 GB)."""
    n_ctx: int = Field(default=8192, ge=1024)
    """Context window of the embedded model, in tokens (article + prompt + answer)."""
    n_threads: int = Field(default=max(1, os.cpu_count() or 1), ge=1)
    """CPU threads for the embedded model."""

    # --- OpenAI-compatible endpoint -------------------------------------------------------
    openai_base_url: str | None = None
    """E.g. http://127.0.0.1:11434/v1 for Ollama; unset means api.openai.com."""
    openai_api_key: SecretStr | None = None
    """Key for the endpoint; local servers usually accept any value."""
    openai_model: str = "gpt-4o-mini"
    """Model name sent to the endpoint."""
    openai_mode: Literal["json_schema", "tools", "json"] = "json_schema"
    """How instructor asks for structured output (JSON schema response_format, tool calls, JSON mode)."""

    # --- generation -----------------------------------------------------------------------
    prompt_id: str = "brief"
    """Which prompt in prompts/ to use."""
    prompts_dir: Path | None = None
    """Folder of prompt files; unset means the project's prompts/."""
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_output_tokens: int = Field(default=1024, ge=64)
    """A brief that needs more is a failure (finish_reason=length), never a truncated success."""
    reasks: int = Field(default=1, ge=0, le=2)
    """instructor re-asks after a validation error (numbers not in the article, bad schema)."""

    # --- transport retries (tenacity) -------------------------------------------------------
    transport_attempts: int = Field(default=3, ge=1, le=10)
    transport_max_seconds: float = Field(default=60.0, gt=0)
    """Cap on the total time spent retrying one call; an upstream 429's Retry-After is honoured within it."""
    request_timeout: float = Field(default=300.0, gt=0)
    """Seconds one model call may take (then BackendTimeout, not retried: HTTP 504)."""
    backoff: bool = True
    """Jittered exponential backoff between transport retries; tests turn it off."""

    # --- input and cache ------------------------------------------------------------------
    max_chars: int = Field(default=60_000, ge=100)
    """Longest article accepted, after normalization (a long feature is ~30,000 characters)."""
    max_candidates: int = Field(default=300, ge=1)
    """Most figures listed for one article: a results table keeps its most salient ones, with a warning."""
    prose_reasks: int = Field(default=0, ge=0, le=3)
    """Times the model is asked again when its headline or summary misstates a number. 0: the sentence is dropped
    instead (the headline falls back to the article's first line, the summary to its lede): one model call per
    brief. Each re-ask costs a whole second call."""
    labels: Literal["auto", "rules", "model"] = "auto"
    """Who decides each figure's ``what``: ``rules`` (code, from a parse: fast, offline), ``model`` (one more model
    call per article, the rules' label as its suggestion; each label checked against the text, a refused one keeps
    the rules'), or ``auto``: the model behind the openai backend, the rules for the embedded model (measured: see
    the README)."""
    label_ask: Literal["auto", "all", "unsure"] = "auto"
    """Which figures the model's labelling step is asked about: ``all``, or ``unsure`` (those the rules left without
    a ``what`` or with one word: fewer tokens to read and write, and the rules' longer labels stand), or ``auto``:
    all behind the openai backend, unsure for the embedded model (measured: see the README)."""
    cache_dir: Path = _CACHE_HOME / "cache"
    """diskcache folder for briefs."""
    cache_url: str | None = Field(default=None, pattern=r"^rediss?://")
    """redis://host:port/db: a cache every replica shares (Redis) instead of the diskcache folder."""
    cache_ttl: float | None = Field(default=None, gt=0)
    """Seconds a cached brief is kept (unset: until the size bound pushes it out)."""
    cache_max_bytes: int = Field(default=2**31, ge=1_000_000)
    """Size bound of the cache; past it the oldest briefs go (diskcache: least recently used)."""
    cache_lock_timeout: float = Field(default=60.0, gt=0)
    """With Redis: the longest a replica waits for a brief another replica is computing before computing it itself.
    (The lock itself lives 10 s, renewed while its holder computes: a replica that died frees it within 10 s.)"""
    cache_enabled: bool = True
    """Off: no cache at all. A cache folder that cannot be used (read-only, corrupt, full) is not an error:
    briefs are then made uncached, with a warning, and /readyz reports it."""
    batch_deadline: float | None = Field(default=None, gt=0)
    """Seconds a `summarize` run over many articles may take; articles not started by then are left for the
    next run of the same command (unset: no deadline)."""

    # --- HTTP API -------------------------------------------------------------------------
    api_keys: str | None = None
    """Comma-separated keys; when set, every /v1 call needs `Authorization: Bearer <key>`."""
    rate_limit_per_minute: int = Field(default=120, ge=1)
    """Requests per minute per API key (a token bucket with this burst)."""
    queue_capacity: int = Field(default=4, ge=1)
    """Articles that may wait for the model; one more is refused with 503 + Retry-After."""
    api_timeout: float = Field(default=300.0, gt=0)
    """Seconds a request (a whole POST /v1/briefs:batch too) waits for its briefs before 504; the brief is still
    made, in the background when the model is free, and cached (even with no_cache)."""
    batch_max: int = Field(default=20, ge=1)
    """Articles in one POST /v1/briefs:batch."""
    max_body_bytes: int = Field(default=1_000_000, ge=1000)
    """Largest request body accepted (413 beyond, declared or streamed)."""
    body_timeout: float = Field(default=30.0, gt=0)
    """Seconds a client may take to send a request body (408 beyond): a slow sender cannot hold a connection."""
    header_timeout: float = Field(default=10.0, gt=0)
    """Seconds a connection may take to send a request's headers, from its start or the end of the previous response
    (`wirebrief serve`; then 408 and closed): idle and slow-header connections do not stay open."""
    keep_alive_timeout: int = Field(default=5, ge=1)
    """Seconds an idle keep-alive connection stays open between requests (`wirebrief serve`)."""
    max_connections: int = Field(default=200, ge=1)
    """Open client connections (`wirebrief serve`, per worker, at most half the open-file limit): at the bound the
    oldest idle one is closed to make room; if none is idle, a new one gets 503."""

    def api_key_list(self) -> list[str]:
        return [k.strip() for k in (self.api_keys or "").split(",") if k.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
