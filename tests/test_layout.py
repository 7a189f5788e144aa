"""The layout shows the pipeline: no import circles, no module too long to read, every package in the wheel, and
every module that shapes a brief in the cache key's code fingerprint."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from wirebrief import pipeline

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wirebrief"
MAX_LINES = 500

NOT_SHAPING = {
    "wirebrief.settings": "read by the key's params, not by its code",
    "wirebrief.errors": "what failed, never what a brief says",
    "wirebrief.llm": "the seam: the backend's identity is in the key",
    "wirebrief.llm.base": "the seam's protocol",
    "wirebrief.llm.prompts": "loads prompt files; their content hash is in the key",
    "wirebrief.llm.openai_compat": "a transport; the model's identity is in the key",
    "wirebrief.llm.model_store": "finds the model file; its sha256 is the model's fingerprint",
    "wirebrief.store": "stores briefs, never changes them",
    "wirebrief.store.cache": "stores briefs, never changes them",
    "wirebrief.store.redis_store": "stores briefs, never changes them",
}
"""Modules the pipeline imports that do not change what a brief says, each with why."""


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(name: str) -> bool:
    rel = Path(*name.split("."))
    return (PACKAGE.parent / rel).with_suffix(".py").is_file() or (PACKAGE.parent / rel / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """The wirebrief modules a file imports, at the top or inside a function (a circle either way)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("wirebrief")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wirebrief"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if _exists(sub) else node.module)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module(p): _imports(p) - {_module(p)} for p in PACKAGE.rglob("*.py")}


def test_no_import_circles() -> None:
    graph = _graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*trail[trail.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not circles, "\n".join(" → ".join(c) for c in circles)


def test_no_module_too_long() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_every_package_ships_in_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {_module(p) for p in PACKAGE.rglob("__init__.py")}
    assert on_disk <= listed, on_disk - listed


def test_every_module_that_shapes_a_brief_is_in_the_code_fingerprint() -> None:
    graph = _graph()
    reached, todo = set(), ["wirebrief.pipeline"]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo += [n for n in graph.get(name, ()) if n not in NOT_SHAPING]
    fingerprinted = {_module(p) for p in pipeline.code_files()}
    assert reached - set(NOT_SHAPING) <= fingerprinted, sorted(reached - set(NOT_SHAPING) - fingerprinted)
    assert not set(NOT_SHAPING) & fingerprinted
