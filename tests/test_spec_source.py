"""Spec sources (a folder, names mapped to bytes) and the dialect-neutral model of operations."""

from __future__ import annotations

import pickle
import socket
from pathlib import Path
from typing import Any

import orjson
import pytest
from _build import OK, interaction, openapi3, pact, swagger2
from crosscontract.engine import InputError, compare, load_spec, parse_pact
from crosscontract.engine.render.json import report_json
from crosscontract.engine.schema.dialect import Converter
from crosscontract.engine.spec.model import Operation
from crosscontract.engine.spec.operations import read_operations
from crosscontract.engine.spec.source import FolderSource, MappingSource, SpecSource

ENTRY = b"""\
openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets/{id}:
    get:
      parameters:
        - $ref: "parameters.yaml#/Id"
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema: {$ref: "schemas/pet.yaml#/Pet"}
"""
FILES = {
    "openapi.yaml": ENTRY,
    "parameters.yaml": b"Id: {in: path, name: id, required: true, schema: {type: integer}}\n",
    # a file's own `$ref`s are relative to it, and may lead back to the entry
    "schemas/pet.yaml": b"Pet:\n  type: object\n  properties:\n    name: {$ref: 'common.yaml#/Name'}\n",
    "schemas/common.yaml": b"Name: {type: string, maxLength: 3}\n",
}
SCHEMA = "[root].paths./pets/{id}.get.responses.200.content.application/json.schema"
WRONG_PET = interaction(path="/pets/1", response_body={"name": "Fluffy", "age": 3})


def _report(source: SpecSource | Path) -> dict[str, Any]:
    spec = load_spec(source, label="openapi.yaml")
    return report_json(compare(spec, [parse_pact(pact(WRONG_PET, interaction(path="/pets/x")), "pact.json")]))


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def test_a_mapping_gives_the_report_the_same_files_in_a_folder_give(tmp_path: Path) -> None:
    _write(tmp_path, FILES)
    from_folder = _report(tmp_path / "openapi.yaml")
    assert _report(MappingSource(FILES, entry="openapi.yaml")) == from_folder
    assert _report(FolderSource(tmp_path / "openapi.yaml")) == from_folder
    assert sorted((e["code"], e["specDetails"]["location"]) for e in from_folder["errors"]) == [
        ("request.path-or-method.unknown", "[root].paths"),
        # at the referring place, through the references into two other files
        ("response.body.incompatible", f"{SCHEMA}.additionalProperties"),
        ("response.body.incompatible", f"{SCHEMA}.properties.name.maxLength"),
    ]


def test_an_entry_in_a_subfolder_reads_its_neighbours() -> None:
    nested = {f"api/{name}": data for name, data in FILES.items()}
    assert _report(MappingSource(nested, entry="api/openapi.yaml")) == _report(MappingSource(FILES))


def _spec_with_ref(ref: str) -> bytes:
    return ENTRY.replace(b"schemas/pet.yaml#/Pet", ref.encode())


def _load_response_schema(source: SpecSource) -> None:
    """Build the check of the 200 response's schema, which follows its `$ref`s."""
    spec = load_spec(source)
    operation = read_operations(spec)[0]
    body = operation.responses["200"].body
    assert body is not None
    schema = body.content["application/json"]
    assert schema is not None
    spec.deref(schema.node)


@pytest.mark.parametrize(
    ("ref", "files"),
    [
        pytest.param("../shared/pet.yaml#/Pet", {}, id="parent-of-the-entry"),
        pytest.param("/etc/passwd#/Pet", {}, id="absolute"),
        pytest.param(
            "schemas/up.yaml#/Pet", {"schemas/up.yaml": b"Pet: {$ref: '../../pet.yaml#/Pet'}\n"}, id="nested"
        ),
    ],
)
def test_a_ref_leaving_the_mapping_is_refused(ref: str, files: dict[str, bytes]) -> None:
    source = MappingSource({**FILES, "openapi.yaml": _spec_with_ref(ref), **files})
    with pytest.raises(InputError, match=r"^openapi\.yaml: \$ref '.*' points outside the spec's files$"):
        _load_response_schema(source)


def test_a_name_outside_the_mapping_cannot_be_given() -> None:
    with pytest.raises(ValueError, match="inside the spec"):
        MappingSource({"openapi.yaml": ENTRY, "../x.yaml": b"{}"})


def test_a_file_the_mapping_lacks_is_named_in_the_error() -> None:
    source = MappingSource({**FILES, "openapi.yaml": _spec_with_ref("schemas/gone.yaml#/Pet")})
    with pytest.raises(InputError) as raised:
        _load_response_schema(source)
    assert (
        str(raised.value) == "openapi.yaml -> schemas/gone.yaml: cannot read file: No such file or directory"
    )


def test_a_file_that_does_not_parse_is_named_in_the_error() -> None:
    source = MappingSource({**FILES, "schemas/pet.yaml": b"Pet: {type: [\n"})
    with pytest.raises(InputError, match=r"^openapi\.yaml -> schemas/pet\.yaml: not valid JSON or YAML"):
        _load_response_schema(source)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.parametrize("ref", ["http://127.0.0.1:9/pet.yaml#/Pet", "//127.0.0.1:9/pet.yaml#/Pet"])
def test_a_remote_ref_is_refused_without_a_connection(ref: str, no_network: list[object]) -> None:
    source = MappingSource({**FILES, "openapi.yaml": _spec_with_ref(ref)})
    with pytest.raises(InputError) as raised:
        _load_response_schema(source)
    assert str(raised.value) == f"openapi.yaml: remote $ref {ref.partition('#')[0]!r} is not fetched"
    assert no_network == []


def test_a_link_out_of_the_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    api, shared = tmp_path / "api", tmp_path / "shared"
    _write(api, FILES)
    _write(shared, {"pet.yaml": FILES["schemas/pet.yaml"], "common.yaml": FILES["schemas/common.yaml"]})
    (api / "schemas" / "pet.yaml").unlink()
    (api / "schemas" / "pet.yaml").symlink_to(shared / "pet.yaml")
    with pytest.raises(InputError, match=r"\$ref 'schemas/pet.yaml' points outside the spec's folder"):
        _load_response_schema(FolderSource(api / "openapi.yaml"))
    _load_response_schema(FolderSource(api / "openapi.yaml", allow_outside_refs=True))


def test_a_loaded_spec_travels_to_another_process_with_the_files_it_read() -> None:
    spec = load_spec(MappingSource(FILES), label="openapi.yaml")
    first = report_json(compare(spec, [parse_pact(pact(WRONG_PET), "pact.json")]))
    again = pickle.loads(pickle.dumps(spec))
    assert report_json(compare(again, [parse_pact(pact(WRONG_PET), "pact.json")])) == first


# --- the model: the same API in two dialects ------------------------------------------------

PET = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
LIMIT2 = {"in": "query", "name": "limit", "type": "integer", "maximum": 50}
ID2 = {"in": "path", "name": "id", "required": True, "type": "integer"}

SWAGGER = swagger2(
    {
        "/pets": {
            "get": {
                "parameters": [LIMIT2],
                "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": PET}}},
            },
            "post": {
                "parameters": [
                    {"in": "header", "name": "X-Trace", "type": "string"},
                    {"in": "body", "name": "pet", "required": True, "schema": PET},
                ],
                "consumes": ["application/json"],
                "responses": {
                    "201": {
                        "description": "made",
                        "schema": PET,
                        "headers": {"Location": {"type": "string"}},
                    },
                    "default": {"description": "no", "schema": {"type": "object"}},
                },
                "security": [{"key": []}, {"basic": []}],
            },
        },
        "/pets/{id}": {
            "parameters": [ID2],
            "get": {"responses": {"200": {"description": "ok", "schema": PET}}},
        },
    },
    produces=["application/json"],
    securityDefinitions={
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "basic": {"type": "basic"},
    },
)


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


OPENAPI = openapi3(
    {
        "/pets": {
            "get": {
                "parameters": [
                    {"in": "query", "name": "limit", "schema": {"type": "integer", "maximum": 50}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": _json({"type": "array", "items": PET})}
                },
            },
            "post": {
                "parameters": [{"in": "header", "name": "X-Trace", "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": _json(PET)},
                "responses": {
                    "201": {
                        "description": "made",
                        "content": _json(PET),
                        "headers": {"Location": {"schema": {"type": "string"}}},
                    },
                    "default": {"description": "no", "content": _json({"type": "object"})},
                },
                "security": [{"key": []}, {"basic": []}],
            },
        },
        "/pets/{id}": {
            "parameters": [{"in": "path", "name": "id", "required": True, "schema": {"type": "integer"}}],
            "get": {"responses": {"200": {"description": "ok", "content": _json(PET)}}},
        },
    },
    components={
        "securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "basic": {"type": "http", "scheme": "basic"},
        }
    },
)


def test_the_same_api_in_two_dialects_reads_as_the_same_model() -> None:
    swagger, openapi = read_operations(load_spec(SWAGGER)), read_operations(load_spec(OPENAPI))
    assert [(op.method, op.path) for op in swagger] == [
        ("get", "/pets"),
        ("post", "/pets"),
        ("get", "/pets/{id}"),
    ]
    assert swagger == openapi


def test_the_model_keeps_where_each_dialect_declares_things() -> None:
    """Pointers are no part of equality, but they are each dialect's own."""
    (_, s_post, _), (_, o_post, _) = read_operations(load_spec(SWAGGER)), read_operations(load_spec(OPENAPI))
    assert s_post.request_body is not None
    assert o_post.request_body is not None
    assert s_post.request_body.at == ("paths", "/pets", "post", "parameters", 1)
    assert o_post.request_body.at == ("paths", "/pets", "post", "requestBody")
    s_schema, o_schema = (
        s_post.request_body.content["application/json"],
        o_post.request_body.content["application/json"],
    )
    assert s_schema is not None
    assert o_schema is not None
    assert s_schema.at == ("paths", "/pets", "post", "parameters", 1, "schema")
    assert o_schema.at == ("paths", "/pets", "post", "requestBody", "content", "application/json", "schema")
    assert s_post.consumes.at == ("paths", "/pets", "post", "consumes")
    assert o_post.consumes.at == ("paths", "/pets", "post", "requestBody", "content")
    assert s_post.security[1].at == ("paths", "/pets", "post", "security", 1)
    assert s_post.responses["201"].headers["location"].at == (
        "paths",
        "/pets",
        "post",
        "responses",
        "201",
        "headers",
        "Location",
    )


def test_a_different_api_reads_as_a_different_model() -> None:
    changed = orjson.loads(orjson.dumps(SWAGGER))
    changed["paths"]["/pets"]["get"]["parameters"][0]["maximum"] = 100
    assert read_operations(load_spec(changed)) != read_operations(load_spec(SWAGGER))
    changed["paths"]["/pets"]["get"]["parameters"][0]["maximum"] = 50
    changed["paths"]["/pets"]["post"]["security"] = [{"key": []}]
    assert read_operations(load_spec(changed)) != read_operations(load_spec(SWAGGER))


def test_a_swagger2_array_keeps_its_collection_format() -> None:
    """Swagger 2.0 splits arrays its own way (nested ones too); the model says which way."""
    tags = {"in": "query", "name": "tags", "type": "array", "items": {"type": "string"}}
    spec = swagger2(
        {
            "/a": {"get": {"parameters": [{**tags, "collectionFormat": "multi"}], "responses": {"200": OK}}},
            "/b": {"get": {"parameters": [tags], "responses": {"200": OK}}},
            "/c": {"get": {"parameters": [{**tags, "collectionFormat": "odd"}], "responses": {"200": OK}}},
        }
    )
    read = [(p.style, p.explode) for op in read_operations(load_spec(spec)) for p in op.parameters]
    assert read == [("multi", True), ("csv", False), ("csv", False)]


def test_reading_the_model_builds_no_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("a schema was converted")

    monkeypatch.setattr(Converter, "bundle", refuse)
    operations = read_operations(load_spec(OPENAPI))
    assert all(isinstance(op, Operation) for op in operations)


def test_the_model_is_read_whole_and_in_order() -> None:
    spec = openapi3(
        {
            "/a": {
                "parameters": [{"in": "query", "name": "q", "schema": {"type": "string"}}],
                "post": {
                    "parameters": [
                        {"in": "header", "name": "X-A", "schema": {"type": "string"}},
                        {"in": "query", "name": "q", "schema": {"type": "integer"}},
                    ],
                    "responses": {"404": OK, "200": OK, "default": OK},
                },
                "get": {"responses": {"200": OK}},
            }
        }
    )
    get, post = read_operations(load_spec(spec))
    assert (get.method, post.method) == ("get", "post")
    assert [(p.location, p.name) for p in post.parameters] == [("query", "q"), ("header", "X-A")]
    assert post.parameters[0].schema is not None
    assert post.parameters[0].schema.value == {"type": "integer"}
    assert list(post.responses) == ["404", "200", "default"]
