"""Comparisons in one process see only their own configuration: options, disk store, budget."""

from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from _build import interaction, openapi3, pact, response3
from crosscontract.engine import Comparator, EngineConfig, Options, Pact, parse_pact
from crosscontract.engine.schema.compiled import ValidatorCache
from crosscontract.engine.schema.diskstore import DiskStore

PATHS = 6
SPEC = openapi3(
    {
        f"/r{n}": {
            "get": {
                "responses": {
                    "200": response3(
                        {
                            "type": "object",
                            "required": ["id"],
                            "properties": {
                                "id": {"type": "integer"},
                                "name": {"type": "string", "maxLength": n},
                            },
                        }
                    )
                }
            }
        }
        for n in range(PATHS)
    }
)
JSON = {"Content-Type": "application/json"}


def _body(i: int) -> dict[str, Any]:
    body: dict[str, Any] = {"id": "one" if i % 7 == 0 else i}
    if i % 3 == 0:
        body["extra"] = True  # undeclared: a finding unless additional properties are allowed
    return body


PACT = parse_pact(
    pact(
        *(
            interaction(path=f"/r{i % PATHS}", response_headers=JSON, response_body=_body(i))
            for i in range(600)
        )
    ),
    "pact.json",
)

Outcome = list[list[tuple[str, str]]]


def _outcome(comparator: Comparator, pact_: Pact) -> Outcome:
    report = comparator.check_pact(pact_)
    return [[(f.code.code, f.message) for f in result.findings] for result in report.results]


def _entries(folder: Path) -> dict[str, set[str]]:
    return {kind.name: {entry.name for entry in kind.glob("*/*")} for kind in folder.iterdir()}


def _configs(folder: Path) -> tuple[EngineConfig, EngineConfig]:
    # Every schema compiled at its first use, so that both runs write checks to their stores.
    closed = EngineConfig(Options(), DiskStore(folder / "closed"), ValidatorCache(compile_after=1))
    open_ = EngineConfig(
        Options(additional_properties_in_response=True),
        DiskStore(folder / "open"),
        ValidatorCache(compile_after=1),
    )
    return closed, open_


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Threads take turns every few microseconds, so the two runs interleave finely."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("busy_switching")
def test_two_comparators_in_two_threads_each_get_their_own_result(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    alone = [_outcome(Comparator(spec, config), PACT) for config in _configs(tmp_path / "alone")]
    assert alone[0] != alone[1]
    assert sum(map(len, alone[0])) > sum(map(len, alone[1])) > 0

    configs = _configs(tmp_path / "together")
    start = threading.Barrier(len(configs))
    outcomes: dict[int, Outcome] = {}
    failures: list[BaseException] = []

    def check(slot: int, config: EngineConfig) -> None:
        try:
            start.wait(timeout=30)
            outcomes[slot] = _outcome(Comparator(spec, config), PACT)  # the spec is read in the thread too
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=check, args=(slot, config)) for slot, config in enumerate(configs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert [outcomes[0], outcomes[1]] == alone

    together = [_entries(tmp_path / "together" / name) for name in ("closed", "open")]
    assert together == [_entries(tmp_path / "alone" / name) for name in ("closed", "open")]
    assert all(len(entries["checks"]) == PATHS for entries in together)
    assert not together[0]["checks"] & together[1]["checks"]  # open and closed schemas differ
    assert all(len(entries["documents"]) == 1 for entries in together)


def _interaction_on(path: str) -> Any:
    return parse_pact(pact(interaction(path=path, response_headers=JSON, response_body={"id": 1})), "p.json")


def test_a_new_comparator_reuses_what_an_earlier_one_compiled(tmp_path: Path, compiles: list[Any]) -> None:
    config = EngineConfig(store=DiskStore(tmp_path), validators=ValidatorCache(compile_after=1))
    Comparator(SPEC, config).check_pact(_interaction_on("/r0"))
    assert len(compiles) == 1
    later = Comparator(SPEC, config)  # as a long-running process would build for its next job
    later.check_pact(_interaction_on("/r0"))
    assert len(compiles) == 1  # compiled by the first comparator, kept in the configuration's memo
    later.check_pact(_interaction_on("/r1"))
    assert len(compiles) == 2


def test_a_compile_in_one_thread_raises_no_warning_in_another() -> None:
    from crosscontract.engine.schema import fastpath

    inside, warned = threading.Event(), threading.Event()
    raised: list[BaseException] = []

    def compiling() -> None:
        try:
            with fastpath._refusing_warnings():
                inside.set()
                warned.wait(timeout=30)
        except BaseException as error:
            raised.append(error)

    thread = threading.Thread(target=compiling)
    thread.start()
    assert inside.wait(timeout=30)
    try:
        # The warning filters are the compiling thread's now: they record, they do not raise.
        warnings.warn("from another comparison", UserWarning, stacklevel=1)
    finally:
        warned.set()
        thread.join(timeout=30)
    assert [type(e).__name__ for e in raised] == ["UnsupportedError"]  # refused, safely
