"""Which rules an interaction goes through: chosen once per operation, never changing a finding."""

from __future__ import annotations

from typing import Any

from _build import OK, interaction, openapi3, pact, swagger2
from crosscontract.engine import Comparator, Options, load_spec, parse_pact
from crosscontract.engine.check.rules import RULES, Context, Plans, Rule

COOKIE = {"name": "session", "in": "cookie", "required": True, "schema": {"type": "string"}}
SECURED: dict[str, Any] = {"security": [{"key": []}]}
SCHEMES = {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}


def planned(spec: dict[str, Any], built: dict[str, Any], *, matching_rules: bool = True) -> set[str]:
    """The names of the rules `built` (one interaction) goes through against `spec`."""
    comparator = Comparator(load_spec(spec), Options(matching_rules=matching_rules))
    [checked] = parse_pact(pact(built), "pact.json").interactions
    operation = comparator.index.route(checked.request.method, checked.request.path)
    assert operation is not None
    return {r.name for r in Plans(matching_rules).of(Context.of(operation, checked))}


def test_an_operation_that_declares_no_cookies_security_or_form_skips_their_rules() -> None:
    plain = planned(openapi3({"/x": {"get": {"responses": {"200": OK}}}}), interaction())
    assert plain.isdisjoint({"request_cookies", "authorization", "form_data"})
    assert {"request_headers", "request_query", "status", "response_body"} <= plain


def test_an_operation_that_declares_them_is_planned_through_their_rules() -> None:
    declared = openapi3(
        {"/x": {"get": {"parameters": [COOKIE], "responses": {"200": OK}, **SECURED}}},
        components=SCHEMES,
    )
    assert {"request_cookies", "authorization"} <= planned(declared, interaction())
    form = swagger2(
        {
            "/x": {
                "post": {
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [{"name": "a", "in": "formData", "type": "string"}],
                    "responses": {"200": OK},
                }
            }
        }
    )
    assert "form_data" in planned(form, interaction("POST", body="a=1"))


def test_error_statuses_and_undeclared_statuses_leave_out_the_rules_that_need_them() -> None:
    spec = openapi3({"/x": {"get": {"responses": {"200": OK, "404": OK}}}})
    rejected = planned(spec, interaction(status=404))
    assert "request_headers" not in rejected
    assert "response_body" in rejected
    undeclared = planned(spec, interaction(status=500))
    assert "status" in undeclared
    assert "response_body" not in undeclared


def test_matching_rules_are_planned_only_for_a_run_that_asks_and_a_pact_that_has_them() -> None:
    spec = openapi3({"/x": {"get": {"responses": {"200": OK}}}})
    ruled = interaction(response_body={"a": 1})
    ruled["response"]["matchingRules"] = {"body": {"$.a": {"matchers": [{"match": "type"}]}}}
    assert "matching_rules" in planned(spec, ruled)
    assert "matching_rules" not in planned(spec, ruled, matching_rules=False)
    assert "matching_rules" not in planned(spec, interaction(response_body={"a": 1}))


def test_a_rule_left_out_of_a_plan_would_have_found_nothing() -> None:
    # The plan is a saving, never a verdict: calling every rule gives the same findings.
    spec = openapi3(
        {"/x": {"get": {"responses": {"200": OK}}, "post": {"responses": {"200": OK}}}},
        components=SCHEMES,
    )
    interactions = [
        interaction(headers={"Cookie": "session=1", "X-Key": "k"}),
        interaction("POST", body="a=1", headers={"Content-Type": "application/x-www-form-urlencoded"}),
    ]
    comparator = Comparator(load_spec(spec))
    for checked in parse_pact(pact(*interactions), "pact.json").interactions:
        operation = comparator.index.route(checked.request.method, checked.request.path)
        assert operation is not None
        ctx = Context.of(operation, checked)
        left_out: list[Rule] = [r for r in RULES if r not in Plans(True).of(ctx)]
        assert left_out
        assert all(list(r.check(ctx)) == [] for r in left_out)
