"""llama.cpp's OpenAI-compatible server (`wirebrief serve-model`) on 127.0.0.1 with the packaged model, used
through WIREBRIEF_BACKEND=openai in json_schema mode, against the embedded backend on the same seed.

Figures come from code (numbers.py, labels.py), never from the model, so they must be identical. The prose may
differ: the embedded backend constrains the answer with a compact llguidance grammar (no whitespace between
JSON tokens), the server with the grammar it derives from the JSON schema (whitespace allowed, string lengths
bounded its own way), so after the first tokens where the two grammars allow different tokens, greedy decoding
can take another path."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.conftest import seed_text
from tests.redis_server import free_port

from wirebrief.llm.model_server import model_alias
from wirebrief.llm.model_store import PACKAGED_MODEL
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings

pytestmark = pytest.mark.model
SEED = "001"


@pytest.fixture(scope="module")
def model_server() -> Iterator[str]:
    """`wirebrief serve-model` in a process of its own; yields its base URL (…/v1). Stopped with SIGTERM."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wirebrief.cli", "serve-model", "--port", str(port)],
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else "serve-model ended"
            assert time.monotonic() < deadline, "serve-model did not answer within 120 s"
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        yield f"{url}/v1"
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0


def via_server(url: str, tmp_path: Path) -> Settings:
    return Settings(backend="openai", openai_base_url=url, openai_model=model_alias(Path(PACKAGED_MODEL)),
                    openai_mode="json_schema", cache_dir=tmp_path / "cache", _env_file=None)  # type: ignore[call-arg]


def test_server_and_embedded_give_the_same_figures(model_server: str, tmp_path: Path) -> None:
    text = seed_text(SEED)
    served = build_pipeline(via_server(model_server, tmp_path).model_copy(update={"labels": "rules"})).summarize(text)
    embedded_settings = Settings(cache_dir=tmp_path / "cache", _env_file=None)  # type: ignore[call-arg]
    embedded = build_pipeline(embedded_settings).summarize(text)

    assert served.meta.backend == "openai" and embedded.meta.backend == "embedded"
    assert served.meta.cache_key != embedded.meta.cache_key  # the backend is part of the key
    assert served.figures and served.figures == embedded.figures
    assert {94, 18, 63} <= {f.value for f in served.figures}
    assert served.headline and served.summary and served.key_points


def test_doctor_passes_against_the_server(model_server: str, tmp_path: Path) -> None:
    env = {**os.environ, "WIREBRIEF_BACKEND": "openai", "WIREBRIEF_OPENAI_BASE_URL": model_server,
           "WIREBRIEF_OPENAI_MODEL": model_alias(Path(PACKAGED_MODEL)), "WIREBRIEF_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "wirebrief.cli", "doctor"], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "mode 'json_schema' accepted" in done.stdout and "ok: answered" in done.stdout
