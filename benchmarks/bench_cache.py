"""The whole CLI process with the disk cache of compiled checks cold, warm, and off.

Cold: an empty cache folder each round (a YAML spec is parsed and stored; checks are
interpreted). Warm: the folder a previous run filled (the spec is read back as JSON, and
checks compiled by earlier runs are loaded). Off: `--no-cache`. A run whose values all pass
imports neither jsonschema nor fastjsonschema in any of the three.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import workload

WORKLOADS = {
    "petstore-100": (("petstore3.yaml",), ("pact-100.json",), 0),
    "github-5": (("github", "api.github.com.json"), ("github", "github-5.json"), 1),
}


def _run(command: list[str], cache: Path) -> int:
    environment = {**os.environ, "CROSSCONTRACT_CACHE_DIR": str(cache)}
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment, check=False
    )
    return done.returncode


@pytest.mark.parametrize("state", ["cold", "warm", "off"])
@pytest.mark.parametrize("name", WORKLOADS)
def test_cli_cache(benchmark: Any, cli: list[str], tmp_path: Path, name: str, state: str) -> None:
    """Guards: a warm cache no longer saving start-up (the YAML parse) over cold and off."""
    spec, pact, exit_code = WORKLOADS[name]
    command = [*cli, "compare", "--format", "json", str(workload(*spec)), str(workload(*pact))]
    if state == "off":
        command.append("--no-cache")
    rounds = iter(range(10**6))

    def fresh_cache() -> tuple[tuple[list[str], Path], dict[str, Any]]:
        cache = tmp_path / f"cache-{next(rounds) if state == 'cold' else 0}"
        return (command, cache), {}

    if state == "warm":
        assert _run(command, tmp_path / "cache-0") == exit_code
    assert benchmark.pedantic(_run, setup=fresh_cache, rounds=5, iterations=1) == exit_code
