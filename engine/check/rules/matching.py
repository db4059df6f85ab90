"""Pact matching rules against the spec: what a consumer may send, and what it will accept.

A matcher defines the set M of values the consumer may send (request) or will accept
(response); the spec's schema the set S the provider accepts (request) or may send
(response, after the response policy). Where M is not inside S (request) or S not inside
M (response), there is a value the example hides. Such a value is reported only once
found and checked: by the compiled validator for S and by the matcher's semantics
(`matcher_semantics`) for M. No counterexample, no finding.

The example values are checked by the other rules exactly as without rules; here a part
is searched only when its example passes the spec (a failing example is already
reported, and every value near it would fail the same way). Candidates: `counterexamples`.

Not checked: `eachLike` minimums on responses (they describe one provider state, not
every response), `arrayContains`, `statusCode` beyond the example status, `contentType`
beyond the declared media type, provider-state expressions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..._types import Json, Pointer
from ...http.negotiation import is_json_media_type
from ...http.parameters import ParameterSpec
from ...spec.index import SchemaCheck
from .. import codes
from ..counterexamples import hints_of, request_candidates, response_candidates, schemas_at
from ..findings import Finding
from ..matcher_semantics import checked, rule_admits
from ._base import Context, is_falsy, rule
from .bodies import choose_media_type

if TYPE_CHECKING:  # the matcher model is imported only by pacts that have rules
    from ...pact.matchers import Generators, MatchingRules, Part, Rule


def _shown(value: Json) -> str:
    return json.dumps(value, ensure_ascii=False)


def _where(pointer: Sequence[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pointer)


def _kinds(found: Rule) -> str:
    return f" {found.combine} ".join(m.kind for m in found.matchers)


def _nodes(value: Json, pointer: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Json]]:
    """Every value in `value`, parents first."""
    yield pointer, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*pointer, index))


def _replaced(value: Json, pointer: Sequence[str | int], new: Json) -> Json:
    """`value` with the value at `pointer` replaced by `new` (copies along the path only)."""
    if not pointer:
        return new
    head, rest = pointer[0], pointer[1:]
    if isinstance(value, dict) and isinstance(head, str):
        return {**value, head: _replaced(value[head], rest, new)}
    if isinstance(value, list) and isinstance(head, int):
        copy = list(value)
        copy[head] = _replaced(value[head], rest, new)
        return copy
    return value


def _bounded_by_generator(
    generators: Generators | None, part: Part, pointer: Sequence[str | int], candidates: Iterator[Json]
) -> Iterator[Json]:
    """A `RandomInt(min, max)` generator says what is sent: only integers in its range."""
    generator = generators.generator_for(part, pointer) if generators is not None else None
    if generator is None or generator.kind != "RandomInt":
        yield from candidates
        return
    low = generator.min if generator.min is not None else 0
    high = generator.max if generator.max is not None else 2**31 - 1
    yield from (low, high)
    for value in candidates:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            yield value


def _text(value: Json) -> str | None:
    """A candidate as a header, query or path value would carry it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _json_check(check: SchemaCheck | None, media_type: str | None) -> SchemaCheck | None:
    return check if check is not None and media_type is not None and is_json_media_type(media_type) else None


# --- request ------------------------------------------------------------------------------


def _request_body(ctx: Context, rules: MatchingRules) -> Iterator[Finding]:
    request = ctx.interaction.request
    body = ctx.operation.request_body
    value = request.body
    if not rules.body or body is None or is_falsy(value) or ctx.operation.form_parameters:
        return
    media_type = choose_media_type(body, request.headers.get("content-type"))
    check = _json_check(body.by_media_type.get(media_type) if media_type else None, media_type)
    if check is None or not check.validator.is_valid(value):
        return
    validator = check.validator
    for pointer, example in _nodes(value):
        found = rules.rules_for("body", pointer)
        if found is None or not checked(found):
            continue
        hints = hints_of(schemas_at(validator.schema, pointer))
        for matcher in found.matchers:
            candidates = request_candidates(matcher, example, hints)
            for candidate in _bounded_by_generator(request.generators, "body", pointer, candidates):
                if candidate == example or rule_admits(found, example, candidate) is not True:
                    continue
                errors = validator.errors(_replaced(value, pointer, candidate))
                if errors:
                    error = errors[0]
                    yield ctx.finding(
                        codes.REQUEST_BODY_MATCHER_EXCEEDS_SPEC,
                        f"The {_kinds(found)} matcher at {_where(pointer)} admits {_shown(candidate)}, "
                        f"which the request body schema rejects: {error.message}",
                        ctx.at("request", "body", *pointer),
                        (*check.at, *error.schema_path),
                        mock_value=candidate,
                        spec_value=error.schema_value,
                    )
                    break
            else:
                continue
            break


def _parameter_findings(
    ctx: Context,
    rules: MatchingRules,
    part: Part,
    param: ParameterSpec,
    values: Sequence[str],
    at: Pointer,
) -> Iterator[Finding]:
    found = rules.rules_for(part, (param.name,))
    validator = param.validator
    if found is None or not checked(found) or validator is None or param.spread or param.check(values):
        return
    example = values[0]
    hints = hints_of(schemas_at(validator.schema, ()))
    query = part == "query"
    code = codes.REQUEST_QUERY_MATCHER_EXCEEDS_SPEC if query else codes.REQUEST_HEADER_MATCHER_EXCEEDS_SPEC
    generators = ctx.interaction.request.generators
    for matcher in found.matchers:
        candidates = request_candidates(matcher, example, hints)
        for candidate in _bounded_by_generator(generators, part, (param.name,), candidates):
            text = _text(candidate)
            if text is None or text == example or rule_admits(found, example, text, text=True) is not True:
                continue
            errors = param.check((text, *values[1:]))
            if errors:
                yield ctx.finding(
                    code,
                    f"The {_kinds(found)} matcher on {param.name} admits {_shown(text)}, "
                    f"which the parameter rejects: {errors[0].message}",
                    at,
                    param.at,
                    mock_value=text,
                    spec_value=param.spec_value,
                )
                return


def _request_parameters(ctx: Context, rules: MatchingRules) -> Iterator[Finding]:
    request = ctx.interaction.request
    if rules.query:
        declared = ctx.operation.query_parameters
        for name, values in request.query.items():
            param = declared.get(name)
            if param is not None and values:
                yield from _parameter_findings(
                    ctx, rules, "query", param, values, ctx.at("request", "query", name)
                )
    if rules.header:
        headers = ctx.operation.header_parameters
        for lower, (name, value) in request.headers.by_lower.items():
            param = headers.get(lower)
            if param is not None:
                yield from _parameter_findings(
                    ctx, rules, "header", param, (value,), ctx.at("request", "headers", name)
                )


def _request_path(ctx: Context, rules: MatchingRules) -> Iterator[Finding]:
    found = rules.rules_for("path") if rules.path else None
    if found is None or not checked(found):
        return
    request = ctx.interaction.request
    for matcher in found.matchers:
        for candidate in request_candidates(matcher, request.path, hints_of(())):
            if not isinstance(candidate, str) or candidate == request.path:
                continue
            if rule_admits(found, request.path, candidate, text=True) is not True:
                continue
            if ctx.operation.index.route(request.method, candidate) is None:
                yield ctx.finding(
                    codes.REQUEST_PATH_MATCHER_EXCEEDS_SPEC,
                    f"The {_kinds(found)} matcher on the path admits {_shown(candidate)}, "
                    f"which no operation of the spec serves for {request.method.upper()}",
                    ctx.at("request", "path"),
                    ("paths",),
                    mock_value=candidate,
                )
                return


# --- response -----------------------------------------------------------------------------


def _response_body(ctx: Context, rules: MatchingRules) -> Iterator[Finding]:
    response = ctx.response
    interaction = ctx.interaction
    value = interaction.response.body
    if not rules.body or response is None or response.body is None or is_falsy(value):
        return
    media_type = choose_media_type(
        response.body,
        interaction.response.headers.get("content-type"),
        interaction.request.headers.get("accept"),
        "application/json",
    )
    check = _json_check(response.body.by_media_type.get(media_type) if media_type else None, media_type)
    if check is None or not check.validator.is_valid(value):
        return
    validator = check.validator
    for pointer, example in _nodes(value):
        found = rules.rules_for("body", pointer)
        if found is None or not checked(found):
            continue
        hints = hints_of(schemas_at(validator.schema, pointer))
        limited = next((m for m in found.matchers if m.max is not None), None)
        for candidate in response_candidates(hints, example, limited):
            if candidate == example or rule_admits(found, example, candidate) is not False:
                continue
            if validator.is_valid(_replaced(value, pointer, candidate)):
                yield ctx.finding(
                    codes.RESPONSE_BODY_SPEC_EXCEEDS_MATCHER,
                    f"The response body schema allows {_shown(candidate)} at {_where(pointer)}, "
                    f"which the consumer's {_kinds(found)} matcher rejects",
                    ctx.at("response", "body", *pointer),
                    check.at,
                    mock_value=candidate,
                )
                break


def _response_headers(ctx: Context, rules: MatchingRules) -> Iterator[Finding]:
    response = ctx.response
    if not rules.header or response is None:
        return
    for lower, (name, value) in ctx.interaction.response.headers.by_lower.items():
        param = response.headers.get(lower)
        found = rules.rules_for("header", (lower,))
        if param is None or param.validator is None or found is None or not checked(found):
            continue
        if param.check((value,)):
            continue
        hints = hints_of(schemas_at(param.validator.schema, ()))
        for candidate in response_candidates(hints, value, None):
            text = _text(candidate)
            if text is None or text == value or rule_admits(found, value, text, text=True) is not False:
                continue
            if not param.check((text,)):
                yield ctx.finding(
                    codes.RESPONSE_HEADER_SPEC_EXCEEDS_MATCHER,
                    f"The spec allows the response header {lower} to be {_shown(text)}, "
                    f"which the consumer's {_kinds(found)} matcher rejects",
                    ctx.at("response", "headers", name),
                    param.at,
                    mock_value=text,
                    spec_value=param.spec_value,
                )
                break


@rule(
    codes.REQUEST_BODY_MATCHER_EXCEEDS_SPEC,
    codes.REQUEST_QUERY_MATCHER_EXCEEDS_SPEC,
    codes.REQUEST_HEADER_MATCHER_EXCEEDS_SPEC,
    codes.REQUEST_PATH_MATCHER_EXCEEDS_SPEC,
    codes.RESPONSE_BODY_SPEC_EXCEEDS_MATCHER,
    codes.RESPONSE_HEADER_SPEC_EXCEEDS_MATCHER,
)
def matching_rules(ctx: Context) -> Iterator[Finding]:
    """Values a request matcher admits must pass the spec; values the response schema allows, the matcher.

    A finding holds the counterexample, checked by the validator and the matcher's semantics.
    """
    interaction = ctx.interaction
    sent = interaction.request.matching_rules
    if sent and ctx.checks_request:
        yield from _request_path(ctx, sent)
        yield from _request_parameters(ctx, sent)
        yield from _request_body(ctx, sent)
    accepted = interaction.response.matching_rules
    if accepted and ctx.response is not None:
        yield from _response_body(ctx, accepted)
        yield from _response_headers(ctx, accepted)
