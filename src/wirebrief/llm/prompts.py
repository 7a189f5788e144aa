"""Prompts are versioned files in ``prompts/``: YAML front matter + a sandboxed Jinja body.

A file has two sections, ``## system`` and ``## user``; each is rendered on its own.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import frontmatter
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from wirebrief.errors import ConfigError, PromptNotFound
from wirebrief.text.redact import shorten

_INSTALLED = Path(__file__).resolve().parents[1] / "prompt_files"
DEFAULT_DIR = _INSTALLED if _INSTALLED.is_dir() else Path(__file__).resolve().parents[3] / "prompts"
"""The prompts shipped in the wheel, or in a source checkout (editable install) the project's prompts/."""
_SECTION = re.compile(r"^## (system|user)\s*$", re.MULTILINE)
_ENV = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False)


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    description: str
    system: str
    user: str
    hash: str
    """sha256 of the whole file, first 16 hex digits: recorded in every brief and cache key."""
    path: Path

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """Chat messages for these variables."""
        return [
            {"role": "system", "content": _ENV.from_string(self.system).render(**variables).strip()},
            {"role": "user", "content": _ENV.from_string(self.user).render(**variables).strip()},
        ]


def prompts_dir(configured: Path | None = None) -> Path:
    return configured or DEFAULT_DIR


def load_prompt(prompt_id: str, directory: Path | None = None) -> Prompt:
    """The prompt ``prompt_id`` from ``directory`` (default: the project's prompts/)."""
    try:
        path = _path(prompt_id, directory)
        st = os.stat(path)
    except FileNotFoundError:
        raise PromptNotFound(f"no prompt {shorten(prompt_id)!r}") from None  # the folder's path stays private
    return _parse(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _path(prompt_id: str, directory: Path | None) -> Path:
    """Where a prompt id lives; only plain names (no path tricks). Looked up on every request, so kept."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", prompt_id):
        raise FileNotFoundError(prompt_id)
    return prompts_dir(directory) / f"{prompt_id}.md"


@lru_cache(maxsize=64)
def _parse(path: Path, mtime_ns: int, size: int) -> Prompt:
    """Parsed once per version of the file (an edit changes mtime or size, so it is read again)."""
    content = path.read_bytes()
    post = frontmatter.loads(content.decode("utf-8"))
    parts = _SECTION.split(post.content)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(sections) != {"system", "user"}:
        raise ConfigError(f"prompt {path.name} needs a '## system' and a '## user' section")
    return Prompt(
        id=str(post.get("id", path.stem)),
        version=str(post.get("version", "0")),
        description=str(post.get("description", "")),
        system=sections["system"].strip(),
        user=sections["user"].strip(),
        hash=hashlib.sha256(content).hexdigest()[:16],
        path=path,
    )


def list_prompts(directory: Path | None = None) -> list[Prompt]:
    return [load_prompt(p.stem, directory) for p in sorted(prompts_dir(directory).glob("*.md"))]
