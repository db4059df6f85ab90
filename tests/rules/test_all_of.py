"""Responses whose `allOf` members declare the same object: closed over what all declare."""

from __future__ import annotations

from typing import Any

import pytest
from _build import CLOSED_ALL_OF, findings_for, get3, interaction, messages_for, response3

IX = "[root].interactions[0]"
SCHEMA = "[root].paths./x.get.responses.200.content.application/json.schema"
BODY = "Response body is incompatible with the response body schema in the spec file: "


def answering(schema: Any, **schemas: Any) -> dict[str, Any]:
    spec = get3("/x", responses={"200": response3(schema)})
    spec["components"] = {"schemas": schemas}
    return spec


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


STRING = {"type": "string"}
NESTED = {"allOf": [obj(data=obj(x=STRING)), obj(data=obj(y=STRING))]}


def test_a_nested_object_two_members_declare_accepts_what_either_declares() -> None:
    assert findings_for(answering(NESTED), interaction(response_body={"data": {"x": "1", "y": "2"}})) == []


def test_a_nested_object_two_members_declare_is_closed_over_their_union() -> None:
    ix = interaction(response_body={"data": {"x": "1", "z": "2"}})
    assert messages_for(answering(NESTED), ix) == [
        ("response.body.incompatible", f"{BODY}must NOT have unevaluated properties - z{CLOSED_ALL_OF}")
    ]
    assert findings_for(answering(NESTED), ix) == [
        (
            "response.body.incompatible",
            f"{IX}.response.body.data",
            f"{SCHEMA}.properties.data.unevaluatedProperties",
        )
    ]


def test_values_are_still_checked_against_every_member() -> None:
    ix = interaction(response_body={"data": {"x": 1, "y": "2"}})
    assert [code for code, *_ in findings_for(answering(NESTED), ix)] == ["response.body.incompatible"]


def test_the_collection_wrapper_pattern_through_refs_and_items() -> None:
    """`allOf: [{$ref: Collection}, {properties: {data: {items: {$ref: Item}}}}]`."""
    spec = answering(
        {"allOf": [ref("Collection"), obj(data={"type": "array", "items": ref("Item")})]},
        Collection=obj(
            total={"type": "integer"}, data={"type": "array", "items": obj(id={"type": "integer"})}
        ),
        Item={"allOf": [obj(id={"type": "integer"}), obj(name=STRING)]},
    )
    good = {"total": 1, "data": [{"id": 1, "name": "a"}]}
    assert findings_for(spec, interaction(response_body=good)) == []
    bad = {"total": 1, "data": [{"id": 1, "name": "a", "extra": True}]}
    assert [mock for _, mock, _ in findings_for(spec, interaction(response_body=bad))] == [
        f"{IX}.response.body.data.0"
    ]


def test_three_levels_deep_and_nested_all_of_members() -> None:
    spec = answering(
        {"allOf": [obj(a=obj(b=obj(c=STRING))), {"allOf": [obj(a=obj(b=obj(d=STRING)))]}]},
    )
    assert findings_for(spec, interaction(response_body={"a": {"b": {"c": "1", "d": "2"}}})) == []
    assert len(findings_for(spec, interaction(response_body={"a": {"b": {"c": "1", "e": "2"}}}))) == 1


def test_a_recursive_merge_terminates() -> None:
    spec = answering(
        {"allOf": [ref("A"), ref("B")]},
        A=obj(kids={"type": "array", "items": ref("A")}, a=STRING),
        B=obj(kids={"type": "array", "items": ref("B")}, b=STRING),
    )
    assert findings_for(spec, interaction(response_body={"a": "1", "b": "2", "kids": [{"a": "1"}]})) == []


@pytest.mark.parametrize(
    "member",
    [
        {"oneOf": [obj(data=obj(y=STRING)), obj(data=obj(w=STRING))]},
        obj(data={"type": "object", "additionalProperties": STRING, "properties": {"y": STRING}}),
        obj(data={**obj(y=STRING), "nullable": True}),
    ],
    ids=["one-of", "additional-properties-schema", "nullable-member"],
)
def test_where_no_exact_merge_exists_the_members_are_read_open(member: dict[str, Any]) -> None:
    spec = answering({"allOf": [obj(data=obj(x=STRING)), member]})
    assert findings_for(spec, interaction(response_body={"data": {"x": "1", "y": "2"}})) == []


def test_members_that_share_no_property_keep_pointing_into_the_member() -> None:
    spec = answering({"allOf": [obj(a=obj(x=STRING)), obj(b=STRING)]})
    assert findings_for(spec, interaction(response_body={"a": {"z": 1}, "b": "1"})) == [
        (
            "response.body.incompatible",
            f"{IX}.response.body.a",
            f"{SCHEMA}.allOf.0.properties.a.additionalProperties",
        )
    ]


def test_a_read_only_property_declared_twice_stays_allowed_in_responses() -> None:
    spec = answering({"allOf": [obj(id={"type": "integer", "readOnly": True}), obj(id={"type": "integer"})]})
    assert findings_for(spec, interaction(response_body={"id": 1})) == []


def test_additional_properties_allowed_switches_the_closure_off() -> None:
    ix = interaction(response_body={"data": {"x": "1", "z": "2"}})
    assert findings_for(answering(NESTED), ix, additional_properties_in_response=True) == []
