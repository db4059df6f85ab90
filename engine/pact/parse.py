"""One interaction of a pact, from parsed JSON to the model; the facts both readers need.

`reader.py` (a whole document) and `stream.py` (one interaction at a time) both build
interactions here, so a pact reads the same either way, bad input included.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import orjson

from .._types import MISSING, Json, JsonObject
from ..errors import InputError
from .model import NO_HEADERS, NO_STATE, Headers, Interaction, Request, Response, interaction_ref

if TYPE_CHECKING:
    from .matchers import Generators, MatchingRules

TOO_DEEP = "pact nests values deeper than 1024 levels"
"""Both readers refuse a pact nested deeper than `inputs.MAX_DEPTH` (orjson's own limit)."""
TWO_INTERACTIONS = "pact has more than one 'interactions' key: which one holds the interactions?"
"""Both readers refuse it: orjson would keep the last list, a streamed read both."""


def pact_version(document: JsonObject) -> str:
    """The pact specification version, from any of its historical spellings."""
    metadata = document.get("metadata")
    if isinstance(metadata, dict):
        for key in ("pactSpecification", "pact-specification"):
            spec = metadata.get(key)
            if isinstance(spec, dict) and isinstance(spec.get("version"), str):
                return str(spec["version"])
        if isinstance(metadata.get("pactSpecificationVersion"), str):
            return str(metadata["pactSpecificationVersion"])
    return "1.0.0"


def not_http(kind: Json) -> str | None:
    """Why an interaction of this `type` is not compared, or None when it is HTTP."""
    if kind is None or kind == "Synchronous/HTTP":
        return None
    if isinstance(kind, dict | list):
        kind = "[object]"  # what a streamed read knows of it (`stream.py`)
    return f"{kind} interactions are not HTTP; only HTTP interactions are compared"


MESSAGE_REASON = "Pact v3 messages are not HTTP; only HTTP interactions are compared"
"""Why each entry of a v3 message pact's `messages` is skipped (v4 says it per interaction)."""


def description_of(raw: JsonObject) -> str | None:
    description = raw.get("description")
    return description if isinstance(description, str) else None


def interaction_of(raw: JsonObject, index: int, label: str, *, v4: bool = False) -> Interaction:
    """The interaction `raw`, the `index`th of the pact `label`, or `InputError`."""
    # Runs once per interaction (10,000 in a large pact): locations for error messages
    # are only spelled out when there is an error.
    request = raw.get("request")
    response = raw.get("response")
    if not isinstance(request, dict):
        raise _bad(label, index, "request must be an object")
    if not isinstance(response, dict):
        raise _bad(label, index, "response must be an object")
    method = request.get("method")
    path = request.get("path")
    if not isinstance(method, str):
        raise _bad(label, index, "request.method must be a string")
    if not isinstance(path, str):
        raise _bad(label, index, "request.path must be a string")
    status = response.get("status")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool):
        raise _bad(label, index, "response.status must be an integer")
    query = request.get("query")
    # Most pacts (every pact-msw-adapter pact) have neither rules nor generators: a lookup
    # each, nothing built, nothing imported.
    request_rules = request.get("matchingRules")
    request_generators = request.get("generators")
    response_rules = response.get("matchingRules")
    response_generators = response.get("generators")
    description = raw.get("description")
    if not isinstance(description, str):  # `description_of`, without a call
        description = None
    state = _state(raw)
    method = method.lower()
    return Interaction(
        index,
        description,
        state,
        Request(
            method,
            path,
            _NO_QUERY if query is None else _query(query, label, index),
            _headers(request.get("headers"), label, index, "request"),
            _body(request, label, index, "request") if v4 else request.get("body", MISSING),
            None if request_rules is None else _rules(request_rules, label, index, "request"),
            None if request_generators is None else _generators(request_generators, label, index, "request"),
        ),
        Response(
            status,
            _headers(response.get("headers"), label, index, "response"),
            _body(response, label, index, "response") if v4 else response.get("body", MISSING),
            None if response_rules is None else _rules(response_rules, label, index, "response"),
            None
            if response_generators is None
            else _generators(response_generators, label, index, "response"),
        ),
        raw,
        interaction_ref(index, raw, description, state, method, path, status),
    )


def _bad(label: str, index: int, problem: str) -> InputError:
    return InputError(label, f"interactions[{index}].{problem}")


def _state(raw: JsonObject) -> str:
    state = raw.get("providerState")
    if state and type(state) is str:  # a v2 pact's every interaction: one lookup
        return state
    for key in ("providerState", "provider_state"):
        state = raw.get(key)
        if state and isinstance(state, str):
            return state
    states = raw.get("providerStates")
    if isinstance(states, list):
        names = [s["name"] for s in states if isinstance(s, dict) and isinstance(s.get("name"), str)]
        if names:
            return ", ".join(names)
    return NO_STATE


_NO_QUERY: Mapping[str, tuple[str, ...]] = {}


def _query(query: Json, label: str, index: int) -> dict[str, tuple[str, ...]]:
    if isinstance(query, str):
        parsed: dict[str, list[str]] = {}
        for name, value in _query_pairs(query):
            parsed.setdefault(name, []).append(value)
        return {name: tuple(values) for name, values in parsed.items()}
    if isinstance(query, dict):
        result: dict[str, tuple[str, ...]] = {}
        for name, value in query.items():
            if isinstance(value, list):
                result[name] = tuple(as_text(v) for v in value)
            else:
                result[name] = (as_text(value),)
        return result
    raise _bad(label, index, "request.query must be a string or an object")


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """`parse_qsl(query, keep_blank_values=True)`, in two string methods when nothing is escaped.

    With no `%` nor `+` there is nothing to decode, and `parse_qsl` comes down to splitting
    on `&` and the first `=`: a fifth of the instructions for `status=available`.
    """
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    return [(name, value) for name, _, value in (field.partition("=") for field in query.split("&") if field)]


def _headers(headers: Json, label: str, index: int, side: str) -> Headers:
    if headers is None:
        return NO_HEADERS
    if not isinstance(headers, dict):
        raise _bad(label, index, f"{side}.headers must be an object")
    # One pass, as this runs twice per interaction; pacts usually write every value as text.
    by_lower: dict[str, tuple[str, str]] = {}
    all_text = True
    for name, value in headers.items():
        if type(value) is not str:
            value = _header_text(value)
            all_text = False
        by_lower[name.lower()] = (name, value)
    if all_text:
        return Headers(headers, by_lower)
    return Headers({name: _header_text(value) for name, value in headers.items()}, by_lower)


def _header_text(value: Json) -> str:
    """A header value as text; a list is the comma-separated list HTTP would carry."""
    return ",".join(as_text(v) for v in value) if isinstance(value, list) else as_text(value)


def as_text(value: Json) -> str:
    """A pact value as the text an HTTP message would carry."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return orjson.dumps(value).decode()


def _body(part: JsonObject, label: str, index: int, side: str) -> Json:
    """The body of a v4 request or response (others are read as they are written)."""
    body = part.get("body", MISSING)
    if isinstance(body, dict) and "content" in body:
        return _v4_body(body, label, f"interactions[{index}].{side}")
    return body


def _v4_body(body: JsonObject, label: str, where: str) -> Json:
    """Decode a v4 body `{content, contentType, encoded}` to the value it carries."""
    content = body["content"]
    encoded = body.get("encoded")
    if not encoded or not isinstance(content, str):
        return content
    if str(encoded).lower() == "json":
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError as exc:
            raise InputError(label, f"{where}.body is marked JSON-encoded but is not JSON: {exc}") from None
    try:
        return base64.b64decode(content, validate=False).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError) as exc:
        raise InputError(label, f"{where}.body cannot be decoded as {encoded}: {exc}") from None


# The matcher model is imported on the first pact that has rules: its eight frozen
# dataclasses take about 3 ms to create, a few percent of a short run that never needs them.


def _rules(rules: Json, label: str, index: int, side: str) -> MatchingRules:
    from .matchers import read_matching_rules

    return read_matching_rules(rules, label, f"interactions[{index}].{side}.matchingRules")


def _generators(generators: Json, label: str, index: int, side: str) -> Generators:
    from .matchers import read_generators

    return read_generators(generators, label, f"interactions[{index}].{side}.generators")
