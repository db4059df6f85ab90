"""The classifier's promise: a change it calls harmless (info) never breaks a passing interaction.

Hypothesis edits a small spec (types, enums, constraints, properties, parameters, statuses,
media types, security, rewrites into `allOf`/`oneOf`/`anyOf`: one to three edits), the
classifier lists the changes, and whenever every change is `info` the interaction that
passed against the old spec must pass against the new one, as `compare` sees it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from crosscontract.engine import Comparator, load_spec, parse_pact
from crosscontract.engine.diff import ChangeSeverity, spec_changes
from hypothesis import HealthCheck, given, settings, strategies as st

Doc = dict[str, Any]

BASE: Doc = {
    "openapi": "3.0.3",
    "info": {"title": "items", "version": "1"},
    "paths": {
        "/items/{id}": {
            "post": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 10}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string", "maxLength": 20},
                                    "count": {"type": "integer", "minimum": 0},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "name": {"type": "string"},
                                        "tags": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
}

PACT = parse_pact(
    {
        "consumer": {"name": "web"},
        "provider": {"name": "items"},
        "interactions": [
            {
                "description": "create",
                "request": {
                    "method": "POST",
                    "path": "/items/7",
                    "query": "q=abc",
                    "headers": {"Content-Type": "application/json"},
                    "body": {"name": "x", "count": 3},
                },
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"id": 7, "name": "x", "tags": ["a"]},
                },
            }
        ],
    },
    "pact.json",
)

OPERATION = ("paths", "/items/{id}", "post")
REQUEST = (*OPERATION, "requestBody", "content", "application/json", "schema")
RESPONSE = (*OPERATION, "responses", "200", "content", "application/json", "schema")
SCHEMAS = [
    (*OPERATION, "parameters", 0, "schema"),
    (*OPERATION, "parameters", 1, "schema"),
    REQUEST,
    (*REQUEST, "properties", "name"),
    (*REQUEST, "properties", "count"),
    RESPONSE,
    (*RESPONSE, "properties", "id"),
    (*RESPONSE, "properties", "name"),
    (*RESPONSE, "properties", "tags"),
    (*RESPONSE, "properties", "tags", "items"),
]
OBJECTS = [REQUEST, RESPONSE]

values = st.sampled_from(["x", "abc", "a", 3, 7, 0, -1, 2.5, True, None])
types = st.sampled_from(["string", "integer", "number", "boolean", "object", "array"])
Edit = Callable[[Doc], None]


def _at(doc: Any, pointer: tuple[str | int, ...]) -> Any:
    """The value at `pointer`, or None where an earlier edit took it away."""
    for token in pointer:
        try:
            doc = doc[token]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


@st.composite
def keyword_edits(draw: st.DrawFn) -> Edit:
    pointer = draw(st.sampled_from(SCHEMAS))
    keyword = draw(
        st.sampled_from(
            [
                "type",
                "enum",
                "maxLength",
                "minLength",
                "maximum",
                "minimum",
                "pattern",
                "format",
                "nullable",
                "maxItems",
                "minItems",
                "uniqueItems",
                "readOnly",
                "writeOnly",
                "additionalProperties",
            ]
        )
    )
    remove = draw(st.booleans())
    if keyword == "type":
        value: Any = draw(types)
    elif keyword == "enum":
        value = draw(st.lists(values, min_size=1, max_size=4, unique_by=repr))
    elif keyword in ("pattern",):
        value = draw(st.sampled_from(["^a", "^x", "b"]))
    elif keyword == "format":
        value = draw(st.sampled_from(["date", "int64", "email"]))
    elif keyword in ("nullable", "uniqueItems", "readOnly", "writeOnly", "additionalProperties"):
        value = draw(st.booleans())
    else:
        value = draw(st.integers(min_value=-2, max_value=30))

    def edit(doc: Doc) -> None:
        schema = _at(doc, pointer)
        if not isinstance(schema, dict):
            return
        if remove:
            schema.pop(keyword, None)
        else:
            schema[keyword] = value

    return edit


@st.composite
def property_edits(draw: st.DrawFn) -> Edit:
    pointer = draw(st.sampled_from(OBJECTS))
    name = draw(st.sampled_from(["name", "count", "id", "tags", "extra"]))
    action = draw(st.sampled_from(["add", "remove", "require", "unrequire"]))
    kind = draw(types)

    def edit(doc: Doc) -> None:
        schema = _at(doc, pointer)
        if not isinstance(schema, dict):
            return
        properties = schema.setdefault("properties", {})
        required = schema.setdefault("required", [])
        if action == "add":
            properties.setdefault(name, {"type": kind})
        elif action == "remove":
            properties.pop(name, None)
        elif action == "require" and name not in required:
            required.append(name)
        elif action == "unrequire" and name in required:
            required.remove(name)
        if not required:
            del schema["required"]

    return edit


@st.composite
def operation_edits(draw: st.DrawFn) -> Edit:
    action = draw(
        st.sampled_from(
            [
                "add-param",
                "remove-param",
                "toggle-param",
                "add-status",
                "add-default",
                "remove-status",
                "add-media",
                "remove-media",
                "security",
                "body-optional",
                "response-media",
            ]
        )
    )
    where = draw(st.sampled_from(["query", "header"]))
    required = draw(st.booleans())

    def edit(doc: Doc) -> None:
        operation = _at(doc, OPERATION)
        parameters = operation["parameters"]
        content = operation["requestBody"]["content"]
        responses = operation["responses"]
        if action == "add-param":
            parameters.append(
                {"name": "extra", "in": where, "required": required, "schema": {"type": "string"}}
            )
        elif action == "remove-param" and len(parameters) > 1:
            parameters.pop()
        elif action == "toggle-param":
            parameters[-1]["required"] = not parameters[-1].get("required", False)
        elif action == "add-status":
            responses["404"] = {"description": "missing"}
        elif action == "add-default":
            responses["default"] = {"description": "other"}
        elif action == "remove-status":
            responses.pop("200", None)
            responses.setdefault("204", {"description": "none"})
        elif action == "add-media":
            content["text/plain"] = {"schema": {"type": "string"}}
        elif action == "remove-media" and "application/json" in content:
            content["application/xml"] = content.pop("application/json")
        elif action == "security":
            operation["security"] = [{"key": []}] if required else [{"key": []}, {}]
        elif action == "body-optional":
            operation["requestBody"]["required"] = required
        elif action == "response-media":
            body = _at(responses, ("200", "content"))
            if isinstance(body, dict) and "application/json" in body:
                body["application/problem+json"] = body["application/json"]
                if required:
                    del body["application/json"]

    return edit


@st.composite
def composition_edits(draw: st.DrawFn) -> Edit:
    """Rewrites into compositions: an object split into an `allOf` of two members (one of them
    perhaps closed), or a schema made a branch of a `oneOf`/`anyOf` with another."""
    action = draw(st.sampled_from(["split", "union"]))
    pointer = draw(st.sampled_from(OBJECTS if action == "split" else SCHEMAS))
    closed = draw(st.booleans())
    keyword = draw(st.sampled_from(["oneOf", "anyOf"]))
    other: Doc = {"type": draw(types)}

    def edit(doc: Doc) -> None:
        schema = _at(doc, pointer)
        if not isinstance(schema, dict):
            return
        whole = dict(schema)
        schema.clear()
        if action == "union":
            schema[keyword] = [whole, other]
            return
        properties = whole.pop("properties", {})
        names = sorted(properties)
        first: Doc = {"type": "object", "properties": {n: properties[n] for n in names[:1]}}
        if closed:
            first["additionalProperties"] = False
        rest = {**whole, "properties": {n: properties[n] for n in names[1:]}}
        schema["allOf"] = [first, rest]

    return edit


edits = st.lists(
    st.one_of(keyword_edits(), property_edits(), operation_edits(), composition_edits()),
    min_size=1,
    max_size=3,
)


def _passes(doc: Doc) -> bool:
    result = Comparator(load_spec(copy.deepcopy(doc))).check_pact(PACT)
    return result.success


def test_the_interaction_passes_against_the_base_spec() -> None:
    assert _passes(BASE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_a_change_called_harmless_never_breaks_a_passing_interaction(changes: list[Edit]) -> None:
    new = copy.deepcopy(BASE)
    for edit in changes:
        edit(new)
    found = spec_changes(load_spec(copy.deepcopy(BASE)), load_spec(copy.deepcopy(new)))
    if all(c.severity is ChangeSeverity.INFO for c in found):
        assert _passes(new), [c.message for c in found]
