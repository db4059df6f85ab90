"""Shared pytest configuration: the `--update-golden` switch for `test_golden.py`, a disk
store of compiled checks that belongs to the test session, not to the user, the compiled
checks of one run in memory, and the property tests' examples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crosscontract.engine.schema import fastpath
from crosscontract.engine.schema.compiled import CompileRun, ValidatorCache
from hypothesis import settings

# The property tests draw the same examples on every run, so that a run (CI's included) gives
# the verdict the last one gave; `--hypothesis-profile=explore` draws new ones.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")


@pytest.fixture(autouse=True, scope="session")
def _session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default disk store (`EngineConfig()`) is a folder of this session (CLI
    subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("cache")
        patch.setenv("CROSSCONTRACT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def in_memory() -> CompileRun:
    """A run's compiled checks without a disk store (as with `--no-cache`)."""
    return ValidatorCache().start(None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite fixtures/cases/*/expected.json from the engine's current output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are to be rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The schemas compiled to fast checks from now on."""
    calls: list[Any] = []
    real = fastpath.compile_code

    def counting(schema: Any, *, draft2020: bool = False) -> Any:
        calls.append(schema)
        return real(schema, draft2020=draft2020)

    monkeypatch.setattr(fastpath, "compile_code", counting)
    return calls
