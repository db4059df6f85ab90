"""Media-type negotiation against swagger-mock-validator 14.5.0's `findMatchingType`.

The recorded calls live in the shared conformance folder next to the repository; a clone
without it skips them and still runs the inline cases, which pin each stage and quirk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from crosscontract.engine.http.negotiation import find_matching_type, is_json_media_type, media_type_essence

_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "content-negotiation.json"
_RECORDED_CALLS = 65


def _recorded() -> list[Any]:
    """One param per recorded call, or a single placeholder the test skips on."""
    if not _CORPUS.is_file():
        return [pytest.param(None, id="corpus-absent")]
    calls = json.loads(_CORPUS.read_text(encoding="utf-8"))
    return [pytest.param(call, id=f"call{index:02d}") for index, call in enumerate(calls)]


@pytest.mark.parametrize("call", _recorded())
def test_recorded_call(call: dict[str, Any] | None) -> None:
    if call is None:
        pytest.skip(f"{_CORPUS} is absent (no shared conformance folder)")
    got = find_matching_type(call["requestType"], call["responseTypes"])
    assert got == call["result"], call["name"]


def test_corpus_is_complete() -> None:
    if not _CORPUS.is_file():
        pytest.skip(f"{_CORPUS} is absent (no shared conformance folder)")
    assert len(json.loads(_CORPUS.read_text(encoding="utf-8"))) == _RECORDED_CALLS


@pytest.mark.parametrize(
    ("request_type", "supported", "expected"),
    [
        pytest.param("application/json", ["text/html", "application/json"], "application/json", id="exact"),
        pytest.param(
            "application/json; charset=utf-8", ["application/json"], "application/json", id="params"
        ),
        pytest.param("aaa;v2", ["aaa", "aaa;v2"], "aaa;v2", id="exact-params-beat-bare"),
        pytest.param(
            " application/json ; charset=utf-8 ", ["application/json"], "application/json", id="whitespace"
        ),
        pytest.param("Application/JSON", ["application/json"], "application/json", id="request-case"),
        pytest.param("application/json", ["Application/JSON"], "Application/JSON", id="spec-spelling-kept"),
        pytest.param(
            "application/json", ["application/vnd.api+json"], "application/vnd.api+json", id="vendor-suffix"
        ),
        pytest.param(
            "application/vnd.a+json",
            ["application/vnd.b+json"],
            "application/vnd.b+json",
            id="vendor-to-vendor",
        ),
        pytest.param(
            "application/json", ["text/plain", "application/*"], "application/*", id="spec-subtype-wild"
        ),
        pytest.param("text/plain", ["application/*"], None, id="spec-subtype-wild-other-type"),
        pytest.param(
            "application/json",
            ["application/xml", "*/*", "application/*"],
            "application/*",
            id="type-wild-first",
        ),
        pytest.param("text/plain", ["*/*; charset=utf-8"], "*/*", id="spec-any-returned-literally"),
        pytest.param("application/*", ["text/html", "application/xml"], "application/xml", id="request-wild"),
        pytest.param("*/*", ["text/html", "application/json"], "text/html", id="request-any-takes-first"),
        pytest.param("aaa;q=0", ["aaa"], "aaa", id="q0-not-excluded"),
        pytest.param("aaa;q=0, bbb", ["aaa", "bbb"], "bbb", id="q0-sorts-last"),
        pytest.param(
            "text/html;q=0.5, application/json",
            ["text/html", "application/json"],
            "application/json",
            id="q-order",
        ),
        pytest.param("bbb, aaa", ["aaa", "bbb"], "bbb", id="equal-q-keeps-accept-order"),
        pytest.param("aaa;q=.5, bbb;q=0.9", ["aaa;q=.5", "bbb"], "aaa;q=.5", id="q-dot5-counts-as-1"),
        pytest.param("aaa;q=0.5;q=0.9, bbb;q=0.8", ["aaa;q=0.9", "bbb"], "aaa;q=0.9", id="last-q-weighs"),
        pytest.param('a/b;x="c,d/e;y="', ["d/e"], "d/e", id="comma-in-quotes-splits"),
        pytest.param("text/plain/html", ["text/plain/css"], "text/plain/css", id="third-segment-ignored"),
        pytest.param("application/xml", ["application/json"], None, id="no-match"),
        pytest.param("application/json", [], None, id="empty-list"),
        pytest.param("*/*", [], None, id="any-empty-list"),
    ],
)
def test_find_matching_type(request_type: str, supported: list[str], expected: str | None) -> None:
    assert find_matching_type(request_type, supported) == expected


def test_find_matching_type_accepts_any_sequence() -> None:
    assert find_matching_type("text/plain", ("text/html", "text/plain")) == "text/plain"


@pytest.mark.parametrize(
    "media_type",
    [
        "application/json",
        "application/vnd.api+json",
        "application/problem+json",
        "application/json; charset=utf-8",
        "Application/JSON ",
        "*/*",
        "application/*",
    ],
)
def test_is_json_media_type(media_type: str) -> None:
    assert is_json_media_type(media_type)


@pytest.mark.parametrize(
    "media_type",
    ["text/json", "application/x-json", "application/xml", "text/plain", "*/json", "text/*", ""],
)
def test_is_not_json_media_type(media_type: str) -> None:
    assert not is_json_media_type(media_type)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("application/json", "application/json"),
        (" Application/JSON ; charset=UTF-8", "application/json"),
        ("application/vnd.api+json;version=2", "application/vnd.api+json"),
        ("text / plain", "text/plain"),
        ("*/*", "*/*"),
    ],
)
def test_media_type_essence(value: str, expected: str) -> None:
    assert media_type_essence(value) == expected
