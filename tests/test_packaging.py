"""What a release carries: the wheel installs the packages and their metadata, the sdist its tests.

Both are built from this checkout by setuptools' own build backend, in-process and without
fetching anything, as `pip wheel` and `python -m build` would build them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from _imports import ROOT
from setuptools import build_meta

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _build(kind: str, out: Path) -> Path:
    """Build the `sdist` or `wheel` into `out` (in a child process: setuptools writes to the tree)."""
    program = (
        f"import sys; from {build_meta.__name__} import build_{kind} as build; print(build(sys.argv[1]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=True,
    )
    return out / done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    return zipfile.ZipFile(_build("wheel", tmp_path_factory.mktemp("wheel")))


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    with tarfile.open(_build("sdist", tmp_path_factory.mktemp("sdist"))) as archive:
        return [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]


def test_the_wheel_installs_the_three_packages_and_nothing_named_engine(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/", 1)[0] for name in wheel.namelist() if not name.endswith(".dist-info/")}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"crosscontract"}
    names = set(wheel.namelist())
    for module in ("engine/__init__.py", "cli/main.py", "service/__init__.py", "__main__.py"):
        assert f"crosscontract/{module}" in names
    assert not any(n.startswith("crosscontract/cli/launch/") for n in names)


def test_the_wheel_says_its_license_as_an_spdx_expression_and_ships_the_text(wheel: zipfile.ZipFile) -> None:
    info = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    metadata = Parser().parsestr(wheel.read(info).decode())
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel.namelist())
    assert {url.split(",", 1)[0] for url in metadata.get_all("Project-URL") or []} >= {
        "Homepage",
        "Documentation",
    }


def test_the_sdist_carries_the_tests_with_their_helpers_and_fixtures(sdist: list[str]) -> None:
    for needed in (
        "LICENSE",
        "tests/conftest.py",
        "tests/_build.py",
        "tests/_imports.py",
        "fixtures/example/openapi.yaml",
        "benchmarks/conftest.py",
    ):
        assert needed in sdist, needed
    case = next(n for n in sdist if n.startswith("fixtures/cases/") and n.endswith("expected.json"))
    assert case
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in sdist)


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crosscontract", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("crosscontract, version ")
