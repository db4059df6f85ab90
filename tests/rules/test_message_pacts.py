"""Pact v3 message pacts (`messages`, no `interactions`): each message skipped with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _build import OK, get3
from crosscontract.engine import compare, load_spec, parse_pact
from crosscontract.engine.errors import InputError
from crosscontract.engine.pact.stream import stream_pact

MESSAGES = {
    "consumer": {"name": "listener"},
    "provider": {"name": "events"},
    "messages": [
        {"description": "an order created event", "contents": {"id": 1}},
        {"description": "an order shipped event", "contents": {"id": 1}},
    ],
    "metadata": {"pactSpecification": {"version": "3.0.0"}},
}
REASON = "Pact v3 messages are not HTTP; only HTTP interactions are compared"


def test_every_message_is_skipped_with_its_reason() -> None:
    pact = parse_pact(MESSAGES, "messages.json")
    assert list(pact.interactions) == []
    assert [(s.index, s.description, s.reason) for s in pact.skipped] == [
        (0, "an order created event", REASON),
        (1, "an order shipped event", REASON),
    ]


def test_a_streamed_message_pact_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "messages.json"
    path.write_text(json.dumps(MESSAGES))
    pact = stream_pact(path, "messages.json")
    assert list(pact.interactions) == []
    assert [(s.index, s.description, s.reason) for s in pact.skipped] == [
        (0, "an order created event", REASON),
        (1, "an order shipped event", REASON),
    ]


def test_a_folder_with_a_message_pact_is_compared_whole(tmp_path: Path) -> None:
    (tmp_path / "messages.json").write_text(json.dumps(MESSAGES))
    http = {
        **MESSAGES,
        "messages": None,
        "interactions": [
            {"description": "x", "request": {"method": "GET", "path": "/x"}, "response": {"status": 200}}
        ],
    }
    del http["messages"]
    (tmp_path / "http.json").write_text(json.dumps(http))
    report = compare(load_spec(get3("/x", responses={"200": OK})), [tmp_path])
    assert report.exit_code == 0
    assert report.skipped_count == 2


def test_a_pact_with_neither_list_is_still_refused() -> None:
    document = {k: v for k, v in MESSAGES.items() if k != "messages"}
    with pytest.raises(InputError, match="no 'interactions' list"):
        parse_pact(document, "empty.json")
