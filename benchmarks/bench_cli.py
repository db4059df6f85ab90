"""The whole CLI process: interpreter start, imports, spec load, comparison, JSON report."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import workload


def _run(command: list[str]) -> int:
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return done.returncode


def test_cli_petstore_100(benchmark: Any, cli: list[str]) -> None:
    """Guards: the fixed cost of a small run (imports, YAML load, first compiles) growing."""
    spec, pact = workload("petstore3.yaml"), workload("pact-100.json")
    command = [*cli, "compare", "--format", "json", str(spec), str(pact)]
    assert benchmark.pedantic(_run, args=(command,), rounds=3, iterations=1) == 0


def test_cli_github_5(benchmark: Any, cli: list[str]) -> None:
    """Guards: a one-shot run on a 13 MB spec paying for work it does not need (eager compiles)."""
    spec = workload("github", "api.github.com.json")
    command = [*cli, "compare", "--format", "json", str(spec), str(workload("github", "github-5.json"))]
    assert benchmark.pedantic(_run, args=(command,), rounds=3, iterations=1) == 1


@pytest.fixture(scope="module")
def eight_pacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of eight copies of `pact-1000.json`."""
    folder = tmp_path_factory.mktemp("pacts")
    source = workload("pact-1000.json").read_bytes()
    for n in range(8):
        (folder / f"pact-{n}.json").write_bytes(source)
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_cli_jobs(benchmark: Any, cli: list[str], eight_pacts: Path, jobs: int) -> None:
    """Guards: `--jobs` costing more than it spreads (worker start, results sent back)."""
    spec = workload("petstore3.yaml")
    command = [*cli, "compare", "--format", "json", "--jobs", str(jobs), str(spec), str(eight_pacts)]
    assert benchmark.pedantic(_run, args=(command,), rounds=3, iterations=1) == 0
