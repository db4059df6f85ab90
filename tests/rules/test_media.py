"""Media types: request Content-Type and Accept, response Content-Type."""

from __future__ import annotations

from typing import Any

import pytest
from _build import OK, content, findings_for, interaction, messages_for, openapi3, response3, swagger2

IX = "[root].interactions[0]"
JSON = "application/json"


def post2(**operation: Any) -> dict[str, Any]:
    """Swagger 2 `POST /x` with a JSON body parameter, plus `operation` fields."""
    body = {"in": "body", "name": "b", "schema": {"type": "object"}}
    return {"parameters": [body], "responses": {"200": OK}, **operation}


def post3(*media_types: str) -> dict[str, Any]:
    """OpenAPI 3 `POST /x` whose request body may be any of `media_types`."""
    request_body = {"content": {t: {"schema": {"type": "object"}} for t in media_types}}
    return openapi3({"/x": {"post": {"requestBody": request_body, "responses": {"200": OK}}}})


def with_content_type(media_type: str, body: Any = None, **extra: Any) -> dict[str, Any]:
    return interaction(
        "POST", headers={"Content-Type": media_type}, body={} if body is None else body, **extra
    )


# --- request Content-Type --------------------------------------------------------------------


def test_swagger2_content_type_incompatible_with_operation_consumes() -> None:
    spec = swagger2({"/x": {"post": post2(consumes=[JSON])}})
    ix = with_content_type("text/plain")
    assert findings_for(spec, ix) == [
        (
            "request.content-type.incompatible",
            f"{IX}.request.headers.Content-Type",
            "[root].paths./x.post.consumes",
        )
    ]
    assert messages_for(spec, ix) == [
        (
            "request.content-type.incompatible",
            "Request Content-Type header is incompatible with the mime-types the spec accepts to consume"
            " (declared: application/json)",
        )
    ]


def test_swagger2_content_type_incompatible_with_global_consumes() -> None:
    spec = swagger2({"/x": {"post": post2()}}, consumes=[JSON])
    assert findings_for(spec, with_content_type("text/plain")) == [
        ("request.content-type.incompatible", f"{IX}.request.headers.Content-Type", "[root].consumes")
    ]


def test_swagger2_operation_consumes_overrides_global_consumes() -> None:
    spec = swagger2({"/x": {"post": post2(consumes=[JSON])}}, consumes=["application/xml"])
    assert findings_for(spec, with_content_type(JSON)) == []
    assert findings_for(spec, with_content_type("application/xml")) == [
        (
            "request.content-type.incompatible",
            f"{IX}.request.headers.Content-Type",
            "[root].paths./x.post.consumes",
        )
    ]


def test_openapi3_content_type_incompatible_with_request_body_content() -> None:
    assert findings_for(post3(JSON), with_content_type("text/plain")) == [
        (
            "request.content-type.incompatible",
            f"{IX}.request.headers.Content-Type",
            "[root].paths./x.post.requestBody.content",
        )
    ]


@pytest.mark.parametrize(
    "media_type",
    [
        pytest.param("application/json; charset=utf-8", id="charset-param"),
        pytest.param("Application/JSON", id="case"),
        pytest.param("application/vnd.api+json", id="vendor-json"),
    ],
)
def test_content_type_negotiates_with_json(media_type: str) -> None:
    assert findings_for(post3(JSON), with_content_type(media_type)) == []
    assert (
        findings_for(swagger2({"/x": {"post": post2(consumes=[JSON])}}), with_content_type(media_type)) == []
    )


def test_content_type_matches_a_spec_wildcard() -> None:
    assert findings_for(post3("application/*"), with_content_type("application/xml")) == []


def test_content_type_missing_when_body_sent_without_one() -> None:
    ix = interaction("POST", body={"a": 1})
    assert findings_for(post3(JSON), ix) == [
        ("request.content-type.missing", IX, "[root].paths./x.post.requestBody.content")
    ]
    assert findings_for(swagger2({"/x": {"post": post2(consumes=[JSON])}}), ix) == [
        ("request.content-type.missing", IX, "[root].paths./x.post.consumes")
    ]
    assert messages_for(post3(JSON), ix) == [
        (
            "request.content-type.missing",
            "Request content type header is not defined but spec specifies mime-types to consume",
        )
    ]


def test_content_type_not_missing_without_a_body() -> None:
    assert findings_for(post3(JSON), interaction("POST")) == []


@pytest.mark.parametrize("body", [{}, []], ids=["empty-object", "empty-array"])
def test_content_type_missing_for_empty_json_body(body: Any) -> None:
    """An empty object or array is a body (JavaScript truthiness, as in the reference engine)."""
    spec = swagger2({"/x": {"post": {**post2(consumes=[JSON]), "parameters": []}}})
    assert findings_for(spec, interaction("POST", body=body)) == [
        ("request.content-type.missing", IX, "[root].paths./x.post.consumes"),
        ("request.body.unknown", f"{IX}.request.body", "[root].paths./x.post"),
    ]


def test_content_type_unknown_when_spec_consumes_nothing() -> None:
    spec3 = openapi3({"/x": {"post": {"responses": {"200": OK}}}})
    spec2 = swagger2({"/x": {"post": post2()}})
    where = f"{IX}.request.headers.content-type"
    ix = interaction("POST", headers={"content-type": JSON})
    assert findings_for(spec3, ix) == [("request.content-type.unknown", where, "[root].paths./x.post")]
    assert findings_for(spec2, ix) == [("request.content-type.unknown", where, "[root].paths./x.post")]
    assert messages_for(spec3, ix) == [
        (
            "request.content-type.unknown",
            "Request content-type header is defined but the spec does not specify any mime-types to consume",
        )
    ]


# --- Accept ----------------------------------------------------------------------------------


def get_producing(*media_types: str) -> dict[str, Any]:
    """OpenAPI 3 `GET /x` whose 200 response has each of `media_types`."""
    response = {"description": "ok", "content": {t: {"schema": {}} for t in media_types}}
    return openapi3({"/x": {"get": {"responses": {"200": response}}}})


def accepting(accept: str, **extra: Any) -> dict[str, Any]:
    return interaction(headers={"Accept": accept}, **extra)


def test_openapi3_accept_incompatible() -> None:
    assert findings_for(get_producing(JSON), accepting("text/html")) == [
        ("request.accept.incompatible", f"{IX}.request.headers.Accept", "[root].paths./x.get")
    ]
    assert messages_for(get_producing(JSON), accepting("text/html")) == [
        (
            "request.accept.incompatible",
            "Request Accept header is incompatible with the mime-types the spec defines to produce"
            " (declared: application/json)",
        )
    ]


def test_swagger2_accept_incompatible_with_produces() -> None:
    spec = swagger2({"/x": {"get": {"produces": [JSON], "responses": {"200": OK}}}})
    assert findings_for(spec, accepting("text/html")) == [
        ("request.accept.incompatible", f"{IX}.request.headers.Accept", "[root].paths./x.get.produces")
    ]
    spec = swagger2({"/x": {"get": {"responses": {"200": OK}}}}, produces=[JSON])
    assert findings_for(spec, accepting("text/html")) == [
        ("request.accept.incompatible", f"{IX}.request.headers.Accept", "[root].produces")
    ]


def test_openapi3_produces_is_every_response_media_type() -> None:
    responses = {"200": response3({}, JSON), "404": response3({}, "application/problem+xml")}
    spec = openapi3({"/x": {"get": {"responses": responses}}})
    assert findings_for(spec, accepting("application/problem+xml")) == []


@pytest.mark.parametrize(
    ("accept", "compatible"),
    [
        pytest.param("text/html;q=0.9, application/json;q=0.1", True, id="any-part-low-q"),
        pytest.param("text/html, text/plain;q=0.5", False, id="no-part"),
        pytest.param("application/vnd.api+json", True, id="vendor-json"),
        pytest.param("application/json; charset=utf-8", True, id="charset-param"),
        pytest.param("*/*", True, id="any"),
        pytest.param("application/*", True, id="type-wildcard"),
        pytest.param("text/*", False, id="other-type-wildcard"),
    ],
)
def test_accept_negotiation(accept: str, compatible: bool) -> None:
    expected = (
        []
        if compatible
        else [("request.accept.incompatible", f"{IX}.request.headers.Accept", "[root].paths./x.get")]
    )
    assert findings_for(get_producing(JSON), accepting(accept)) == expected


def test_accept_unknown_when_no_response_has_content() -> None:
    spec = openapi3({"/x": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, accepting(JSON)) == [
        ("request.accept.unknown", f"{IX}.request.headers.Accept", "[root].paths./x.get")
    ]
    assert messages_for(spec, accepting(JSON)) == [
        (
            "request.accept.unknown",
            "Request Accept header is defined but the spec does not specify any mime-types to produce",
        )
    ]


def test_swagger2_accept_unknown_without_produces() -> None:
    spec = swagger2({"/x": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, accepting(JSON)) == [
        ("request.accept.unknown", f"{IX}.request.headers.Accept", "[root].paths./x.get")
    ]


def test_accept_is_checked_for_error_responses_too() -> None:
    responses = {"200": response3({}, JSON), "400": response3({}, JSON)}
    spec = openapi3({"/x": {"get": {"responses": responses}}})
    assert findings_for(spec, accepting("text/html", status=400)) == [
        ("request.accept.incompatible", f"{IX}.request.headers.Accept", "[root].paths./x.get")
    ]


# --- response Content-Type -------------------------------------------------------------------


def answering(media_type: str, **extra: Any) -> dict[str, Any]:
    return interaction(response_headers={"Content-Type": media_type}, **extra)


def test_openapi3_response_content_type_incompatible() -> None:
    spec = get_producing(JSON)
    assert findings_for(spec, answering("text/html")) == [
        (
            "response.content-type.incompatible",
            f"{IX}.response.headers.Content-Type",
            "[root].paths./x.get.responses.200.content",
        )
    ]
    assert messages_for(spec, answering("text/html")) == [
        (
            "response.content-type.incompatible",
            "Response Content-Type header is incompatible with the mime-types the spec defines to produce"
            " (declared: application/json)",
        )
    ]


def test_swagger2_response_content_type_incompatible_with_produces() -> None:
    spec = swagger2({"/x": {"get": {"produces": [JSON], "responses": {"200": OK}}}})
    assert findings_for(spec, answering("text/html")) == [
        (
            "response.content-type.incompatible",
            f"{IX}.response.headers.Content-Type",
            "[root].paths./x.get.produces",
        )
    ]
    assert findings_for(spec, answering("application/json;charset=utf-8")) == []


def test_response_content_type_is_judged_per_response() -> None:
    responses = {"200": response3({}, JSON), "404": response3({}, "text/html")}
    spec = openapi3({"/x": {"get": {"responses": responses}}})
    assert findings_for(spec, answering("text/html", status=404)) == []
    assert findings_for(spec, answering("text/html")) == [
        (
            "response.content-type.incompatible",
            f"{IX}.response.headers.Content-Type",
            "[root].paths./x.get.responses.200.content",
        )
    ]


def test_response_content_type_unknown() -> None:
    spec3 = openapi3({"/x": {"get": {"responses": {"200": OK}}}})
    spec2 = swagger2({"/x": {"get": {"responses": {"200": OK}}}})
    where = f"{IX}.response.headers.Content-Type"
    assert findings_for(spec3, answering(JSON)) == [
        ("response.content-type.unknown", where, "[root].paths./x.get.responses.200")
    ]
    assert findings_for(spec2, answering(JSON)) == [
        ("response.content-type.unknown", where, "[root].paths./x.get")
    ]
    assert messages_for(spec3, answering(JSON)) == [
        (
            "response.content-type.unknown",
            "Response Content-Type header is defined but the spec does not specify any mime-types to produce",
        )
    ]


def test_head_response_content_type_is_not_unknown() -> None:
    spec = openapi3({"/x": {"head": {"responses": {"200": OK}}}})
    assert findings_for(spec, answering(JSON, method="HEAD")) == []


def test_default_response_content_type_is_not_checked() -> None:
    spec = openapi3({"/x": {"get": {"responses": {"default": response3({}, JSON)}}}})
    assert findings_for(spec, answering("text/html")) == [
        ("response.status.default", f"{IX}.response.status", "[root].paths./x.get.responses")
    ]


def test_request_body_schema_is_chosen_by_content_type() -> None:
    request_body = {
        "content": {
            **content({"type": "object", "required": ["a"]}, JSON),
            **content({"type": "object", "required": ["b"]}, "application/vnd.v2+json"),
        }
    }
    spec = openapi3({"/x": {"post": {"requestBody": request_body, "responses": {"200": OK}}}})
    assert findings_for(spec, with_content_type("application/vnd.v2+json", {"b": 1})) == []
    assert findings_for(spec, with_content_type(JSON, {"b": 1})) == [
        (
            "request.body.incompatible",
            f"{IX}.request.body",
            "[root].paths./x.post.requestBody.content.application/json.schema.required",
        )
    ]
