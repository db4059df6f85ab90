"""The walk that stands in for jsonschema (`engine/schema/walk.py`): jsonschema's
verdicts and errors exactly, or a refusal that leaves the value to jsonschema."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import pytest
from crosscontract.engine.schema.validation import (
    InvalidSchemaError,
    SchemaError,
    Validator,
    _flatten,
    jsonschema_validator,
)
from crosscontract.engine.schema.walk import UnsupportedError, Walk
from hypothesis import HealthCheck, given, settings, strategies as st


def walked(schema: Any, value: Any, *, draft2020: bool = False) -> list[SchemaError] | type[Exception]:
    try:
        return [
            e for error in Walk(schema, draft2020=draft2020).errors(value) for e in _flatten(error, schema)
        ]
    except InvalidSchemaError:
        return InvalidSchemaError


def by_jsonschema(schema: Any, value: Any, *, draft2020: bool = False) -> list[SchemaError] | type[Exception]:
    try:
        validator = jsonschema_validator(schema, draft2020=draft2020)
        return [e for error in validator.iter_errors(value) for e in _flatten(error, schema)]
    except InvalidSchemaError:
        return InvalidSchemaError


def same(schema: Any, value: Any, *, draft2020: bool = False) -> bool:
    """Whether the walk read `schema` (True) or refused it (False); when it read it, its
    errors and verdict are jsonschema's."""
    try:
        mine = walked(schema, value, draft2020=draft2020)
        valid = Walk(schema, draft2020=draft2020).is_valid(value) if isinstance(mine, list) else None
    except UnsupportedError:
        return False
    assert mine == by_jsonschema(schema, value, draft2020=draft2020), (schema, value)
    if valid is not None:
        assert valid == jsonschema_validator(schema, draft2020=draft2020).is_valid(value)
    return True


# --- examples --------------------------------------------------------------------------------


@pytest.mark.parametrize("draft2020", [False, True])
@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": ["string", "null"]}, 1),
        ({"type": "integer"}, 1.0),
        ({"type": "integer"}, True),
        ({"enum": [1, "a"]}, True),
        ({"const": [1, {"a": False}]}, [1, {"a": 0}]),
        ({"type": "object", "required": ["a", "b"], "properties": {"a": {"minimum": 3}}}, {"a": 2}),
        ({"properties": {"a": False}}, {"a": 1}),
        (
            {"additionalProperties": False, "patternProperties": {"^x-": {"type": "string"}}},
            {"x-a": 1, "b": 2},
        ),
        ({"additionalProperties": {"type": "string"}, "properties": {"a": {}}}, {"a": 1, "b": 2}),
        ({"items": {"type": "integer"}, "maxItems": 1}, [1, "a", 2.5]),
        ({"items": False}, [1]),
        ({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}], "nullable": True}, "2020-13-01"),
        ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, 1),
        ({"oneOf": [{"type": "integer"}, {"type": "string"}]}, None),
        ({"not": {"type": "string"}}, "a"),
        ({"multipleOf": 0.1}, 0.3),
        ({"multipleOf": 0}, 3),
        ({"multipleOf": 1e-300}, 1e300),
        ({"pattern": "^[a-z]+$"}, "abc1"),
        ({"patternProperties": {"(": {}}}, {"a": 1}),
        ({"minLength": 2, "maxLength": 3, "format": "int32"}, "abcd"),
        ({"format": "int32"}, 2**31),
        ({"minProperties": 1, "maxProperties": 0}, {}),
        ({"exclusiveMinimum": 1, "exclusiveMaximum": 1}, 1),
        (
            {
                "$ref": "#/definitions/s0",
                "definitions": {"s0": {"type": "array", "items": {"$ref": "#/definitions/s0"}}},
            },
            [[[1]]],
        ),
        (
            {
                "oneOf": [
                    {"properties": {"k": {"const": "a"}}},
                    {"properties": {"k": {"const": "b"}, "n": {"type": "integer"}}},
                ],
                "discriminator": {"propertyName": "k", "mapping": {"a": 0, "b": 1}},
            },
            {"k": "b", "n": "x"},
        ),
        (
            {"anyOf": [{"type": "object"}], "discriminator": {"propertyName": "k", "mapping": {"a": 0}}},
            {"k": "z"},
        ),
        ({"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "k", "mapping": {"a": 0}}}, {}),
        (
            {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "k", "mapping": {"a": 0}}},
            {"k": 1},
        ),
        (
            {
                "$ref": "#/definitions/base",
                "discriminator": {"propertyName": "k", "subtypes": {"c": {"$ref": "#/definitions/cat"}}},
                "definitions": {"base": {"required": ["k"]}, "cat": {"required": ["meow"]}},
            },
            {"k": "c"},
        ),
        ({"oneOf": [{"type": "integer"}, {"minimum": 0}], "x-oneOf-may-overlap": True}, 1),
        (
            {
                "allOf": [{"$ref": "#/definitions/s0"}, {"properties": {"b": {"type": "string"}}}],
                "unevaluatedProperties": False,
                "definitions": {"s0": {"properties": {"a": {}}}},
            },
            {"a": 1, "b": 2, "c": 3, "d": 4},
        ),
        ({"additionalProperties": {"type": "string"}, "unevaluatedProperties": False}, {"type": 1, "x": 2}),
        ({"unevaluatedProperties": {"type": "string", "minLength": 3}}, {"a": 1, "b": "x"}),
    ],
)
def test_what_jsonschema_says(schema: Any, value: Any, draft2020: bool) -> None:
    assert same(schema, value, draft2020=draft2020)


def test_tuple_items_in_2019() -> None:
    assert same({"items": [{"type": "string"}, {"type": "integer"}, False]}, [1, "a", 3, 4])


@pytest.mark.parametrize(
    "schema",
    [
        {"properties": {"a": {"uniqueItems": True}}},
        {"type": "object", "dependentSchemas": {"a": {}}},
        {"allOf": [{"if": {}}], "unevaluatedProperties": False},
        {"if": {"type": "string"}, "then": {"minLength": 1}},
        {"type": "any"},
        {"$ref": "https://example.com/s.json"},
        {"$ref": "#/definitions/missing", "definitions": {}},
        {"items": [{"type": "string"}], "prefixItems": []},
    ],
)
def test_what_it_does_not_read_is_left_to_jsonschema(schema: Any) -> None:
    with pytest.raises(UnsupportedError):
        list(Walk(schema, draft2020=True).errors({"a": [1, 1]}))


def test_the_validator_then_asks_jsonschema_with_the_same_findings() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "dependentRequired": {"a": ["b"]}}
    validator = Validator(schema)
    assert [e.message for e in validator.errors({"a": "x"})] == [
        "must be integer",
        "must have required properties when dependent properties are present",
    ]
    assert not validator.is_valid({"a": 1})


def test_too_deep_a_value_is_left_to_jsonschema() -> None:
    schema = {
        "$ref": "#/definitions/s0",
        "definitions": {"s0": {"type": "array", "items": {"$ref": "#/definitions/s0"}}},
    }
    value: list[Any] = []
    for _ in range(400):
        value = [value]
    with pytest.raises(UnsupportedError):
        Walk(schema, draft2020=False).is_valid(value)


def test_a_failing_value_needs_no_jsonschema() -> None:
    """Its import (45-65 ms) was most of a run against a large spec with one failing value."""
    code = textwrap.dedent(
        """
        import sys
        from crosscontract.engine.schema.validation import Validator
        schema = {"type": "object", "required": ["id"], "properties": {"n": {"type": ["string", "null"]}}}
        errors = Validator(schema).errors({"n": 1})
        print([e.message for e in errors])
        print(sorted(m for m in ("jsonschema", "referencing") if m in sys.modules))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "[\"must have required property 'id'\", 'must be string,null']",
        "[]",
    ]


# --- against jsonschema, on drawn schemas and values ----------------------------------------

_names = st.sampled_from(["a", "b", "x-1"])
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, 1.5, -2.5, 2**31, 1e300]),
    st.sampled_from(["", "a", "ab", "abc", "2020-01-01", "x-1", "1"]),
)
values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_names, inner, max_size=3)),
    max_leaves=8,
)
_types = st.sampled_from(["string", "integer", "number", "object", "array", "boolean", "null"])
_leaf = st.one_of(
    st.builds(lambda t: {"type": t}, _types),
    st.builds(lambda ts: {"type": ts}, st.lists(_types, min_size=1, max_size=3)),
    st.builds(lambda vs: {"enum": vs}, st.lists(_scalars, min_size=1, max_size=3)),
    st.builds(lambda v: {"const": v}, values),
    st.builds(
        lambda word, n: {word: n},
        st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
        st.sampled_from([0, 1, 1.5, -1]),
    ),
    st.builds(
        lambda word, n: {word: n},
        st.sampled_from(["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]),
        st.integers(0, 2),
    ),
    st.builds(lambda n: {"multipleOf": n}, st.sampled_from([2, 0.5, 0.1, 0, -1])),
    st.builds(
        lambda f: {"format": f}, st.sampled_from(["date", "int32", "int64", "uuid", "email", "unknown"])
    ),
    st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "b$", "^[a-z]+$", "("])),
    st.builds(lambda names: {"required": names}, st.lists(_names, max_size=2)),
    st.booleans(),
    st.just({"$ref": "#/definitions/d"}),
    st.builds(lambda word: {word: 1}, st.sampled_from(["uniqueItems", "contains", "if"])),
)


def _composite(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(
            lambda props: {"type": "object", "properties": props}, st.dictionaries(_names, inner, max_size=2)
        ),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda ss: {"items": ss}, st.lists(inner, max_size=2)),
        st.builds(
            lambda word, ss: {word: ss},
            st.sampled_from(["allOf", "anyOf", "oneOf"]),
            st.lists(inner, min_size=1, max_size=3),
        ),
        st.builds(
            lambda ss: {"oneOf": ss, "x-oneOf-may-overlap": True}, st.lists(inner, min_size=1, max_size=3)
        ),
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda s: {"anyOf": [s, {"type": "null"}], "nullable": True}, inner),
        st.builds(
            lambda props, extra: {"properties": props, "additionalProperties": extra},
            st.dictionaries(_names, inner, max_size=2),
            st.one_of(st.booleans(), inner),
        ),
        st.builds(
            lambda s, extra: {"patternProperties": {"^x": s}, "additionalProperties": extra},
            inner,
            st.booleans(),
        ),
        st.builds(
            lambda ss, tags: {
                "oneOf": ss,
                "discriminator": {
                    "propertyName": "a",
                    "mapping": {t: i % len(ss) for i, t in enumerate(tags)},
                },
            },
            st.lists(inner, min_size=1, max_size=2),
            st.lists(st.sampled_from(["", "a", "1"]), max_size=2),
        ),
        st.builds(
            lambda ss, rest: {"allOf": ss, "unevaluatedProperties": rest},
            st.lists(inner, min_size=1, max_size=3),
            st.one_of(st.booleans(), inner),
        ),
        st.builds(
            lambda props, rest: {"properties": props, "unevaluatedProperties": rest},
            st.dictionaries(_names, inner, max_size=2),
            st.one_of(st.booleans(), inner),
        ),
        st.builds(lambda s: {"patternProperties": {"^x": s}, "unevaluatedProperties": False}, inner),
        st.builds(
            lambda a, b: {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else a, inner, inner
        ),
    )


schemas = st.recursive(_leaf, _composite, max_leaves=6)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(schemas, schemas, values, st.booleans())
def test_drawn_schemas_read_as_jsonschema_reads_them(
    root: Any, definition: Any, value: Any, draft2020: bool
) -> None:
    schema = {"allOf": [root], "definitions": {"d": definition}}
    same(schema, value, draft2020=draft2020)
