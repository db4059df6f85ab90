"""An interaction keeps its identity (broker `_id`, v4 `key`) however its pact is read and checked.

A Pact Broker adds `_id` to each interaction of a pact it serves and matches the
`interactionId` of a published verification result against it; v4 pacts carry a `key`.
A pact read whole, streamed, or checked by `--jobs` workers must publish the same ones.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from _build import get3, interaction, pact
from crosscontract.cli.parallel import compare as parallel_compare
from crosscontract.engine import InteractionResult, Options, Report, compare, load_spec
from crosscontract.engine.broker.payloads import verification_result
from crosscontract.engine.pact import reader
from crosscontract.engine.pact.model import InteractionRef

SPEC = get3("/pets", responses={"200": {"description": "ok"}})


def _with(raw: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**raw, **extra}


def _v4_http(key: str, path: str) -> dict[str, Any]:
    return {
        "type": "Synchronous/HTTP",
        "key": key,
        "_id": f"broker-{key}",
        "description": f"v4 {path}",
        "request": {"method": "GET", "path": path},
        "response": {"status": 200},
    }


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    v2 = pact(
        _with(interaction(path="/pets", description="known"), _id="0f3a9c"),
        _with(interaction(path="/unknown", description="unknown path"), _id="7b21de"),
        interaction(path="/pets", description="no id"),
    )
    v4 = pact(
        {"type": "Asynchronous/Messages", "description": "an event", "contents": {}},
        _v4_http("a1b2", "/pets"),
        _v4_http("c3d4", "/nowhere"),
        version="4.0",
    )
    written = []
    for name, document in (("v2.json", v2), ("v4.json", v4)):
        path = tmp_path / name
        path.write_text(json.dumps(document))
        written.append(path)
    return written


EXPECTED = [
    [(0, "0f3a9c", None, True), (1, "7b21de", None, False), (2, None, None, True)],
    [(0, None, None, None), (1, "broker-a1b2", "a1b2", True), (2, "broker-c3d4", "c3d4", False)],
]
"""Per pact: (interactionIndex, interactionId, interactionKey, success) of each test result."""


def _published(report: Report) -> list[list[tuple[Any, ...]]]:
    return [
        [
            (e["interactionIndex"], e.get("interactionId"), e.get("interactionKey"), e.get("success"))
            for e in verification_result(p, "1.0.0")["testResults"]
        ]
        for p in report.pacts
    ]


def test_read_whole(files: list[Path]) -> None:
    assert _published(compare(SPEC, files)) == EXPECTED


def test_streamed(files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "STREAM_ABOVE", 0)
    assert all(reader.read_pact(f).streamed for f in files)
    assert _published(compare(SPEC, files)) == EXPECTED


def test_checked_by_jobs(files: list[Path]) -> None:
    assert _published(parallel_compare(load_spec(SPEC), files, Options(), 2)) == EXPECTED


def test_streamed_and_checked_by_jobs(files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "STREAM_ABOVE", 0)
    assert _published(parallel_compare(load_spec(SPEC), files, Options(), 2)) == EXPECTED


def test_a_result_pickles_to_an_equal_one(files: list[Path]) -> None:
    results = compare(SPEC, files).pacts[1].results
    assert [type(r.interaction) for r in results] == [InteractionRef, InteractionRef]
    assert pickle.loads(pickle.dumps(results)) == results
    [first, _] = results
    assert isinstance(first, InteractionResult)
    assert first.interaction == InteractionRef(
        1, "broker-a1b2", "a1b2", "v4 /pets", "[none]", "get", "/pets", 200
    )


@pytest.mark.parametrize("identity", [{"_id": 7}, {"key": ["a"]}, {"_id": None}])
def test_an_identity_that_is_not_text_is_left_out(identity: dict[str, Any]) -> None:
    """Only a string identifies an interaction; anything else is not passed back as one."""
    report = compare(SPEC, [reader.parse_pact(pact(_with(interaction(path="/pets"), **identity)), "p")])
    [entry] = verification_result(report.pacts[0], "1.0.0")["testResults"]
    assert "interactionId" not in entry
    assert "interactionKey" not in entry
