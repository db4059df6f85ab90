"""Each change code, from a tiny pair of specs that differ in one place.

Every declared code has a case here (a test fails when a code is declared without one);
each case asserts the code is reported, and the schema cases that nothing else with a
higher severity is.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from crosscontract.engine import load_spec
from crosscontract.engine.diff import CHANGE_CODES, Change, ChangeSeverity, spec_changes

Doc = dict[str, Any]


def _doc(
    *,
    parameters: list[Doc] | None = None,
    body: Doc | None = None,
    responses: Doc | None = None,
    security: list[Doc] | None = None,
    path: str = "/pets/{id}",
    method: str = "post",
) -> Doc:
    operation: Doc = {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
        + (parameters or []),
        "responses": responses
        if responses is not None
        else {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
    }
    if body is not None:
        operation["requestBody"] = body
    if security is not None:
        operation["security"] = security
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {path: {method: operation}},
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "basic": {"type": "http", "scheme": "basic"},
            }
        },
    }


def _changes(old: Doc, new: Doc) -> list[Change]:
    return list(spec_changes(load_spec(old), load_spec(new)))


def _body(schema: Doc, required: bool = False, media: str = "application/json") -> Doc:
    return {"required": required, "content": {media: {"schema": schema}}}


def _response(schema: Doc | None = None, headers: Doc | None = None, media: str = "application/json") -> Doc:
    response: Doc = {"description": "ok"}
    if schema is not None:
        response["content"] = {media: {"schema": schema}}
    if headers is not None:
        response["headers"] = headers
    return response


# --- schema changes: one pair of schemas, placed in each part of the contract ----------------

REQUEST_SCHEMAS: dict[str, tuple[Doc, Doc]] = {
    "type-changed": ({"type": "string"}, {"type": "integer"}),
    "type-widened": ({"type": "integer"}, {"type": "number"}),
    "enum-narrowed": ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}),
    "enum-widened": ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}),
    "constraint-tightened": ({"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 5}),
    "constraint-loosened": ({"type": "string", "minLength": 5}, {"type": "string", "minLength": 1}),
    "branch-added": ({"oneOf": [{"type": "string"}]}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}),
    "branch-removed": ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"anyOf": [{"type": "string"}]}),
    "schema-changed": ({"not": {"type": "string"}}, {"not": {"type": "integer"}}),
}
RESPONSE_SCHEMAS: dict[str, tuple[Doc, Doc]] = {
    "type-changed": ({"type": "integer"}, {"type": "number"}),
    "type-narrowed": ({"type": "number"}, {"type": "integer"}),
    "enum-narrowed": ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}),
    "enum-widened": ({"type": "string", "enum": ["a"]}, {"type": "string", "nullable": False}),
    "constraint-tightened": ({"type": "integer", "maximum": 10}, {"type": "integer", "maximum": 5}),
    "constraint-loosened": ({"type": "string", "pattern": "^a"}, {"type": "string"}),
    "branch-added": ({"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
    "branch-removed": (
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "integer"}]},
    ),
    "schema-changed": ({"oneOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}]}),
}


def _in_part(part: str, schema: Doc) -> Doc:
    """A spec whose `part` (request.body, response.header...) has `schema`."""
    wrapped = {"type": "object", "properties": {"p": schema}}
    if part == "request.body":
        return _doc(body=_body(schema))
    if part == "request.property":
        return _doc(body=_body(wrapped))
    if part == "request.parameter":
        return _doc(parameters=[{"name": "q", "in": "query", "schema": schema}])
    if part == "response.body":
        return _doc(responses={"200": _response(schema)})
    if part == "response.property":
        return _doc(responses={"200": _response(wrapped)})
    assert part == "response.header"
    return _doc(responses={"200": _response(headers={"X-H": {"schema": schema}})})


SCHEMA_CASES = [
    (f"change.{part}.{problem}", part, pair)
    for part in ("request.body", "request.property", "request.parameter")
    for problem, pair in REQUEST_SCHEMAS.items()
] + [
    (f"change.{part}.{problem}", part, pair)
    for part in ("response.body", "response.property", "response.header")
    for problem, pair in RESPONSE_SCHEMAS.items()
]


@pytest.mark.parametrize(("expected", "part", "pair"), SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_change(expected: str, part: str, pair: tuple[Doc, Doc]) -> None:
    changes = _changes(_in_part(part, pair[0]), _in_part(part, pair[1]))
    assert [c.code.code for c in changes] == [expected]
    change = changes[0]
    assert change.operation == "POST /pets/{id}"
    assert change.old is not None
    assert change.new is not None


# --- properties -------------------------------------------------------------------------------


def _object(properties: Doc, required: list[str] | None = None) -> Doc:
    schema: Doc = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


S = {"type": "string"}
PROPERTY_CASES: dict[str, tuple[Doc, Doc]] = {
    "required-added": (_object({"p": S}), _object({"p": S}, ["p"])),
    "became-optional": (_object({"p": S}, ["p"]), _object({"p": S})),
    "removed": (_object({"p": S, "q": S}), _object({"p": S})),
    "added": (_object({"p": S}), _object({"p": S, "q": S})),
}


@pytest.mark.parametrize("side", ["request", "response"])
@pytest.mark.parametrize("problem", list(PROPERTY_CASES))
def test_property_change(side: str, problem: str) -> None:
    old, new = PROPERTY_CASES[problem]
    if side == "request":
        docs = _doc(body=_body(old)), _doc(body=_body(new))
    else:
        docs = _doc(responses={"200": _response(old)}), _doc(responses={"200": _response(new)})
    changes = _changes(*docs)
    assert [c.code.code for c in changes] == [f"change.{side}.property.{problem}"]


def test_new_required_property_is_required_added() -> None:
    changes = _changes(
        _doc(body=_body(_object({"p": S}))), _doc(body=_body(_object({"p": S, "q": S}, ["q"])))
    )
    assert [(c.code.code, c.message) for c in changes] == [
        ("change.request.property.required-added", "request body (application/json), q: added")
    ]


def test_severity_depends_on_the_side() -> None:
    """Removing a property: a request may still send it (warning); a response no longer has it (error)."""
    old, new = PROPERTY_CASES["removed"]
    request = _changes(_doc(body=_body(old)), _doc(body=_body(new)))
    response = _changes(_doc(responses={"200": _response(old)}), _doc(responses={"200": _response(new)}))
    assert request[0].severity is ChangeSeverity.WARNING
    assert response[0].severity is ChangeSeverity.ERROR


def test_changes_inside_a_referenced_schema_point_at_the_component() -> None:
    old = _doc(body=_body({"$ref": "#/components/schemas/Pet"}))
    old["components"]["schemas"] = {"Pet": _object({"name": {"type": "string"}})}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Pet"]["properties"]["name"]["maxLength"] = 3
    (change,) = _changes(old, new)
    assert change.code.code == "change.request.property.constraint-tightened"
    assert change.old == ("components", "schemas", "Pet", "properties", "name")
    assert change.message == "request body (application/json), name: maxLength none -> 3"


def test_a_recursive_schema_is_compared_once() -> None:
    tree = _object(
        {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/T"}},
        }
    )
    old = _doc(responses={"200": _response({"$ref": "#/components/schemas/T"})})
    old["components"]["schemas"] = {"T": tree}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["T"]["properties"]["name"]["type"] = "integer"
    assert [c.code.code for c in _changes(old, new)] == ["change.response.property.type-changed"]


# --- everything outside schemas ----------------------------------------------------------------

Q = {"name": "q", "in": "query", "schema": {"type": "string"}}
RQ = {**Q, "required": True}
JSON_200 = {"200": _response({"type": "object"})}

PLAIN_CASES: dict[str, tuple[Doc, Doc]] = {
    "change.operation.removed": (_doc(), _doc(path="/cats/{id}")),
    "change.operation.added": (_doc(path="/cats/{id}"), _doc()),
    "change.request.parameter.removed": (_doc(parameters=[Q]), _doc()),
    "change.request.parameter.required-added": (_doc(), _doc(parameters=[RQ])),
    "change.request.parameter.became-required": (_doc(parameters=[Q]), _doc(parameters=[RQ])),
    "change.request.parameter.added": (_doc(), _doc(parameters=[Q])),
    "change.request.parameter.became-optional": (_doc(parameters=[RQ]), _doc(parameters=[Q])),
    "change.request.parameter.style-changed": (
        _doc(parameters=[{**Q, "schema": {"type": "array", "items": S}}]),
        _doc(parameters=[{**Q, "schema": {"type": "array", "items": S}, "explode": False}]),
    ),
    "change.request.body.required-added": (_doc(body=_body(S)), _doc(body=_body(S, required=True))),
    "change.request.body.added": (_doc(), _doc(body=_body(S))),
    "change.request.body.removed": (_doc(body=_body(S)), _doc()),
    "change.request.media-type.removed": (_doc(body=_body(S)), _doc(body=_body(S, media="text/plain"))),
    "change.request.media-type.added": (
        _doc(body=_body(S)),
        _doc(body={"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}),
    ),
    "change.response.status.removed": (_doc(responses={**JSON_200, "201": _response()}), _doc()),
    "change.response.non-success-status.removed": (_doc(responses={**JSON_200, "404": _response()}), _doc()),
    "change.response.status.added": (_doc(), _doc(responses={**JSON_200, "404": _response()})),
    "change.response.status.added-over-default": (
        _doc(responses={**JSON_200, "default": _response()}),
        _doc(responses={**JSON_200, "default": _response(), "404": _response()}),
    ),
    "change.response.media-type.removed": (_doc(), _doc(responses={"200": _response(S, media="text/plain")})),
    "change.response.media-type.added": (
        _doc(),
        _doc(
            responses={
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": {"type": "object"}},
                        "text/csv": {"schema": S},
                    },
                }
            }
        ),
    ),
    "change.response.body.removed": (_doc(), _doc(responses={"200": {"description": "ok"}})),
    "change.response.header.removed": (
        _doc(responses={"200": _response(headers={"X-H": {"schema": S}})}),
        _doc(responses={"200": _response()}),
    ),
    "change.response.header.became-optional": (
        _doc(responses={"200": _response(headers={"X-H": {"schema": S, "required": True}})}),
        _doc(responses={"200": _response(headers={"X-H": {"schema": S}})}),
    ),
    "change.response.header.added": (
        _doc(responses={"200": _response()}),
        _doc(responses={"200": _response(headers={"X-H": {"schema": S}})}),
    ),
    "change.security.added": (_doc(), _doc(security=[{"key": []}])),
    "change.security.changed": (_doc(security=[{"key": []}]), _doc(security=[{"basic": []}])),
    "change.security.loosened": (_doc(security=[{"key": []}]), _doc(security=[{"key": []}, {}])),
}


@pytest.mark.parametrize("expected", list(PLAIN_CASES))
def test_plain_change(expected: str) -> None:
    old, new = PLAIN_CASES[expected]
    codes = [c.code.code for c in _changes(old, new)]
    assert expected in codes


def test_every_code_has_a_case() -> None:
    covered = {c[0] for c in SCHEMA_CASES} | set(PLAIN_CASES)
    covered |= {f"change.{side}.property.{p}" for side in ("request", "response") for p in PROPERTY_CASES}
    assert covered == set(CHANGE_CODES)


def test_identical_specs_have_no_changes() -> None:
    doc = _doc(parameters=[Q], body=_body(_object({"p": S}, ["p"])), security=[{"key": []}])
    assert _changes(doc, copy.deepcopy(doc)) == []


def test_a_renamed_path_parameter_is_the_same_operation() -> None:
    old = _doc()
    new = _doc(path="/pets/{petId}")
    new["paths"]["/pets/{petId}"]["post"]["parameters"][0]["name"] = "petId"
    assert _changes(old, new) == []


def test_swagger2_and_openapi3_of_one_api_compare_alike() -> None:
    swagger = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "produces": ["application/json"],
                    "parameters": [{"name": "limit", "in": "query", "type": "integer", "maximum": 100}],
                    "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": S}}},
                }
            }
        },
    }
    openapi = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "2"},
        "paths": {
            "/pets": {
                "get": {
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 50}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"type": "array", "items": S}}},
                        }
                    },
                }
            }
        },
    }
    assert [(c.code.code, c.message) for c in _changes(swagger, openapi)] == [
        ("change.request.parameter.constraint-tightened", "query parameter limit: maximum 100 -> 50")
    ]
