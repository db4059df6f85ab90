"""The service stays ruff- and mypy-clean (strict), like the engine and the CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

from test_quality import ROOT, _tool


def test_ruff_is_clean_on_the_service() -> None:
    done = subprocess.run([_tool("ruff"), "check", "service"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean_on_the_service(tmp_path: Path) -> None:
    package = tmp_path / "crosscontract"
    package.mkdir()
    for part in ("engine", "cli", "service"):
        (package / part).symlink_to(ROOT / part)
    done = subprocess.run(
        [
            _tool("mypy"), "--config-file", str(ROOT / "pyproject.toml"),
            "--cache-dir", str(ROOT / ".mypy_cache"), "-p", "crosscontract.service",
        ],
        cwd=tmp_path, capture_output=True, text=True, env={"MYPYPATH": str(tmp_path), "PATH": ""},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
