"""Changes inside composed schemas get the code of what changed, not an opaque replacement.

An `allOf` is compared as the one schema the check merges it into; `oneOf`/`anyOf` branches
are paired across versions. Each case is a tiny spec pair that differs in one place.
"""

from __future__ import annotations

import copy
from typing import Any

from crosscontract.engine import load_spec
from crosscontract.engine.diff import Change, ChangeSeverity, spec_changes

Doc = dict[str, Any]
S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741


def _ref(name: str) -> Doc:
    return {"$ref": f"#/components/schemas/{name}"}


def _doc(response: Doc | None = None, body: Doc | None = None, schemas: Doc | None = None) -> Doc:
    operation: Doc = {"responses": {"200": {"description": "ok"}}}
    if response is not None:
        operation["responses"]["200"]["content"] = {"application/json": {"schema": response}}
    if body is not None:
        operation["requestBody"] = {"content": {"application/json": {"schema": body}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"post": operation}},
        "components": {"schemas": schemas or {}},
    }


def _changes(old: Doc, new: Doc) -> list[Change]:
    return list(spec_changes(load_spec(old), load_spec(new)))


def _codes(old: Doc, new: Doc) -> list[tuple[str, str]]:
    return [(c.code.code, c.message) for c in _changes(old, new)]


PET = {"type": "object", "required": ["id"], "properties": {"id": I, "name": S}}
BASE = {"type": "object", "required": ["id"], "properties": {"id": I}}


# --- allOf: merged as the check merges it -------------------------------------------------------


def test_a_schema_rewritten_as_an_allof_shows_only_what_it_adds() -> None:
    old = _doc(response=PET)
    composed = {"allOf": [_ref("Base"), {"properties": {"name": S, "tag": S}}]}
    new = _doc(response=composed, schemas={"Base": BASE})
    (change,) = _changes(old, new)
    assert (change.code.code, change.message) == (
        "change.response.property.added",
        "response 200 (application/json), tag: added",
    )
    # The pointer names the member that declares it, not a merged object no spec has.
    assert change.new == (
        *("paths", "/pets", "post", "responses", "200", "content", "application/json", "schema"),
        *("allOf", "1", "properties", "tag"),
    )


def test_a_type_changed_in_an_allof_member_is_type_changed() -> None:
    old = _doc(response={"allOf": [_ref("Base"), {"properties": {"name": S}}]}, schemas={"Base": BASE})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Base"]["properties"]["id"] = S
    (change,) = _changes(old, new)
    assert change.code.code == "change.response.property.type-changed"
    assert change.message == "response 200 (application/json), id: type integer -> string"
    assert change.old == change.new == ("components", "schemas", "Base", "properties", "id")


def test_a_property_removed_from_an_allof_member_is_removed() -> None:
    old = _doc(response={"allOf": [_ref("Base"), {"properties": {"name": S}}]}, schemas={"Base": BASE})
    new = copy.deepcopy(old)
    del new["paths"]["/pets"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["allOf"][1]
    new["paths"]["/pets"]["post"]["responses"]["200"]["content"]["application/json"]["schema"][
        "allOf"
    ].append({"properties": {}})
    (change,) = _changes(old, new)
    assert change.code.code == "change.response.property.removed"
    assert change.old is not None
    assert change.old[-4:] == ("allOf", "1", "properties", "name")


def test_a_property_two_members_declare_is_merged_at_depth() -> None:
    """`data` is declared by both members: a change to `data.x` in one of them is found there."""
    data_x = {"properties": {"data": {"type": "object", "properties": {"x": S}}}}
    data_y = {"properties": {"data": {"type": "object", "properties": {"y": S}}}}
    old = _doc(response={"allOf": [_ref("X"), _ref("Y")]}, schemas={"X": data_x, "Y": data_y})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["X"]["properties"]["data"]["properties"]["x"] = {
        "type": "string",
        "maxLength": 2,
    }
    (change,) = _changes(old, new)
    assert change.code.code == "change.response.property.constraint-tightened"
    assert change.message == "response 200 (application/json), data.x: maxLength none -> 2"
    assert change.new == ("components", "schemas", "X", "properties", "data", "properties", "x")


def test_a_request_allof_member_making_a_property_required_is_required_added() -> None:
    old = _doc(body={"allOf": [_ref("Base"), {"properties": {"name": S}}]}, schemas={"Base": BASE})
    new = copy.deepcopy(old)
    new["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"]["allOf"][1][
        "required"
    ] = ["name"]
    assert _codes(old, new) == [
        ("change.request.property.required-added", "request body (application/json), name: became required")
    ]


def test_an_allof_no_merge_makes_exact_is_compared_member_by_member() -> None:
    """Two members giving `type` two values have no exact merge: members compared in order."""
    old = _doc(response={"allOf": [{"type": "object", "properties": {"a": S}}, {"type": "string"}]})
    new = copy.deepcopy(old)
    new["paths"]["/pets"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["allOf"][0][
        "properties"
    ]["a"] = I
    assert [c.code.code for c in _changes(old, new)] == ["change.response.property.type-changed"]


def test_an_allof_whose_part_closes_itself_is_not_read_as_a_closed_union() -> None:
    # `additionalProperties: false` beside an allOf sees no properties of its own: the check
    # reads it so (every property refused), and the diff must not call the change harmless.
    old = _doc(body={"type": "object", "properties": {"id": I, "name": S}})
    new = _doc(
        body={
            "allOf": [{"type": "object", "properties": {"id": I}}, {"properties": {"name": S}}],
            "additionalProperties": False,
        }
    )
    assert _codes(old, new) == [
        ("change.request.body.schema-changed", "request body (application/json): no composition -> allOf")
    ]
    assert all(c.severity is not ChangeSeverity.INFO for c in _changes(old, new))


def test_a_recursive_allof_is_compared_once() -> None:
    node = {"allOf": [_ref("Base"), {"properties": {"children": {"type": "array", "items": _ref("Node")}}}]}
    old = _doc(response=_ref("Node"), schemas={"Base": BASE, "Node": node})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Base"]["properties"]["id"] = S
    assert [c.message for c in _changes(old, new)] == [
        "response 200 (application/json), id: type integer -> string"
    ]


# --- oneOf / anyOf: branches paired across versions ---------------------------------------------


CAT = {"type": "object", "properties": {"meow": S, "name": S}}
DOG = {"type": "object", "properties": {"bark": S}}


def test_a_response_branch_added_breaks_and_an_edit_inside_another_is_found() -> None:
    old = _doc(response={"oneOf": [_ref("Cat")]}, schemas={"Cat": CAT, "Dog": DOG})
    new = copy.deepcopy(old)
    new["paths"]["/pets"]["post"]["responses"]["200"]["content"]["application/json"]["schema"][
        "oneOf"
    ].append(_ref("Dog"))
    del new["components"]["schemas"]["Cat"]["properties"]["name"]
    changes = _changes(old, new)
    assert [(c.code.code, c.severity.value, c.message) for c in changes] == [
        ("change.response.property.removed", "error", "response 200 (application/json), name: removed"),
        (
            "change.response.body.branch-added",
            "error",
            "response 200 (application/json): oneOf branch Dog added",
        ),
    ]


def test_a_request_branch_removed_breaks() -> None:
    old = _doc(body={"anyOf": [_ref("Cat"), _ref("Dog")]}, schemas={"Cat": CAT, "Dog": DOG})
    new = copy.deepcopy(old)
    new["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"]["anyOf"].pop(0)
    (change,) = _changes(old, new)
    assert (change.code.code, change.severity.value) == ("change.request.body.branch-removed", "error")
    assert change.message == "request body (application/json): anyOf branch Cat removed"
    assert change.old is not None
    assert change.old[-2:] == ("anyOf", "0")


def test_reordered_branches_are_paired_by_their_refs() -> None:
    old = _doc(response={"oneOf": [_ref("Cat"), _ref("Dog")]}, schemas={"Cat": CAT, "Dog": DOG})
    new = copy.deepcopy(old)
    new["paths"]["/pets"]["post"]["responses"]["200"]["content"]["application/json"]["schema"][
        "oneOf"
    ].reverse()
    assert _changes(old, new) == []


def test_a_schema_that_became_a_branch_of_a_union_is_paired_with_its_counterpart() -> None:
    old = _doc(response=CAT)
    edited = {"type": "object", "properties": {"meow": S, "name": I}}
    new = _doc(response={"oneOf": [DOG, edited]})
    assert [(c.code.code, c.message) for c in _changes(old, new)] == [
        (
            "change.response.property.type-changed",
            "response 200 (application/json), name: type string -> integer",
        ),
        (
            "change.response.body.branch-added",
            "response 200 (application/json): oneOf branch 1 (object) added",
        ),
    ]


def test_a_union_narrowed_to_one_of_its_branches() -> None:
    old = _doc(body={"oneOf": [S, I]})
    new = _doc(body=I)
    assert _codes(old, new) == [
        (
            "change.request.body.branch-removed",
            "request body (application/json): oneOf branch 1 (string) removed",
        )
    ]


def test_oneof_swapped_for_anyof_is_said_once_and_the_branches_still_compared() -> None:
    old = _doc(response={"oneOf": [_ref("Cat"), _ref("Dog")]}, schemas={"Cat": CAT, "Dog": DOG})
    new = copy.deepcopy(old)
    schema = new["paths"]["/pets"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema["anyOf"] = schema.pop("oneOf")[:1]
    assert _codes(old, new) == [
        ("change.response.body.schema-changed", "response 200 (application/json): oneOf -> anyOf"),
        ("change.response.body.branch-removed", "response 200 (application/json): anyOf branch Dog removed"),
    ]


def test_a_union_added_beside_an_objects_own_properties_keeps_them_compared() -> None:
    """`oneOf: [{required: [a]}, {required: [b]}]` beside `type: object`: one rule more, and the
    object's own properties are still compared (here `c` is added)."""
    old = _doc(body={"type": "object", "properties": {"a": S, "b": S}})
    new = _doc(
        body={
            "type": "object",
            "properties": {"a": S, "b": S, "c": S},
            "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
        }
    )
    assert _codes(old, new) == [
        ("change.request.property.added", "request body (application/json), c: added"),
        ("change.request.body.schema-changed", "request body (application/json): oneOf added"),
    ]


def test_a_null_branch_is_what_nullable_said() -> None:
    """`nullable: true` beside an `anyOf`, then a `{type: null}` branch: the same union."""
    old = _doc(response={"anyOf": [S, I], "nullable": True})
    new = _doc(response={"anyOf": [S, I, {"type": "null"}]})
    assert _changes(old, new) == []


def test_a_union_that_may_now_be_null_is_type_changed_in_a_response() -> None:
    old = _doc(response={"anyOf": [S, I]})
    new = _doc(response={"anyOf": [S, I, {"type": "null"}]})
    assert _codes(old, new) == [
        ("change.response.body.type-changed", "response 200 (application/json): anyOf: null allowed")
    ]
    assert _codes(new, old) == [
        (
            "change.response.body.type-narrowed",
            "response 200 (application/json): anyOf: null no longer allowed",
        )
    ]
