"""ruff and mypy stay clean: strict mypy for the engine and the CLI, checked bodies for the tests."""

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


# The tests are type-checked as well, without having to annotate every test function: bodies
# are checked (`check_untyped_defs`) and what a test returns or calls need not be typed.
TESTS_MYPY_FLAGS = [
    "--check-untyped-defs",
    "--allow-untyped-defs",
    "--allow-incomplete-defs",
    "--allow-untyped-calls",
    "--allow-untyped-decorators",
    "--allow-any-generics",
    "--no-warn-return-any",
    "--follow-imports=silent",  # the engine and the CLI are checked strictly above
]


def _mypy(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The folders install as `crosscontract.engine` / `crosscontract.cli`; mypy needs that
    # package layout to follow the imports, so check a linked copy of it.
    package = tmp_path / "crosscontract"
    package.mkdir()
    (package / "engine").symlink_to(ROOT / "engine")
    (package / "cli").symlink_to(ROOT / "cli")
    return subprocess.run(
        [
            _tool("mypy"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            *args,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(tmp_path), "PATH": ""},
    )


def test_mypy_strict_is_clean(tmp_path: Path) -> None:
    done = _mypy(tmp_path, "-p", "crosscontract.engine", "-p", "crosscontract.cli")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_checks_the_tests(tmp_path: Path) -> None:
    done = _mypy(tmp_path, *TESTS_MYPY_FLAGS, str(ROOT / "tests"))
    assert done.returncode == 0, done.stdout + done.stderr
