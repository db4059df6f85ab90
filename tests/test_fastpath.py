"""The compiled fast check (`engine/fastpath.py`): exact rewrites, refusals, never looser than jsonschema."""

from __future__ import annotations

from typing import Any

import pytest
from _build import openapi3
from crosscontract.engine import InputError, load_spec
from crosscontract.engine.schema.compiled import CompileRun
from crosscontract.engine.schema.dialect import Converter, request_policy, response_policy
from crosscontract.engine.schema.fastpath import (
    KNOWN_WORDS_2019,
    KNOWN_WORDS_2020,
    UnsupportedError,
    compile_fast,
    to_draft7,
)
from crosscontract.engine.schema.validation import COMPILE_AFTER, Validator, jsonschema_validator
from hypothesis import HealthCheck, assume, given, settings, strategies as st

DRAFT7 = "http://json-schema.org/draft-07/schema#"


def fast(schema: Any, *, draft2020: bool = False) -> Any:
    check = compile_fast(schema, draft2020=draft2020)
    assert check is not None, to_draft7(schema, draft2020=draft2020)
    return check


def reference_valid(schema: Any, value: Any, *, draft2020: bool = False) -> bool:
    """What the jsonschema path says."""
    return jsonschema_validator(schema, draft2020=draft2020).is_valid(value)


def agrees(schema: Any, value: Any, *, draft2020: bool = False) -> bool:
    """The fast verdict, after checking it is never looser than jsonschema's."""
    verdict = fast(schema, draft2020=draft2020)(value)
    if verdict:
        assert reference_valid(schema, value, draft2020=draft2020), (schema, value)
    return verdict


def rewritten(schema: Any, **kwargs: Any) -> Any:
    out = to_draft7(schema, **kwargs)
    assert out.pop("$schema") == DRAFT7
    if not out["definitions"]:
        del out["definitions"]
    return out


def refused(schema: Any, *, draft2020: bool = False) -> bool:
    with pytest.raises(UnsupportedError):
        to_draft7(schema, draft2020=draft2020)
    return compile_fast(schema, draft2020=draft2020) is None


# --- rewrites --------------------------------------------------------------------------------


def test_const_becomes_a_one_value_enum() -> None:
    """fastjsonschema cannot compile `const` without detailed exceptions (KeyError)."""
    assert rewritten({"const": 3}) == {"enum": [3]}
    assert agrees({"const": 3}, 3)
    assert not agrees({"const": 3}, 4)
    assert not agrees({"const": 1}, True)


def test_enum_tells_booleans_from_numbers() -> None:
    assert not agrees({"enum": [1]}, True)
    assert not agrees({"enum": [True]}, 1)
    assert not agrees({"enum": [0]}, False)
    assert not agrees({"enum": [[1]]}, [True])
    assert agrees({"enum": [1]}, 1.0)
    assert agrees({"enum": [{"a": [1, None]}]}, {"a": [1, None]})


def test_integer_takes_integral_floats_like_jsonschema() -> None:
    assert agrees({"type": "integer"}, 1.0)
    assert not agrees({"type": "integer"}, 1.5)
    assert not agrees({"type": "integer"}, True)
    assert not agrees({"type": "number"}, False)


def test_int32_on_an_integer_type_is_a_range() -> None:
    assert rewritten({"type": "integer", "format": "int32"}) == {
        "type": "integer",
        "allOf": [{"minimum": -(2**31), "maximum": 2**31 - 1}],
    }
    assert agrees({"type": "integer", "format": "int32"}, 2**31 - 1)
    assert not agrees({"type": "integer", "format": "int32"}, 2**31)


def test_int64_on_an_integer_type_adds_nothing() -> None:
    assert rewritten({"type": "integer", "format": "int64"}) == {"type": "integer"}
    assert rewritten({"type": ["integer", "null"], "format": "int64"}) == {"type": ["integer", "null"]}


def test_number_formats_apply_to_every_number() -> None:
    """Our formats (ajv-formats): int32/int64 check numbers whatever the `type` says."""
    assert rewritten({"format": "int64"}) == {"if": {"type": "number"}, "then": {"type": "integer"}}
    schema = {"type": "number", "format": "int32"}
    assert agrees(schema, 5)
    assert agrees(schema, 5.0)
    assert not agrees(schema, 5.5)
    assert not agrees(schema, 2**40)
    assert agrees({"format": "int32"}, "text")


def test_string_formats_are_ours() -> None:
    assert rewritten({"type": "string", "format": "date-time"}) == {"type": "string", "format": "date-time"}
    assert agrees({"format": "date-time"}, "2024-02-29T10:00:00Z")
    assert not agrees({"format": "date-time"}, "2023-02-29T10:00:00Z")
    assert not agrees({"format": "uuid"}, "not-a-uuid")
    assert agrees({"format": "email"}, 42)  # string formats apply to strings only


def test_unknown_formats_pass() -> None:
    """fastjsonschema knows `uri-template` and `json-pointer`; for us they are unknown."""
    for name in ("uri-template", "json-pointer", "repo.nwo", "double", "binary"):
        assert rewritten({"type": "string", "format": name}) == {"type": "string"}
        assert agrees({"format": name}, "{{{ not a template")


def test_ref_siblings_apply_too() -> None:
    """2019-09 applies the words next to a `$ref`; draft 7 would ignore them."""
    schema = {"$ref": "#/definitions/s0", "maxLength": 2, "definitions": {"s0": {"type": "string"}}}
    assert rewritten(schema) == {
        "maxLength": 2,
        "allOf": [{"$ref": "#/definitions/s0"}],
        "definitions": {"s0": {"type": "string"}},
    }
    assert agrees(schema, "ab")
    assert not agrees(schema, "abc")


def test_recursive_definitions() -> None:
    tree = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/s0"}}},
    }
    schema = {"$ref": "#/definitions/s0", "definitions": {"s0": tree}}
    assert agrees(schema, {"children": [{"children": []}, {}]})
    assert not agrees(schema, {"children": [{"children": [1]}]})


def test_items_by_reference_are_checked_without_naming_each_one() -> None:
    """Naming each item (`data.tags[3]`) is only for messages the fast check discards, and
    a loaded check needs none of fastjsonschema's code."""
    from crosscontract.engine.schema.fastpath import compile_code

    tag = {"type": "object", "properties": {"{id}": {"type": "integer"}}, "additionalProperties": False}
    schema = {
        "type": "object",
        "properties": {"tags": {"type": "array", "items": {"$ref": "#/definitions/s0"}}},
        "definitions": {"s0": tag},
    }
    assert agrees(schema, {"tags": [{"{id}": 1}, {}]})
    assert not agrees(schema, {"tags": [{"{id}": 1}, {"{id}": "x"}]})
    assert not agrees(schema, {"tags": [{}, {"other": 1}]})
    code = compile_code(schema)
    assert code is not None
    functions = [c for c in code.co_consts if hasattr(c, "co_names")]
    assert functions
    assert not any("locals" in f.co_names for f in functions)
    assert "fastjsonschema" not in code.co_names


def test_only_referenced_definitions_are_compiled() -> None:
    schema = {
        "$ref": "#/definitions/a",
        "definitions": {"a": {"type": "string"}, "b": {"$ref": "http://x/y"}},
    }
    assert rewritten(schema)["definitions"] == {"a": {"type": "string"}}


def test_multiple_of_an_integer_is_checked_on_integers() -> None:
    schema = {"multipleOf": 3}
    assert rewritten(schema) == {
        "if": {"type": "number"},
        "then": {"type": "integer", "multipleOf": 3, "minimum": -(2**52), "maximum": 2**52},
    }
    assert agrees(schema, 9)
    assert agrees(schema, 9.0)
    assert not agrees(schema, 10)
    assert not agrees(schema, 2.0**60)  # a float quotient would round to an integer
    assert agrees(schema, "text")


def test_patterns_are_kept_as_written_and_matched_as_ecmascript() -> None:
    """The loaded check matches the schema's own text through `compile_pattern`, not `re`."""
    schema = {"type": "string", "pattern": r"^\d+$"}
    assert rewritten(schema) == {"type": "string", "pattern": r"^\d+$"}
    assert agrees(schema, "123")
    assert not agrees(schema, "\u0661\u0662")  # Arabic-Indic digits: not `\d` in ECMAScript
    assert not reference_valid(schema, "\u0661\u0662")


def test_dollar_is_the_end_of_the_input_in_both_checks() -> None:
    schema = {"pattern": "^abc$"}
    assert agrees(schema, "abc")
    assert not agrees(schema, "abc\n")
    assert not reference_valid(schema, "abc\n")


@pytest.mark.parametrize(
    ("pattern", "value", "valid"),
    [
        ("^abc{e<=1}$", "abd", False),  # a literal `{` in ECMAScript, not fuzzy matching
        ("^abc{e<=1}$", "abc{e<=1}", True),
        ("a.b", "a\u2028b", False),  # `.` stops at every line terminator
        ("^[^]$", "\n", True),
        ("^(?<year>\\d{4})$", "2024", True),
        (r"^(a+)+$", "a" * 40 + "!", False),  # linear time: RE2
        (r"^(\w)\1$", "aa", True),  # a back-reference: the `regex` module, with a time budget
    ],
)
def test_both_checks_read_ecmascript(pattern: str, value: str, valid: bool) -> None:
    schema = {"type": "string", "pattern": pattern}
    assert reference_valid(schema, value) is valid
    assert agrees(schema, value) is valid or fast(schema) is None


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"enum": ["a.format(**locals())"]}, "a"),
        ({"properties": {"k": {"const": "{x}.format(**locals())"}}}, {"k": "{x}"}),
        ({"type": "object", "required": ["a.format(**locals())"]}, {"a": 1}),
    ],
)
def test_schema_text_that_looks_like_generated_code_is_kept(schema: Any, value: Any) -> None:
    """The fast check drops parts of the code it is given, never parts of the schema's strings."""
    assert not agrees(schema, value)


def test_unreadable_pattern_constrains_nothing() -> None:
    assert rewritten({"type": "string", "pattern": "(unclosed"}) == {"type": "string"}


def test_punctuation_escapes_are_kept() -> None:
    schema = {"pattern": r"^[A-Za-z0-9.\-_]+\.json$"}
    assert rewritten(schema) == schema
    assert agrees(schema, "a-b.json")


def test_all_of_closed_by_unevaluated_properties() -> None:
    """The dialect closes an allOf over the union of its members' properties."""
    schema = {
        "allOf": [{"$ref": "#/definitions/s0"}, {"type": "object", "properties": {"b": {"type": "string"}}}],
        "unevaluatedProperties": False,
        "definitions": {"s0": {"type": "object", "properties": {"a": {"type": "integer"}}}},
    }
    out = rewritten(schema)
    assert out["properties"] == {"a": {}, "b": {}}
    assert out["additionalProperties"] is False
    assert agrees(schema, {"a": 1, "b": "x"})
    assert not agrees(schema, {"a": 1, "c": 2})
    assert not agrees(schema, {"a": "1"})


def test_closing_follows_nested_all_of_and_keeps_own_properties() -> None:
    schema = {
        "type": "object",
        "properties": {"own": {"type": "boolean"}},
        "allOf": [{"$ref": "#/definitions/s0"}],
        "unevaluatedProperties": False,
        "definitions": {
            "s0": {"allOf": [{"$ref": "#/definitions/s1"}, {"properties": {"b": {}}}]},
            "s1": {"properties": {"a": {"type": "integer"}}},
        },
    }
    out = rewritten(schema)
    assert out["properties"] == {"own": {"type": "boolean"}, "a": {}, "b": {}}
    assert agrees(schema, {"own": True, "a": 1, "b": None})
    assert not agrees(schema, {"own": 1})
    assert not agrees(schema, {"z": 1})


def test_closing_accepts_branches_that_only_require() -> None:
    schema = {
        "allOf": [{"properties": {"a": {}, "b": {}}, "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}],
        "unevaluatedProperties": False,
    }
    assert agrees(schema, {"a": 1})
    assert not agrees(schema, {"a": 1, "b": 2})
    assert not agrees(schema, {"a": 1, "c": 2})


def test_closing_next_to_additional_properties_closes_nothing_more() -> None:
    schema = {
        "allOf": [{"properties": {"a": {}}}],
        "additionalProperties": False,
        "unevaluatedProperties": False,
    }
    assert rewritten(schema) == {"allOf": [{"properties": {"a": {}}}], "additionalProperties": False}
    assert rewritten({"allOf": [{}], "unevaluatedProperties": True}) == {"allOf": [{}]}


def test_closing_with_pattern_properties() -> None:
    schema = {"allOf": [{"patternProperties": {"^x-": {"type": "string"}}}], "unevaluatedProperties": False}
    assert agrees(schema, {"x-a": "1"})
    assert not agrees(schema, {"y": "1"})
    assert not agrees(schema, {"x-a": 1})


def test_no_defaults_are_written_into_the_value() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer", "default": 3}}}
    value: dict[str, Any] = {}
    assert agrees(schema, value)
    assert value == {}


def test_too_deep_a_value_is_left_to_jsonschema() -> None:
    schema = {
        "$ref": "#/definitions/s0",
        "definitions": {"s0": {"type": "array", "items": {"$ref": "#/definitions/s0"}}},
    }
    value: list[Any] = []
    for _ in range(5000):
        value = [value]
    assert fast(schema)(value) is False


def test_content_words_are_not_applied() -> None:
    """fastjsonschema would decode `contentEncoding: base64` and check the decoded text."""
    schema = {
        "type": "string",
        "contentEncoding": "base64",
        "contentMediaType": "application/json",
        "minLength": 5,
    }
    assert rewritten(schema) == {"type": "string", "minLength": 5}
    assert agrees(schema, "not base64 at all")


def test_words_jsonschema_ignores_are_dropped() -> None:
    """`dependencies` is draft 7, not 2019-09: jsonschema ignores it, so must we."""
    schema = {"type": "object", "dependencies": {"a": ["b"]}, "then": {"type": "string"}, "x-extra": 1}
    assert rewritten(schema) == {"type": "object"}


def test_2020_keeps_one_items_schema_and_drops_additional_items() -> None:
    schema = {"type": "array", "items": {"type": "integer"}, "additionalItems": False}
    assert rewritten(schema, draft2020=True) == {"type": "array", "items": {"type": "integer"}}
    assert agrees(schema, [1, 2], draft2020=True)


def test_tuple_items_in_2019() -> None:
    schema = {"items": [{"type": "integer"}, {"type": "string"}], "additionalItems": False}
    assert agrees(schema, [1, "a"])
    assert not agrees(schema, [1, "a", 2])
    assert not agrees(schema, ["a"])


def test_weird_property_names() -> None:
    names = ['a"b', "a'b", "a\\b", "a{b}", "a\nb", "é", "", "1", "__", "a-b", "ab", "data"]
    schema = {
        "type": "object",
        "properties": {n: {"type": "integer"} for n in names},
        "additionalProperties": False,
    }
    assert agrees(schema, {n: i for i, n in enumerate(names)})
    for name in names:
        assert not agrees(schema, {name: "text"})
    assert not agrees(schema, {"other": 1})


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param({"type": "object", "dependentRequired": {"a": ["b"]}}, id="dependentRequired"),
        pytest.param({"dependentSchemas": {"a": {"required": ["b"]}}}, id="dependentSchemas"),
        pytest.param({"type": "array", "unevaluatedItems": False}, id="unevaluatedItems"),
        pytest.param({"$recursiveRef": "#"}, id="recursiveRef"),
        pytest.param({"$id": "https://example.com/s", "type": "string"}, id="$id"),
        pytest.param({"$anchor": "x", "type": "string"}, id="$anchor"),
        pytest.param({"$schema": "https://json-schema.org/draft/2019-09/schema"}, id="$schema"),
        pytest.param({"$ref": "http://example.com/schema.json"}, id="remote ref"),
        pytest.param({"$ref": "other.json#/definitions/a"}, id="other file"),
        pytest.param({"$ref": "#/properties/a", "properties": {"a": {}}}, id="ref outside definitions"),
        pytest.param({"$ref": "#/definitions/missing"}, id="missing definition"),
        pytest.param({"multipleOf": 0.1}, id="float multipleOf"),
        pytest.param({"contains": {"type": "integer"}, "minContains": 2}, id="minContains"),
        pytest.param({"type": "file"}, id="unknown type"),
        pytest.param({"anyOf": []}, id="empty anyOf"),
        pytest.param({"unevaluatedProperties": {"type": "string"}}, id="unevaluatedProperties schema"),
        pytest.param(
            {
                "allOf": [{"properties": {"a": {}}}],
                "oneOf": [{"properties": {"b": {}}}],
                "unevaluatedProperties": False,
            },
            id="unevaluatedProperties next to a branch that evaluates",
        ),
        pytest.param(
            {"allOf": [{"additionalProperties": {"type": "string"}}], "unevaluatedProperties": False},
            id="2019 additionalProperties schema next to unevaluatedProperties",
        ),
        pytest.param(
            {"allOf": [{"unevaluatedProperties": False}], "unevaluatedProperties": False},
            id="nested unevaluatedProperties",
        ),
        pytest.param(
            {
                "allOf": [{"$ref": "#/definitions/a"}, {"$ref": "#/definitions/A"}],
                "definitions": {"a": {}, "A": {}},
            },
            id="definition names differing in case",
        ),
    ],
)
def test_refused(schema: Any) -> None:
    assert refused(schema)


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        pytest.param({"pattern": r"^\s+$"}, " \t", id="pattern \\s"),
        pytest.param({"pattern": r"\bword\b"}, "a word", id="pattern \\b"),
        pytest.param({"pattern": r"^\p{L}+$"}, "É", id="pattern \\p"),
        pytest.param({"pattern": r"[\W]"}, "!", id="pattern \\W in a class"),
        pytest.param({"pattern": "(?<name>a)"}, "a", id="pattern named group"),
        pytest.param(
            {"patternProperties": {r"(a)\1": {}}, "additionalProperties": False},
            {"aa": 1},
            id="back-reference",
        ),
        pytest.param(
            {"propertyNames": {"pattern": "^a$"}, "patternProperties": {"^a$": {}}},
            {"a": 1},
            id="pattern twice",
        ),
    ],
)
def test_patterns_python_reads_otherwise_keep_the_fast_path(schema: Any, value: Any) -> None:
    """Every pattern reaches the fast check under a name; matching is ECMAScript's on both sides."""
    assert agrees(schema, value)


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param({"prefixItems": [{"type": "integer"}]}, id="prefixItems"),
        pytest.param({"$dynamicRef": "#meta"}, id="dynamicRef"),
        pytest.param({"items": [{"type": "integer"}]}, id="items list"),
    ],
)
def test_refused_in_2020(schema: Any) -> None:
    assert refused(schema, draft2020=True)


def test_required_that_cannot_be_met_fails_to_compile() -> None:
    """fastjsonschema refuses `required` names that `additionalProperties: false` forbids."""
    assert compile_fast({"required": ["a"], "additionalProperties": False}) is None


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    for ref in (
        "http://example.com/s.json",
        "https://example.com/s.json",
        "file:///etc/passwd",
        "s.json",
        "ftp://x/y",
    ):
        assert compile_fast({"$ref": ref}) is None


def test_a_pattern_python_would_warn_about_is_read_as_ecmascript() -> None:
    """`[[:alpha:]]` is no POSIX class in ECMAScript: a class of `[:alph`, then a literal `]`."""
    schema = {"type": "string", "pattern": "^[[:alpha:]]$"}
    assert agrees(schema, "a]")
    assert not reference_valid(schema, "a")


# --- Validator -------------------------------------------------------------------------------


def test_validator_compiles_once_after_enough_uses(compiles: list[Any], in_memory: CompileRun) -> None:
    calls = compiles
    validator = Validator({"type": "object", "properties": {"a": {"type": "integer"}}}, checks=in_memory)
    for _ in range(COMPILE_AFTER - 1):
        assert validator.is_valid({"a": 1})
    assert calls == []
    assert validator.errors({"a": 1}) == []
    assert len(calls) == 1
    for _ in range(3 * COMPILE_AFTER):
        assert validator.is_valid({"a": 1})
        assert not validator.is_valid({"a": "x"})
    assert len(calls) == 1


def test_validator_without_fast_check_compiles_once(
    monkeypatch: pytest.MonkeyPatch, in_memory: CompileRun
) -> None:
    from crosscontract.engine.schema import fastpath

    calls: list[Any] = []
    monkeypatch.setattr(fastpath, "compile_code", lambda schema, *, draft2020=False: calls.append(schema))
    validator = Validator({"type": "string"}, checks=in_memory)
    for _ in range(3 * COMPILE_AFTER):
        validator.errors("x")
    assert len(calls) == 1


def test_validator_without_checks_leaves_every_value_to_jsonschema(compiles: list[Any]) -> None:
    validator = Validator({"type": "object", "properties": {"a": {"type": "integer"}}})
    for _ in range(3 * COMPILE_AFTER):
        assert validator.is_valid({"a": 1})
    assert compiles == []


def test_validator_errors_are_the_same_once_compiled(compiles: list[Any], in_memory: CompileRun) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": False}
    validator = Validator(schema, checks=in_memory)
    before = validator.errors({"a": "x", "b": 1})
    for _ in range(COMPILE_AFTER):
        validator.errors({"a": 1})
    assert len(compiles) == 1
    assert validator.errors({"a": "x", "b": 1}) == before
    assert [e.message for e in before] == ["must be integer", "must NOT have additional properties - b"]


def test_validator_asks_jsonschema_for_what_the_fast_check_refuses(in_memory: CompileRun) -> None:
    validator = Validator({"type": "string", "pattern": "^abc$"}, checks=in_memory)
    for _ in range(COMPILE_AFTER):
        validator.errors("abc")
    assert [e.keyword for e in validator.errors("abc\n")] == ["pattern"]  # `$` ends the input
    assert validator.is_valid("abc")
    assert not validator.is_valid("abd")


# --- never looser than jsonschema ------------------------------------------------------------

NAMES = ["a", "b", "c"]
PATTERNS = ["^[a-c]+$", r"^\d{1,3}$", "b", "^$", r"^\w+$", "x$", r"^a\.b"]
FORMATS = [
    "date",
    "date-time",
    "time",
    "email",
    "uuid",
    "ipv4",
    "uri",
    "byte",
    "int32",
    "int64",
    "hostname",
    "x",
]
NUMBER_VALUES = [0, 1, -1, 1.0, 1.5, 2**31, 2**40, 3.0, 0.1, 0.3]
TEXT_VALUES = ["", "a", "b", "ab", "abc", "123", "\u0661", "a.b", "abc\n", "x$", "QUJD", "a@b.co", "1.2.3.4"]
FORMATTED = [
    "2024-01-31",
    "2024-01-31T10:00:00Z",
    "10:00:00Z",
    "00000000-0000-0000-0000-000000000000",
    "http://x",
]
SCALARS = st.sampled_from([None, True, False, *NUMBER_VALUES, *TEXT_VALUES, *FORMATTED])
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([*NAMES, "d"]), inner, max_size=3)
    ),
    max_leaves=8,
)
ENUM_VALUES = st.lists(st.one_of(SCALARS, st.lists(SCALARS, max_size=2)), min_size=1, max_size=3)
TYPES = st.sampled_from(["null", "boolean", "object", "array", "number", "integer", "string"])
NUMBERS = st.sampled_from([-1, 0, 1, 1.5, 3, 2**31])


def leaf() -> st.SearchStrategy[dict[str, Any]]:
    kind = st.one_of(TYPES, st.lists(TYPES, min_size=1, max_size=2, unique=True))
    words = st.fixed_dictionaries(
        {},
        optional={
            "type": kind,
            "enum": ENUM_VALUES,
            "const": SCALARS,
            "format": st.sampled_from(FORMATS),
            "pattern": st.sampled_from(PATTERNS),
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(0, 3),
            "minimum": NUMBERS,
            "maximum": NUMBERS,
            "exclusiveMinimum": NUMBERS,
            "exclusiveMaximum": NUMBERS,
            "multipleOf": st.sampled_from([1, 2, 3]),
            "uniqueItems": st.booleans(),
            "minItems": st.integers(0, 2),
            "maxItems": st.integers(0, 2),
        },
    )
    return words


def schemas(refs: list[str]) -> st.SearchStrategy[Any]:
    ref = st.sampled_from(refs).map(lambda name: {"$ref": f"#/definitions/{name}"})
    base = st.one_of(leaf(), ref, st.booleans())

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        properties = st.dictionaries(st.sampled_from(NAMES), inner, max_size=3)
        obj = st.fixed_dictionaries(
            {"type": st.just("object"), "properties": properties},
            optional={
                "required": st.lists(st.sampled_from(NAMES), unique=True, max_size=2),
                "additionalProperties": st.one_of(st.booleans(), inner),
                "patternProperties": st.dictionaries(st.sampled_from(PATTERNS), inner, max_size=2),
                "propertyNames": leaf(),
                "minProperties": st.integers(0, 2),
            },
        )
        members = st.lists(inner, min_size=1, max_size=3)
        closed = st.lists(
            properties.map(lambda p: {"type": "object", "properties": p}) | ref, min_size=1, max_size=2
        ).map(lambda m: {"allOf": m, "unevaluatedProperties": False})
        array = st.fixed_dictionaries(
            {"type": st.just("array")},
            optional={
                "items": inner | st.lists(inner, max_size=2),
                "additionalItems": inner,
                "contains": inner,
            },
        )
        conditional = st.fixed_dictionaries({"if": inner}, optional={"then": inner, "else": inner})
        return st.one_of(
            obj,
            array,
            conditional,
            members.map(lambda m: {"allOf": m}),
            members.map(lambda m: {"anyOf": m}),
            members.map(lambda m: {"oneOf": m}),
            inner.map(lambda n: {"not": n}),
            closed,
            st.builds(lambda r, extra: {**r, **extra}, ref, leaf()),
        )

    return st.recursive(base, extend, max_leaves=6)


_DESCEND = frozenset(
    {"properties", "additionalProperties", "patternProperties", "items", "additionalItems", "contains"}
)


def _same_level_refs(schema: Any) -> set[str]:
    """Definitions a schema applies to the value itself (not to a part of it)."""
    if not isinstance(schema, dict):
        return set()
    found = {schema["$ref"].rsplit("/", 1)[1]} if "$ref" in schema else set()
    for keyword, sub in schema.items():
        if keyword in _DESCEND or keyword == "definitions":
            continue
        for each in sub if isinstance(sub, list) else [sub]:
            found |= _same_level_refs(each)
    return found


def _well_founded(definitions: dict[str, Any]) -> bool:
    """No definition reaches itself without descending into the value (jsonschema would loop)."""
    graph = {name: _same_level_refs(schema) for name, schema in definitions.items()}
    for start in graph:
        seen, stack = set(), list(graph[start])
        while stack:
            name = stack.pop()
            if name == start:
                return False
            if name not in seen:
                seen.add(name)
                stack.extend(graph[name])
    return True


SCHEMAS = schemas(["s0", "s1"])


@st.composite
def bundles(draw: st.DrawFn) -> Any:
    definitions = {name: draw(SCHEMAS) for name in ("s0", "s1")}
    assume(_well_founded(definitions))
    root = draw(SCHEMAS)
    return (
        {"allOf": [root], "definitions": definitions}
        if isinstance(root, bool)
        else {**root, "definitions": definitions}
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles(), st.lists(VALUES, min_size=1, max_size=8), st.booleans())
def test_fast_check_is_never_looser(schema: Any, values: list[Any], draft2020: bool) -> None:
    check = compile_fast(schema, draft2020=draft2020)
    if check is None:
        return
    for value in values:
        if check(value):
            assert reference_valid(schema, value, draft2020=draft2020), (schema, value)


OPENAPI_LEAVES = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["string", "integer", "number", "boolean"])},
        optional={
            "nullable": st.booleans(),
            "format": st.sampled_from(FORMATS),
            "enum": ENUM_VALUES,
            "minimum": NUMBERS,
            "exclusiveMinimum": st.booleans(),
            "pattern": st.sampled_from(PATTERNS),
        },
    ),
    st.sampled_from(["A", "B"]).map(lambda name: {"$ref": f"#/components/schemas/{name}"}),
)


def openapi_schemas() -> st.SearchStrategy[Any]:
    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        props = st.dictionaries(st.sampled_from(NAMES), inner, max_size=3)
        obj = st.fixed_dictionaries(
            {"type": st.just("object"), "properties": props},
            optional={
                "required": st.lists(st.sampled_from(NAMES), unique=True, max_size=2),
                "nullable": st.booleans(),
            },
        )
        members = st.lists(inner, min_size=1, max_size=3)
        return st.one_of(
            obj,
            st.builds(lambda i: {"type": "array", "items": i}, inner),
            members.map(lambda m: {"allOf": m}),
            members.map(lambda m: {"oneOf": m}),
            members.map(lambda m: {"anyOf": m}),
        )

    return st.recursive(OPENAPI_LEAVES, extend, max_leaves=6)


OPENAPI_SCHEMAS = openapi_schemas()


def converted(a: Any, b: Any, root: Any, response: bool) -> Any:
    """`Root` of a spec with components `A`, `B` and `Root`, converted as a request or
    response reads it (None for a spec that cannot be converted, `A: {$ref: A}`)."""
    spec = load_spec(openapi3(components={"schemas": {"A": a, "B": b, "Root": root}}))
    policy = (
        response_policy(additional_properties=False, required_properties=False)
        if response
        else request_policy()
    )
    try:
        bundle = Converter(spec).bundle(spec.at(spec.root(), "components", "schemas", "Root"), policy)
    except InputError:
        return None
    assume(_well_founded(bundle.get("definitions", {})))
    return bundle


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    OPENAPI_SCHEMAS, OPENAPI_SCHEMAS, OPENAPI_SCHEMAS, st.lists(VALUES, min_size=1, max_size=8), st.booleans()
)
def test_fast_check_on_converted_openapi_is_never_looser(
    a: Any, b: Any, root: Any, values: list[Any], response: bool
) -> None:
    bundle = converted(a, b, root, response)
    if bundle is None:
        return
    check = compile_fast(bundle)
    if check is None:
        return
    for value in values:
        if check(value):
            assert reference_valid(bundle, value), (bundle, value)


def test_the_words_the_rewrite_knows_are_the_words_jsonschema_reads() -> None:
    # Written out to spare the import; a jsonschema release that reads another word fails here.
    from jsonschema import Draft201909Validator, Draft202012Validator

    assert set(Draft201909Validator.VALIDATORS) == KNOWN_WORDS_2019
    assert set(Draft202012Validator.VALIDATORS) == KNOWN_WORDS_2020
