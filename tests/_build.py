"""Tiny builders for inline specs and pacts, and the one helper every rule test calls.

A rule test is a spec dict, one interaction and the exact findings expected:

    spec = openapi3({"/x": {"get": {"responses": {"200": {"description": "ok"}}}}})
    assert findings_for(spec, interaction(status=404)) == [("response.status.unknown", ..., ...)]

`findings_for` goes through the public API (`load_spec`, `parse_pact`, `compare`), so the
tests pin what users see, not internals.
"""

from __future__ import annotations

from typing import Any

from crosscontract.engine import Finding, Options, Report, compare, load_spec, parse_pact
from crosscontract.engine.locations import mock_location, spec_location


class _Missing:
    """A part of the interaction that is not written at all (unlike JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

Row = tuple[str, str | None, str | None]
"""(code, mock location, spec location) of one finding."""

# The hints that follow an undeclared response property's message.
UNDECLARED = (
    " (the response schema does not declare it: a consumer may read only what the provider "
    "declares; --additional-properties-in-response accepts undeclared properties)"
)
CLOSED_ALL_OF = (
    " (refused whatever --additional-properties-in-response says: an allOf is read as one "
    "closed object over its members, as the reference engine reads it, and a schema may "
    "close itself with unevaluatedProperties)"
)

THINGS_REF_SPEC = """\
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: integer}
"""
"""`GET /things` answering a `Thing` (an object with an integer `id`), through a `$ref`."""

THINGS_SPEC = """\
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: integer}
"""
"""`GET /things` answering `{"id": <integer>}`: the spec of the CLI-level tests, as a file's text."""

OK = {"description": "ok"}
"""A response without body or headers."""


def openapi3(paths: dict[str, Any] | None = None, *, version: str = "3.0.3", **top: Any) -> dict[str, Any]:
    """An OpenAPI 3 document; `top` adds top-level fields (`components`, `security`...)."""
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths or {}, **top}


def swagger2(paths: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A Swagger 2.0 document; `top` adds top-level fields (`basePath`, `consumes`...)."""
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths or {}, **top}


def content(schema: Any = MISSING, media_type: str = "application/json") -> dict[str, Any]:
    """OpenAPI 3 `content` with one media type (and a schema unless MISSING)."""
    return {media_type: {} if schema is MISSING else {"schema": schema}}


def response3(schema: Any = MISSING, media_type: str = "application/json", **extra: Any) -> dict[str, Any]:
    """An OpenAPI 3 response object whose body has `schema` as `media_type`."""
    return {"description": "ok", "content": content(schema, media_type), **extra}


def get3(path: str, **operation: Any) -> dict[str, Any]:
    """OpenAPI 3 document with one `GET path` operation (default: a bare 200 response)."""
    operation.setdefault("responses", {"200": OK})
    return openapi3({path: {"get": operation}})


def interaction(
    method: str = "GET",
    path: str = "/x",
    status: int = 200,
    query: Any = None,
    headers: dict[str, Any] | None = None,
    body: Any = MISSING,
    response_headers: dict[str, Any] | None = None,
    response_body: Any = MISSING,
    *,
    description: str = "an interaction",
    state: str | None = None,
) -> dict[str, Any]:
    """A pact interaction as a v2 pact writes it; unset parts are left out."""
    request: dict[str, Any] = {"method": method, "path": path}
    if query is not None:
        request["query"] = query
    if headers is not None:
        request["headers"] = headers
    if body is not MISSING:
        request["body"] = body
    response: dict[str, Any] = {"status": status}
    if response_headers is not None:
        response["headers"] = response_headers
    if response_body is not MISSING:
        response["body"] = response_body
    built: dict[str, Any] = {"description": description, "request": request, "response": response}
    if state is not None:
        built["providerState"] = state
    return built


def pact(*interactions: dict[str, Any], version: str = "2.0.0") -> dict[str, Any]:
    """A pact document holding `interactions`."""
    return {
        "consumer": {"name": "consumer"},
        "provider": {"name": "provider"},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": version}},
    }


def report_for(spec: dict[str, Any], *interactions: dict[str, Any], **options: bool) -> Report:
    """Compare one pact made of `interactions` with `spec`; `options` are `Options` fields."""
    return compare(load_spec(spec), [parse_pact(pact(*interactions), "pact.json")], Options(**options))


def all_findings(spec: dict[str, Any], *interactions: dict[str, Any], **options: bool) -> list[Finding]:
    """Every finding, interaction by interaction, in report order."""
    report = report_for(spec, *interactions, **options)
    return [f for result in report.pacts[0].results for f in result.findings]


def findings_for(spec: dict[str, Any], *interactions: dict[str, Any], **options: bool) -> list[Row]:
    """(code, mock location, spec location) of every finding."""
    return [
        (f.code.code, mock_location(f.at), spec_location(f.spec.at))
        for f in all_findings(spec, *interactions, **options)
    ]


def messages_for(
    spec: dict[str, Any], *interactions: dict[str, Any], **options: bool
) -> list[tuple[str, str]]:
    """(code, message) of every finding."""
    return [(f.code.code, f.message) for f in all_findings(spec, *interactions, **options)]


def codes_for(spec: dict[str, Any], *interactions: dict[str, Any], **options: bool) -> list[str]:
    """The code of every finding."""
    return [f.code.code for f in all_findings(spec, *interactions, **options)]
