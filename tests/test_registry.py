"""Invariants of the result codes (`check/codes.py`) and of the rules that report them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import crosscontract.engine.check.codes as codes
import pytest
from _build import OK, codes_for, content, interaction, openapi3, pact, response3
from crosscontract.engine import Comparator, load_spec, parse_pact
from crosscontract.engine.check.explain import checked_by
from crosscontract.engine.check.findings import CODES, Code, Finding, Severity, declare
from crosscontract.engine.check.rules import RULES, Context, Rule, rule

_WORD = r"[a-z]+(?:-[a-z]+)*"
_DOTTED = re.compile(rf"^(?:request|response)\.{_WORD}\.{_WORD}$")
# The reference engine's broker code has no <part>; it is kept verbatim so reports stay comparable.
_VERBATIM = {"pact-broker.no-pacts-found"}

# The reference engine's 23 codes with their fixed severities (peer-engine.md §1).
REFERENCE: dict[str, Severity] = {
    "request.path-or-method.unknown": Severity.ERROR,
    "request.accept.incompatible": Severity.ERROR,
    "request.accept.unknown": Severity.WARNING,
    "request.authorization.missing": Severity.ERROR,
    "request.body.incompatible": Severity.ERROR,
    "request.body.unknown": Severity.WARNING,
    "request.content-type.incompatible": Severity.ERROR,
    "request.content-type.missing": Severity.WARNING,
    "request.content-type.unknown": Severity.WARNING,
    "request.header.incompatible": Severity.ERROR,
    "request.header.unknown": Severity.WARNING,
    "request.query.incompatible": Severity.ERROR,
    "request.query.unknown": Severity.WARNING,
    "response.status.unknown": Severity.ERROR,
    "response.status.default": Severity.WARNING,
    "response.body.incompatible": Severity.ERROR,
    "response.body.unknown": Severity.ERROR,
    "response.content-type.incompatible": Severity.ERROR,
    "response.content-type.unknown": Severity.WARNING,
    "response.header.incompatible": Severity.ERROR,
    "response.header.unknown": Severity.ERROR,
    "response.header.undefined": Severity.WARNING,
    "pact-broker.no-pacts-found": Severity.WARNING,
}

# Checks the reference engine lacks: openapi-pact-comparator's, then our own, in the same grammar.
SUCCESSOR = {"request.body.unvalidatable": Severity.WARNING, "response.body.unvalidatable": Severity.WARNING}
OWN = {
    "request.cookie.incompatible": Severity.ERROR,
    "request.body.matcher-exceeds-spec": Severity.WARNING,
    "request.query.matcher-exceeds-spec": Severity.WARNING,
    "request.header.matcher-exceeds-spec": Severity.WARNING,
    "request.path.matcher-exceeds-spec": Severity.WARNING,
    "response.body.spec-exceeds-matcher": Severity.WARNING,
    "response.header.spec-exceeds-matcher": Severity.WARNING,
}

# Codes that only a Pact Broker run can report; there is no broker mode to test them through.
BROKER_ONLY = {"pact-broker.no-pacts-found"}


def test_codes_module_declares_every_registered_code() -> None:
    declared = {value.code for value in vars(codes).values() if isinstance(value, Code)}
    assert declared == set(CODES)


def test_codes_and_severities_are_the_reference_engines_plus_our_own() -> None:
    assert {name: code.severity for name, code in CODES.items()} == REFERENCE | SUCCESSOR | OWN


@pytest.mark.parametrize("name", sorted(CODES))
def test_code_is_dotted_side_part_problem(name: str) -> None:
    assert CODES[name].code == name
    if name not in _VERBATIM:
        assert _DOTTED.match(name), name


@pytest.mark.parametrize("name", sorted(CODES))
def test_code_is_documented(name: str) -> None:
    code = CODES[name]
    for text in (code.summary, code.why):
        assert text.strip() == text
        assert len(text) > 20
        assert "\n" not in text
    assert code.summary != code.why


def test_declaring_a_code_twice_raises() -> None:
    original = CODES["request.query.unknown"]
    with pytest.raises(ValueError, match="declared twice"):
        declare("request.query.unknown", Severity.WARNING, "Another summary.", "Another reason.")
    assert CODES["request.query.unknown"] is original
    assert len(CODES) == len(REFERENCE) + len(SUCCESSOR) + len(OWN)


@pytest.mark.parametrize(("summary", "why"), [("", "A reason."), ("A summary.", "")])
def test_declaring_an_undocumented_code_raises(summary: str, why: str) -> None:
    with pytest.raises(ValueError, match="needs a summary and a reason"):
        declare("request.test.undocumented", Severity.ERROR, summary, why)
    assert "request.test.undocumented" not in CODES


# --- every code is reported by a declared check, and each check reports what it declares ------

JSON = {"Content-Type": "application/json"}
OBJECT = {"type": "object", "properties": {"id": {"type": "integer"}}}
_POST_JSON = {"post": {"requestBody": {"content": content(OBJECT)}, "responses": {"200": OK}}}
_QUERY = {
    "get": {
        "parameters": [{"name": "n", "in": "query", "schema": {"type": "integer"}}],
        "responses": {"200": OK},
    }
}
_HEADER = {
    "get": {
        "parameters": [{"name": "X-N", "in": "header", "schema": {"type": "integer"}}],
        "responses": {"200": OK},
    }
}
_COOKIE = {
    "get": {
        "parameters": [{"name": "n", "in": "cookie", "schema": {"type": "integer"}}],
        "responses": {"200": OK},
    }
}
_SECURED = {
    "get": {"security": [{"key": []}], "responses": {"200": OK}},
}
_SCHEMES = {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}
_BODY_200 = {"get": {"responses": {"200": response3(OBJECT), "default": OK}}}
_RESPONSE_HEADER = {
    "get": {"responses": {"200": {"description": "ok", "headers": {"X-N": {"schema": {"type": "integer"}}}}}}
}

_BOUNDED = {"type": "object", "properties": {"id": {"type": "integer", "maximum": 9}}}
_NULLABLE = {"type": "object", "properties": {"id": {"type": "integer", "nullable": True}}}
_PATH = {
    "get": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": OK},
    }
}
_ENUM_HEADER = {"X-N": {"schema": {"type": "string", "enum": ["a", "B"]}}}


def _ruled(example: dict[str, Any], side: str, matching: dict[str, Any]) -> dict[str, Any]:
    """`example` with v2 matching rules on one side."""
    example[side]["matchingRules"] = matching
    return example


# One tiny spec and interaction that reports each code the engine can report without a broker.
EXAMPLES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "request.path-or-method.unknown": (openapi3({"/x": _QUERY}), interaction(path="/y")),
    "request.accept.incompatible": (openapi3({"/x": _BODY_200}), interaction(headers={"Accept": "text/csv"})),
    "request.accept.unknown": (openapi3({"/x": _QUERY}), interaction(headers={"Accept": "text/csv"})),
    "request.authorization.missing": (openapi3({"/x": _SECURED}, components=_SCHEMES), interaction()),
    "request.body.incompatible": (
        openapi3({"/x": _POST_JSON}),
        interaction(method="POST", headers=JSON, body={"id": "one"}),
    ),
    "request.body.unknown": (openapi3({"/x": _QUERY}), interaction(headers=JSON, body={"id": 1})),
    "request.content-type.incompatible": (
        openapi3({"/x": _POST_JSON}),
        interaction(method="POST", headers={"Content-Type": "text/csv"}, body="a,b"),
    ),
    "request.content-type.missing": (
        openapi3({"/x": _POST_JSON}),
        interaction(method="POST", body={"id": 1}),
    ),
    "request.content-type.unknown": (openapi3({"/x": _QUERY}), interaction(headers=JSON)),
    "request.header.incompatible": (openapi3({"/x": _HEADER}), interaction(headers={"X-N": "one"})),
    "request.header.unknown": (openapi3({"/x": _QUERY}), interaction(headers={"X-Other": "1"})),
    "request.query.incompatible": (openapi3({"/x": _QUERY}), interaction(query="n=one")),
    "request.query.unknown": (openapi3({"/x": _QUERY}), interaction(query="m=1")),
    "request.cookie.incompatible": (openapi3({"/x": _COOKIE}), interaction(headers={"Cookie": "n=one"})),
    "response.status.unknown": (openapi3({"/x": _QUERY}), interaction(status=500)),
    "response.status.default": (openapi3({"/x": _BODY_200}), interaction(status=500)),
    "response.body.incompatible": (
        openapi3({"/x": _BODY_200}),
        interaction(response_headers=JSON, response_body={"id": "one"}),
    ),
    "response.body.unknown": (
        openapi3({"/x": _QUERY}),
        interaction(response_headers=JSON, response_body={"id": 1}),
    ),
    "response.content-type.incompatible": (
        openapi3({"/x": _BODY_200}),
        interaction(response_headers={"Content-Type": "text/csv"}),
    ),
    "response.content-type.unknown": (openapi3({"/x": _QUERY}), interaction(response_headers=JSON)),
    "response.header.incompatible": (
        openapi3({"/x": _RESPONSE_HEADER}),
        interaction(response_headers={"X-N": "one"}),
    ),
    "response.header.unknown": (openapi3({"/x": _QUERY}), interaction(response_headers={"X-Other": "1"})),
    "response.header.undefined": (openapi3({"/x": _QUERY}), interaction(response_headers={"ETag": "1"})),
    "request.body.unvalidatable": (
        openapi3(
            {
                "/x": {
                    "post": {
                        "requestBody": {"content": content(OBJECT, "application/xml")},
                        "responses": {"200": OK},
                    }
                }
            }
        ),
        interaction(method="POST", headers={"Content-Type": "application/xml"}, body="<a/>"),
    ),
    "response.body.unvalidatable": (
        openapi3({"/x": {"get": {"responses": {"200": response3(OBJECT, "application/xml")}}}}),
        interaction(response_headers={"Content-Type": "application/xml"}, response_body="<a/>"),
    ),
    "request.body.matcher-exceeds-spec": (
        openapi3({"/x": {"post": {"requestBody": {"content": content(_BOUNDED)}, "responses": {"200": OK}}}}),
        _ruled(
            interaction(method="POST", headers=JSON, body={"id": 1}),
            "request",
            {"$.body.id": {"match": "integer"}},
        ),
    ),
    "request.query.matcher-exceeds-spec": (
        openapi3({"/x": _QUERY}),
        _ruled(interaction(query="n=1"), "request", {"$.query.n": {"match": "regex", "regex": "1|x"}}),
    ),
    "request.header.matcher-exceeds-spec": (
        openapi3({"/x": _HEADER}),
        _ruled(interaction(headers={"X-N": "1"}), "request", {"$.headers.X-N": {"match": "type"}}),
    ),
    "request.path.matcher-exceeds-spec": (
        openapi3({"/x/{id}": _PATH}),
        _ruled(interaction(path="/x/1"), "request", {"$.path": {"match": "regex", "regex": "/x/1|/y"}}),
    ),
    "response.body.spec-exceeds-matcher": (
        openapi3({"/x": {"get": {"responses": {"200": response3(_NULLABLE)}}}}),
        _ruled(
            interaction(response_headers=JSON, response_body={"id": 1}),
            "response",
            {"$.body.id": {"match": "type"}},
        ),
    ),
    "response.header.spec-exceeds-matcher": (
        openapi3({"/x": {"get": {"responses": {"200": {"description": "ok", "headers": _ENUM_HEADER}}}}}),
        _ruled(
            interaction(response_headers={"X-N": "a"}),
            "response",
            {"$.headers.X-N": {"match": "regex", "regex": "[a-z]"}},
        ),
    ),
}


def test_every_code_has_an_example_but_those_of_a_broker_run() -> None:
    assert set(EXAMPLES) == set(CODES) - BROKER_ONLY


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_code_is_reported_where_its_example_says(name: str) -> None:
    spec, example = EXAMPLES[name]
    assert name in codes_for(spec, example, matching_rules=True)


@pytest.mark.parametrize("name", sorted(CODES))
def test_every_code_names_what_checks_it(name: str) -> None:
    assert checked_by(CODES[name]), f"no rule declares {name}"


@pytest.mark.parametrize("checked", RULES, ids=lambda r: r.name)
def test_a_rule_reports_only_the_codes_it_declares(checked: Rule) -> None:
    """Every example goes through this one rule alone: whatever it reports, it declared."""
    for spec, example in EXAMPLES.values():
        comparator = Comparator(load_spec(spec))
        found = parse_pact(pact(example), "pact.json")
        for item in found.interactions:
            operation = comparator.index.route(item.request.method, item.request.path)
            if operation is None:
                continue
            ctx = Context.of(operation, item)
            if checked.applies(ctx.checks_request, ctx.response is not None):
                assert {f.code for f in checked(ctx)} <= set(checked.codes)


def test_a_rule_without_a_docstring_or_codes_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a docstring"):
        rule(codes.QUERY_UNKNOWN)(lambda ctx: iter(()))
    with pytest.raises(ValueError, match="needs a docstring"):

        @rule()
        def undocumented_codes(ctx: Context) -> Iterator[Finding]:
            """Says what it checks, but reports nothing it names."""
            return iter(())
