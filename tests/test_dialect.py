"""OpenAPI / Swagger schema objects converted to JSON Schema (`engine/dialect.py`)."""

from __future__ import annotations

from typing import Any

import pytest
from _build import openapi3, swagger2
from crosscontract.engine import load_spec
from crosscontract.engine.schema.dialect import Converter, Policy, request_policy, response_policy
from hypothesis import given, settings, strategies as st
from jsonschema import Draft201909Validator, Draft202012Validator

REQUEST = request_policy()
CLOSED = response_policy(additional_properties=False, required_properties=False)
OPEN = response_policy(additional_properties=True, required_properties=True)


def convert(
    schemas: dict[str, Any], name: str = "A", policy: Policy = REQUEST, *, swagger: bool = False
) -> Any:
    """The bundle for `schemas[name]`, checked against the 2019-09 meta-schema."""
    if swagger:
        spec = load_spec(swagger2(definitions=schemas))
        tokens: tuple[str, ...] = ("definitions", name)
    else:
        spec = load_spec(openapi3(components={"schemas": schemas}))
        tokens = ("components", "schemas", name)
    bundle = Converter(spec).bundle(spec.at(spec.root(), *tokens), policy)
    Draft201909Validator.check_schema(bundle)
    return bundle


def test_nullable_widens_the_type() -> None:
    assert convert({"A": {"type": "string", "nullable": True}}) == {"type": ["string", "null"]}


def test_nullable_false_is_dropped() -> None:
    assert convert({"A": {"type": "string", "nullable": False}}) == {"type": "string"}


def test_nullable_enum_keeps_its_values() -> None:
    """OpenAPI 3.0.3: `null` must be listed in the enum to be allowed."""
    assert convert({"A": {"type": "string", "nullable": True, "enum": ["a"]}}) == {
        "type": ["string", "null"],
        "enum": ["a"],
    }


def test_nullable_reference_becomes_any_of() -> None:
    """OpenAPI 3.0 ignores `$ref` siblings, but specs that write `nullable` there mean it."""
    assert convert({"A": {"$ref": "#/components/schemas/B", "nullable": True}, "B": {"type": "string"}}) == {
        "anyOf": [{"$ref": "#/definitions/s0"}, {"type": "null"}],
        "nullable": True,
        "definitions": {"s0": {"type": "string"}},
    }


@pytest.mark.parametrize("word", ["allOf", "oneOf", "anyOf"])
def test_nullable_without_type_allows_null_around_the_schema(word: str) -> None:
    source = {word: [{"$ref": "#/components/schemas/B"}], "nullable": True}
    converted = convert({"A": source, "B": {"type": "object"}})
    assert converted["anyOf"][1] == {"type": "null"}
    assert converted["nullable"] is True


def test_nullable_without_type_or_composition_changes_nothing() -> None:
    assert convert({"A": {"nullable": True, "minLength": 1}}) == {"minLength": 1}
    assert convert({"A": {"nullable": True, "enum": ["a"]}}) == {"enum": ["a"]}


def test_swagger2_x_nullable() -> None:
    assert convert({"A": {"type": "integer", "x-nullable": True}}, swagger=True) == {
        "type": ["integer", "null"]
    }


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param({"minimum": 1, "exclusiveMinimum": True}, {"exclusiveMinimum": 1}, id="min-true"),
        pytest.param({"minimum": 1, "exclusiveMinimum": False}, {"minimum": 1}, id="min-false"),
        pytest.param({"maximum": 9, "exclusiveMaximum": True}, {"exclusiveMaximum": 9}, id="max-true"),
        pytest.param({"maximum": 9, "exclusiveMaximum": False}, {"maximum": 9}, id="max-false"),
        pytest.param({"exclusiveMinimum": True}, {}, id="flag-without-bound"),
    ],
)
def test_boolean_exclusive_bounds_become_numbers(source: dict[str, Any], expected: dict[str, Any]) -> None:
    assert convert({"A": {"type": "number", **source}}) == {"type": "number", **expected}


def test_annotations_are_dropped() -> None:
    source = {
        "type": "object",
        "title": "t",
        "description": "d",
        "example": {},
        "examples": [],
        "default": {},
        "deprecated": True,
        "readOnly": True,
        "writeOnly": False,
        "xml": {"name": "a"},
        "externalDocs": {"url": "https://x.example"},
        "discriminator": {"propertyName": "kind"},
        "x-vendor": 1,
        # Property *names* that look like annotations are data, not annotations.
        "properties": {"description": {"type": "string", "example": "x"}, "x-id": {"type": "integer"}},
    }
    assert convert({"A": source}) == {
        "type": "object",
        "properties": {"description": {"type": "string"}, "x-id": {"type": "integer"}},
    }


def test_references_are_bundled_into_definitions() -> None:
    schemas = {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "array", "items": {"$ref": "#/components/schemas/C"}},
        "C": {"type": "integer"},
        "Unused": {"type": "string"},
    }
    assert convert(schemas) == {
        "type": "object",
        "properties": {"b": {"$ref": "#/definitions/s0"}},
        "definitions": {
            "s0": {"type": "array", "items": {"$ref": "#/definitions/s1"}},
            "s1": {"type": "integer"},
        },
    }


def test_swagger2_definitions_are_bundled() -> None:
    schemas = {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/definitions/B"}}},
        "B": {"type": "string"},
    }
    assert convert(schemas, swagger=True) == {
        "type": "object",
        "properties": {"b": {"$ref": "#/definitions/s0"}},
        "definitions": {"s0": {"type": "string"}},
    }


def test_recursive_schema_terminates() -> None:
    schemas = {"A": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/A"}}}}
    assert convert(schemas) == {
        "type": "object",
        "properties": {"child": {"$ref": "#/definitions/s0"}},
        "definitions": {"s0": {"type": "object", "properties": {"child": {"$ref": "#/definitions/s0"}}}},
    }


def test_mutually_recursive_schemas_terminate() -> None:
    schemas = {
        "A": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
    }
    bundle = convert(schemas)
    assert bundle["items"] == {"$ref": "#/definitions/s0"}
    assert bundle["definitions"] == {
        "s0": {"type": "object", "properties": {"a": {"$ref": "#/definitions/s1"}}},
        "s1": {"type": "array", "items": {"$ref": "#/definitions/s0"}},
    }


def test_response_policy_closes_objects_and_drops_required() -> None:
    source = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "object"}, "b": {"properties": {"c": {}}}},
    }
    assert convert({"A": source}, policy=CLOSED) == {
        "type": "object",
        "properties": {
            "a": {"type": "object", "additionalProperties": False},
            # Without `type: object` a schema stays open, as in the reference engine.
            "b": {"properties": {"c": {}}},
        },
        "additionalProperties": False,
    }


def test_response_policy_switched_off_keeps_the_schema() -> None:
    source = {"type": "object", "required": ["a"], "properties": {"a": {"type": "object"}}}
    assert convert({"A": source}, policy=OPEN) == source


def test_request_policy_keeps_objects_open() -> None:
    source = {"type": "object", "required": ["a"], "properties": {"a": {"type": "object"}}}
    assert convert({"A": source}) == source


def test_response_policy_keeps_declared_additional_properties() -> None:
    source = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert convert({"A": source}, policy=CLOSED) == source


def test_response_policy_keeps_required_next_to_one_of() -> None:
    source = {"type": "object", "required": ["kind"], "oneOf": [{"type": "object", "required": ["a"]}]}
    assert convert({"A": source}, policy=CLOSED) == {
        "type": "object",
        "required": ["kind"],
        "oneOf": [{"type": "object", "additionalProperties": False}],
        "x-oneOf-may-overlap": True,
    }


def test_all_of_is_closed_over_its_members() -> None:
    source = {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "object"}}, "additionalProperties": False},
            {"$ref": "#/components/schemas/B"},
        ]
    }
    schemas = {"A": source, "B": {"type": "object", "properties": {"b": {}}}}
    assert convert(schemas, policy=CLOSED) == {
        "allOf": [
            # Members lose additionalProperties; their nested objects are closed as usual.
            {"type": "object", "properties": {"a": {"type": "object", "additionalProperties": False}}},
            {"$ref": "#/definitions/s0"},
        ],
        "unevaluatedProperties": False,
        "definitions": {"s0": {"type": "object", "properties": {"b": {}}}},
    }


def test_all_of_is_closed_for_requests_too() -> None:
    source = {"allOf": [{"type": "object", "properties": {"a": {}}}]}
    assert convert({"A": source}) == {
        "allOf": [{"type": "object", "properties": {"a": {}}}],
        "unevaluatedProperties": False,
    }


def test_same_reference_converts_once_per_policy() -> None:
    spec = load_spec(
        openapi3(components={"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "object"}}})
    )
    converter = Converter(spec)
    node = spec.at(spec.root(), "components", "schemas", "A")
    first, again = converter.bundle(node, CLOSED), converter.bundle(node, CLOSED)
    assert first["definitions"]["s0"] is again["definitions"]["s0"]
    assert converter.bundle(node, REQUEST)["definitions"] == {"s1": {"type": "object"}}


def test_openapi31_keeps_reference_siblings_and_type_lists() -> None:
    spec = load_spec(
        openapi3(
            version="3.1.0",
            components={
                "schemas": {
                    "A": {"$ref": "#/components/schemas/B", "description": "d", "maxLength": 3},
                    "B": {"type": ["string", "null"]},
                }
            },
        )
    )
    bundle = Converter(spec).bundle(spec.at(spec.root(), "components", "schemas", "A"), REQUEST)
    Draft202012Validator.check_schema(bundle)
    assert bundle == {
        "maxLength": 3,
        "$ref": "#/definitions/s0",
        "definitions": {"s0": {"type": ["string", "null"]}},
    }


# Hypothesis: whatever a (small, valid) OpenAPI 3.0 schema holds, its conversion is a valid
# JSON Schema 2019-09 document for every policy.

_TYPES = ["string", "integer", "number", "boolean", "object", "array"]
_NAMES = st.sampled_from(["a", "b", "id", "description", "x-y"])


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    scalar = st.fixed_dictionaries(
        {"type": st.sampled_from(_TYPES[:4])},
        optional={
            "nullable": st.booleans(),
            "format": st.sampled_from(["int32", "int64", "date", "date-time", "uuid", "byte", "custom"]),
            "minimum": st.integers(-5, 5),
            "maximum": st.integers(-5, 5),
            "exclusiveMinimum": st.booleans(),
            "exclusiveMaximum": st.booleans(),
            "enum": st.lists(st.one_of(st.integers(), st.text(max_size=3)), min_size=1, max_size=3),
            "example": st.integers(),
            "description": st.text(max_size=5),
            "x-extension": st.booleans(),
            "readOnly": st.booleans(),
            "pattern": st.just("^[a-z]*$"),
        },
    )
    ref = st.sampled_from([{"$ref": "#/components/schemas/Leaf"}, {"$ref": "#/components/schemas/Tree"}])
    return st.one_of(scalar, ref, st.just({}))


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    obj = st.fixed_dictionaries(
        {"type": st.just("object")},
        optional={
            "properties": st.dictionaries(_NAMES, children, max_size=3),
            "required": st.lists(_NAMES, min_size=1, max_size=2, unique=True),
            "additionalProperties": st.one_of(st.booleans(), children),
            "nullable": st.booleans(),
            "discriminator": st.just({"propertyName": "a"}),
        },
    )
    array = st.fixed_dictionaries(
        {"type": st.just("array"), "items": children},
        optional={"minItems": st.integers(0, 2), "uniqueItems": st.booleans(), "nullable": st.booleans()},
    )
    members = st.lists(children, min_size=1, max_size=3)
    composed = [st.fixed_dictionaries({word: members}) for word in ("allOf", "anyOf", "oneOf")]
    negated = st.fixed_dictionaries({"not": children})
    return st.one_of(obj, array, negated, *composed)


_SCHEMAS = st.recursive(_leaf(), _extend, max_leaves=8)


@settings(max_examples=80, deadline=None)
@given(schema=_SCHEMAS, wrapper=st.sampled_from([None, "allOf", "anyOf", "oneOf"]))
def test_converted_schemas_are_valid_json_schema(schema: dict[str, Any], wrapper: str | None) -> None:
    schemas = {
        "A": schema if wrapper is None else {wrapper: [schema, {"type": "object"}]},
        "Leaf": {"type": "string", "nullable": True},
        "Tree": {
            "type": "object",
            "properties": {"kids": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
        },
    }
    for policy in (REQUEST, CLOSED, OPEN):
        convert(schemas, policy=policy)


# --- allOf merged before the response policy closes it --------------------------------------


def test_all_of_members_declaring_one_object_merge_into_one_closed_object() -> None:
    x, y = {"type": "string"}, {"type": "integer"}
    source = {
        "allOf": [
            {"type": "object", "properties": {"data": {"type": "object", "properties": {"x": x}}}},
            {"properties": {"data": {"type": "object", "properties": {"y": y}}}, "required": ["data"]},
        ]
    }
    assert convert({"A": source}, policy=CLOSED) == {
        "type": "object",
        "properties": {
            "data": {
                "allOf": [
                    {"type": "object", "properties": {"x": x}},
                    {"type": "object", "properties": {"y": y}},
                ],
                "unevaluatedProperties": False,
            }
        },
        "unevaluatedProperties": False,
    }


def test_an_all_of_that_cannot_be_merged_exactly_is_read_open() -> None:
    data = {"type": "object", "properties": {"x": {}}}
    source = {"allOf": [{"properties": {"data": data}}, {"oneOf": [{"properties": {"data": data}}]}]}
    converted = convert({"A": source}, policy=CLOSED)
    assert converted["unevaluatedProperties"] is False
    assert "additionalProperties" not in converted["allOf"][0]["properties"]["data"]


# Differential: a response `allOf` read with the closing policy rejects a value exactly when
# the same schema read open (no object closed, nothing merged) rejects it, or when the value
# holds a property that no member declares for the object it is in.

_FIELDS = st.sampled_from(["a", "b", "c"])


def _object_tree(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.sampled_from([{"type": "string"}, {"$ref": "#/components/schemas/S"}])
    if depth == 0:
        return leaf
    child = st.one_of(leaf, st.deferred(lambda: _object_tree(depth - 1)))
    obj = st.builds(
        lambda props, typed: {**({"type": "object"} if typed else {}), "properties": props},
        st.dictionaries(_FIELDS, child, max_size=3),
        st.booleans(),
    )
    array = st.builds(lambda items: {"type": "array", "items": items}, child)
    merged = st.builds(lambda members: {"allOf": members}, st.lists(child, min_size=1, max_size=2))
    return st.one_of(obj, obj, array, merged)


_VALUES = st.recursive(
    st.sampled_from(["s", 1]),
    lambda inner: st.one_of(
        st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), inner, max_size=3), st.lists(inner, max_size=2)
    ),
    max_leaves=8,
)


def _undeclared(schemas: list[Any], value: Any, components: dict[str, Any]) -> bool:
    """Whether `value` holds a property none of `schemas` (all applying to it) declares."""
    flat: list[dict[str, Any]] = []
    stack = list(schemas)
    while stack:
        schema = stack.pop()
        if "$ref" in schema:
            stack.append(components[schema["$ref"].rsplit("/", 1)[1]])
        elif "allOf" in schema:
            stack.extend(schema["allOf"])
        else:
            flat.append(schema)
    if isinstance(value, dict):
        declared: list[dict[str, Any]] = [s["properties"] for s in flat if "properties" in s]
        if not declared:
            return False
        for name, sub in value.items():
            if not any(name in d for d in declared):
                return True
            if _undeclared([d[name] for d in declared if name in d], sub, components):
                return True
    if isinstance(value, list):
        items = [s["items"] for s in flat if "items" in s]
        return bool(items) and any(_undeclared(items, v, components) for v in value)
    return False


@settings(max_examples=300, deadline=None)
@given(members=st.lists(_object_tree(3), min_size=2, max_size=3), value=_VALUES)
def test_merged_all_of_never_closes_what_a_member_declares(members: list[Any], value: Any) -> None:
    """Closed is never a false error: what the open reading accepts and every property of which
    some member declares is accepted. Where a merge is not exact (members of different types),
    the policy reads them open, so closed may accept more than the oracle: never less."""
    components = {"A": {"allOf": members}, "S": {"type": "string"}}
    closed = Draft201909Validator(convert(components, policy=CLOSED)).is_valid(value)
    open_policy = response_policy(additional_properties=True, required_properties=False)
    open_ = Draft201909Validator(convert(components, policy=open_policy)).is_valid(value)
    if open_ and not _undeclared([components["A"]], value, components):
        assert closed
    if not open_:
        assert not closed
