"""Line and column of a pointer's value in YAML and JSON specs and pacts (engine/positions.py)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from _build import interaction, pact
from crosscontract.engine import compare
from crosscontract.engine.positions import Locator, Position
from crosscontract.engine.render.placed import placed_findings

SPEC_YAML = textwrap.dedent(
    """\
    openapi: 3.0.3
    info: {title: t, version: '1'}
    paths:
      /things:
        get:
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Thing'
    components:
      schemas:
        Thing:
          type: object
          properties:
            id:
              type: integer
            tags:
              type: array
              items: {type: string}
    """
)
THING = ("paths", "/things", "get", "responses", "200", "content", "application/json", "schema")


def _locate(files: dict[str, str], file: str, *pointer: str | int) -> Position | None:
    return Locator({name: text.encode() for name, text in files.items()}.get).position(file, pointer)


def _at(text: str, position: Position | None) -> str:
    """The text from `position` to the end of its line."""
    assert position is not None
    return text.split("\n")[position.line - 1][position.column - 1 :]


def test_a_yaml_pointer_through_a_ref_points_at_the_referenced_line() -> None:
    found = _locate({"s.yaml": SPEC_YAML}, "s.yaml", *THING, "properties", "id", "type")
    assert found is not None
    assert (found.line, found.exact) == (19, True)
    assert _at(SPEC_YAML, found) == "integer"


def test_a_yaml_pointer_that_stops_at_the_ref_points_at_the_ref() -> None:
    found = _locate({"s.yaml": SPEC_YAML}, "s.yaml", *THING)
    assert found is not None
    assert found.line == 12
    assert _at(SPEC_YAML, found) == "$ref: '#/components/schemas/Thing'"


def test_a_json_pointer_through_a_ref_points_at_the_referenced_line() -> None:
    document = json.dumps(
        {
            "openapi": "3.0.3",
            "paths": {"/things": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
            "components": {"responses": {"Ok": {"description": "ok", "headers": {"X-Id": {"schema": {}}}}}},
        },
        indent=2,
    )
    found = _locate({"s.json": document}, "s.json", "paths", "/things", "get", "responses", "200", "headers")
    lines = document.split("\n")
    assert found is not None
    assert found.exact
    assert lines[found.line - 1].lstrip().startswith('"headers": {')
    assert found.column == lines[found.line - 1].index("{") + 1


def test_a_missing_value_falls_back_to_its_nearest_ancestor() -> None:
    found = _locate({"s.yaml": SPEC_YAML}, "s.yaml", *THING, "properties", "name", "type")
    assert found is not None
    assert (found.line, found.exact) == (18, False)
    assert _at(SPEC_YAML, found) == "id:"  # the value of Thing's `properties:` starts there


def test_a_ref_into_another_file_is_followed(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "thing.yaml").write_text("Thing:\n  type: object\n  properties:\n    id: {}\n")
    (tmp_path / "spec.yaml").write_text(
        "paths:\n  /t:\n    get:\n      schema:\n        $ref: 'schemas/thing.yaml#/Thing'\n"
    )
    found = Locator().position(
        str(tmp_path / "spec.yaml"), ("paths", "/t", "get", "schema", "properties", "id")
    )
    assert found == Position(str(tmp_path / "schemas" / "thing.yaml"), 4, 9)


def test_json_strings_holding_brackets_quotes_and_escapes_do_not_confuse_the_scan() -> None:
    document = '{"a": "}]\\"{[", "b": ["x", {"c": "\\u2028,"}, {"d": 1}]}'
    found = _locate({"f.json": document}, "f.json", "b", 2, "d")
    assert found == Position("f.json", 1, document.index("1}") + 1)


def test_a_cycle_of_refs_ends() -> None:
    document = '{"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}}'
    found = _locate({"f.json": document}, "f.json", "a", "x")
    assert found is not None
    assert not found.exact


def test_unparsable_and_unreadable_files_have_no_position() -> None:
    assert _locate({"f.yaml": "a: [unclosed"}, "f.yaml", "a") is None
    assert Locator({"f.json": b"\xff{}"}.get).position("f.json", ("a",)) is None
    assert _locate({}, "missing.json", "a") is None
    assert Locator().position("https://broker/pacts/1", ("interactions",)) is None


DEEP_SPEC = textwrap.dedent(
    """\
    openapi: 3.0.3
    info: {title: t, version: '1'}
    paths:
      /things:
        get:
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      items:
                        type: array
                        items:
                          type: object
                          properties:
                            name: {type: string}
    """
)


@pytest.mark.parametrize("spec_format", ["yaml", "json"])
@pytest.mark.parametrize("indent", [2, None])
def test_a_finding_deep_in_a_body_points_at_its_line_in_spec_and_pact(
    tmp_path: Path, indent: int | None, spec_format: str
) -> None:
    spec_text = DEEP_SPEC if spec_format == "yaml" else json.dumps(yaml.safe_load(DEEP_SPEC), indent=indent)
    spec_file = tmp_path / f"spec.{spec_format}"
    spec_file.write_text(spec_text)
    body = {"items": [{"name": "a"}, {"name": {"first": "x"}}]}
    headers = {"Content-Type": "application/json"}
    document = json.dumps(
        pact(interaction(path="/things", response_body=body, response_headers=headers)), indent=indent
    )
    (tmp_path / "pact.json").write_text(document)
    report = compare(str(spec_file), [str(tmp_path / "pact.json")])
    [placed] = list(placed_findings(report))
    assert placed.finding.at == ("interactions", 0, "response", "body", "items", 1, "name")
    assert placed.mock is not None
    assert placed.mock.exact
    offset = _offset(document, placed.mock)
    assert re.sub(r"\s", "", document[:offset]).endswith('"name":')
    assert re.sub(r"\s", "", document[offset:]).startswith('{"first":"x"}')
    spec_items = ("content", "application/json", "schema", "properties", "items", "items")
    assert placed.finding.spec.at == (
        *("paths", "/things", "get", "responses", "200"),
        *(*spec_items, "properties", "name", "type"),
    )
    assert placed.spec is not None
    assert placed.spec.file == str(spec_file)
    if spec_format == "yaml":
        assert (placed.spec.line, _at(spec_text, placed.spec)) == (19, "string}")
    else:
        offset = _offset(spec_text, placed.spec)
        assert re.sub(r"\s", "", spec_text[:offset]).endswith('"name":{"type":')
        assert spec_text[offset:].startswith('"string"')


def _offset(text: str, position: Position) -> int:
    return sum(len(line) + 1 for line in text.split("\n")[: position.line - 1]) + position.column - 1


def test_a_v4_pact_body_is_found_inside_its_content(tmp_path: Path) -> None:
    document = json.dumps(
        {
            "interactions": [
                {"response": {"body": {"content": {"id": "x"}, "contentType": "application/json"}}}
            ]
        },
        indent=2,
    )
    found = _locate({"p.json": document}, "p.json", "interactions", 0, "response", "body", "id")
    assert found is not None
    assert found.exact
    assert document.split("\n")[found.line - 1].strip() == '"id": "x"'


def test_a_header_named_in_another_case_is_found() -> None:
    document = '{"interactions": [{"response": {"headers": {"Content-Length": "98"}}}]}'
    found = _locate(
        {"p.json": document}, "p.json", "interactions", 0, "response", "headers", "content-length"
    )
    assert found == Position("p.json", 1, document.index('"98"') + 1)


def test_positions_are_found_for_many_pointers_in_one_file_in_one_scan() -> None:
    document = json.dumps({"items": [{"n": i} for i in range(2000)]}, indent=1)
    locator = Locator({"f.json": document.encode()}.get)
    lines = [locator.position("f.json", ("items", i, "n")) for i in range(0, 2000, 7)]
    assert [_at(document, p) for p in lines] == [f"{i}" for i in range(0, 2000, 7)]
