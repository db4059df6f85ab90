"""Benchmark inputs: the workloads in `../shared/bench`, next to the repository.

Every benchmark is skipped when that folder (or the file it needs) is absent, so a
checkout without the shared workloads still runs `pytest benchmarks/` cleanly.
"""

from __future__ import annotations

import copy
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crosscontract.engine import Pact, Spec, load_spec, read_pact
from crosscontract.engine.schema.compiled import CompileRun
from crosscontract.engine.schema.dialect import Converter, response_policy

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
CLOSED = response_policy(additional_properties=False, required_properties=False)
"""The default response policy: the schemas the CLI compiles."""


@pytest.fixture(autouse=True, scope="session")
def _session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default disk store (`EngineConfig()`) is a folder of this session, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("cache")
        patch.setenv("CROSSCONTRACT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def jsonschema_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validators never get a fast check: neither compiled in the run nor from memory or disk."""

    def never(self: CompileRun, schema: Any, draft2020: bool, needed: bool) -> tuple[None, bool]:
        return None, True  # settled: this schema has no fast check

    monkeypatch.setattr(CompileRun, "fast_check", never)


def workload(*parts: str) -> Path:
    """A file of the shared workloads, or skip the benchmark."""
    path = BENCH.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"benchmark workload {path} is absent")
    return path


@pytest.fixture(scope="session")
def petstore_path() -> Path:
    return workload("petstore3.yaml")


@pytest.fixture(scope="session")
def github_path() -> Path:
    return workload("github", "api.github.com.json")


@pytest.fixture(scope="session")
def petstore(petstore_path: Path) -> Spec:
    return load_spec(petstore_path)


@pytest.fixture(scope="session")
def github(github_path: Path) -> Spec:
    return load_spec(github_path)


@pytest.fixture(scope="session")
def pact_1000() -> Pact:
    return read_pact(workload("pact-1000.json"))


def component_bundle(spec: Spec, name: str) -> Any:
    """`components/schemas/<name>` converted as a response body, as the CLI does."""
    return Converter(spec).bundle(spec.at(spec.root(), "components", "schemas", name), CLOSED)


@pytest.fixture(scope="session")
def pet_bundle(petstore: Spec) -> Any:
    return component_bundle(petstore, "Pet")


@pytest.fixture(scope="session")
def pet() -> Any:
    return {
        "id": 10,
        "name": "doggie",
        "category": {"id": 1, "name": "Dogs"},
        "photoUrls": ["https://example.com/dog.png"],
        "tags": [{"id": 1, "name": "good"}],
        "status": "available",
    }


@pytest.fixture(scope="session")
def repository_bundle(github: Spec) -> Any:
    return component_bundle(github, "full-repository")


@pytest.fixture(scope="session")
def repository(github: Spec) -> Any:
    """GitHub's own `full-repository` example (24 kB), minus the two fields its schema lacks."""
    value = copy.deepcopy(github.document["components"]["examples"]["full-repository"]["value"])
    for nested in ("template_repository", "parent", "source"):
        for undeclared in ("subscribers_count", "network_count"):
            value[nested].pop(undeclared, None)
    return value


@pytest.fixture(scope="session")
def cli() -> list[str]:
    """The installed `crosscontract` command of this interpreter's environment."""
    found = shutil.which("crosscontract", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the crosscontract command is not installed next to this Python")
    return [found]
