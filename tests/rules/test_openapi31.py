"""OpenAPI 3.1: webhooks, `jsonSchemaDialect`, and the JSON Schema 2020-12 words in bodies.

Each keyword is shown enforced, not silently ignored, with jsonschema and with the compiled
fast check (which must either express the keyword exactly or leave it to jsonschema).
"""

from __future__ import annotations

from typing import Any

import pytest
from _build import codes_for, findings_for, get3, interaction, openapi3, response3
from crosscontract.engine import InputError, load_spec
from crosscontract.engine.schema import validation

V31 = "3.1.0"
BAD = ["response.body.incompatible"]


@pytest.fixture(params=["jsonschema", "fast"], autouse=True)
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with and without the compiled fast check."""
    if request.param == "fast":
        monkeypatch.setattr(validation, "COMPILE_AFTER", 1)
    return str(request.param)


def answering(schema: Any, **schemas: Any) -> dict[str, Any]:
    """OpenAPI 3.1 `GET /x` answering `schema`; `schemas` go to components."""
    spec = get3("/x", responses={"200": response3(schema)})
    spec["openapi"] = V31
    spec["components"] = {"schemas": schemas}
    return spec


def body_codes(spec: dict[str, Any], body: Any) -> list[str]:
    ix = interaction(response_body=body, response_headers={"Content-Type": "application/json"})
    return codes_for(spec, ix, additional_properties_in_response=True)


# --- document -------------------------------------------------------------------------------


def test_webhooks_only_document_loads() -> None:
    hook = {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}}
    spec = {"openapi": V31, "info": {"title": "t", "version": "1"}, "webhooks": {"newPet": hook}}
    assert codes_for(spec, interaction(method="POST", path="/newPet")) == ["request.path-or-method.unknown"]


def test_webhooks_are_not_routed_beside_paths() -> None:
    hook = {"post": {"responses": {"200": {"description": "ok"}}}}
    spec = openapi3(
        {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}, version=V31, webhooks={"x": hook}
    )
    assert codes_for(spec, interaction()) == []
    assert codes_for(spec, interaction(method="POST", path="/x")) == ["request.path-or-method.unknown"]


@pytest.mark.parametrize(
    "dialect",
    [
        "https://spec.openapis.org/oas/3.1/dialect/base",
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/schema#",
    ],
)
def test_supported_json_schema_dialects(dialect: str) -> None:
    spec = openapi3({"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}, version=V31)
    assert codes_for({**spec, "jsonSchemaDialect": dialect}, interaction()) == []


def test_unsupported_json_schema_dialect_is_bad_input() -> None:
    with pytest.raises(InputError, match=r"unsupported jsonSchemaDialect 'https://json-schema\.org/draft-07"):
        load_spec(openapi3(version=V31, jsonSchemaDialect="https://json-schema.org/draft-07/schema#"))


# --- 2020-12 keywords -----------------------------------------------------------------------

OBJECT = {"type": "object"}


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        pytest.param({"const": "on"}, "on", "off", id="const"),
        pytest.param({"type": ["integer", "null"]}, None, "x", id="type-array"),
        pytest.param({"type": ["integer", "null"]}, 3, 1.5, id="type-array-integer"),
        pytest.param(
            {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
            [1, "a", True],
            ["a", "b"],
            id="prefixItems",
        ),
        pytest.param(
            {"type": "array", "prefixItems": [{"type": "integer"}], "items": False},
            [1],
            [1, 2],
            id="prefixItems-closed",
        ),
        pytest.param(
            {**OBJECT, "dependentRequired": {"card": ["billing"]}},
            {"card": 1, "billing": 2},
            {"card": 1},
            id="dependentRequired",
        ),
        pytest.param(
            {**OBJECT, "properties": {"a": {}}, "unevaluatedProperties": False},
            {"a": 1},
            {"a": 1, "b": 2},
            id="unevaluatedProperties",
        ),
        pytest.param(
            {**OBJECT, "properties": {"a": {}}, "unevaluatedProperties": {"type": "integer"}},
            {"a": "x", "b": 2},
            {"a": 1, "b": "x"},
            id="unevaluatedProperties-schema",
        ),
        pytest.param(
            {"$ref": "#/components/schemas/Named", "minProperties": 2},
            {"a": "x", "b": 1},
            {"a": "x"},
            id="ref-with-siblings",
        ),
        pytest.param(
            {"$ref": "#/components/schemas/Named", "properties": {"a": {"maxLength": 1}}},
            {"a": "x"},
            {"a": "xy"},
            id="ref-sibling-narrows",
        ),
        pytest.param(
            {"$ref": "#/components/schemas/Holder/$defs/Code"},
            "AB",
            "abc",
            id="defs",
        ),
        pytest.param(
            {"type": "string", "examples": ["not checked", 3]},
            "anything",
            4,
            id="examples-are-annotations",
        ),
    ],
)
def test_keyword_is_enforced(schema: dict[str, Any], good: Any, bad: Any) -> None:
    spec = answering(
        {"type": "object", "properties": {"v": schema}},
        Named={"type": "object", "properties": {"a": {"type": "string"}}},
        Holder={"$defs": {"Code": {"type": "string", "pattern": "^[A-Z]+$"}}},
    )
    assert body_codes(spec, {"v": good}) == []
    assert body_codes(spec, {"v": bad}) == BAD


def test_nullable_is_not_a_31_word() -> None:
    """3.1 spells it `type: [.., "null"]`; a leftover `nullable` is an annotation."""
    spec = answering({"type": "object", "properties": {"v": {"type": "string", "nullable": True}}})
    assert body_codes(spec, {"v": None}) == BAD


def test_unevaluated_properties_location() -> None:
    spec = answering({"type": "object", "properties": {"a": {}}, "unevaluatedProperties": False})
    ix = interaction(response_body={"a": 1, "b": 2}, response_headers={"Content-Type": "application/json"})
    assert findings_for(spec, ix, additional_properties_in_response=True) == [
        (
            "response.body.incompatible",
            "[root].interactions[0].response.body",
            "[root].paths./x.get.responses.200.content.application/json.schema.unevaluatedProperties",
        )
    ]
