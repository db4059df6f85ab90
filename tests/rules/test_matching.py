"""Pact matching rules against the spec: `*.matcher-exceeds-spec` and `*.spec-exceeds-matcher`."""

from __future__ import annotations

from typing import Any

import pytest
from _build import OK, content, interaction, openapi3, pact, response3
from crosscontract.engine import Options, compare, load_spec, parse_pact
from crosscontract.engine.check.counterexamples import BUDGET, SAMPLES
from crosscontract.engine.check.matcher_semantics import admits, render_format, rule_admits
from crosscontract.engine.pact.matchers import Matcher, read_matching_rules
from crosscontract.engine.schema.sampling import strings_from_regex
from crosscontract.engine.schema.validation import Validator
from crosscontract.engine.spec.index import OperationIndex
from hypothesis import (
    HealthCheck,
    given,
    settings,
    strategies as st,
)

JSON = {"Content-Type": "application/json"}
REQ_BODY = "request.body.matcher-exceeds-spec"
RES_BODY = "response.body.spec-exceeds-matcher"


def rules(**matchers: Any) -> dict[str, Any]:
    """v3 body rules: `rules(**{"$.a": [{"match": "type"}]})`."""
    return {"body": {path: {"matchers": list(found)} for path, found in matchers.items()}}


def post(schema: Any) -> dict[str, Any]:
    return openapi3({"/x": {"post": {"requestBody": {"content": content(schema)}, "responses": {"200": OK}}}})


def get(schema: Any) -> dict[str, Any]:
    return openapi3({"/x": {"get": {"responses": {"200": response3(schema)}}}})


def sent(body: Any, matching: dict[str, Any], **extra: Any) -> dict[str, Any]:
    built = interaction(method="POST", headers=JSON, body=body)
    built["request"]["matchingRules"] = matching
    built["request"].update(extra)
    return built


def received(body: Any, matching: dict[str, Any]) -> dict[str, Any]:
    built = interaction(response_headers=JSON, response_body=body)
    built["response"]["matchingRules"] = matching
    return built


def found(spec: dict[str, Any], item: dict[str, Any]) -> list[tuple[str, Any, str]]:
    report = compare(
        load_spec(spec), [parse_pact(pact(item, version="3.0.0"), "pact.json")], Options(matching_rules=True)
    )
    return [(f.code.code, f.mock_value, f.message) for r in report.pacts[0].results for f in r.findings]


def codes_and_values(spec: dict[str, Any], item: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(code, value) for code, value, _ in found(spec, item)]


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


# --- request -------------------------------------------------------------------------------


def test_regex_against_enum_gives_a_string_the_enum_lacks() -> None:
    spec = post(obj(s={"type": "string", "enum": ["ACTIVE", "CLOSED"]}))
    item = sent({"s": "ACTIVE"}, rules(**{"$.s": [{"match": "regex", "regex": "^[A-Z]+$"}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, "A")]


def test_regex_inside_the_enum_is_quiet() -> None:
    spec = post(obj(s={"type": "string", "enum": ["ACTIVE", "CLOSED"]}))
    item = sent({"s": "ACTIVE"}, rules(**{"$.s": [{"match": "regex", "regex": "^(ACTIVE|CLOSED)$"}]}))
    assert codes_and_values(spec, item) == []


def test_integer_against_maximum_gives_one_past_it() -> None:
    spec = post(obj(n={"type": "integer", "maximum": 100}))
    item = sent({"n": 5}, rules(**{"$.n": [{"match": "integer"}]}))
    [(code, value, message)] = found(spec, item)
    assert (code, value) == (REQ_BODY, 101)
    assert message == (
        "The integer matcher at $.n admits 101, which the request body schema rejects: must be <= 100"
    )


def test_integer_bounded_by_a_random_int_generator_is_quiet() -> None:
    spec = post(obj(n={"type": "integer", "minimum": 1, "maximum": 100}))
    generators = {"body": {"$.n": {"type": "RandomInt", "min": 1, "max": 100}}}
    item = sent({"n": 5}, rules(**{"$.n": [{"match": "integer"}]}), generators=generators)
    assert codes_and_values(spec, item) == []


def test_type_on_a_number_against_integer_gives_a_fraction() -> None:
    spec = post(obj(n={"type": "integer"}))
    item = sent({"n": 5}, rules(**{"$.n": [{"match": "type"}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, 1.5)]


def test_decimal_against_integer_gives_a_fraction() -> None:
    spec = post(obj(n={"type": "integer"}))
    item = sent({"n": 5}, rules(**{"$.n": [{"match": "decimal"}]}))
    [(code, value)] = codes_and_values(spec, item)
    assert code == REQ_BODY
    assert isinstance(value, float)


def test_number_against_number_is_quiet() -> None:
    spec = post(obj(n={"type": "number"}))
    assert codes_and_values(spec, sent({"n": 5}, rules(**{"$.n": [{"match": "number"}]}))) == []


def test_type_on_a_string_against_max_length() -> None:
    spec = post(obj(s={"type": "string", "maxLength": 3}))
    item = sent({"s": "abc"}, rules(**{"$.s": [{"match": "type"}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, "aaaa")]


def test_type_on_a_string_against_a_format() -> None:
    spec = post(obj(s={"type": "string", "format": "date"}))
    item = sent({"s": "2024-01-01"}, rules(**{"$.s": [{"match": "type"}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, "")]


def test_type_on_a_string_against_a_plain_string_is_quiet() -> None:
    spec = post(obj(s={"type": "string"}))
    assert codes_and_values(spec, sent({"s": "abc"}, rules(**{"$.s": [{"match": "type"}]}))) == []


def test_each_like_against_max_items_gives_one_item_more() -> None:
    spec = post(obj(a={"type": "array", "maxItems": 3, "items": {"type": "number"}}))
    item = sent({"a": [1]}, rules(**{"$.a": [{"match": "type", "min": 1}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, [1, 1, 1, 1])]


def test_at_most_like_within_max_items_is_quiet() -> None:
    spec = post(obj(a={"type": "array", "maxItems": 3, "items": {"type": "number"}}))
    item = sent({"a": [1]}, rules(**{"$.a": [{"match": "type", "min": 1, "max": 3}]}))
    assert codes_and_values(spec, item) == []


def test_at_least_like_against_min_items_gives_the_matcher_minimum() -> None:
    spec = post(obj(a={"type": "array", "minItems": 2, "items": {"type": "number"}}))
    item = sent({"a": [1, 2]}, rules(**{"$.a": [{"match": "type", "min": 1}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, [1])]


def test_boolean_against_a_const() -> None:
    spec = post(obj(b={"type": "boolean", "enum": [True]}))
    item = sent({"b": True}, rules(**{"$.b": [{"match": "boolean"}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, False)]


def test_null_matcher_admits_only_null() -> None:
    spec = post(obj(z={"type": "string", "nullable": True}))
    assert codes_and_values(spec, sent({"z": None}, rules(**{"$.z": [{"match": "null"}]}))) == []


def test_include_against_max_length() -> None:
    spec = post(obj(s={"type": "string", "maxLength": 5}))
    item = sent({"s": "ab"}, rules(**{"$.s": [{"match": "include", "value": "ab"}]}))
    [(code, value)] = codes_and_values(spec, item)
    assert code == REQ_BODY
    assert "ab" in value
    assert len(value) > 5


def test_timestamp_against_a_date() -> None:
    spec = post(obj(t={"type": "string", "format": "date"}))
    item = sent(
        {"t": "2024-01-01"},
        rules(**{"$.t": [{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss"}]}),
    )
    assert codes_and_values(spec, item) == [(REQ_BODY, "2024-01-31T13:45:30")]


def test_date_against_a_date_is_quiet() -> None:
    spec = post(obj(t={"type": "string", "format": "date"}))
    item = sent({"t": "2024-01-01"}, rules(**{"$.t": [{"match": "date", "format": "yyyy-MM-dd"}]}))
    assert codes_and_values(spec, item) == []


def test_values_against_closed_object_gives_an_extra_key() -> None:
    spec = post(
        obj(m={"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": False})
    )
    item = sent({"m": {"a": 1}}, rules(**{"$.m": [{"match": "values"}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, {"a": 1, "~": 1})]


def test_each_value_against_required_gives_an_empty_object() -> None:
    spec = post(obj(m={"type": "object", "required": ["a"], "additionalProperties": {"type": "integer"}}))
    item = sent({"m": {"a": 1}}, rules(**{"$.m": [{"match": "eachValue", "rules": [{"match": "integer"}]}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, {})]


def test_equality_admits_only_the_example() -> None:
    spec = post(obj(s={"type": "string", "enum": ["A"]}))
    assert codes_and_values(spec, sent({"s": "A"}, rules(**{"$.s": [{"match": "equality"}]}))) == []


def test_v2_json_path_rules_apply() -> None:
    spec = post(obj(n={"type": "integer", "maximum": 100}))
    item = sent({"n": 5}, {"$.body.n": {"match": "integer"}})
    assert codes_and_values(spec, item) == [(REQ_BODY, 101)]


def test_a_wildcard_rule_reaches_every_element() -> None:
    spec = post(obj(a={"type": "array", "items": {"type": "integer", "minimum": 0}}))
    item = sent({"a": [1, 2]}, rules(**{"$.a[*]": [{"match": "integer"}]}))
    assert codes_and_values(spec, item) == [(REQ_BODY, -1), (REQ_BODY, -1)]


def test_a_failing_example_is_left_to_the_example_check() -> None:
    spec = post(obj(n={"type": "integer", "maximum": 1}))
    item = sent({"n": 5}, rules(**{"$.n": [{"match": "integer"}]}))
    assert [code for code, _ in codes_and_values(spec, item)] == ["request.body.incompatible"]


def test_unchecked_kinds_report_nothing() -> None:
    spec = post(obj(a={"type": "array", "maxItems": 1, "items": {"type": "integer"}}))
    item = sent({"a": [1]}, rules(**{"$.a": [{"match": "arrayContains", "variants": []}]}))
    assert codes_and_values(spec, item) == []


def test_query_regex_against_an_integer_parameter() -> None:
    spec = openapi3(
        {
            "/x": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": OK},
                }
            }
        }
    )
    item = interaction(query="q=12")
    item["request"]["matchingRules"] = {"query": {"q": {"matchers": [{"match": "regex", "regex": "\\d+|x"}]}}}
    assert codes_and_values(spec, item) == [("request.query.matcher-exceeds-spec", "x")]


def test_header_integer_against_a_maximum() -> None:
    spec = openapi3(
        {
            "/x": {
                "get": {
                    "parameters": [
                        {"name": "X-N", "in": "header", "schema": {"type": "integer", "maximum": 9}}
                    ],
                    "responses": {"200": OK},
                }
            }
        }
    )
    item = interaction(headers={"X-N": "3"})
    item["request"]["matchingRules"] = {"header": {"X-N": {"matchers": [{"match": "integer"}]}}}
    assert codes_and_values(spec, item) == [("request.header.matcher-exceeds-spec", "10")]


def test_path_regex_beyond_the_routes() -> None:
    spec = openapi3(
        {
            "/x/{id}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": {"200": OK},
                }
            }
        }
    )
    item = interaction(path="/x/1")
    item["request"]["matchingRules"] = {"path": {"matchers": [{"match": "regex", "regex": "/x/\\d+|/y"}]}}
    assert codes_and_values(spec, item) == [("request.path.matcher-exceeds-spec", "/y")]


def test_an_error_response_leaves_the_request_unchecked() -> None:
    spec = openapi3(
        {
            "/x": {
                "post": {
                    "requestBody": {"content": content(obj(n={"type": "integer", "maximum": 9}))},
                    "responses": {"400": OK},
                }
            }
        }
    )
    item = sent({"n": 5}, rules(**{"$.n": [{"match": "integer"}]}))
    item["response"]["status"] = 400
    assert codes_and_values(spec, item) == []


# --- response ------------------------------------------------------------------------------


def test_nullable_field_against_type_gives_null() -> None:
    spec = get(obj(s={"type": "string", "nullable": True}))
    item = received({"s": "text"}, rules(**{"$.s": [{"match": "type"}]}))
    [(code, value, message)] = found(spec, item)
    assert (code, value) == (RES_BODY, None)
    assert message == "The response body schema allows null at $.s, which the consumer's type matcher rejects"


def test_not_nullable_field_against_type_is_quiet() -> None:
    spec = get(obj(s={"type": "string"}))
    assert codes_and_values(spec, received({"s": "text"}, rules(**{"$.s": [{"match": "type"}]}))) == []


def test_enum_value_against_regex() -> None:
    spec = get(obj(s={"type": "string", "enum": ["ACTIVE", "closed"]}))
    item = received({"s": "ACTIVE"}, rules(**{"$.s": [{"match": "regex", "regex": "^[A-Z]+$"}]}))
    assert codes_and_values(spec, item) == [(RES_BODY, "closed")]


def test_number_against_integer_gives_a_fraction() -> None:
    spec = get(obj(n={"type": "number"}))
    assert codes_and_values(spec, received({"n": 1}, rules(**{"$.n": [{"match": "integer"}]}))) == [
        (RES_BODY, 1.5)
    ]


def test_number_against_decimal_gives_an_integer() -> None:
    spec = get(obj(n={"type": "number"}))
    item = received({"n": 1.5}, rules(**{"$.n": [{"match": "decimal"}]}))
    assert codes_and_values(spec, item) == [(RES_BODY, 0)]


def test_date_time_against_a_timestamp_without_fraction_or_zone() -> None:
    spec = get(obj(t={"type": "string", "format": "date-time"}))
    item = received(
        {"t": "2024-01-31T13:45:30"},
        rules(**{"$.t": [{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss"}]}),
    )
    # the example itself is not a date-time (no zone): the example check reports it
    assert [c for c, _ in codes_and_values(spec, item)] == ["response.body.incompatible"]
    item = received(
        {"t": "2024-01-31T13:45:30Z"},
        rules(**{"$.t": [{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ssX"}]}),
    )
    assert codes_and_values(spec, item) == [(RES_BODY, "2024-01-31T13:45:30.123+01:00")]


def test_each_like_minimum_on_a_response_is_not_checked() -> None:
    spec = get(obj(a={"type": "array", "items": {"type": "integer"}}))
    item = received({"a": [1]}, rules(**{"$.a": [{"match": "type", "min": 1}]}))
    assert codes_and_values(spec, item) == []


def test_at_most_like_on_a_response_gives_one_item_more() -> None:
    spec = get(obj(a={"type": "array", "items": {"type": "integer"}}))
    item = received({"a": [1]}, rules(**{"$.a": [{"match": "type", "max": 2}]}))
    assert codes_and_values(spec, item) == [(RES_BODY, [1, 1, 1])]


def test_boolean_against_a_string_or_boolean() -> None:
    spec = get(obj(b={"type": ["boolean", "string"]}))
    spec["openapi"] = "3.1.0"
    item = received({"b": True}, rules(**{"$.b": [{"match": "boolean"}]}))
    assert codes_and_values(spec, item) == [(RES_BODY, "")]


def test_or_combined_matchers_reject_only_what_both_reject() -> None:
    spec = get(obj(s={"type": "string", "nullable": True}))
    matching = {"body": {"$.s": {"combine": "OR", "matchers": [{"match": "type"}, {"match": "null"}]}}}
    assert codes_and_values(spec, received({"s": "x"}, matching)) == []


def test_response_header_enum_against_regex() -> None:
    spec = openapi3(
        {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"X-S": {"schema": {"type": "string", "enum": ["ab", "CD"]}}},
                        }
                    }
                }
            }
        }
    )
    item = interaction(response_headers={"X-S": "ab"})
    item["response"]["matchingRules"] = {
        "header": {"X-S": {"matchers": [{"match": "regex", "regex": "[a-z]+"}]}}
    }
    assert codes_and_values(spec, item) == [("response.header.spec-exceeds-matcher", "CD")]


def test_rules_are_checked_by_default_and_not_when_the_run_says_no() -> None:
    spec = get(obj(s={"type": "string", "nullable": True}))
    item = received({"s": "text"}, rules(**{"$.s": [{"match": "type"}]}))
    read = parse_pact(pact(item, version="3.0.0"), "pact.json")
    checked = compare(load_spec(spec), [read])
    assert [f.code.code for r in checked.pacts[0].results for f in r.findings] == [
        "response.body.spec-exceeds-matcher"
    ]
    unchecked = compare(load_spec(spec), [read], Options(matching_rules=False))
    assert [f for r in unchecked.pacts[0].results for f in r.findings] == []


def test_a_pact_without_rules_is_not_searched() -> None:
    spec = get(obj(s={"type": "string", "nullable": True}))
    assert codes_and_values(spec, interaction(response_headers=JSON, response_body={"s": "x"})) == []


# --- the pieces ----------------------------------------------------------------------------


def test_regex_samples_match_whole_and_are_deterministic() -> None:
    drawn = strings_from_regex(r"^[A-Z]{2,}-\d+(a|bc)?$", count=SAMPLES)
    assert drawn == strings_from_regex(r"^[A-Z]{2,}-\d+(a|bc)?$", count=SAMPLES)
    assert drawn[0] == "AA-0"
    assert 1 < len(drawn) <= SAMPLES
    assert strings_from_regex("(", count=3) == ()
    assert SAMPLES < BUDGET


def test_formats_render_and_recognize() -> None:
    matcher = Matcher("timestamp", format="yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
    rendered = render_format(matcher.format or "")
    assert rendered == ("2024-01-31T13:45:30.123+01:00", "2023-12-01T00:00:00.000Z")
    assert all(admits(matcher, "", text) is True for text in rendered)
    assert admits(matcher, "", "2024-99-99T99:99:99.999+99:99") is None  # shaped right: not rejected
    assert admits(matcher, "", "2024-01-31") is False
    assert render_format("yyyy G") == ()


@pytest.mark.parametrize(
    ("matcher", "example", "value", "verdict"),
    [
        (Matcher("type"), 1, 2.5, True),
        (Matcher("type"), "a", None, False),
        (Matcher("integer"), 1, 1.0, False),
        (Matcher("decimal"), 1.5, 2, False),
        (Matcher("number"), 1, True, False),
        (Matcher("regex", regex="[a-z]+"), "a", "abc", True),
        (Matcher("regex", regex="[a-z]+"), "a", "A1b", None),
        (Matcher("regex", regex="[a-z]+"), "a", "123", False),
        (Matcher("include", value="b"), "abc", "xbx", True),
        (Matcher("null"), None, 0, False),
        (Matcher("equality"), "a", "a", True),
        (Matcher("values"), {"a": 1}, {}, True),
        (Matcher("eachKey", rules=(Matcher("regex", regex="[a-z]+"),)), {"a": 1}, {"B": 1}, False),
        (Matcher("integer"), "1", "12", True),
        (Matcher("arrayContains"), [1], [], None),
    ],
)
def test_admits(matcher: Matcher, example: Any, value: Any, verdict: bool | None) -> None:
    text = isinstance(value, str) and matcher.kind == "integer"
    assert admits(matcher, example, value, text=text) is verdict


def test_validator_schema_is_the_bundle() -> None:
    assert Validator({"type": "integer"}).schema == {"type": "integer"}


# --- property: every counterexample is one --------------------------------------------------

_LEAF_SCHEMAS = st.one_of(
    st.builds(
        lambda low, high, nullable: {
            "type": "integer",
            "minimum": low,
            "maximum": low + high,
            "nullable": nullable,
        },
        st.integers(-5, 5),
        st.integers(0, 10),
        st.booleans(),
    ),
    st.builds(lambda nullable: {"type": "number", "nullable": nullable}, st.booleans()),
    st.builds(
        lambda low, extra, nullable: {
            "type": "string",
            "minLength": low,
            "maxLength": low + extra,
            "nullable": nullable,
        },
        st.integers(0, 2),
        st.integers(0, 4),
        st.booleans(),
    ),
    st.sampled_from(
        [
            {"type": "string", "enum": ["AB", "CD", "ab"]},
            {"type": "string", "format": "date"},
            {"type": "string", "format": "date-time"},
            {"type": "string", "pattern": "^[a-z]+$"},
            {"type": "boolean"},
        ]
    ),
)
_MATCHERS = st.sampled_from(
    [
        {"match": "type"},
        {"match": "integer"},
        {"match": "decimal"},
        {"match": "number"},
        {"match": "boolean"},
        {"match": "regex", "regex": "^[A-Za-z]{1,3}$"},
        {"match": "regex", "regex": "^\\d{4}-\\d{2}-\\d{2}$"},
        {"match": "include", "value": "a"},
        {"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ssXXX"},
        {"match": "date", "format": "yyyy-MM-dd"},
        {"match": "equality"},
    ]
)
_EXAMPLES = st.one_of(
    st.none(), st.booleans(), st.integers(-6, 16), st.sampled_from([1.5, "", "a", "AB", "2024-01-01", "abcd"])
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schema=_LEAF_SCHEMAS, matcher=_MATCHERS, example=_EXAMPLES, side=st.sampled_from(["request", "response"])
)
def test_every_counterexample_is_in_one_set_and_not_the_other(
    schema: dict[str, Any], matcher: dict[str, Any], example: Any, side: str
) -> None:

    body = {"v": example}
    container = {"type": "object", "properties": {"v": schema}}
    matching = {"body": {"$.v": {"matchers": [matcher]}}}
    item = sent(body, matching) if side == "request" else received(body, matching)
    spec = post(container) if side == "request" else get(container)
    loaded = load_spec(spec)
    comparator_report = compare(
        loaded, [parse_pact(pact(item, version="3.0.0"), "pact.json")], Options(matching_rules=True)
    )
    findings = [f for r in comparator_report.pacts[0].results for f in r.findings]
    rule = read_matching_rules(matching, "pact.json", "r").rules_for("body", ("v",))
    assert rule is not None
    operation = OperationIndex(loaded, Options()).route("post" if side == "request" else "get", "/x")
    assert operation is not None
    if side == "request":
        assert operation.request_body is not None
        check = operation.request_body.by_media_type["application/json"]
    else:
        declared = operation.response_for(200)
        assert declared is not None
        assert declared.body is not None
        check = declared.body.by_media_type["application/json"]
    assert check is not None
    for finding in findings:
        if finding.code.code == REQ_BODY:
            assert rule_admits(rule, example, finding.mock_value) is True
            assert not check.validator.is_valid({"v": finding.mock_value})
        elif finding.code.code == RES_BODY:
            assert rule_admits(rule, example, finding.mock_value) is False
            assert check.validator.is_valid({"v": finding.mock_value})
        else:
            assert finding.code.code in ("request.body.incompatible", "response.body.incompatible")
