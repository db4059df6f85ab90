"""The engine and CLI stay ruff- and mypy-clean (strict), as the project promises."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_ruff_is_clean() -> None:
    done = subprocess.run(
        [_tool("ruff"), "check", "engine", "cli", "tests"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean(tmp_path: Path) -> None:
    # The folders install as `crosscontract.engine` / `crosscontract.cli`; mypy needs that
    # package layout to follow the CLI's imports, so check a linked copy of it.
    package = tmp_path / "crosscontract"
    package.mkdir()
    (package / "engine").symlink_to(ROOT / "engine")
    (package / "cli").symlink_to(ROOT / "cli")
    done = subprocess.run(
        [
            _tool("mypy"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "-p",
            "crosscontract.engine",
            "-p",
            "crosscontract.cli",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(tmp_path), "PATH": ""},
    )
    assert done.returncode == 0, done.stdout + done.stderr
