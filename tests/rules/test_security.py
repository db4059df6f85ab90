"""Security: `request.authorization.missing` and the credentials that satisfy a requirement."""

from __future__ import annotations

from typing import Any

import pytest
from _build import OK, findings_for, interaction, messages_for, openapi3, report_for, swagger2
from crosscontract.engine import InputError

IX = "[root].interactions[0]"

SCHEMES = {
    "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    "token": {"type": "apiKey", "in": "query", "name": "token"},
    "crumb": {"type": "apiKey", "in": "cookie", "name": "crumb"},
    "basic": {"type": "http", "scheme": "basic"},
    "bearer": {"type": "http", "scheme": "bearer"},
    "oauth": {"type": "oauth2", "flows": {}},
    "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example/.well-known"},
}


def secured(requirements: list[dict[str, list[str]]] | None = None, **top: Any) -> dict[str, Any]:
    """OpenAPI 3 `GET /x` (200 and 401) with operation `security` = `requirements` (None: not set)."""
    operation: dict[str, Any] = {"responses": {"200": OK, "401": OK}}
    if requirements is not None:
        operation["security"] = requirements
    return openapi3({"/x": {"get": operation}}, components={"securitySchemes": SCHEMES}, **top)


def missing(scheme: str, where: str = "[root].paths./x.get.security[0]") -> tuple[str, str, str]:
    return ("request.authorization.missing", IX, f"{where}.{scheme}")


def test_global_api_key_header_missing() -> None:
    spec = secured(security=[{"key": []}])
    assert findings_for(spec, interaction()) == [missing("key", "[root].security[0]")]
    assert messages_for(spec, interaction()) == [
        (
            "request.authorization.missing",
            "Request Authorization header is missing but is required by the spec file: "
            "scheme 'key' needs the header 'x-api-key'",
        )
    ]


@pytest.mark.parametrize("name", ["X-Api-Key", "x-api-key", "X-API-KEY"])
def test_api_key_header_name_is_case_insensitive(name: str) -> None:
    assert findings_for(secured([{"key": []}]), interaction(headers={name: "secret"})) == []


def test_api_key_query_missing() -> None:
    spec = secured([{"token": []}])
    assert findings_for(spec, interaction()) == [missing("token")]
    assert messages_for(spec, interaction()) == [
        (
            "request.authorization.missing",
            "Request Authorization query is missing but is required by the spec file: "
            "scheme 'token' needs the query parameter 'token'",
        )
    ]
    assert findings_for(spec, interaction(query="token=t")) == []


def test_api_key_query_name_is_case_sensitive() -> None:
    assert findings_for(secured([{"token": []}]), interaction(query="Token=t")) == [
        missing("token"),
        ("request.query.unknown", f"{IX}.request.query.Token", "[root].paths./x.get"),
    ]


@pytest.mark.parametrize("scheme", ["basic", "bearer"])
def test_http_schemes_need_an_authorization_header(scheme: str) -> None:
    spec = secured([{scheme: []}])
    assert findings_for(spec, interaction()) == [missing(scheme)]
    [(_, message)] = messages_for(spec, interaction())
    assert message.endswith(f"scheme '{scheme}' needs an Authorization header starting '{scheme.title()} '")
    # The value must start with the scheme word (the reference engine checks presence only).
    assert findings_for(spec, interaction(headers={"authorization": f"{scheme.title()} abc"})) == []
    assert findings_for(spec, interaction(headers={"authorization": "anything"})) == [missing(scheme)]


def test_swagger2_basic_needs_an_authorization_header() -> None:
    spec = swagger2(
        {"/x": {"get": {"responses": {"200": OK}}}},
        securityDefinitions={"b": {"type": "basic"}},
        security=[{"b": []}],
    )
    assert findings_for(spec, interaction()) == [missing("b", "[root].security[0]")]
    assert findings_for(spec, interaction(headers={"Authorization": "Basic eDp5"})) == []


def test_swagger2_api_key() -> None:
    spec = swagger2(
        {"/x": {"get": {"security": [{"k": []}], "responses": {"200": OK}}}},
        securityDefinitions={"k": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    )
    assert findings_for(spec, interaction()) == [missing("k")]
    assert findings_for(spec, interaction(headers={"X-Key": "k"})) == []


def test_api_key_cookie_is_read_from_the_cookie_header() -> None:
    spec = secured([{"crumb": []}])
    assert findings_for(spec, interaction(headers={"Cookie": "theme=dark; crumb=abc"})) == []
    for headers in (None, {"Cookie": "theme=dark"}, {"Cookie": "Crumb=abc"}):
        assert messages_for(spec, interaction(headers=headers)) == [
            (
                "request.authorization.missing",
                "Request Authorization cookie is missing but is required by the spec file: "
                "scheme 'crumb' needs the cookie parameter 'crumb'",
            )
        ]


@pytest.mark.parametrize("scheme", ["oauth", "oidc"])
def test_schemes_a_pact_cannot_show_are_satisfied(scheme: str) -> None:
    assert findings_for(secured([{scheme: ["read"] if scheme == "oauth" else []}]), interaction()) == []


def test_alternatives_are_or_ed() -> None:
    spec = secured([{"key": []}, {"bearer": []}])
    assert findings_for(spec, interaction(headers={"Authorization": "Bearer t"})) == []
    assert findings_for(spec, interaction(headers={"X-Api-Key": "k"})) == []


def test_no_alternative_reports_the_first_one() -> None:
    spec = secured([{"key": []}, {"bearer": []}])
    assert findings_for(spec, interaction()) == [missing("key")]


def test_schemes_in_one_alternative_are_and_ed() -> None:
    spec = secured([{"key": [], "token": []}, {"bearer": []}])
    assert findings_for(spec, interaction(headers={"X-Api-Key": "k"})) == [missing("token")]
    assert findings_for(spec, interaction(query="token=t")) == [missing("key")]
    assert findings_for(spec, interaction()) == [missing("key"), missing("token")]
    assert findings_for(spec, interaction(headers={"X-Api-Key": "k"}, query="token=t")) == []


def test_operation_security_overrides_global() -> None:
    spec = secured([{"token": []}], security=[{"key": []}])
    assert findings_for(spec, interaction(headers={"X-Api-Key": "k"})) == [
        missing("token"),
        # The global scheme's header is not a credential of this operation.
        ("request.header.unknown", f"{IX}.request.headers.X-Api-Key", "[root].paths./x.get"),
    ]
    assert findings_for(spec, interaction(query="token=t")) == []


def test_empty_operation_security_turns_global_off() -> None:
    assert findings_for(secured([], security=[{"key": []}]), interaction()) == []


def test_empty_requirement_makes_security_optional() -> None:
    assert findings_for(secured([{"key": []}, {}]), interaction()) == []


@pytest.mark.parametrize("status", [400, 401, 403, 500])
def test_not_checked_for_error_responses(status: int) -> None:
    spec = secured(security=[{"key": []}])
    assert findings_for(spec, interaction(status=status)) == (
        []
        if status == 401
        else [("response.status.unknown", f"{IX}.response.status", "[root].paths./x.get.responses")]
    )


def test_checked_for_success_and_redirect_responses() -> None:
    spec = openapi3(
        {"/x": {"get": {"responses": {"200": OK, "302": OK}}}},
        components={"securitySchemes": SCHEMES},
        security=[{"key": []}],
    )
    assert findings_for(spec, interaction(status=302)) == [missing("key", "[root].security[0]")]


def test_undefined_scheme_is_an_input_error() -> None:
    spec = secured([{"nope": []}])
    with pytest.raises(InputError, match="security scheme 'nope', which is not defined"):
        report_for(spec, interaction())


@pytest.mark.parametrize(
    ("scheme", "header", "ok"),
    [
        ("bearer", "Bearer abc", True),
        ("bearer", "bearer abc", True),
        ("bearer", "Basic dXNlcjpwYXNz", False),
        ("basic", "Basic dXNlcjpwYXNz", True),
        ("basic", "Bearer abc", False),
        ("digest", "Digest x", True),
    ],
)
def test_http_scheme_word_is_checked(scheme: str, header: str, ok: bool) -> None:
    spec = openapi3(
        {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}},
        security=[{"auth": []}],
        components={"securitySchemes": {"auth": {"type": "http", "scheme": scheme}}},
    )
    found = messages_for(spec, interaction(path="/pets", headers={"Authorization": header}))
    if ok:
        assert found == []
    else:
        assert found == [
            (
                "request.authorization.missing",
                f"Request Authorization header does not use the {scheme.capitalize()} scheme"
                " the spec file requires",
            ),
        ]
