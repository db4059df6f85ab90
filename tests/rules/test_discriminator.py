"""`discriminator`: the tag property selects the one `oneOf`/`anyOf` branch a body must match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _build import (
    CLOSED_ALL_OF,
    UNDECLARED,
    codes_for,
    findings_for,
    get3,
    interaction,
    messages_for,
    pact,
    response3,
    swagger2,
)
from crosscontract.engine import compare, load_spec, parse_pact
from crosscontract.engine.locations import mock_location
from crosscontract.engine.schema import validation
from crosscontract.engine.schema.dialect import Converter, response_policy
from crosscontract.engine.schema.fastpath import compile_fast
from crosscontract.engine.spec.loading import Node

IX = "[root].interactions[0]"
SCHEMA = "[root].paths./x.get.responses.200.content.application/json.schema"
BODY = "Response body is incompatible with the response body schema in the spec file: "

# Open branches on purpose: a cat also matches Dog, which plain oneOf calls "more than one".
CAT: Any = {"type": "object", "properties": {"petType": {"type": "string"}, "lives": {"type": "integer"}}}
DOG: Any = {"type": "object", "properties": {"petType": {"type": "string"}, "bark": {"type": "boolean"}}}
BRANCHES = [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]


def pets(discriminator: dict[str, Any] | None, word: str = "oneOf", **schemas: Any) -> dict[str, Any]:
    """`GET /x` answering a `word` of Cat and Dog, with `discriminator` when not None."""
    pet: dict[str, Any] = {word: BRANCHES}
    if discriminator is not None:
        pet["discriminator"] = discriminator
    spec = get3("/x", responses={"200": response3({"$ref": "#/components/schemas/Pet"})})
    spec["components"] = {"schemas": {"Pet": pet, "Cat": CAT, "Dog": DOG, **schemas}}
    return spec


def answer(body: Any) -> dict[str, Any]:
    return interaction(response_body=body, response_headers={"Content-Type": "application/json"})


@pytest.fixture(params=["jsonschema", "fast"], autouse=True)
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with and without the compiled fast check."""
    if request.param == "fast":
        monkeypatch.setattr(validation, "COMPILE_AFTER", 1)
    return str(request.param)


TAG = {"propertyName": "petType"}


def test_without_discriminator_open_branches_are_ambiguous() -> None:
    """The false positive the discriminator exists to avoid: a body both branches accept.

    (With `required` dropped from responses, the default, an overlapping oneOf passes anyway.)
    """
    strict = {"required_properties_in_response": True}
    assert codes_for(pets(None), answer({"petType": "Cat"}), **strict) == ["response.body.incompatible"]
    assert codes_for(pets(TAG), answer({"petType": "Cat"}), **strict) == []


@pytest.mark.parametrize("word", ["oneOf", "anyOf"])
def test_tag_selects_the_branch_by_schema_name(word: str) -> None:
    spec = pets(TAG, word)
    assert codes_for(spec, answer({"petType": "Cat", "lives": 9})) == []
    assert codes_for(spec, answer({"petType": "Dog", "bark": True})) == []


def test_errors_name_the_selected_branch_only() -> None:
    spec = pets(TAG)
    ix = answer({"petType": "Cat", "lives": "nine"})
    assert findings_for(spec, ix) == [
        ("response.body.incompatible", f"{IX}.response.body.lives", f"{SCHEMA}.oneOf.0.properties.lives.type")
    ]
    assert messages_for(spec, ix) == [("response.body.incompatible", f"{BODY}must be integer")]


def test_unknown_tag_value_is_reported_at_the_tag() -> None:
    spec = pets(TAG)
    ix = answer({"petType": "Bird"})
    assert findings_for(spec, ix) == [
        ("response.body.incompatible", f"{IX}.response.body.petType", f"{SCHEMA}.oneOf")
    ]
    assert messages_for(spec, ix) == [
        (
            "response.body.incompatible",
            f"{BODY}value of tag \"petType\" must be one of the discriminator values: 'Cat', 'Dog'",
        )
    ]


def test_missing_or_non_string_tag() -> None:
    spec = pets(TAG)
    strict = {"required_properties_in_response": True}
    assert messages_for(spec, answer({"lives": 9}), **strict) == [
        ("response.body.incompatible", f"{BODY}must have required property 'petType'")
    ]
    assert messages_for(spec, answer({"petType": 3})) == [
        ("response.body.incompatible", f'{BODY}tag "petType" must be string')
    ]


def test_a_response_may_leave_the_tag_out() -> None:
    """A consumer need not read every property, the tag included: plain oneOf decides."""
    spec = pets(TAG)
    assert codes_for(spec, answer({"lives": 9})) == []
    assert codes_for(spec, answer({"lives": "x"})) == ["response.body.incompatible"] * 3


@pytest.mark.parametrize("target", ["#/components/schemas/Cat", "Cat"], ids=["reference", "bare-name"])
def test_explicit_mapping(target: str) -> None:
    spec = pets({"propertyName": "petType", "mapping": {"cat": target, "dog": "#/components/schemas/Dog"}})
    assert codes_for(spec, answer({"petType": "cat", "lives": 9})) == []
    assert codes_for(spec, answer({"petType": "cat", "lives": "x"})) == ["response.body.incompatible"]
    # A mapped schema is no longer selected by its implicit name.
    assert codes_for(spec, answer({"petType": "Cat", "lives": 9})) == ["response.body.incompatible"]


def test_mapping_to_a_schema_outside_the_branches() -> None:
    lizard = {"type": "object", "properties": {"petType": {"type": "string"}, "scales": {"type": "integer"}}}
    spec = pets({"propertyName": "petType", "mapping": {"lizard": "Lizard"}}, Lizard=lizard)
    assert codes_for(spec, answer({"petType": "lizard", "scales": 3})) == []
    assert codes_for(spec, answer({"petType": "lizard", "scales": "x"})) == ["response.body.incompatible"]


def test_tag_values_declared_by_the_branches() -> None:
    """ajv's reading (the reference engine's): a branch's own `enum`/`const` for the tag."""
    cat = {**CAT, "properties": {**CAT["properties"], "petType": {"type": "string", "enum": ["cat"]}}}
    dog = {"allOf": [{**DOG, "properties": {**DOG["properties"], "petType": {"const": "dog"}}}]}
    spec = pets(TAG, Cat=cat, Dog=dog)
    assert codes_for(spec, answer({"petType": "cat", "lives": 9})) == []
    assert codes_for(spec, answer({"petType": "dog", "bark": True})) == []
    assert messages_for(spec, answer({"petType": "Cat"})) == [
        (
            "response.body.incompatible",
            f"{BODY}value of tag \"petType\" must be one of the discriminator values: 'cat', 'dog'",
        )
    ]


def test_inline_branch_nobody_maps_falls_back_to_plain_one_of() -> None:
    spec = pets(TAG)
    spec["components"]["schemas"]["Pet"]["oneOf"] = [BRANCHES[0], {"type": "string"}]
    assert codes_for(spec, answer("just a string")) == []
    assert codes_for(spec, answer({"petType": "Cat", "lives": 9})) == []


def test_non_object_body_is_checked_against_every_branch() -> None:
    assert codes_for(pets(TAG), answer([1])) == ["response.body.incompatible"] * 3


def test_discriminated_schema_compiles_to_a_fast_check() -> None:
    spec = load_spec(pets(TAG))
    node = spec.at(spec.root(), "components", "schemas", "Pet")
    bundle = Converter(spec).bundle(
        Node(node.value, "", node.pointer),
        response_policy(additional_properties=True, required_properties=False),
    )
    check = compile_fast(bundle)
    assert check is not None
    assert check({"petType": "Cat", "lives": 9, "bark": "not checked for a cat"})
    assert not check({"petType": "Cat", "lives": "x", "bark": True})  # valid as a Dog: still wrong
    assert not check({"petType": "Bird"})
    assert check({"lives": 9})  # no tag: a response's oneOf may fit more than one branch


# --- a base schema that subtypes extend through allOf ---------------------------------------

PET = {
    "type": "object",
    "required": ["petType"],
    "properties": {"petType": {"type": "string"}, "name": {"type": "string"}},
    "discriminator": {"propertyName": "petType"},
}


def extends_pet(**properties: Any) -> dict[str, Any]:
    return {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object", "properties": properties}]}


def base_pets(pet: dict[str, Any] = PET, **schemas: Any) -> dict[str, Any]:
    """`GET /x` answering a Pet that Cat and Dog extend; responses are closed (the default)."""
    spec = get3("/x", responses={"200": response3({"$ref": "#/components/schemas/Pet"})})
    cat, dog = extends_pet(lives={"type": "integer"}), extends_pet(bark={"type": "boolean"})
    spec["components"] = {"schemas": {"Pet": pet, "Cat": cat, "Dog": dog, **schemas}}
    return spec


def test_subtype_properties_are_not_unknown_to_the_base() -> None:
    spec = base_pets()
    assert codes_for(spec, answer({"petType": "Cat", "name": "Tom", "lives": 9})) == []
    assert codes_for(spec, answer({"petType": "Dog", "bark": True})) == []


def test_the_subtype_is_checked() -> None:
    spec = base_pets()
    assert findings_for(spec, answer({"petType": "Cat", "lives": "x"})) == [
        ("response.body.incompatible", f"{IX}.response.body.lives", f"{SCHEMA}.allOf.1.properties.lives.type")
    ]
    assert messages_for(spec, answer({"petType": "Cat", "bark": True})) == [
        ("response.body.incompatible", f"{BODY}must NOT have unevaluated properties - bark{CLOSED_ALL_OF}")
    ]


def test_a_tag_naming_no_subtype_is_checked_against_the_base() -> None:
    spec = base_pets()
    assert codes_for(spec, answer({"petType": "Pet", "name": "Rex"})) == []
    assert messages_for(spec, answer({"petType": "Bird", "lives": 9})) == [
        ("response.body.incompatible", f"{BODY}must NOT have additional properties - lives{UNDECLARED}")
    ]


def test_subtype_tags_from_mapping_and_enum() -> None:
    mapped = {**PET, "discriminator": {"propertyName": "petType", "mapping": {"cat": "Cat"}}}
    dog = {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"properties": {"petType": {"enum": ["dog"]}, "bark": {}}},
        ]
    }
    spec = base_pets(mapped, Dog=dog)
    assert codes_for(spec, answer({"petType": "cat", "lives": 9})) == []
    assert codes_for(spec, answer({"petType": "dog", "bark": 1})) == []
    assert codes_for(spec, answer({"petType": "Cat", "lives": 9})) == ["response.body.incompatible"]


def test_swagger2_discriminator_is_the_property_name() -> None:
    def extends(**properties: Any) -> dict[str, Any]:
        return {"allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object", "properties": properties}]}

    pet = {**PET, "discriminator": "petType"}
    ok = {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}
    spec = swagger2({"/x": {"get": {"produces": ["application/json"], "responses": {"200": ok}}}})
    spec["definitions"] = {"Pet": pet, "Cat": extends(lives={"type": "integer"}), "Dog": extends(bark={})}
    assert codes_for(spec, answer({"petType": "Cat", "lives": 9})) == []
    assert messages_for(spec, answer({"petType": "Cat", "lives": "x"})) == [
        ("response.body.incompatible", f"{BODY}must be integer")
    ]


def test_base_schema_compiles_to_a_fast_check() -> None:
    spec = load_spec(base_pets())
    node = spec.at(spec.root(), "components", "schemas", "Pet")
    policy = response_policy(additional_properties=False, required_properties=False)
    check = compile_fast(Converter(spec).bundle(Node(node.value, "", node.pointer), policy))
    assert check is not None
    assert check({"petType": "Cat", "lives": 9})
    assert check({"petType": "Pet"})
    assert not check({"petType": "Cat", "lives": "x"})
    assert not check({"petType": "Dog", "lives": 9})
    assert not check({"petType": "Bird", "lives": 9})


def test_schema_names_in_a_mapping_in_another_file_are_the_entry_documents(tmp_path: Path) -> None:
    spec = get3("/x", responses={"200": response3({"$ref": "pets.json#/Pet"})})
    spec["components"] = {"schemas": {"Cat": CAT, "Dog": DOG}}
    pet = {
        "oneOf": [
            {"$ref": "spec.json#/components/schemas/Cat"},
            {"$ref": "spec.json#/components/schemas/Dog"},
        ],
        "discriminator": {"propertyName": "petType", "mapping": {"cat": "Cat", "dog": "Dog"}},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    (tmp_path / "pets.json").write_text(json.dumps({"Pet": pet}))

    def findings(body: Any) -> list[tuple[str, str | None]]:
        report = compare(load_spec(tmp_path / "spec.json"), [parse_pact(pact(answer(body)), "pact.json")])
        return [(f.code.code, mock_location(f.at)) for f in report.pacts[0].results[0].findings]

    assert findings({"petType": "cat", "lives": 9}) == []
    assert findings({"petType": "cat", "lives": "x"}) == [
        ("response.body.incompatible", f"{IX}.response.body.lives")
    ]
