"""YAML specs are read with YAML 1.2's core schema, as js-yaml reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from _build import interaction, pact
from crosscontract.engine import compare, load_spec, parse_pact
from crosscontract.engine.spec.loading import parse_document


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("010", 10),
        ("9:30", "9:30"),
        ("1:2:3", "1:2:3"),
        ("yes", "yes"),
        ("off", "off"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("0o17", 15),
        ("0x1F", 31),
        ("-5", -5),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".inf", float("inf")),
        ("true", True),
        ("~", None),
        ("2024-01-01", "2024-01-01"),
    ],
)
def test_scalars_follow_the_yaml_12_core_schema(text: str, value: object) -> None:
    assert parse_document(f"v: {text}\n".encode(), "spec.yaml") == {"v": value}


SPEC = """\
openapi: 3.0.3
info: {title: times, version: "1"}
paths:
  /slots:
    get:
      parameters:
        - {name: at, in: query, schema: {type: string, enum: [9:30, 10:30]}}
        - {name: room, in: query, schema: {type: string, enum: [010, on]}}
      responses:
        "200": {description: ok}
"""


def test_an_enum_of_times_and_codes_matches_what_the_pact_sends(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC)
    ix = interaction(path="/slots", query="at=9:30&room=on")
    report = compare(load_spec(tmp_path / "spec.yaml"), [parse_pact(pact(ix), "pact.json")])
    assert report.error_count == 0
