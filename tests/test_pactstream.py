"""Large pacts are streamed: same report, same bad-input messages, refs kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from crosscontract.engine import InputError, compare, read_pact
from crosscontract.engine.pact import reader as pact_module
from crosscontract.engine.pact.model import InteractionRef
from crosscontract.engine.render.json import report_json

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [
    (case / next(n for n in ("spec.yaml", "spec.json") if (case / n).is_file()), case / "pact.json")
    for case in sorted((ROOT / "fixtures" / "cases").iterdir())
    if case.is_dir() and not case.name.startswith("diff-")  # two specs: tests/test_diff_golden.py
] + [
    (ROOT / "fixtures" / "example" / "openapi.yaml", pact)
    for pact in sorted((ROOT / "fixtures" / "example" / "pacts").glob("*.json"))
]


@pytest.fixture
def stream_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pact_module, "STREAM_ABOVE", 0)


@pytest.mark.parametrize(
    ("spec", "pact"), PAIRS, ids=lambda p: p.parent.name if p.name == "pact.json" else p.stem
)
def test_streamed_report_is_the_same(spec: Path, pact: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = report_json(compare(spec, [pact]))
    monkeypatch.setattr(pact_module, "STREAM_ABOVE", 0)
    assert read_pact(pact).streamed
    assert report_json(compare(spec, [pact])) == whole


@pytest.mark.parametrize(
    "pact", sorted({p for _, p in PAIRS}), ids=lambda p: p.parent.name if p.name == "pact.json" else p.stem
)
def test_streamed_interactions_are_the_same(pact: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every part, matching rules and generators included, and every identity."""
    whole = list(read_pact(pact).interactions)
    monkeypatch.setattr(pact_module, "STREAM_ABOVE", 0)
    streamed = list(read_pact(pact).interactions)
    assert streamed == whole
    assert [i.ref for i in streamed] == [i.ref for i in whole]


def _v4(*interactions: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "interactions": list(interactions),
        "provider": {"name": "api"},
        "metadata": {"pactSpecification": {"version": "4.0"}},  # after the interactions
    }


HTTP = {
    "type": "Synchronous/HTTP",
    "description": "get",
    "providerStates": [{"name": "a thing exists"}],
    "request": {"method": "GET", "path": "/things", "query": {"q": ["1", "2"]}},
    "response": {
        "status": 200,
        "headers": {"Content-Type": ["application/json"]},
        "body": {"content": '{"id": 1.5}', "contentType": "application/json", "encoded": "JSON"},
    },
}
MESSAGE = {"type": "Asynchronous/Messages", "description": "an event", "contents": {"a": [1, {"b": 2}]}}


@pytest.mark.usefixtures("stream_all")
def test_streamed_v4_pact(tmp_path: Path) -> None:
    path = tmp_path / "pact.json"
    path.write_text(json.dumps(_v4(MESSAGE, HTTP, {**MESSAGE, "description": None})))
    pact = read_pact(path)
    assert (pact.consumer, pact.provider, pact.version) == ("web", "api", "4.0")
    assert [(s.index, s.description) for s in pact.skipped] == [(0, "an event"), (2, None)]
    assert pact.skipped[0].reason.startswith("Asynchronous/Messages interactions are not HTTP")
    [interaction] = pact.interactions
    assert (interaction.index, interaction.state) == (1, "a thing exists")
    assert interaction.request.query == {"q": ("1", "2")}
    assert interaction.response.body == {"id": 1.5}
    assert [i.index for i in pact.interactions] == [1]  # read again on each pass


@pytest.mark.usefixtures("stream_all")
def test_streamed_results_keep_refs(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    path = tmp_path / "pact.json"
    path.write_text(json.dumps(_v4(MESSAGE, {**HTTP, "key": "k1", "_id": "id1"})))
    [result] = compare(spec, [path]).pacts[0].results
    assert result.interaction == InteractionRef(
        1, "id1", "k1", "get", "a thing exists", "get", "/things", 200
    )


BAD = {
    "not-json": "{",
    "not-an-object": "[1]",
    "no-interactions": '{"metadata": {}}',
    "null-interactions": '{"interactions": null}',
    "interactions-not-a-list": '{"interactions": {"a": 1}}',
    "interactions-a-number": '{"interactions": 3}',
    "interaction-not-an-object": '{"interactions": [3]}',
    "second-interaction-an-array": '{"interactions": [{"request": {"method": "GET", "path": "/"},'
    ' "response": {"status": 200}}, [1]]}',
    "no-request": '{"interactions": [{"response": {"status": 200}}]}',
    "bad-status": '{"interactions": [{"request": {"method": "GET", "path": "/"},'
    ' "response": {"status": true}}]}',
    "bad-json-body": '{"interactions": [{"type": "Synchronous/HTTP",'
    ' "request": {"method": "GET", "path": "/", "body": {"content": "{", "encoded": "json"}},'
    ' "response": {"status": 200}}],'
    ' "metadata": {"pactSpecification": {"version": "4.0"}}}',
}


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_streamed_bad_input_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    path = tmp_path / "pact.json"
    path.write_text(text)

    def message() -> str:
        with pytest.raises(InputError) as raised:
            list(read_pact(path).interactions)
        return raised.value.reason

    whole = message()
    monkeypatch.setattr(pact_module, "STREAM_ABOVE", 0)
    streamed = message()
    if "not valid JSON" in whole:  # the parsers word the details differently
        whole, streamed = whole.split(":")[0], streamed.split(":")[0]
    assert streamed == whole


def test_streamed_skips_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = ["Asynchronous/Messages", {"name": "Messages"}, {"Synchronous/HTTP": 1}, ["Messages"], 3, True]
    path = tmp_path / "pact.json"
    path.write_text(json.dumps({"interactions": [{"type": kind, "description": "d"} for kind in kinds]}))
    whole = read_pact(path).skipped
    monkeypatch.setattr(pact_module, "STREAM_ABOVE", 0)
    assert read_pact(path).skipped == whole
    assert len(whole) == len(kinds)
