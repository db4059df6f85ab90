"""Responses: status, body and headers (`response.status.*`, `response.body.*`, `response.header.*`)."""

from __future__ import annotations

from typing import Any

import pytest
from _build import (
    CLOSED_ALL_OF,
    OK,
    UNDECLARED,
    findings_for,
    get3,
    interaction,
    messages_for,
    response3,
    swagger2,
)

IX = "[root].interactions[0]"
RESPONSES = "[root].paths./x.get.responses"
BODY = "Response body is incompatible with the response body schema in the spec file: "
SCHEMA = f"{RESPONSES}.200.content.application/json.schema"
PET = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "integer", "format": "int32"}, "name": {"type": "string"}},
}


def answering(schema: Any, **responses: Any) -> dict[str, Any]:
    """OpenAPI 3 `GET /x` whose 200 response body is `schema`; more responses by status."""
    return get3("/x", responses={"200": response3(schema), **responses})


def body_error(where: str, keyword_path: str, schema: str = SCHEMA) -> tuple[str, str, str]:
    mock = f"{IX}.response.body" + (f".{where}" if where else "")
    return ("response.body.incompatible", mock, f"{schema}.{keyword_path}")


# --- status ----------------------------------------------------------------------------------


def test_exact_status() -> None:
    assert findings_for(get3("/x", responses={"200": OK, "404": OK}), interaction(status=404)) == []


@pytest.mark.parametrize("key", ["2XX", "2xx"])
def test_status_range(key: str) -> None:
    spec = get3("/x", responses={key: OK})
    assert findings_for(spec, interaction(status=204)) == []
    assert findings_for(spec, interaction(status=304)) == [
        ("response.status.unknown", f"{IX}.response.status", RESPONSES)
    ]


def test_exact_status_wins_over_range_and_default() -> None:
    spec = get3(
        "/x",
        responses={
            "default": response3({"type": "string"}),
            "2XX": response3({"type": "boolean"}),
            "201": response3({"type": "integer"}),
        },
    )
    assert findings_for(spec, interaction(status=201, response_body=1)) == []
    assert findings_for(spec, interaction(status=202, response_body=True)) == []


def test_unknown_status() -> None:
    spec = get3("/x")
    assert findings_for(spec, interaction(status=404)) == [
        ("response.status.unknown", f"{IX}.response.status", RESPONSES)
    ]
    assert messages_for(spec, interaction(status=404)) == [
        ("response.status.unknown", "Response status code not defined in spec file: 404 (declared: 200)")
    ]


def test_unknown_status_stops_response_checks() -> None:
    ix = interaction(
        status=404, response_body={"a": 1}, response_headers={"X-Custom": "1", "Content-Type": "text/x"}
    )
    assert findings_for(answering(PET), ix) == [
        ("response.status.unknown", f"{IX}.response.status", RESPONSES)
    ]


def test_default_status_warns_then_validates_against_default() -> None:
    spec = get3(
        "/x",
        responses={
            "200": OK,
            "default": response3({"type": "object", "properties": {"code": {"type": "integer"}}}),
        },
    )
    ix = interaction(status=500, response_body={"code": "x"})
    assert findings_for(spec, ix) == [
        ("response.status.default", f"{IX}.response.status", RESPONSES),
        body_error("code", "properties.code.type", f"{RESPONSES}.default.content.application/json.schema"),
    ]
    assert messages_for(spec, interaction(status=500))[0] == (
        "response.status.default",
        "Response status code matched default response in spec file: 500",
    )


def test_swagger2_default_status() -> None:
    spec = swagger2({"/x": {"get": {"responses": {"200": OK, "default": OK}}}})
    assert findings_for(spec, interaction(status=503)) == [
        ("response.status.default", f"{IX}.response.status", RESPONSES)
    ]


# --- body ------------------------------------------------------------------------------------


def test_valid_body() -> None:
    assert findings_for(answering(PET), interaction(response_body={"id": 1, "name": "rex"})) == []


def test_wrong_type() -> None:
    spec = answering(PET)
    ix = interaction(response_body={"id": "x"})
    assert findings_for(spec, ix) == [body_error("id", "properties.id.type")]
    assert messages_for(spec, ix) == [
        (
            "response.body.incompatible",
            f"{BODY}must be integer",
        )
    ]


def test_swagger2_body_location() -> None:
    spec = swagger2({"/x": {"get": {"responses": {"200": {"description": "ok", "schema": PET}}}}})
    assert findings_for(spec, interaction(response_body={"id": "x"})) == [
        body_error("id", "properties.id.type", f"{RESPONSES}.200.schema")
    ]


def test_objects_are_closed_by_default() -> None:
    spec = answering(PET)
    ix = interaction(response_body={"id": 1, "extra": 2})
    assert findings_for(spec, ix) == [body_error("", "additionalProperties")]
    assert messages_for(spec, ix) == [
        (
            "response.body.incompatible",
            f"{BODY}must NOT have additional properties - extra{UNDECLARED}",
        )
    ]


def test_nested_objects_are_closed_too() -> None:
    schema = {"type": "object", "properties": {"owner": {"type": "object", "properties": {"id": {}}}}}
    assert findings_for(answering(schema), interaction(response_body={"owner": {"id": 1, "x": 2}})) == [
        body_error("owner", "properties.owner.additionalProperties")
    ]


def test_objects_without_type_stay_open() -> None:
    assert (
        findings_for(answering({"properties": {"id": {}}}), interaction(response_body={"id": 1, "x": 2}))
        == []
    )


def test_declared_free_form_objects_stay_open() -> None:
    # `additionalProperties: true` is the provider's promise of extra properties; the
    # reference engine closes it anyway (a deliberate difference).
    metadata = {"type": "object", "additionalProperties": True}
    schema = {"type": "object", "properties": {"metadata": metadata}}
    ix = interaction(response_body={"metadata": {"anything": 1}})
    assert findings_for(answering(schema), ix) == []
    assert findings_for(answering(metadata), interaction(response_body={"a": 1})) == []


def test_additional_properties_schema_is_kept() -> None:
    labels = {"type": "object", "additionalProperties": {"type": "string"}}
    assert findings_for(answering(labels), interaction(response_body={"a": "x"})) == []
    assert findings_for(answering(labels), interaction(response_body={"a": 1})) == [
        body_error("a", "additionalProperties.type")
    ]


def test_additional_properties_in_response_option() -> None:
    ix = interaction(response_body={"id": 1, "extra": 2})
    assert findings_for(answering(PET), ix, additional_properties_in_response=True) == []


def test_declared_additional_properties_false_is_kept_with_the_option() -> None:
    schema = {**PET, "additionalProperties": False}
    ix = interaction(response_body={"id": 1, "extra": 2})
    assert findings_for(answering(schema), ix, additional_properties_in_response=True) == [
        body_error("", "additionalProperties")
    ]


def test_required_is_dropped_by_default() -> None:
    assert findings_for(answering(PET), interaction(response_body={"name": "rex"})) == []


def test_required_properties_in_response_option() -> None:
    ix = interaction(response_body={"name": "rex"})
    assert findings_for(answering(PET), ix, required_properties_in_response=True) == [
        body_error("", "required")
    ]
    assert messages_for(answering(PET), ix, required_properties_in_response=True) == [
        (
            "response.body.incompatible",
            f"{BODY}must have required property 'id'",
        )
    ]


def test_required_is_kept_next_to_one_of() -> None:
    schema = {"type": "object", "required": ["kind"], "oneOf": [{"properties": {"kind": {"const": "a"}}}]}
    assert findings_for(answering(schema), interaction(response_body={})) == [body_error("", "required")]


USER_OR_ADMIN = {
    "oneOf": [
        {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        {
            "type": "object",
            "required": ["name", "grants"],
            "properties": {"name": {"type": "string"}, "grants": {"type": "array"}},
        },
    ]
}


def test_one_of_branches_may_overlap_once_required_is_dropped() -> None:
    # With `required` the user fits only the first branch; without it, both.
    user = interaction(response_body={"name": "ann"})
    assert findings_for(answering(USER_OR_ADMIN), user) == []
    assert findings_for(answering(USER_OR_ADMIN), user, required_properties_in_response=True) == []


def test_one_of_fitting_no_branch_is_still_reported() -> None:
    ix = interaction(response_body={"name": 1})
    assert findings_for(answering(USER_OR_ADMIN), ix) == [
        body_error("name", "oneOf.0.properties.name.type"),
        body_error("name", "oneOf.1.properties.name.type"),
        body_error("", "oneOf"),
    ]
    assert messages_for(answering(USER_OR_ADMIN), ix)[-1] == (
        "response.body.incompatible",
        f"{BODY}must match exactly one schema in oneOf",
    )


def test_one_of_stays_exclusive_when_required_is_demanded() -> None:
    both = {"oneOf": [{"type": "object"}, {"type": "object", "properties": {"a": {}}}]}
    ix = interaction(response_body={})
    assert findings_for(answering(both), ix, additional_properties_in_response=True) == []
    assert findings_for(
        answering(both), ix, additional_properties_in_response=True, required_properties_in_response=True
    ) == [body_error("", "oneOf")]


def test_all_of_is_closed_over_the_union_of_its_members() -> None:
    schema = {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}}},
            {"$ref": "#/components/schemas/B"},
        ]
    }
    spec = answering(schema)
    spec["components"] = {"schemas": {"B": {"type": "object", "properties": {"b": {"type": "integer"}}}}}
    assert findings_for(spec, interaction(response_body={"a": 1, "b": 2})) == []
    ix = interaction(response_body={"a": 1, "b": 2, "c": 3})
    assert findings_for(spec, ix) == [body_error("", "unevaluatedProperties")]
    assert messages_for(spec, ix) == [
        (
            "response.body.incompatible",
            f"{BODY}must NOT have unevaluated properties - c{CLOSED_ALL_OF}",
        )
    ]


def test_all_of_stays_closed_with_the_option() -> None:
    schema = {
        "allOf": [{"type": "object", "properties": {"a": {}}}, {"type": "object", "properties": {"b": {}}}]
    }
    ix = interaction(response_body={"a": 1, "c": 3})
    assert findings_for(answering(schema), ix, additional_properties_in_response=True) == [
        body_error("", "unevaluatedProperties")
    ]


def test_nullable() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "nullable": True}, "b": {"type": "string"}},
    }
    assert findings_for(answering(schema), interaction(response_body={"a": None})) == []
    assert findings_for(answering(schema), interaction(response_body={"b": None})) == [
        body_error("b", "properties.b.type")
    ]
    assert messages_for(answering(schema), interaction(response_body={"a": 1})) == [
        (
            "response.body.incompatible",
            f"{BODY}must be string,null",
        )
    ]


def test_nullable_enum_must_list_null() -> None:
    schema = {"type": "object", "properties": {"v": {"type": "string", "nullable": True, "enum": ["a"]}}}
    assert findings_for(answering(schema), interaction(response_body={"v": "a"})) == []
    assert findings_for(answering(schema), interaction(response_body={"v": None})) == [
        body_error("v", "properties.v.enum")
    ]


def test_int32_format() -> None:
    spec = answering(PET)
    assert findings_for(spec, interaction(response_body={"id": 2**31 - 1})) == []
    ix = interaction(response_body={"id": 2**31})
    assert findings_for(spec, ix) == [body_error("id", "properties.id.format")]
    assert messages_for(spec, ix) == [
        (
            "response.body.incompatible",
            f'{BODY}must match format "int32"',
        )
    ]


@pytest.mark.parametrize("body", [0, False, "", None], ids=["zero", "false", "empty-string", "null"])
def test_falsy_bodies_are_not_validated(body: Any) -> None:
    assert findings_for(answering(PET), interaction(response_body=body)) == []
    assert findings_for(get3("/x"), interaction(response_body=body)) == []


def test_body_without_schema_is_unknown() -> None:
    spec = get3("/x")
    ix = interaction(response_body={"a": 1})
    assert findings_for(spec, ix) == [("response.body.unknown", f"{IX}.response.body", f"{RESPONSES}.200")]
    assert messages_for(spec, ix) == [("response.body.unknown", "No matching schema found for response body")]


def test_swagger2_body_without_schema_is_unknown() -> None:
    spec = swagger2({"/x": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(response_body=[1])) == [
        ("response.body.unknown", f"{IX}.response.body", f"{RESPONSES}.200")
    ]


def test_swagger2_file_response_does_not_crash() -> None:
    """`type: file` is not a JSON Schema type: a file response has nothing to check as JSON."""
    spec = swagger2(
        {
            "/x": {
                "get": {
                    "produces": ["application/json"],
                    "responses": {"200": {"description": "f", "schema": {"type": "file"}}},
                }
            }
        }
    )
    assert findings_for(spec, interaction(response_body={"a": 1})) == []


def test_body_schema_chosen_by_response_content_type() -> None:
    response = {
        "description": "ok",
        "content": {
            "application/json": {"schema": {"type": "integer"}},
            "application/vnd.v2+json": {"schema": {"type": "string"}},
        },
    }
    spec = get3("/x", responses={"200": response})
    ix = interaction(response_headers={"Content-Type": "application/vnd.v2+json"}, response_body="s")
    assert findings_for(spec, ix) == []
    assert findings_for(spec, interaction(response_body="s")) == [body_error("", "type")]


def test_a_text_response_body_for_a_number_schema_is_unvalidatable() -> None:
    spec = get3("/x", responses={"200": response3({"type": "integer"}, "text/plain")})
    assert findings_for(spec, interaction(response_body="text")) == [
        (
            "response.body.unvalidatable",
            "[root].interactions[0].response.body",
            "[root].paths./x.get.responses.200.content.text/plain.schema",
        )
    ]


# --- headers ---------------------------------------------------------------------------------


def with_header(schema: dict[str, Any]) -> dict[str, Any]:
    return get3("/x", responses={"200": {"description": "ok", "headers": {"X-Rate": {"schema": schema}}}})


def test_declared_header_valid() -> None:
    assert findings_for(with_header({"type": "integer"}), interaction(response_headers={"x-rate": "5"})) == []


def test_header_incompatible() -> None:
    spec = with_header({"type": "integer"})
    ix = interaction(response_headers={"X-Rate": "x"})
    assert findings_for(spec, ix) == [
        ("response.header.incompatible", f"{IX}.response.headers.X-Rate", f"{RESPONSES}.200.headers.X-Rate")
    ]
    assert messages_for(spec, ix) == [
        (
            "response.header.incompatible",
            "Value is incompatible with the parameter defined in the spec file: must be integer",
        )
    ]


def test_swagger2_header_incompatible() -> None:
    response = {"description": "ok", "headers": {"X-Rate": {"type": "integer", "maximum": 10}}}
    spec = swagger2({"/x": {"get": {"responses": {"200": response}}}})
    assert findings_for(spec, interaction(response_headers={"X-Rate": "11"})) == [
        ("response.header.incompatible", f"{IX}.response.headers.X-Rate", f"{RESPONSES}.200.headers.X-Rate")
    ]


def test_standard_header_is_undefined_warning() -> None:
    spec = get3("/x")
    ix = interaction(response_headers={"ETag": "x"})
    assert findings_for(spec, ix) == [
        ("response.header.undefined", f"{IX}.response.headers.ETag", f"{RESPONSES}.200")
    ]
    assert messages_for(spec, ix) == [
        ("response.header.undefined", "Standard http response header is not defined in the spec file: etag")
    ]


def test_unknown_header_is_an_error() -> None:
    spec = get3("/x")
    ix = interaction(response_headers={"X-Custom": "1"})
    assert findings_for(spec, ix) == [
        ("response.header.unknown", f"{IX}.response.headers.X-Custom", f"{RESPONSES}.200")
    ]
    assert messages_for(spec, ix) == [
        ("response.header.unknown", "Response header is not defined in the spec file: x-custom")
    ]


def test_content_type_is_not_a_response_header_finding() -> None:
    spec = answering({})
    assert findings_for(spec, interaction(response_headers={"Content-Type": "application/json"})) == []


def test_required_response_header_missing_from_pact_is_fine() -> None:
    spec = get3(
        "/x",
        responses={"200": {"description": "ok", "headers": {"X-Rate": {"required": True, "schema": {}}}}},
    )
    assert findings_for(spec, interaction()) == []


def test_default_response_headers_are_checked() -> None:
    spec = get3(
        "/x",
        responses={"default": {"description": "e", "headers": {"X-Rate": {"schema": {"type": "integer"}}}}},
    )
    assert findings_for(spec, interaction(status=500, response_headers={"X-Rate": "x"})) == [
        ("response.status.default", f"{IX}.response.status", RESPONSES),
        (
            "response.header.incompatible",
            f"{IX}.response.headers.X-Rate",
            f"{RESPONSES}.default.headers.X-Rate",
        ),
    ]


def test_referenced_response_and_header() -> None:
    schema = {"type": "object", "additionalProperties": {"type": "integer"}}
    components = {
        "responses": {
            "R": {
                "description": "r",
                "headers": {"X-R": {"$ref": "#/components/headers/H"}},
                **response3(schema),
            }
        },
        "headers": {"H": {"schema": {"type": "integer"}}},
    }
    spec = get3("/x", responses={"200": {"$ref": "#/components/responses/R"}})
    spec["components"] = components
    assert findings_for(spec, interaction(response_headers={"X-R": "a"}, response_body={"a": "x"})) == [
        body_error("a", "additionalProperties.type"),
        ("response.header.incompatible", f"{IX}.response.headers.X-R", f"{RESPONSES}.200.headers.X-R"),
    ]


def test_body_schema_chosen_by_request_accept() -> None:
    response = {
        "description": "ok",
        "content": {
            "application/json": {"schema": {"type": "integer"}},
            "application/vnd.v2+json": {"schema": {"type": "string"}},
        },
    }
    spec = get3("/x", responses={"200": response})
    assert (
        findings_for(spec, interaction(headers={"Accept": "application/vnd.v2+json"}, response_body="s"))
        == []
    )
