"""GitHub's REST API description, swept with its own examples (see `github_sweep.py`).

The sweep must not crash, and its findings must be exactly the reviewed list in
`github_sweep_known.json`: a new finding is either a false positive of the engine or a
new mistake in GitHub's examples, and someone has to look at it.
"""

from __future__ import annotations

from collections import Counter

import pytest
from crosscontract.engine import compare, load_spec, parse_pact
from github_sweep import GITHUB_SPEC, Document, build, media_examples, parameter_value, read_known, run


@pytest.mark.skipif(not GITHUB_SPEC.is_file(), reason=f"{GITHUB_SPEC} is absent")
def test_github_sweep_finds_exactly_the_reviewed_findings() -> None:
    result = run()
    assert result.crashes == []
    assert result.operations == 1223
    assert result.interactions >= result.operations
    found = Counter(row.key() for row in result.findings)
    known = read_known()
    assert sorted((found - known).elements()) == [], "new findings: review them"
    assert sorted((known - found).elements()) == [], "reviewed findings no longer reported"


def test_parameter_values_come_from_the_declaration() -> None:
    doc = Document({"components": {"schemas": {"n": {"type": "integer", "minimum": 5}}}})
    assert parameter_value(doc, {"name": "a", "in": "path", "example": 7}) == "7"
    assert (
        parameter_value(doc, {"name": "a", "in": "path", "schema": {"$ref": "#/components/schemas/n"}}) == "5"
    )
    assert parameter_value(doc, {"name": "a", "in": "path", "schema": {"enum": ["x", "y"]}}) == "x"
    either = {"oneOf": [{"type": "integer"}, {"type": "string", "example": "main.yml"}]}
    assert parameter_value(doc, {"name": "a", "in": "path", "schema": either}) == "1"
    assert parameter_value(doc, {"name": "a", "in": "path", "schema": {"pattern": "^v[0-9]+$"}}) == "v0"


def test_every_kind_of_example_is_used() -> None:
    doc = Document({"components": {"examples": {"one": {"value": {"id": 1}}}}})
    media = {"examples": {"first": {"$ref": "#/components/examples/one"}, "second": {"value": []}}}
    assert list(media_examples(doc, media)) == [("first", {"id": 1}), ("second", [])]
    assert list(media_examples(doc, {"example": 3, "schema": {"example": 4}})) == [("example", 3)]
    assert list(media_examples(doc, {"schema": {"example": 4}})) == [("schema.example", 4)]


def test_an_operation_without_examples_still_gets_an_interaction() -> None:
    doc = Document(
        {
            "paths": {
                "/repos/{owner}/git/ref/{ref}": {
                    "parameters": [{"name": "owner", "in": "path", "schema": {"type": "string"}}],
                    "delete": {
                        "parameters": [{"name": "ref", "in": "path", "example": "heads/main"}],
                        "responses": {"204": {"description": "gone"}, "404": {"description": "no"}},
                    },
                }
            }
        }
    )
    [built] = build(doc)
    assert built.interaction["request"] == {"method": "DELETE", "path": "/repos/example/git/ref/heads%2Fmain"}
    assert built.interaction["response"] == {"status": 204}


def test_credentials_meet_the_first_security_alternative() -> None:
    doc = Document(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "security": [{"key": [], "tenant": []}, {"bearer": []}],
            "components": {
                "securitySchemes": {
                    "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                    "tenant": {"type": "apiKey", "in": "query", "name": "tenant"},
                    "bearer": {"type": "http", "scheme": "bearer"},
                }
            },
            "paths": {
                "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
                "/b": {"get": {"security": [{"bearer": []}], "responses": {"200": {"description": "ok"}}}},
                "/c": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
            },
        }
    )
    requests = [built.interaction["request"] for built in build(doc)]
    assert requests == [
        {"method": "GET", "path": "/a", "query": {"tenant": ["key"]}, "headers": {"X-Key": "key"}},
        {"method": "GET", "path": "/b", "headers": {"Authorization": "Bearer token"}},
        {"method": "GET", "path": "/c"},
    ]
    pact = {"interactions": [built.interaction for built in build(doc)]}
    report = compare(load_spec(doc.root), [parse_pact(pact, "pact.json")])
    assert report.error_count == report.warning_count == 0
