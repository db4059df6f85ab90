"""Request bodies: `request.body.incompatible` and `request.body.unknown`."""

from __future__ import annotations

from typing import Any

import pytest
from _build import OK, codes_for, content, findings_for, interaction, messages_for, openapi3, swagger2

IX = "[root].interactions[0]"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
}


def post3(request_body: dict[str, Any] | None, **operation: Any) -> dict[str, Any]:
    """OpenAPI 3 `POST /x` with `request_body` (None: no requestBody at all)."""
    op: dict[str, Any] = {"responses": {"200": OK, "400": OK}, **operation}
    if request_body is not None:
        op["requestBody"] = request_body
    return openapi3({"/x": {"post": op}})


def post2(schema: dict[str, Any] | None, *, required: bool = False, **operation: Any) -> dict[str, Any]:
    """Swagger 2 `POST /x` consuming JSON, with a body parameter of `schema` (None: no body parameter)."""
    params = [] if schema is None else [{"in": "body", "name": "b", "required": required, "schema": schema}]
    op = {"consumes": [JSON], "parameters": params, "responses": {"200": OK}, **operation}
    return swagger2({"/x": {"post": op}})


def sending(body: Any, media_type: str | None = JSON, **extra: Any) -> dict[str, Any]:
    headers = None if media_type is None else {"Content-Type": media_type}
    return interaction("POST", headers=headers, body=body, **extra)


SPEC3 = post3({"content": content(PET)})
SPEC2 = post2(PET)
SCHEMA3 = "[root].paths./x.post.requestBody.content.application/json.schema"
SCHEMA2 = "[root].paths./x.post.parameters[0].schema"


def test_valid_body() -> None:
    assert findings_for(SPEC3, sending({"name": "rex", "age": 3})) == []
    assert findings_for(SPEC2, sending({"name": "rex", "age": 3})) == []


def test_wrong_type() -> None:
    ix = sending({"name": "rex", "age": "three"})
    assert findings_for(SPEC3, ix) == [
        ("request.body.incompatible", f"{IX}.request.body.age", f"{SCHEMA3}.properties.age.type")
    ]
    assert findings_for(SPEC2, ix) == [
        ("request.body.incompatible", f"{IX}.request.body.age", f"{SCHEMA2}.properties.age.type")
    ]
    assert messages_for(SPEC3, ix) == [
        (
            "request.body.incompatible",
            "Request body is incompatible with the request body schema in the spec file: must be integer",
        )
    ]


def test_openapi31_tuple_with_extra_items_reads_as_ajv_says() -> None:
    pair = {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": False}
    operation = {"requestBody": {"content": content(pair)}, "responses": {"200": OK}}
    spec = openapi3({"/x": {"post": operation}}, version="3.1.0")
    assert findings_for(spec, sending([1, 2, 3])) == [
        ("request.body.incompatible", f"{IX}.request.body", f"{SCHEMA3}.items")
    ]
    assert messages_for(spec, sending([1, 2, 3])) == [
        (
            "request.body.incompatible",
            "Request body is incompatible with the request body schema in the spec file: "
            "must NOT have more than 2 items",
        )
    ]
    assert findings_for(spec, sending([1, 2])) == []


def test_missing_required_property() -> None:
    ix = sending({"age": 3})
    assert findings_for(SPEC3, ix) == [
        ("request.body.incompatible", f"{IX}.request.body", f"{SCHEMA3}.required")
    ]
    assert messages_for(SPEC3, ix) == [
        (
            "request.body.incompatible",
            "Request body is incompatible with the request body schema in the spec file: "
            "must have required property 'name'",
        )
    ]


def test_one_finding_per_error() -> None:
    assert findings_for(SPEC3, sending({"name": 1, "age": "x"})) == [
        ("request.body.incompatible", f"{IX}.request.body.name", f"{SCHEMA3}.properties.name.type"),
        ("request.body.incompatible", f"{IX}.request.body.age", f"{SCHEMA3}.properties.age.type"),
    ]


def test_nested_location() -> None:
    spec = post3({"content": content({"type": "array", "items": PET})})
    assert findings_for(spec, sending([{"name": "a"}, {"name": "b", "age": "x"}])) == [
        ("request.body.incompatible", f"{IX}.request.body.1.age", f"{SCHEMA3}.items.properties.age.type")
    ]


def test_request_objects_stay_open() -> None:
    """Unlike responses, a request may carry properties the spec does not list."""
    assert findings_for(SPEC3, sending({"name": "rex", "colour": "red"})) == []


def test_request_all_of_is_closed_over_its_members() -> None:
    schema = {"allOf": [{"type": "object", "properties": {"a": {}}}, {"properties": {"b": {}}}]}
    spec = post3({"content": content(schema)})
    assert findings_for(spec, sending({"a": 1, "b": 2})) == []
    assert findings_for(spec, sending({"a": 1, "c": 3})) == [
        ("request.body.incompatible", f"{IX}.request.body", f"{SCHEMA3}.unevaluatedProperties")
    ]
    assert messages_for(spec, sending({"a": 1, "c": 3})) == [
        (
            "request.body.incompatible",
            "Request body is incompatible with the request body schema in the spec file: "
            "must NOT have unevaluated properties - c",
        )
    ]


def test_referenced_request_body_and_schema() -> None:
    operation = {"requestBody": {"$ref": "#/components/requestBodies/Pet"}, "responses": {"200": OK}}
    components = {
        "requestBodies": {"Pet": {"content": content({"$ref": "#/components/schemas/Pet"})}},
        "schemas": {"Pet": PET},
    }
    spec = openapi3({"/x": {"post": operation}}, components=components)
    assert findings_for(spec, sending({"name": 1})) == [
        ("request.body.incompatible", f"{IX}.request.body.name", f"{SCHEMA3}.properties.name.type")
    ]


def test_missing_optional_body_is_fine() -> None:
    assert findings_for(SPEC3, interaction("POST")) == []
    assert findings_for(SPEC2, interaction("POST")) == []


def test_missing_required_body() -> None:
    spec3 = post3({"required": True, "content": content(PET)})
    spec2 = post2(PET, required=True)
    assert findings_for(spec3, interaction("POST")) == [
        ("request.body.incompatible", f"{IX}.request.body", f"{SCHEMA3}.type")
    ]
    assert findings_for(spec2, interaction("POST")) == [
        ("request.body.incompatible", f"{IX}.request.body", f"{SCHEMA2}.type")
    ]
    assert messages_for(spec3, interaction("POST")) == [
        (
            "request.body.incompatible",
            "Request body is incompatible with the request body schema in the spec file: "
            "must be object (the spec requires a body and the interaction has none)",
        )
    ]


def test_null_body_is_validated() -> None:
    assert findings_for(SPEC3, sending(None)) == [
        ("request.body.incompatible", f"{IX}.request.body", f"{SCHEMA3}.type")
    ]


def test_body_without_spec_body_is_unknown() -> None:
    spec3 = post3(None)
    ix = sending({"a": 1}, media_type=None)
    assert findings_for(spec3, ix) == [("request.body.unknown", f"{IX}.request.body", "[root].paths./x.post")]
    assert findings_for(post2(None), ix) == [
        ("request.content-type.missing", IX, "[root].paths./x.post.consumes"),
        ("request.body.unknown", f"{IX}.request.body", "[root].paths./x.post"),
    ]
    assert messages_for(spec3, ix) == [("request.body.unknown", "No matching schema found for request body")]


def test_media_type_without_schema_is_unknown() -> None:
    spec = post3({"content": content()})
    assert findings_for(spec, sending({"a": 1})) == [
        ("request.body.unknown", f"{IX}.request.body", "[root].paths./x.post.requestBody")
    ]


@pytest.mark.parametrize("body", [None, "", 0, False], ids=["null", "empty-string", "zero", "false"])
def test_falsy_body_without_spec_body_is_not_unknown(body: Any) -> None:
    assert findings_for(post3(None), sending(body, media_type=None)) == []


def test_form_body_is_parsed_when_the_operation_also_takes_json() -> None:
    schema = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    spec = post3({"content": {**content(schema, JSON), **content(schema, FORM)}})
    assert findings_for(spec, sending("name=rex&colour=red", FORM)) == []
    assert findings_for(spec, sending("colour=red", FORM)) == [
        (
            "request.body.incompatible",
            f"{IX}.request.body",
            f"[root].paths./x.post.requestBody.content.{FORM}.schema.required",
        )
    ]


def test_form_values_are_strings() -> None:
    """Form fields are text: `age=3` is the string '3' (no coercion, as in the reference engine)."""
    schema = {"type": "object", "properties": {"age": {"type": "integer"}}}
    spec = post3({"content": {**content(schema, JSON), **content(schema, FORM)}})
    assert findings_for(spec, sending("age=3", FORM)) == [
        (
            "request.body.incompatible",
            f"{IX}.request.body.age",
            f"[root].paths./x.post.requestBody.content.{FORM}.schema.properties.age.type",
        )
    ]


@pytest.mark.parametrize(
    ("media_type", "schema"),
    [("application/xml", {"type": "object"}), ("text/plain", {"type": "integer"}), ("image/png", {})],
)
def test_a_body_that_cannot_be_checked_says_so(media_type: str, schema: dict[str, Any]) -> None:
    spec = post3({"content": content(schema, media_type)})
    assert findings_for(spec, sending("<a>not a number</a>", media_type)) == [
        (
            "request.body.unvalidatable",
            f"{IX}.request.body",
            f"[root].paths./x.post.requestBody.content.{media_type}.schema",
        )
    ]


def test_a_text_body_is_checked_against_a_string_schema() -> None:
    spec = post3({"content": content({"type": "string", "enum": ["OK"]}, "text/plain")})
    assert findings_for(spec, sending("OK", "text/plain")) == []
    assert findings_for(spec, sending("NOT OK", "text/plain")) == [
        (
            "request.body.incompatible",
            f"{IX}.request.body",
            "[root].paths./x.post.requestBody.content.text/plain.schema.enum",
        )
    ]


def test_a_response_text_body_is_checked_and_an_xml_one_is_unvalidatable() -> None:
    spec = openapi3(
        {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "text/plain": {"schema": {"type": "string", "maxLength": 2}},
                                "application/xml": {"schema": {"type": "object"}},
                            },
                        }
                    }
                }
            }
        }
    )
    text = interaction(response_headers={"Content-Type": "text/plain"}, response_body="too long")
    xml = interaction(response_headers={"Content-Type": "application/xml"}, response_body="<a/>")
    assert codes_for(spec, text) == ["response.body.incompatible"]
    assert codes_for(spec, xml) == ["response.body.unvalidatable"]


MULTIPART = "multipart/form-data; boundary=XyZ"
LOGIN = {
    "type": "object",
    "required": ["email", "password"],
    "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
}


def _multipart(**fields: str) -> str:
    parts = "".join(
        f'--XyZ\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    return parts + "--XyZ--\r\n"


@pytest.mark.parametrize("written", ["text", "object"])
def test_a_multipart_body_is_checked_field_by_field(written: str) -> None:
    spec = post3({"content": content(LOGIN, "multipart/form-data")})
    good = (
        _multipart(email="a@a.com", password="x")
        if written == "text"
        else {"email": "a@a.com", "password": "x"}
    )
    bad = _multipart(email="a@a.com") if written == "text" else {"email": "a@a.com"}
    assert findings_for(spec, sending(good, MULTIPART)) == []
    assert findings_for(spec, sending(bad, MULTIPART)) == [
        (
            "request.body.incompatible",
            f"{IX}.request.body",
            "[root].paths./x.post.requestBody.content.multipart/form-data.schema.required",
        )
    ]


def test_a_body_whose_media_type_matches_nothing_is_reported_once() -> None:
    schema = {"type": "object", "required": ["name"]}
    spec = post3({"content": content(schema)})
    assert codes_for(spec, sending({"other": 1}, "text/csv")) == ["request.content-type.incompatible"]


def test_not_checked_for_error_responses() -> None:
    assert findings_for(SPEC3, sending({"age": "x"}, status=400)) == []
    assert findings_for(post3(None), sending({"a": 1}, media_type=None, status=400)) == []


def test_openapi3_nullable_property() -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "nullable": True}, "age": {"type": "integer"}},
    }
    spec = post3({"content": content(schema)})
    assert findings_for(spec, sending({"name": None})) == []
    assert findings_for(spec, sending({"age": None})) == [
        ("request.body.incompatible", f"{IX}.request.body.age", f"{SCHEMA3}.properties.age.type")
    ]


def test_swagger2_x_nullable_property() -> None:
    spec = post2({"type": "object", "properties": {"name": {"type": "string", "x-nullable": True}}})
    assert findings_for(spec, sending({"name": None})) == []


# --- readOnly / writeOnly --------------------------------------------------------------------

_PET_WITH_DIRECTIONS = {
    "type": "object",
    "required": ["id", "name", "secret"],
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "name": {"type": "string"},
        "secret": {"type": "string", "writeOnly": True},
    },
}


def _pets_spec() -> dict:
    ref = {"$ref": "#/components/schemas/Pet"}
    return openapi3(
        {
            "/pets": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": ref}}}
                    },
                }
            }
        },
        components={"schemas": {"Pet": _PET_WITH_DIRECTIONS}},
    )


def test_required_read_only_property_is_not_required_in_a_request() -> None:
    ix = interaction(
        method="POST",
        path="/pets",
        headers={"Content-Type": "application/json"},
        body={"name": "Rex", "secret": "s"},
    )
    assert findings_for(_pets_spec(), ix) == []


def test_read_only_property_sent_in_a_request_is_reported() -> None:
    ix = interaction(
        method="POST",
        path="/pets",
        headers={"Content-Type": "application/json"},
        body={"id": 1, "name": "Rex", "secret": "s"},
    )
    assert messages_for(_pets_spec(), ix) == [
        (
            "request.body.incompatible",
            "Request body is incompatible with the request body schema in the spec file: "
            "must NOT have property "
            "'id', which the spec marks read-only: a consumer may not send it",
        ),
    ]


def test_write_only_property_in_a_response_is_reported() -> None:
    ix = interaction(
        method="POST",
        path="/pets",
        headers={"Content-Type": "application/json"},
        body={"name": "Rex", "secret": "s"},
        response_body={"id": 1, "name": "Rex", "secret": "s"},
    )
    assert findings_for(_pets_spec(), ix) == [
        (
            "response.body.incompatible",
            "[root].interactions[0].response.body.secret",
            "[root].paths./pets.post.responses.200.content.application/json.schema.properties.secret.not",
        ),
    ]


def test_swagger2_read_only_property() -> None:
    spec = swagger2(
        {
            "/pets": {
                "post": {
                    "consumes": ["application/json"],
                    "parameters": [
                        {
                            "in": "body",
                            "name": "pet",
                            "schema": {
                                "type": "object",
                                "required": ["id"],
                                "properties": {"id": {"type": "integer", "readOnly": True}},
                            },
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        }
    )
    ok = interaction(method="POST", path="/pets", headers={"Content-Type": "application/json"}, body={})
    sent = interaction(
        method="POST", path="/pets", headers={"Content-Type": "application/json"}, body={"id": 3}
    )
    assert findings_for(spec, ok) == []
    assert [code for code, *_ in findings_for(spec, sent)] == ["request.body.incompatible"]


# --- Swagger 2.0 formData --------------------------------------------------------------------


def _form_spec(consumes: str) -> dict:
    return swagger2(
        {
            "/pets": {
                "post": {
                    "consumes": [consumes],
                    "parameters": [
                        {"in": "formData", "name": "name", "type": "string", "required": True},
                        {"in": "formData", "name": "age", "type": "integer"},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        }
    )


def test_form_data_fields_are_validated() -> None:
    spec = _form_spec("application/x-www-form-urlencoded")
    ok = interaction(
        method="POST",
        path="/pets",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body="name=Rex&age=3",
    )
    bad = interaction(
        method="POST",
        path="/pets",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body="name=Rex&age=old",
    )
    assert findings_for(spec, ok) == []
    assert findings_for(spec, bad) == [
        (
            "request.body.incompatible",
            "[root].interactions[0].request.body.age",
            "[root].paths./pets.post.parameters[1]",
        ),
    ]


def test_missing_required_form_field_is_incompatible() -> None:
    spec = _form_spec("application/x-www-form-urlencoded")
    ix = interaction(
        method="POST",
        path="/pets",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body="age=3",
    )
    assert messages_for(spec, ix) == [
        (
            "request.body.incompatible",
            "Request body is incompatible with the request body schema in the spec file: "
            "must have required property 'name'",
        ),
    ]


def test_multipart_form_data_fields_are_validated() -> None:
    spec = _form_spec("multipart/form-data")
    body = (
        '--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nRex\r\n'
        '--XyZ\r\nContent-Disposition: form-data; name="age"\r\n\r\nold\r\n--XyZ--\r\n'
    )
    ix = interaction(
        method="POST", path="/pets", headers={"Content-Type": "multipart/form-data; boundary=XyZ"}, body=body
    )
    assert [f[:2] for f in findings_for(spec, ix)] == [
        ("request.body.incompatible", "[root].interactions[0].request.body.age"),
    ]
