"""Query and header parameters judged as openapi-core judges them, on tiny specs.

openapi-core validates requests against OpenAPI 3 independently of this engine (its own
parameter deserialising and casting, openapi-schema-validator for schemas), so where both
read the specification the same way their verdicts must agree: a request it rejects has a
`request.*` error here, and a request it accepts has none. It is too slow to be the engine
(about 155 request/response pairs a second) and judges a whole request, not a consumer's
subset, so every case sends only parameters the spec declares.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from _build import OK, all_findings, get3, interaction
from crosscontract.engine import Severity
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest
from openapi_core.validation.request.exceptions import RequestValidationError

INTEGER = {"type": "integer"}
CASES: list[tuple[str, dict[str, Any], bool, Any, bool]] = [
    # where, schema, required, value sent (None: not sent), accepted
    ("query", INTEGER, False, "12", True),
    ("query", INTEGER, False, "-3", True),
    ("query", INTEGER, False, "1.5", False),
    ("query", INTEGER, False, "abc", False),
    ("query", {"type": "number"}, False, "1e3", True),
    ("query", {"type": "number"}, False, "ten", False),
    ("query", {"type": "boolean"}, False, "true", True),
    ("query", {"type": "boolean"}, False, "maybe", False),
    ("query", {"type": "integer", "minimum": 1}, False, "0", False),
    ("query", {"type": "integer", "maximum": 9}, False, "9", True),
    ("query", {"type": "string", "enum": ["asc", "desc"]}, False, "asc", True),
    ("query", {"type": "string", "enum": ["asc", "desc"]}, False, "up", False),
    ("query", {"type": "string", "maxLength": 3}, False, "abcd", False),
    ("query", {"type": "string", "pattern": "^[a-z]+$"}, False, "abc", True),
    ("query", {"type": "string", "pattern": "^[a-z]+$"}, False, "ab1", False),
    ("query", {"type": "string", "format": "date"}, False, "2024-02-30", False),
    ("query", {"type": "array", "items": INTEGER}, False, ["1", "2"], True),
    ("query", {"type": "array", "items": INTEGER}, False, ["1", "x"], False),
    ("query", INTEGER, True, "1", True),
    ("query", INTEGER, True, None, False),
    ("header", INTEGER, False, "12", True),
    ("header", INTEGER, False, "twelve", False),
    ("header", {"type": "string", "enum": ["v1", "v2"]}, False, "v3", False),
    ("header", {"type": "boolean"}, False, "false", True),
    ("header", INTEGER, True, None, False),
]


def _spec(where: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    parameter = {"in": where, "name": "n" if where == "query" else "X-N", "schema": schema}
    return get3("/x", parameters=[{**parameter, "required": required}], responses={"200": OK})


def _openapi_core_accepts(spec: dict[str, Any], where: str, value: Any) -> bool:
    sent = {} if value is None else {"n" if where == "query" else "X-N": value}
    request = MockRequest(
        "http://localhost",
        "get",
        "/x",
        args=sent if where == "query" else {},
        headers=sent if where == "header" else {},
    )
    try:
        OpenAPI.from_dict(spec).validate_request(request)
    except RequestValidationError:
        return False
    return True


def _engine_accepts(spec: dict[str, Any], where: str, value: Any) -> bool:
    if value is None:
        sent = interaction()
    elif where == "query":
        sent = interaction(query=urlencode({"n": value}, doseq=True))
    else:
        sent = interaction(headers={"X-N": value})
    return not [
        f
        for f in all_findings(spec, sent)
        if f.code.code.startswith("request.") and f.severity is Severity.ERROR
    ]


def _id(where: str, schema: dict[str, Any], required: bool, value: Any, accepted: bool) -> str:
    sent = "absent" if value is None else ",".join(value) if isinstance(value, list) else value
    return f"{where}-{schema['type']}{'-required' if required else ''}-{sent}"


@pytest.mark.parametrize(
    ("where", "schema", "required", "value", "accepted"),
    [pytest.param(*case, id=_id(*case)) for case in CASES],
)
def test_parameter_verdict_agrees_with_openapi_core(
    where: str, schema: dict[str, Any], required: bool, value: Any, accepted: bool
) -> None:
    spec = _spec(where, schema, required)
    assert _openapi_core_accepts(spec, where, value) is accepted  # the oracle reads the case as meant
    assert _engine_accepts(spec, where, value) is accepted
