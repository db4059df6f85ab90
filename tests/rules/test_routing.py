"""Routing: which operation an interaction reaches, and `request.path-or-method.unknown`."""

from __future__ import annotations

import pytest
from _build import OK, findings_for, interaction, messages_for, openapi3, report_for, swagger2
from crosscontract.engine import InputError

UNKNOWN = ("request.path-or-method.unknown", "[root].interactions[0].request.path", "[root].paths")


def status_unknown(path: str, method: str = "get") -> tuple[str, str, str]:
    """The finding a 418 interaction gets: it names the operation the interaction reached."""
    return (
        "response.status.unknown",
        "[root].interactions[0].response.status",
        f"[root].paths.{path}.{method}.responses",
    )


def path_param(name: str, schema: dict[str, object]) -> dict[str, object]:
    return {"in": "path", "name": name, "required": True, "schema": schema}


def test_unknown_path_names_method_and_path() -> None:
    spec = openapi3({"/pets": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(path="/cats")) == [UNKNOWN]
    assert messages_for(spec, interaction(path="/cats")) == [
        ("request.path-or-method.unknown", "Path or method not defined in spec file: GET /cats")
    ]


def test_unknown_path_stops_every_other_check() -> None:
    spec = openapi3({"/pets": {"get": {"responses": {"200": OK}}}})
    ix = interaction(path="/cats", status=418, query="x=1", headers={"X-Odd": "1"}, response_body={"a": 1})
    assert findings_for(spec, ix) == [UNKNOWN]


def test_literal_path_wins_over_template_declared_first() -> None:
    spec = openapi3(
        {"/pets/{id}": {"get": {"responses": {"200": OK}}}, "/pets/mine": {"get": {"responses": {"201": OK}}}}
    )
    assert findings_for(spec, interaction(path="/pets/mine", status=418)) == [status_unknown("/pets/mine")]
    assert findings_for(spec, interaction(path="/pets/mine", status=201)) == []
    assert findings_for(spec, interaction(path="/pets/7", status=418)) == [status_unknown("/pets/{id}")]


def test_fewer_variables_win_over_declaration_order() -> None:
    spec = openapi3(
        {"/a/{x}/{y}": {"get": {"responses": {"200": OK}}}, "/a/{x}/c": {"get": {"responses": {"200": OK}}}}
    )
    assert findings_for(spec, interaction(path="/a/1/c", status=418)) == [status_unknown("/a/{x}/c")]
    assert findings_for(spec, interaction(path="/a/1/d", status=418)) == [status_unknown("/a/{x}/{y}")]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("/pets/12", [status_unknown("/pets/{id}")], id="integer"),
        pytest.param("/pets/abc", [status_unknown("/pets/{name}")], id="lower-case-word"),
        pytest.param("/pets/A1", [UNKNOWN], id="neither"),
        pytest.param("/pets/%31%32", [status_unknown("/pets/{id}")], id="percent-decoded"),
    ],
)
def test_path_parameter_schema_decides_the_match(path: str, expected: list[tuple[str, str, str]]) -> None:
    spec = openapi3(
        {
            "/pets/{id}": {
                "get": {"parameters": [path_param("id", {"type": "integer"})], "responses": {"200": OK}}
            },
            "/pets/{name}": {
                "get": {
                    "parameters": [path_param("name", {"type": "string", "pattern": "^[a-z]+$"})],
                    "responses": {"200": OK},
                }
            },
        }
    )
    assert findings_for(spec, interaction(path=path, status=418)) == expected


def test_path_item_parameters_apply_to_the_match() -> None:
    item = {"parameters": [path_param("id", {"type": "integer"})], "get": {"responses": {"200": OK}}}
    spec = openapi3({"/pets/{id}": item})
    assert findings_for(spec, interaction(path="/pets/1")) == []
    assert findings_for(spec, interaction(path="/pets/x")) == [UNKNOWN]


def test_operation_parameter_overrides_path_item_parameter() -> None:
    item = {
        "parameters": [path_param("id", {"type": "integer"})],
        "get": {"parameters": [path_param("id", {"type": "string"})], "responses": {"200": OK}},
    }
    assert findings_for(openapi3({"/pets/{id}": item}), interaction(path="/pets/x")) == []


def test_swagger2_path_parameter_type_decides_the_match() -> None:
    param = {"in": "path", "name": "id", "required": True, "type": "integer", "format": "int32"}
    spec = swagger2({"/p/{id}": {"get": {"parameters": [param], "responses": {"200": OK}}}})
    assert findings_for(spec, interaction(path="/p/30")) == []
    assert findings_for(spec, interaction(path="/p/3000000000")) == [UNKNOWN]


def test_swagger2_nested_array_path_parameter() -> None:
    """Both levels of a Swagger 2 nested array are split by their own collectionFormat (corpus case0286)."""
    param = {
        "in": "path",
        "name": "v",
        "required": True,
        "type": "array",
        "collectionFormat": "tsv",
        "items": {"type": "array", "collectionFormat": "csv", "items": {"type": "number"}},
    }
    spec = swagger2({"/{v}": {"get": {"parameters": [param], "responses": {"200": OK}}}})
    assert findings_for(spec, interaction(path="/1,2\t3,4")) == []
    assert findings_for(spec, interaction(path="/1,2\t3,x")) == [UNKNOWN]


def test_swagger2_base_path_is_prepended() -> None:
    spec = swagger2({"/pets": {"get": {"responses": {"200": OK}}}}, basePath="/api/v1/")
    assert findings_for(spec, interaction(path="/api/v1/pets")) == []
    assert findings_for(spec, interaction(path="/pets")) == [UNKNOWN]


@pytest.mark.parametrize("path", ["/pets", "/api/pets"])
def test_openapi3_server_path_prefix_is_optional(path: str) -> None:
    """The reference engines ignore `servers` (their issue #28); a pact may carry the prefix."""
    spec = openapi3(
        {"/pets": {"get": {"responses": {"200": OK}}}}, servers=[{"url": "https://h.example/api"}]
    )
    assert findings_for(spec, interaction(path=path)) == []


def test_server_variables_expand_to_default_and_enum() -> None:
    spec = openapi3(
        {"/pets": {"get": {"responses": {"200": OK}}}},
        servers=[{"url": "/{version}", "variables": {"version": {"default": "v2", "enum": ["v1", "v2"]}}}],
    )
    assert findings_for(spec, interaction(path="/v1/pets")) == []
    assert findings_for(spec, interaction(path="/v2/pets")) == []
    assert findings_for(spec, interaction(path="/v3/pets")) == [UNKNOWN]


def test_operation_servers_override_document_servers() -> None:
    spec = openapi3(
        {
            "/pets": {"get": {"responses": {"200": OK}, "servers": [{"url": "/ops"}]}},
            "/toys": {"get": {"responses": {"200": OK}}},
        },
        servers=[{"url": "/api"}],
    )
    assert findings_for(spec, interaction(path="/ops/pets")) == []
    assert findings_for(spec, interaction(path="/api/pets")) == [UNKNOWN]
    assert findings_for(spec, interaction(path="/api/toys")) == []


@pytest.mark.parametrize("path", ["/pets/", "//pets", "/pets//", "pets"])
def test_empty_segments_are_ignored(path: str) -> None:
    spec = openapi3({"/pets": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(path=path)) == []


def test_query_string_left_in_the_path_does_not_stop_routing() -> None:
    spec = openapi3({"/pets": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(path="/pets?limit=1")) == []


@pytest.mark.parametrize("method", ["get", "GET", "Get"])
def test_method_case_does_not_matter(method: str) -> None:
    spec = openapi3({"/pets": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(method=method, path="/pets")) == []


def test_unknown_method() -> None:
    spec = openapi3({"/pets": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(method="FOO", path="/pets")) == [UNKNOWN]
    assert messages_for(spec, interaction(method="foo", path="/pets")) == [
        (
            "request.path-or-method.unknown",
            "Path or method not defined in spec file: FOO /pets (no FOO on /pets; declared: GET)",
        )
    ]


def test_method_declared_on_another_path_only() -> None:
    spec = openapi3(
        {"/pets": {"get": {"responses": {"200": OK}}}, "/cats": {"post": {"responses": {"200": OK}}}}
    )
    assert findings_for(spec, interaction(method="POST", path="/pets")) == [UNKNOWN]


def test_trace_is_an_operation() -> None:
    spec = openapi3({"/pets": {"trace": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(method="TRACE", path="/pets")) == []


def test_path_item_reference_is_followed() -> None:
    spec = openapi3({"/pets": {"$ref": "#/x-items/pets"}})
    spec["x-items"] = {"pets": {"get": {"responses": {"201": OK}}}}
    assert findings_for(spec, interaction(path="/pets", status=201)) == []
    assert findings_for(spec, interaction(path="/pets", status=418)) == [status_unknown("/pets")]


def test_each_interaction_is_routed_on_its_own() -> None:
    spec = openapi3({"/pets": {"get": {"responses": {"200": OK}}}})
    assert findings_for(spec, interaction(path="/pets"), interaction(path="/cats")) == [
        ("request.path-or-method.unknown", "[root].interactions[1].request.path", "[root].paths")
    ]


USERS = openapi3(
    {
        "/users": {"get": {"responses": {"200": OK}}, "post": {"responses": {"200": OK}}},
        "/users/{id}": {
            "get": {"parameters": [path_param("id", {"type": "integer"})], "responses": {"200": OK}}
        },
    }
)
NOT_DEFINED = "Path or method not defined in spec file: "


@pytest.mark.parametrize(
    ("method", "path", "why"),
    [
        pytest.param("PUT", "/users", "PUT /users (no PUT on /users; declared: GET, POST)", id="method"),
        pytest.param(
            "GET",
            "/users/abc",
            "GET /users/abc (/users/abc matches /users/{id}, but id 'abc' must be integer)",
            id="path-parameter",
        ),
        pytest.param("GET", "/usres", "GET /usres (closest declared path: /users)", id="typo"),
        pytest.param("GET", "/orders/1/lines", "GET /orders/1/lines", id="nothing-close"),
    ],
)
def test_an_unknown_request_says_what_is_wrong(method: str, path: str, why: str) -> None:
    assert messages_for(USERS, interaction(method=method, path=path)) == [
        ("request.path-or-method.unknown", NOT_DEFINED + why)
    ]


def test_an_unknown_method_names_each_spelling_of_the_path_with_its_methods() -> None:
    # As frameworks write a collection: POST on `/users`, GET on `/users/`.
    spec = openapi3(
        {"/users": {"post": {"responses": {"200": OK}}}, "/users/": {"get": {"responses": {"200": OK}}}}
    )
    assert messages_for(spec, interaction(method="DELETE", path="/users/")) == [
        (
            "request.path-or-method.unknown",
            NOT_DEFINED
            + "DELETE /users/ (no DELETE on /users or /users/; declared: POST /users, GET /users/)",
        )
    ]


def _answering(*paths: str) -> dict[str, object]:
    """Each path answers GET with a status of its own: 200 for the first, 201 the next..."""
    return openapi3({path: {"get": {"responses": {str(200 + i): OK}}} for i, path in enumerate(paths)})


@pytest.mark.parametrize(
    ("paths", "sent", "status"),
    [
        pytest.param(("/a", "/a/"), "/a/", 201, id="exact-slash-declared-second"),
        pytest.param(("/a/", "/a"), "/a", 201, id="exact-bare-declared-second"),
        pytest.param(("/a/{x}/", "/a/b"), "/a/b/", 200, id="exact-template-beats-slash-fallback"),
        pytest.param(("/a",), "/a/", 200, id="fallback-when-only-one-spelling"),
        pytest.param(("/a/{x}/",), "/a/b", 200, id="templated-fallback"),
    ],
)
def test_a_path_declared_exactly_beats_the_trailing_slash_fallback(
    paths: tuple[str, ...], sent: str, status: int
) -> None:
    assert findings_for(_answering(*paths), interaction(path=sent, status=status)) == []


INTEGERS = {"type": "array", "items": {"type": "integer"}}


@pytest.mark.parametrize(
    ("template", "schema", "sent", "routed"),
    [
        pytest.param("/s/{id*}", INTEGERS, "/s/1,2,3", True, id="explode"),
        pytest.param("/s/{id*}", INTEGERS, "/s/1,2,abc", False, id="explode-wrong-item"),
        pytest.param("/s/{.id}", {"type": "integer"}, "/s/.5", True, id="label"),
        pytest.param("/s/{.id}", {"type": "integer"}, "/s/.x", False, id="label-wrong"),
        pytest.param("/s/{;id}", {"type": "integer"}, "/s/;id=5", True, id="matrix"),
        pytest.param("/s/{;id}", {"type": "integer"}, "/s/;id=x", False, id="matrix-wrong"),
        pytest.param("/s/{;id*}", INTEGERS, "/s/;id=1;id=2", True, id="matrix-explode"),
    ],
)
def test_rfc_6570_operators_in_templates_validate_the_parameter(
    template: str, schema: dict[str, object], sent: str, routed: bool
) -> None:
    spec = openapi3({template: {"get": {"parameters": [path_param("id", schema)], "responses": {"200": OK}}}})
    codes = [code for code, *_ in findings_for(spec, interaction(path=sent))]
    assert codes == ([] if routed else ["request.path-or-method.unknown"])


def test_a_path_parameter_schema_that_cannot_be_checked_is_bad_input_named_by_the_spec() -> None:
    # The parameter is checked while routing, before any rule runs.
    parameter = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "object", "patternProperties": {"[": {"type": "string"}}},
    }
    spec = openapi3({"/x/{id}": {"get": {"parameters": [parameter], "responses": {"200": OK}}}})
    with pytest.raises(InputError, match="patternProperties key '\\[' is not a regular expression"):
        report_for(spec, interaction(path="/x/a,b"))
