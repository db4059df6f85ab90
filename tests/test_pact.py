"""Reading pacts: every specification version reads to the same `Interaction`."""

from __future__ import annotations

import base64
import gc
import json
from pathlib import Path
from typing import Any, cast

import pytest
from _build import findings_for, get3, interaction, pact
from crosscontract.engine import InputError, Interaction, Pact, compare, load_spec, parse_pact, read_pact
from crosscontract.engine.pact.reader import Skipped


def only(document: dict[str, Any]) -> Interaction:
    """The one interaction of a parsed pact document."""
    [found] = parse_pact(document, "pact.json").interactions
    return found


def v4(*interactions: dict[str, Any]) -> dict[str, Any]:
    return pact(*interactions, version="4.0")


def v4_http(request: dict[str, Any], response: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "Synchronous/HTTP",
        "description": "v4",
        "request": {"method": "POST", "path": "/x", **request},
        "response": response or {"status": 200},
    }


# --- versions --------------------------------------------------------------------------------


def test_v1_provider_state_and_query_string() -> None:
    raw = interaction(query="a=1&b=x%20y&a=2&flag")
    raw["provider_state"] = "a pet exists"
    document = {"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": [raw]}
    parsed = parse_pact(document, "pact.json")
    assert parsed.version == "1.0.0"
    [ix] = parsed.interactions
    assert ix.state == "a pet exists"
    assert dict(ix.request.query) == {"a": ("1", "2"), "b": ("x y",), "flag": ("",)}


def test_v2_interaction() -> None:
    raw = interaction(
        "POST",
        "/pets",
        201,
        query="limit=5",
        headers={"Content-Type": "application/json"},
        body={"name": "rex"},
        response_headers={"Location": "/pets/1"},
        response_body={"id": 1},
        description="create a pet",
        state="no pets",
    )
    ix = only(pact(raw))
    assert (ix.index, ix.description, ix.state) == (0, "create a pet", "no pets")
    assert (ix.request.method, ix.request.path, dict(ix.request.query)) == (
        "post",
        "/pets",
        {"limit": ("5",)},
    )
    assert ix.request.headers.get("content-type") == "application/json"
    assert ix.request.headers.name_of("content-type") == "Content-Type"
    assert ix.request.body == {"name": "rex"}
    assert (ix.response.status, ix.response.headers.get("LOCATION"), ix.response.body) == (
        201,
        "/pets/1",
        {"id": 1},
    )
    assert ix.location == "[root].interactions[0]"
    assert ix.raw is raw


def test_no_state_reads_as_none_marker() -> None:
    assert only(pact(interaction())).state == "[none]"


def test_v3_query_map_of_lists_and_provider_states() -> None:
    raw = interaction(query={"a": ["1", "2"], "b": ["x y"], "n": 5})
    raw["providerStates"] = [{"name": "a pet exists", "params": {"id": 1}}, {"name": "user is admin"}]
    ix = only(pact(raw, version="3.0.0"))
    assert dict(ix.request.query) == {"a": ("1", "2"), "b": ("x y",), "n": ("5",)}
    assert ix.state == "a pet exists, user is admin"


def test_v3_and_v2_read_the_same() -> None:
    v2 = only(pact(interaction(query="a=1&a=2&b=3", headers={"X-A": "1"}, body={"k": [1]})))
    v3 = only(
        pact(
            interaction(query={"a": ["1", "2"], "b": ["3"]}, headers={"X-A": "1"}, body={"k": [1]}),
            version="3.0.0",
        )
    )
    assert (v2.request, v2.response) == (v3.request, v3.response)


def test_header_values_are_text() -> None:
    ix = only(pact(interaction(headers={"X-List": ["a", "b"], "X-Num": 5, "X-Bool": True})))
    assert dict(ix.request.headers.original) == {"X-List": "a,b", "X-Num": "5", "X-Bool": "true"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            {"content": {"a": 1}, "contentType": "application/json", "encoded": False},
            {"a": 1},
            id="not-encoded",
        ),
        pytest.param(
            {"content": '{"a": 1}', "contentType": "application/json", "encoded": "JSON"}, {"a": 1}, id="json"
        ),
        pytest.param(
            {"content": "[1, 2]", "contentType": "application/json", "encoded": "json"},
            [1, 2],
            id="json-lower",
        ),
        pytest.param(
            {
                "content": base64.b64encode(b"hello").decode(),
                "contentType": "text/plain",
                "encoded": "base64",
            },
            "hello",
            id="base64",
        ),
        pytest.param({"content": "plain", "contentType": "text/plain"}, "plain", id="no-encoded"),
    ],
)
def test_v4_body(body: dict[str, Any], expected: Any) -> None:
    ix = only(v4(v4_http({"body": body}, {"status": 200, "body": body})))
    assert (ix.request.body, ix.response.body) == (expected, expected)


def test_v4_body_marked_json_but_not_json() -> None:
    bad = v4(v4_http({"body": {"content": "{nope", "contentType": "application/json", "encoded": "JSON"}}))
    with pytest.raises(InputError, match=r"interactions\[0\]\.request\.body is marked JSON-encoded"):
        parse_pact(bad, "pact.json")


@pytest.mark.parametrize("version", ["2.0.0", "3.0.0"])
def test_body_shaped_like_a_v4_body_is_kept_before_v4(version: str) -> None:
    """Only v4 wraps bodies: an earlier pact's body with `content`/`contentType` fields is data."""
    body = {"content": "hello", "contentType": "text/plain"}
    assert only(pact(interaction("POST", body=body), version=version)).request.body == body


def test_v4_non_http_interactions_are_skipped_with_reason() -> None:
    message = {"type": "Asynchronous/Messages", "description": "pet created", "contents": {"id": 1}}
    document = v4(message, v4_http({"method": "GET", "path": "/x"}))
    parsed = parse_pact(document, "pact.json")
    assert list(parsed.skipped) == [
        Skipped(
            0,
            "pet created",
            "Asynchronous/Messages interactions are not HTTP; only HTTP interactions are compared",
        )
    ]
    [ix] = parsed.interactions
    # Locations point into the file as written, skipped interactions included.
    assert (ix.index, ix.location) == (1, "[root].interactions[1]")


def test_skipped_interactions_appear_in_the_report() -> None:
    message = {"type": "Synchronous/Messages", "description": "rpc"}
    report = compare(load_spec(get3("/x")), [parse_pact(v4(message), "pact.json")])
    assert (report.skipped_count, report.interaction_count, report.success) == (1, 0, True)


def test_pact_msw_adapter_shape() -> None:
    """pact-msw-adapter writes v2 pacts with lower-case header names and no matching rules."""
    msw_interaction: dict[str, Any] = {
        "description": "GET /x",
        "providerState": "",
        "request": {"method": "GET", "path": "/x", "headers": {"accept": "application/json"}},
        "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": {"id": 1}},
    }
    document = {
        "consumer": {"name": "web"},
        "provider": {"name": "api"},
        "interactions": [msw_interaction],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    parsed = parse_pact(document, "pact.json")
    assert (parsed.consumer, parsed.provider, parsed.version) == ("web", "api", "2.0.0")
    [ix] = parsed.interactions
    assert ix.state == "[none]"  # an empty providerState is no state (`providerState || '[none]'`)
    assert ix.request.headers.get("Accept") == "application/json"
    assert ix.response.headers.name_of("Content-Type") == "content-type"
    spec = get3(
        "/x", responses={"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    )
    assert findings_for(spec, msw_interaction) == []


@pytest.mark.parametrize(
    ("metadata", "version"),
    [
        pytest.param({"pactSpecification": {"version": "3.0.0"}}, "3.0.0", id="pactSpecification"),
        pytest.param({"pactSpecificationVersion": "2.0.0"}, "2.0.0", id="pactSpecificationVersion"),
        pytest.param({"pact-specification": {"version": "1.0.0"}}, "1.0.0", id="pact-specification"),
        pytest.param({}, "1.0.0", id="absent"),
    ],
)
def test_metadata_version_spellings(metadata: dict[str, Any], version: str) -> None:
    document = {"interactions": [], "metadata": metadata}
    assert parse_pact(document, "pact.json").version == version


def test_status_written_as_digits() -> None:
    raw = interaction()
    raw["response"]["status"] = "204"
    assert only(pact(raw)).response.status == 204


def test_absent_and_null_bodies_differ() -> None:
    absent = only(pact(interaction()))
    null = only(pact(interaction(body=None, response_body=None)))
    assert (repr(absent.request.body), repr(absent.response.body)) == ("MISSING", "MISSING")
    assert (null.request.body, null.response.body) == (None, None)


def test_read_pact_from_file(tmp_path: Path) -> None:
    file = tmp_path / "c-p.json"
    file.write_text(json.dumps(pact(interaction())), encoding="utf-8")
    parsed = read_pact(file)
    assert isinstance(parsed, Pact)
    assert (parsed.file, len(cast(list[Interaction], parsed.interactions))) == (str(file), 1)
    assert read_pact(file, name="named.json").file == "named.json"


# --- bad input -------------------------------------------------------------------------------


def _with(change: Any) -> dict[str, Any]:
    document = pact(interaction())
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        pytest.param([1, 2], "pact must be a JSON object", id="not-an-object"),
        pytest.param("pact", "pact must be a JSON object", id="a-string"),
        pytest.param({"metadata": {}}, "pact has no 'interactions' list", id="no-interactions"),
        pytest.param(
            {"interactions": {}}, "pact 'interactions' must be a list", id="interactions-not-a-list"
        ),
        pytest.param(
            {"interactions": [1]}, "interactions[0] must be an object", id="interaction-not-an-object"
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0]["request"].update(method=1)),
            "interactions[0].request.method must be a string",
            id="method-not-a-string",
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0]["request"].update(path=None)),
            "interactions[0].request.path must be a string",
            id="path-not-a-string",
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0]["response"].update(status="ok")),
            "interactions[0].response.status must be an integer",
            id="status-not-an-int",
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0]["response"].update(status=200.5)),
            "interactions[0].response.status must be an integer",
            id="status-a-float",
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0]["response"].update(status=True)),
            "interactions[0].response.status must be an integer",
            id="status-a-boolean",
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0].pop("request")),
            "interactions[0].request must be an object",
            id="no-request",
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0]["request"].update(query=5)),
            "interactions[0].request.query must be a string or an object",
            id="query-a-number",
        ),
        pytest.param(
            _with(lambda d: d["interactions"][0]["request"].update(headers=["a"])),
            "interactions[0].request.headers must be an object",
            id="headers-a-list",
        ),
    ],
)
def test_bad_input_raises_input_error(document: Any, reason: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_pact(document, "bad.json")
    assert (raised.value.source, raised.value.reason) == ("bad.json", reason)
    assert str(raised.value) == f"bad.json: {reason}"


def test_unreadable_pact_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read pact"):
        read_pact(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(InputError, match="pact is not valid JSON"):
        read_pact(tmp_path / "bad.json")


def test_reading_never_switches_the_garbage_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector is the process's: a server reading pacts in many threads must not see it toggled."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(pact(interaction())), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")

    def refuse() -> None:
        raise AssertionError("the garbage collector was switched")

    monkeypatch.setattr(gc, "disable", refuse)
    monkeypatch.setattr(gc, "enable", refuse)
    monkeypatch.setattr(gc, "freeze", refuse)
    assert [i.index for i in read_pact(good).interactions] == [0]
    with pytest.raises(InputError):
        read_pact(bad)
