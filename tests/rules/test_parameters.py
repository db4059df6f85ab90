"""Query parameters and request headers: `request.query.*` and `request.header.*`."""

from __future__ import annotations

from typing import Any

import pytest
from _build import OK, findings_for, get3, interaction, messages_for, openapi3, swagger2

IX = "[root].interactions[0]"
PARAM = "[root].paths./x.get.parameters[0]"
OP = "[root].paths./x.get"
VALUE = "Value is incompatible with the parameter defined in the spec file: "


def query3(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """OpenAPI 3 `GET /x` with one query parameter `n` of `schema`."""
    return get3(
        "/x",
        parameters=[{"in": "query", "name": "n", "schema": schema, **extra}],
        responses={"200": OK, "400": OK},
    )


def query2(**param: Any) -> dict[str, Any]:
    """Swagger 2 `GET /x` with one query parameter `n` (type and friends in `param`)."""
    return swagger2(
        {"/x": {"get": {"parameters": [{"in": "query", "name": "n", **param}], "responses": {"200": OK}}}}
    )


def header3(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """OpenAPI 3 `GET /x` with one header parameter `X-Rate` of `schema`."""
    return get3(
        "/x",
        parameters=[{"in": "header", "name": "X-Rate", "schema": schema, **extra}],
        responses={"200": OK, "400": OK},
    )


def query_incompatible(name: str = "n") -> tuple[str, str, str]:
    return ("request.query.incompatible", f"{IX}.request.query.{name}", PARAM)


# --- query -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "value", "ok"),
    [
        pytest.param({"type": "integer"}, "12", True, id="integer"),
        pytest.param({"type": "integer"}, "-3", True, id="negative-integer"),
        pytest.param({"type": "integer"}, "1.5", False, id="fraction-not-integer"),
        pytest.param({"type": "integer"}, "abc", False, id="word-not-integer"),
        pytest.param({"type": "integer"}, "", False, id="empty-not-integer"),
        pytest.param({"type": "number"}, "1.5", True, id="number"),
        pytest.param({"type": "number"}, "1e3", True, id="exponent"),
        pytest.param({"type": "boolean"}, "true", True, id="true"),
        pytest.param({"type": "boolean"}, "false", True, id="false"),
        pytest.param({"type": "boolean"}, "yes", False, id="yes-not-boolean"),
        pytest.param({"type": "string"}, "12", True, id="digits-are-a-string"),
        pytest.param({"type": "string", "enum": ["a", "b"]}, "b", True, id="enum"),
        pytest.param({"type": "string", "enum": ["a", "b"]}, "c", False, id="not-in-enum"),
        pytest.param({"type": "integer", "minimum": 1}, "0", False, id="minimum"),
        pytest.param({"type": "string", "format": "date"}, "2024-02-30", False, id="date-format"),
        pytest.param({"type": "integer", "format": "int32"}, "3000000000", False, id="int32-format"),
    ],
)
def test_query_value_is_coerced_then_validated(schema: dict[str, Any], value: str, ok: bool) -> None:
    assert findings_for(query3(schema), interaction(query=f"n={value}")) == (
        [] if ok else [query_incompatible()]
    )


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        ({"type": "integer"}, "abc", "must be integer"),
        ({"type": "boolean"}, "yes", "must be boolean"),
        (
            {"type": "string", "enum": ["a", "b"]},
            "c",
            'must be equal to one of the allowed values (allowed: "a", "b")',
        ),
    ],
)
def test_query_messages(schema: dict[str, Any], value: str, message: str) -> None:
    assert messages_for(query3(schema), interaction(query=f"n={value}")) == [
        (
            "request.query.incompatible",
            f"{VALUE}{message}",
        )
    ]


def test_required_query_missing() -> None:
    spec = query3({"type": "string"}, required=True)
    assert findings_for(spec, interaction()) == [("request.query.incompatible", IX, PARAM)]
    assert messages_for(spec, interaction()) == [
        (
            "request.query.incompatible",
            f"{VALUE}must have required property 'value' (the query parameter 'n' is required and not sent)",
        )
    ]


def test_optional_query_missing_is_fine() -> None:
    assert findings_for(query3({"type": "string"}), interaction()) == []


def test_unknown_query() -> None:
    spec = query3({"type": "string"})
    assert findings_for(spec, interaction(query="n=a&extra=1")) == [
        ("request.query.unknown", f"{IX}.request.query.extra", OP)
    ]
    assert messages_for(spec, interaction(query="extra=1")) == [
        ("request.query.unknown", "Query parameter is not defined in the spec file: extra")
    ]


def test_query_names_are_case_sensitive() -> None:
    assert findings_for(query3({"type": "string"}, required=True), interaction(query="N=a")) == [
        ("request.query.unknown", f"{IX}.request.query.N", OP),
        ("request.query.incompatible", IX, PARAM),
    ]


def test_query_map_of_lists() -> None:
    spec = query3({"type": "integer"})
    assert findings_for(spec, interaction(query={"n": ["12"]})) == []
    assert findings_for(spec, interaction(query={"n": ["x"]})) == [query_incompatible()]


def test_openapi3_array_query_exploded() -> None:
    spec = query3({"type": "array", "items": {"type": "integer"}})
    assert findings_for(spec, interaction(query="n=1&n=2")) == []
    assert findings_for(spec, interaction(query="n=1&n=x")) == [query_incompatible()]


def test_openapi3_array_query_not_exploded() -> None:
    spec = query3({"type": "array", "items": {"type": "integer"}}, explode=False)
    assert findings_for(spec, interaction(query="n=1,2")) == []
    assert findings_for(spec, interaction(query="n=1,x")) == [query_incompatible()]


@pytest.mark.parametrize(
    ("collection_format", "good", "bad"),
    [
        pytest.param(None, "n=1,2", "n=1,x", id="csv-default"),
        pytest.param("csv", "n=1,2", "n=1,x", id="csv"),
        pytest.param("ssv", "n=1%202", "n=1%20x", id="ssv"),
        pytest.param("pipes", "n=1|2", "n=1|x", id="pipes"),
        pytest.param("multi", "n=1&n=2", "n=1&n=x", id="multi"),
    ],
)
def test_swagger2_array_query(collection_format: str | None, good: str, bad: str) -> None:
    fmt = {} if collection_format is None else {"collectionFormat": collection_format}
    spec = query2(type="array", items={"type": "integer"}, **fmt)
    assert findings_for(spec, interaction(query=good)) == []
    assert findings_for(spec, interaction(query=bad)) == [query_incompatible()]


def test_swagger2_csv_array_sent_as_repeated_keys() -> None:
    """`n=1&n=2` is not the csv serialization the spec declares (corpus case0307)."""
    spec = query2(type="array", items={"type": "number"}, collectionFormat="csv", required=True)
    assert findings_for(spec, interaction(query="n=1&n=2")) == [query_incompatible()]


def test_swagger2_query_keywords() -> None:
    spec = query2(type="integer", minimum=1, exclusiveMinimum=True)
    assert findings_for(spec, interaction(query="n=2")) == []
    assert messages_for(spec, interaction(query="n=1")) == [
        (
            "request.query.incompatible",
            f"{VALUE}must be > 1",
        )
    ]


def test_api_key_query_is_not_unknown() -> None:
    spec = openapi3(
        {"/x": {"get": {"responses": {"200": OK}}}},
        components={"securitySchemes": {"t": {"type": "apiKey", "in": "query", "name": "token"}}},
        security=[{"t": []}],
    )
    assert findings_for(spec, interaction(query="token=abc")) == []


def test_query_not_checked_for_error_responses() -> None:
    spec = query3({"type": "integer"}, required=True)
    assert findings_for(spec, interaction(query="n=x&extra=1", status=400)) == []
    assert findings_for(spec, interaction(status=400)) == []


# --- headers ---------------------------------------------------------------------------------


def test_declared_header_valid() -> None:
    assert findings_for(header3({"type": "integer"}), interaction(headers={"X-Rate": "5"})) == []


@pytest.mark.parametrize("name", ["x-rate", "X-RATE"])
def test_header_names_are_case_insensitive(name: str) -> None:
    spec = header3({"type": "integer"}, required=True)
    assert findings_for(spec, interaction(headers={name: "5"})) == []
    assert findings_for(spec, interaction(headers={name: "x"})) == [
        ("request.header.incompatible", f"{IX}.request.headers.{name}", PARAM)
    ]


def test_header_incompatible() -> None:
    spec = header3({"type": "integer"})
    ix = interaction(headers={"X-Rate": "five"})
    assert findings_for(spec, ix) == [("request.header.incompatible", f"{IX}.request.headers.X-Rate", PARAM)]
    assert messages_for(spec, ix) == [
        (
            "request.header.incompatible",
            f"{VALUE}must be integer",
        )
    ]


def test_swagger2_header_incompatible() -> None:
    param = {"in": "header", "name": "X-Rate", "type": "integer", "required": True}
    spec = swagger2({"/x": {"get": {"parameters": [param], "responses": {"200": OK}}}})
    assert findings_for(spec, interaction(headers={"X-Rate": "abc"})) == [
        ("request.header.incompatible", f"{IX}.request.headers.X-Rate", PARAM)
    ]
    assert findings_for(spec, interaction()) == [("request.header.incompatible", IX, PARAM)]


def test_required_header_missing() -> None:
    spec = header3({"type": "integer"}, required=True)
    assert findings_for(spec, interaction()) == [("request.header.incompatible", IX, PARAM)]
    assert messages_for(spec, interaction()) == [
        (
            "request.header.incompatible",
            f"{VALUE}must have required property 'value' (the header 'X-Rate' is required and not sent)",
        )
    ]


def test_array_header() -> None:
    spec = header3({"type": "array", "items": {"type": "integer"}})
    assert findings_for(spec, interaction(headers={"X-Rate": "1,2"})) == []
    assert findings_for(spec, interaction(headers={"X-Rate": "1,a"})) == [
        ("request.header.incompatible", f"{IX}.request.headers.X-Rate", PARAM)
    ]


def test_unknown_header() -> None:
    spec = header3({"type": "integer"})
    ix = interaction(headers={"X-Trace": "1"})
    assert findings_for(spec, ix) == [("request.header.unknown", f"{IX}.request.headers.X-Trace", OP)]
    assert messages_for(spec, ix) == [
        ("request.header.unknown", "Request header is not defined in the spec file: x-trace")
    ]


@pytest.mark.parametrize(
    "name",
    ["Accept-Language", "User-Agent", "Authorization", "Cache-Control", "If-None-Match", "Origin", "cookie"],
)
def test_standard_header_is_not_unknown(name: str) -> None:
    assert findings_for(get3("/x"), interaction(headers={name: "v"})) == []


def test_api_key_header_is_not_unknown() -> None:
    spec = openapi3(
        {"/x": {"get": {"responses": {"200": OK}}}},
        components={"securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}},
        security=[{"k": []}],
    )
    assert findings_for(spec, interaction(headers={"x-api-key": "k"})) == []


def test_headers_not_checked_for_error_responses() -> None:
    spec = header3({"type": "integer"}, required=True)
    assert findings_for(spec, interaction(headers={"X-Rate": "x", "X-Trace": "1"}, status=400)) == []


def test_header_values_from_lists_are_joined() -> None:
    spec = header3({"type": "array", "items": {"type": "integer"}})
    assert findings_for(spec, interaction(headers={"X-Rate": ["1", "2"]})) == []
