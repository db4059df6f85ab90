"""Pointers inside the engine, the reference engine's dotted form only when a report is written."""

from __future__ import annotations

import pytest
from _build import all_findings, interaction, openapi3, response3
from crosscontract.engine._types import from_json_pointer, to_json_pointer
from crosscontract.engine.locations import mock_location, spec_location

# Any object whose values are strings or objects of strings.
LOOSE = {
    "type": "object",
    "additionalProperties": {"type": ["object", "string"], "additionalProperties": {"type": "string"}},
}
SPEC = openapi3({"/x": {"get": {"responses": {"200": response3(LOOSE)}}}})


def test_a_dotted_key_and_a_nested_key_are_different_places() -> None:
    dotted = all_findings(SPEC, interaction(status=200, response_body={"a.b": 1}))
    nested = all_findings(SPEC, interaction(status=200, response_body={"a": {"b": 1}}))
    assert [f.at for f in dotted] == [("interactions", 0, "response", "body", "a.b")]
    assert [f.at for f in nested] == [("interactions", 0, "response", "body", "a", "b")]
    # ...which the reference engine's form, escaping nothing, writes alike
    assert (
        mock_location(dotted[0].at)
        == mock_location(nested[0].at)
        == "[root].interactions[0].response.body.a.b"
    )


@pytest.mark.parametrize(
    ("pointer", "dotted"),
    [
        (("interactions", 3), "[root].interactions[3]"),
        (
            ("interactions", 0, "request", "headers", "X-Trace"),
            "[root].interactions[0].request.headers.X-Trace",
        ),
        (
            ("interactions", 0, "response", "body", "items", 0, "id"),
            "[root].interactions[0].response.body.items.0.id",
        ),
        (("interactions", 1, "request", "query", "ids"), "[root].interactions[1].request.query.ids"),
    ],
)
def test_pact_locations_are_written_as_the_reference_engine_writes_them(
    pointer: tuple[str | int, ...], dotted: str
) -> None:
    assert mock_location(pointer) == dotted


@pytest.mark.parametrize(
    ("pointer", "dotted"),
    [
        (("paths",), "[root].paths"),
        (("paths", "/pets/{id}", "get", "parameters", 0), "[root].paths./pets/{id}.get.parameters[0]"),
        (("security", 1, "api_key"), "[root].security[1].api_key"),
        (
            ("paths", "/p", "get", "responses", "200", "content", "application/json", "schema", "allOf", 0),
            "[root].paths./p.get.responses.200.content.application/json.schema.allOf.0",
        ),
        (
            ("paths", "/p", "parameters", 2, "schema", "items", 1),
            "[root].paths./p.parameters[2].schema.items.1",
        ),
    ],
)
def test_spec_locations_are_written_as_the_reference_engine_writes_them(
    pointer: tuple[str | int, ...], dotted: str
) -> None:
    assert spec_location(pointer) == dotted


def test_no_pointer_no_location() -> None:
    assert mock_location(None) is None
    assert spec_location(None) is None


@pytest.mark.parametrize("pointer", [(), ("a/b", "~c"), ("paths", "/pets/{id}", "get"), ("", "x")])
def test_rfc6901_round_trip(pointer: tuple[str, ...]) -> None:
    assert from_json_pointer(to_json_pointer(pointer)) == pointer


def test_rfc6901_escapes() -> None:
    assert to_json_pointer(("paths", "/a~b", 0)) == "/paths/~1a~0b/0"
    with pytest.raises(ValueError, match="not a JSON pointer"):
        from_json_pointer("paths")
