"""Installable anywhere: the wheel carries what wirebrief reads at run time (the prompts), so a replica built
from it briefs an article. The wheel is installed without dependencies into a fresh venv that borrows this
environment's packages (a path entry, not the editable wirebrief), then run as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.model


def _run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False, timeout=600,
                          **kwargs)  # type: ignore[call-overload]


def test_a_wheel_installed_elsewhere_briefs_an_article(tmp_path: Path) -> None:
    built = _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("wirebrief-*.whl"))
    venv = tmp_path / "venv"
    assert _run(getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # dependencies, not wirebrief
    installed = _run(sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel)
    assert installed.returncode == 0, installed.stderr[-2000:]
    env = {**os.environ, "WIREBRIEF_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": ""}
    where = _run(python, "-c", "import wirebrief; print(wirebrief.__file__)", env=env, cwd=tmp_path)
    assert str(site) in where.stdout, where.stdout + where.stderr
    listed = _run(python, "-m", "wirebrief.cli", "prompts", "list", env=env, cwd=tmp_path)
    assert listed.returncode == 0 and "brief" in listed.stdout, listed.stdout + listed.stderr
    brief = _run(python, "-m", "wirebrief.cli", "summarize", "-", input="The council approved 12 new buses.",
                 env=env, cwd=tmp_path)
    assert brief.returncode == 0, brief.stderr[-2000:]
    assert '"raw":"12"' in brief.stdout.replace(" ", "")
