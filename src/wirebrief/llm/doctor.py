"""What `wirebrief doctor` checks about an OpenAI-compatible endpoint, each check with what to do when it fails.

In order, each only when the one before passed: the endpoint is reachable (``GET /models``), the model wirebrief
will ask for is listed there, and a structured answer in ``WIREBRIEF_OPENAI_MODE`` comes back and validates.
"""

from __future__ import annotations

from dataclasses import dataclass

import openai
from pydantic import BaseModel, Field

from wirebrief.errors import InvalidModelOutput, WirebriefError
from wirebrief.llm.base import ChatBackend
from wirebrief.settings import Settings
from wirebrief.text.redact import redact

_TIMEOUT = 60.0
_START = ("start the server (`wirebrief serve-model`, `ollama serve`, `vllm serve MODEL`, llama.cpp's `llama-server`) "
          "or fix WIREBRIEF_OPENAI_BASE_URL (it ends in /v1)")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


class _Sum(BaseModel):
    """The answer to a small sum."""

    answer: int = Field(description="The sum, as a number.")


def endpoint_checks(settings: Settings) -> list[Check]:
    """Reachable, model listed, structured output accepted; stops at the first failure."""
    from wirebrief.llm.openai_compat import OpenAIBackend

    backend = OpenAIBackend(settings.model_copy(update={"request_timeout": _TIMEOUT}))
    url = backend.endpoint  # without the credentials the URL may carry
    checks = [_reachable(backend.client, url, settings.openai_model)]
    if checks[-1].ok:
        checks.append(_structured(backend, settings))
    return checks


def _reachable(client: openai.OpenAI, url: str, model: str) -> Check:
    try:
        ids = [m.id for m in client.models.list()]
    except openai.APIConnectionError:  # a timeout too
        return Check("endpoint", False, f"{url} does not answer", _START)
    except openai.APIStatusError as exc:
        if exc.status_code in (401, 403):
            return Check("endpoint", False, f"{url} refused the key (HTTP {exc.status_code})",
                         "set WIREBRIEF_OPENAI_API_KEY to a key this endpoint accepts")
        if exc.status_code == 404:  # some servers have no /models: the model cannot be checked, that is all
            return Check("endpoint", True, f"{url} answers (no /models, so the model name is not checked)")
        return Check("endpoint", False, f"{url} answers HTTP {exc.status_code}", "check the server's log")
    if model in ids:
        return Check("endpoint", True, f"{url} answers and lists {model!r}")
    shown = ", ".join(repr(i) for i in ids[:5]) + (" …" if len(ids) > 5 else "")
    return Check("endpoint", False, f"{url} answers but does not list {model!r} (it lists {shown or 'nothing'})",
                 f"set WIREBRIEF_OPENAI_MODEL to one of {shown}" if ids else "load a model into the server")


def _structured(backend: ChatBackend, settings: Settings) -> Check:
    from wirebrief.llm import StructuredLLM

    mode = settings.openai_mode
    llm = StructuredLLM(backend, settings.model_copy(update={"reasks": 0, "transport_attempts": 1,
                                                             "max_output_tokens": 64}))
    messages = [{"role": "user", "content": "What is 2 + 3? Answer in JSON."}]
    try:
        result, _ = llm.generate(messages, _Sum, {})
    except InvalidModelOutput as exc:
        return Check("structured output", False, f"the answer in mode {mode!r} did not validate: {exc.message}",
                     _other_modes(mode, "the endpoint may ignore this kind of request"))
    except WirebriefError as exc:
        refused = "refused the request" in exc.message
        return Check("structured output", False, f"mode {mode!r} failed: {redact(exc.message, 300)}",
                     _other_modes(mode, "the endpoint does not take this kind of request") if refused else
                     exc.hint or "check the server's log")
    return Check("structured output", True, f"mode {mode!r} accepted (2 + 3 = {result.answer})")


def _other_modes(mode: str, why: str) -> str:
    others = [m for m in ("json_schema", "tools", "json") if m != mode]
    return f"{why}: set WIREBRIEF_OPENAI_MODE to {' or '.join(others)}"
