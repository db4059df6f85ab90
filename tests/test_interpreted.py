"""The interpreted fast check (`engine/schema/interpreted.py`): as exact as jsonschema inside,
never looser than it, and as decisive as the compiled check for the values it passes."""

from __future__ import annotations

from typing import Any

import pytest
from crosscontract.engine.schema.fastpath import compile_fast
from crosscontract.engine.schema.interpreted import interpreted_check
from hypothesis import HealthCheck, given, settings, strategies as st
from test_fastpath import OPENAPI_SCHEMAS, VALUES, bundles, converted, reference_valid


def interpreted(schema: Any, *, draft2020: bool = False) -> Any:
    check = interpreted_check(schema, draft2020=draft2020)
    assert check is not None
    return check


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    return False


def _agrees(schema: Any, values: list[Any], draft2020: bool) -> None:
    """Never looser than jsonschema; and, except where floats make it defer, as decisive."""
    check = interpreted_check(schema, draft2020=draft2020)
    if check is None:
        assert compile_fast(schema, draft2020=draft2020) is None  # the same rewrite refused it
        return
    for value in values:
        valid = reference_valid(schema, value, draft2020=draft2020)
        if check(value):
            assert valid, (schema, value)
        elif valid and not _has_float(value):
            raise AssertionError(f"deferred a valid value: {schema!r} {value!r}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles(), st.lists(VALUES, min_size=1, max_size=8), st.booleans())
def test_the_interpreted_check_decides_as_jsonschema(schema: Any, values: list[Any], draft2020: bool) -> None:
    _agrees(schema, values, draft2020)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    OPENAPI_SCHEMAS, OPENAPI_SCHEMAS, OPENAPI_SCHEMAS, st.lists(VALUES, min_size=1, max_size=8), st.booleans()
)
def test_the_interpreted_check_on_converted_openapi_decides_as_jsonschema(
    a: Any, b: Any, root: Any, values: list[Any], response: bool
) -> None:
    bundle = converted(a, b, root, response)
    if bundle is None:
        return
    _agrees(bundle, values, False)


def test_enum_tells_booleans_from_numbers_and_takes_1_0_as_1() -> None:
    check = interpreted({"enum": [1, [True]]})
    assert check(1)
    assert check(1.0)
    assert check([True])
    assert not check(True)
    assert not check([1])


def test_unique_items_tells_true_from_1() -> None:
    check = interpreted({"type": "array", "uniqueItems": True})
    assert check([1, True, "1", [1], [True], {"a": 1}])
    assert not check([1, 1.0])
    assert not check([{"a": [1]}, {"a": [1.0]}])


def test_not_and_one_of_rely_on_exact_answers() -> None:
    assert interpreted({"not": {"type": "string"}})(1)
    assert not interpreted({"not": {"type": "string"}})("a")
    one_of = interpreted({"oneOf": [{"type": "integer"}, {"minimum": 0}]})
    assert one_of(-1)
    assert one_of("text")
    assert not one_of(1)  # both


def test_a_response_one_of_that_may_overlap_takes_a_value_both_branches_fit() -> None:
    schema = {"oneOf": [{"type": "integer"}, {"minimum": 0}], "x-oneOf-may-overlap": True}
    assert reference_valid(schema, 1)
    assert interpreted(schema)(1)
    assert not interpreted({"not": schema})(1)


def test_a_float_against_multiple_of_is_left_to_jsonschema() -> None:
    check = interpreted({"type": "number", "multipleOf": 3})
    assert check(9)
    assert not check(10)
    assert not check(9.0)  # deferred, though valid: float arithmetic is jsonschema's to do
    assert reference_valid({"type": "number", "multipleOf": 3}, 9.0)


def test_patterns_are_ecmascript_and_formats_ours() -> None:
    assert interpreted({"pattern": "^\\d+$"})("123")
    assert not interpreted({"pattern": "^\\d+$"})("\u0661")  # not an ECMAScript digit
    assert not interpreted({"format": "date"})("2024-02-30")
    assert interpreted({"format": "no-such-format"})("anything")


def test_recursive_definitions() -> None:
    tree = {
        "$ref": "#/definitions/node",
        "definitions": {
            "node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/node"}}},
                "additionalProperties": False,
            }
        },
    }
    check = interpreted(tree)
    assert check({"children": [{"children": []}, {}]})
    assert not check({"children": [{"child": []}]})


def test_too_deep_a_value_is_left_to_jsonschema() -> None:
    nested: Any = []
    for _ in range(5000):
        nested = [nested]
    deep = interpreted(
        {"$ref": "#/definitions/a", "definitions": {"a": {"items": {"$ref": "#/definitions/a"}}}}
    )
    assert not deep(nested)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "number", "multipleOf": 0.1},
        {"$ref": "https://example.com/schema.json"},
        {"type": "wrong"},
    ],
)
def test_what_the_rewrite_refuses_has_no_interpreted_check(schema: Any) -> None:
    assert interpreted_check(schema) is None
