"""OpenAPI 3 parameter serialization (`style`, `explode`) and cookie parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _build import OK, codes_for, findings_for, get3, interaction, messages_for, pact
from crosscontract.engine import compare, load_spec, parse_pact
from crosscontract.engine.locations import mock_location

IX = "[root].interactions[0]"
PARAM = "[root].paths./x.get.parameters[0]"
VALUE = "Value is incompatible with the parameter defined in the spec file: "

INTS = {"type": "array", "items": {"type": "integer"}}
COLOR = {
    "type": "object",
    "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}},
    "additionalProperties": False,
}
ROLE = {"type": "object", "properties": {"role": {"type": "string"}, "firstName": {"type": "string"}}}


def path_spec(schema: dict[str, Any], **param: Any) -> dict[str, Any]:
    """`GET /items/{id}` whose `id` has `schema` and serialization `param`."""
    parameter = {"in": "path", "name": "id", "required": True, "schema": schema, **param}
    return get3("/items/{id}", parameters=[parameter])


def routes(spec: dict[str, Any], path: str) -> bool:
    return "request.path-or-method.unknown" not in codes_for(spec, interaction(path=path))


# --- path -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "param", "path", "ok"),
    [
        pytest.param({"type": "integer"}, {"style": "label"}, "/items/.5", True, id="label-scalar"),
        pytest.param({"type": "integer"}, {"style": "label"}, "/items/5", False, id="label-needs-dot"),
        pytest.param({"type": "integer"}, {"style": "label"}, "/items/.x", False, id="label-typed"),
        pytest.param(INTS, {"style": "label"}, "/items/.3,4", True, id="label-array"),
        pytest.param(INTS, {"style": "label", "explode": True}, "/items/.3.4", True, id="label-explode"),
        pytest.param(
            INTS, {"style": "label", "explode": True}, "/items/.3.x", False, id="label-explode-item"
        ),
        pytest.param(COLOR, {"style": "label"}, "/items/.R,100,G,200", True, id="label-object"),
        pytest.param(
            COLOR, {"style": "label", "explode": True}, "/items/.R=100.G=200", True, id="label-object-explode"
        ),
        pytest.param({"type": "integer"}, {"style": "matrix"}, "/items/;id=5", True, id="matrix-scalar"),
        pytest.param({"type": "integer"}, {"style": "matrix"}, "/items/5", False, id="matrix-needs-prefix"),
        pytest.param({"type": "integer"}, {"style": "matrix"}, "/items/;other=5", False, id="matrix-name"),
        pytest.param({"type": "string"}, {"style": "matrix"}, "/items/5", False, id="matrix-string-prefix"),
        pytest.param(INTS, {"style": "matrix"}, "/items/;id=3,4,5", True, id="matrix-array"),
        pytest.param(INTS, {"style": "matrix"}, "/items/;id=3,x", False, id="matrix-array-item"),
        pytest.param(
            INTS, {"style": "matrix", "explode": True}, "/items/;id=3;id=4", True, id="matrix-array-explode"
        ),
        pytest.param(
            ROLE, {"style": "matrix"}, "/items/;id=role,admin,firstName,Alex", True, id="matrix-object"
        ),
        pytest.param(
            ROLE,
            {"style": "matrix", "explode": True},
            "/items/;role=admin;firstName=Alex",
            True,
            id="matrix-object-explode",
        ),
        pytest.param(
            COLOR, {"style": "matrix", "explode": True}, "/items/;R=100;B=1", False, id="matrix-closed"
        ),
        pytest.param(ROLE, {}, "/items/role,admin,firstName,Alex", True, id="simple-object"),
        pytest.param(
            ROLE, {"explode": True}, "/items/role=admin,firstName=Alex", True, id="simple-object-explode"
        ),
        pytest.param(COLOR, {}, "/items/R,100,G", False, id="simple-object-odd"),
        pytest.param(COLOR, {}, "/items/R,100,G,x", False, id="simple-object-typed"),
        pytest.param(INTS, {}, "/items/3,4", True, id="simple-array"),
    ],
)
def test_path_styles_route_only_their_serialization(
    schema: dict[str, Any], param: dict[str, Any], path: str, ok: bool
) -> None:
    assert routes(path_spec(schema, **param), path) is ok


def test_percent_encoded_matrix_segment_routes() -> None:
    assert routes(path_spec(INTS, style="matrix"), "/items/%3Bid%3D3%2C4")


# --- query ----------------------------------------------------------------------------------


def query_spec(schema: dict[str, Any], name: str = "color", **param: Any) -> dict[str, Any]:
    parameter = {"in": "query", "name": name, "schema": schema, **param}
    return get3("/x", parameters=[parameter], responses={"200": OK})


def query_codes(spec: dict[str, Any], query: Any) -> list[str]:
    return codes_for(spec, interaction(query=query))


@pytest.mark.parametrize(
    ("param", "query", "expected"),
    [
        pytest.param({}, "R=100&G=200", [], id="form-explode-object"),
        pytest.param({}, "R=100&G=x", ["request.query.incompatible"], id="form-explode-object-typed"),
        pytest.param({}, "R=100&B=1", ["request.query.unknown"], id="form-explode-undeclared-name"),
        pytest.param({"explode": False}, "color=R,100,G,200", [], id="form-object"),
        pytest.param(
            {"explode": False}, "color=R,100,G,x", ["request.query.incompatible"], id="form-object-typed"
        ),
        pytest.param({"style": "deepObject"}, "color[R]=100&color[G]=200", [], id="deep-object"),
        pytest.param(
            {"style": "deepObject"},
            "color[R]=100&color[G]=x",
            ["request.query.incompatible"],
            id="deep-typed",
        ),
        pytest.param(
            {"style": "deepObject"}, "color[R]=1&color[B]=2", ["request.query.incompatible"], id="deep-closed"
        ),
        pytest.param({"style": "deepObject"}, {"color[R]": ["100"]}, [], id="deep-object-map"),
        pytest.param(
            {"style": "deepObject"}, "color[R]=1&color[]=2", ["request.query.unknown"], id="deep-no-property"
        ),
        pytest.param(
            {"style": "deepObject"},
            "color[R]=1&color[G][B]=2",
            ["request.query.incompatible"],
            id="deep-nested-where-a-scalar-is-declared",
        ),
        pytest.param(
            {"style": "deepObject"}, "color[R]=1&color[G=2", ["request.query.unknown"], id="deep-unbalanced"
        ),
        pytest.param({"style": "spaceDelimited", "explode": False}, "color=R%20100", [], id="space-object"),
        pytest.param({"style": "pipeDelimited", "explode": False}, "color=R|100|G|200", [], id="pipe-object"),
    ],
)
def test_query_object_styles(param: dict[str, Any], query: Any, expected: list[str]) -> None:
    assert query_codes(query_spec(COLOR, **param), query) == expected


def test_spread_object_finding_names_the_failing_property() -> None:
    spec = query_spec(COLOR)
    assert findings_for(spec, interaction(query="R=1&G=x")) == [
        ("request.query.incompatible", f"{IX}.request.query.G", PARAM)
    ]
    deep = query_spec(COLOR, style="deepObject")
    assert findings_for(deep, interaction(query="color[R]=1&color[G]=x")) == [
        ("request.query.incompatible", f"{IX}.request.query.color[G]", PARAM)
    ]
    assert messages_for(spec, interaction(query="G=x&R=1")) == [
        ("request.query.incompatible", f"{VALUE}must be integer")
    ]


NESTED = {
    "type": "object",
    "properties": {
        "a": {
            "type": "object",
            "properties": {"n": {"type": "integer"}, "tags": {"type": "object"}},
            "additionalProperties": False,
        },
        "b": {"type": "string"},
    },
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("p[a][n]=5&p[b]=x", [], id="typed-by-the-nested-schema"),
        pytest.param("p[a][tags][k]=v", [], id="three-levels"),
        pytest.param(
            "p[a][n]=abc", [("request.query.incompatible", f"{IX}.request.query.p[a][n]")], id="wrong"
        ),
        pytest.param(
            "p[a][m]=1", [("request.query.incompatible", f"{IX}.request.query.p[a][m]")], id="closed"
        ),
    ],
)
def test_nested_deep_object_keys_are_parsed_and_validated(query: str, expected: list[Any]) -> None:
    spec = query_spec(NESTED, name="p", style="deepObject")
    assert [(code, mock) for code, mock, _ in findings_for(spec, interaction(query=query))] == expected


def test_a_nested_deep_object_error_says_what_is_wrong() -> None:
    spec = query_spec(NESTED, name="p", style="deepObject")
    assert messages_for(spec, interaction(query="p[a][n]=abc")) == [
        ("request.query.incompatible", f"{VALUE}must be integer")
    ]


def test_free_form_exploded_object_takes_the_undeclared_names() -> None:
    free = {"type": "object", "additionalProperties": {"type": "integer"}}
    parameter = {"in": "query", "name": "filter", "schema": free}
    other = {"in": "query", "name": "page", "schema": {"type": "integer"}}
    spec = get3("/x", parameters=[parameter, other])
    assert query_codes(spec, "a=1&b=2&page=3") == []
    assert findings_for(spec, interaction(query="a=1&b=x&page=3")) == [
        ("request.query.incompatible", f"{IX}.request.query.b", PARAM)
    ]


@pytest.mark.parametrize(
    ("param", "message"),
    [
        pytest.param(
            {}, "must be written as one query parameter per property (form style, explode: true)", id="form"
        ),
        pytest.param(
            {"style": "deepObject"}, "must be written as color[property]=value (deepObject style)", id="deep"
        ),
    ],
)
def test_spread_object_sent_under_its_own_name(param: dict[str, Any], message: str) -> None:
    spec = query_spec(COLOR, **param)
    assert findings_for(spec, interaction(query="color=R,1")) == [
        ("request.query.incompatible", f"{IX}.request.query.color", PARAM)
    ]
    assert messages_for(spec, interaction(query="color=R,1")) == [
        ("request.query.incompatible", f"{VALUE}{message}")
    ]


def test_required_spread_object_under_its_own_name_is_one_finding() -> None:
    spec = query_spec({"type": "object"}, required=True)
    assert findings_for(spec, interaction(query="color=not-an-object")) == [
        ("request.query.incompatible", f"{IX}.request.query.color", PARAM)
    ]


def test_required_spread_object_missing() -> None:
    spec = query_spec(COLOR, style="deepObject", required=True)
    assert findings_for(spec, interaction(query="other[R]=1")) == [
        ("request.query.unknown", f"{IX}.request.query.other[R]", "[root].paths./x.get"),
        ("request.query.incompatible", IX, PARAM),
    ]


@pytest.mark.parametrize(
    ("style", "query", "ok"),
    [
        pytest.param("spaceDelimited", "color=1%202", True, id="space-decoded"),
        pytest.param("spaceDelimited", {"color": ["1%202"]}, True, id="space-kept-encoded"),
        pytest.param("spaceDelimited", {"color": ["1 2"]}, True, id="space-map"),
        pytest.param("spaceDelimited", "color=1%20x", False, id="space-item"),
        pytest.param("spaceDelimited", "color=1,2", False, id="space-not-comma"),
        pytest.param("pipeDelimited", "color=1|2", True, id="pipe"),
        pytest.param("pipeDelimited", "color=1|x", False, id="pipe-item"),
        pytest.param("pipeDelimited", "color=1&color=2", False, id="pipe-repeated"),
    ],
)
def test_delimited_arrays(style: str, query: Any, ok: bool) -> None:
    spec = query_spec(INTS, style=style, explode=False)
    assert query_codes(spec, query) == ([] if ok else ["request.query.incompatible"])


def test_wrong_serialization_says_so() -> None:
    spec = query_spec(INTS, style="pipeDelimited", explode=False)
    assert messages_for(spec, interaction(query="color=1&color=2")) == [
        (
            "request.query.incompatible",
            f"{VALUE}must be written once, not repeated (pipeDelimited style, explode: false)",
        )
    ]


def test_json_content_query_parameter_is_parsed() -> None:
    parameter = {"in": "query", "name": "filter", "content": {"application/json": {"schema": COLOR}}}
    spec = get3("/x", parameters=[parameter])
    assert query_codes(spec, 'filter={"R":1}') == []
    assert query_codes(spec, 'filter={"R":"x"}') == ["request.query.incompatible"]
    assert query_codes(spec, "filter=x") == ["request.query.incompatible"]


# --- headers --------------------------------------------------------------------------------


def header_spec(schema: dict[str, Any], **param: Any) -> dict[str, Any]:
    parameter = {"in": "header", "name": "X-Color", "schema": schema, **param}
    return get3("/x", parameters=[parameter])


@pytest.mark.parametrize(
    ("schema", "param", "value", "ok"),
    [
        pytest.param(INTS, {}, "3,4", True, id="array"),
        pytest.param(INTS, {}, "3,x", False, id="array-item"),
        pytest.param(COLOR, {}, "R,100,G,200", True, id="object"),
        pytest.param(COLOR, {}, "R,100,G,x", False, id="object-typed"),
        pytest.param(COLOR, {"explode": True}, "R=100,G=200", True, id="object-explode"),
        pytest.param(COLOR, {"explode": True}, "R,100", False, id="object-explode-needs-pairs"),
    ],
)
def test_header_simple_style(schema: dict[str, Any], param: dict[str, Any], value: str, ok: bool) -> None:
    codes = codes_for(header_spec(schema, **param), interaction(headers={"X-Color": value}))
    assert codes == ([] if ok else ["request.header.incompatible"])


# --- cookies --------------------------------------------------------------------------------


def cookie_spec(schema: dict[str, Any], **param: Any) -> dict[str, Any]:
    parameter = {"in": "cookie", "name": "session", "schema": schema, **param}
    return get3("/x", parameters=[parameter], responses={"200": OK, "400": OK})


def test_cookie_value_is_validated() -> None:
    spec = cookie_spec({"type": "integer"})
    assert codes_for(spec, interaction(headers={"Cookie": "theme=dark; session=12"})) == []
    ix = interaction(headers={"Cookie": "theme=dark; session=abc"})
    assert findings_for(spec, ix) == [
        ("request.cookie.incompatible", f"{IX}.request.headers.Cookie.session", PARAM)
    ]
    assert messages_for(spec, ix) == [("request.cookie.incompatible", f"{VALUE}must be integer")]


def test_required_cookie_missing() -> None:
    spec = cookie_spec({"type": "string"}, required=True)
    assert findings_for(spec, interaction(headers={"cookie": "theme=dark"})) == [
        ("request.cookie.incompatible", IX, PARAM)
    ]
    assert findings_for(spec, interaction()) == [("request.cookie.incompatible", IX, PARAM)]
    assert findings_for(spec, interaction(status=400)) == []


def test_optional_cookie_missing_and_undeclared_cookies_are_fine() -> None:
    assert codes_for(cookie_spec({"type": "string"}), interaction(headers={"Cookie": "a=1; b=2"})) == []


def test_cookie_array_not_exploded() -> None:
    spec = cookie_spec(INTS, explode=False)
    assert codes_for(spec, interaction(headers={"Cookie": "session=3,4"})) == []
    assert codes_for(spec, interaction(headers={"Cookie": "session=3,x"})) == ["request.cookie.incompatible"]


# --- parameters in another file -------------------------------------------------------------


def test_a_parameter_in_another_file_reads_its_refs_from_that_file(tmp_path: Path) -> None:
    """`$ref`s inside a referenced parameter are relative to its file, not the spec's."""
    parameters = {
        "Ids": {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"$ref": "#/Id"}}},
        "Color": {
            "name": "color",
            "in": "query",
            "style": "deepObject",
            "schema": {"type": "object", "properties": {"R": {"$ref": "#/Id"}}},
        },
        "Id": {"type": "integer"},
    }
    refs = [{"$ref": "parameters.json#/Ids"}, {"$ref": "parameters.json#/Color"}]
    (tmp_path / "parameters.json").write_text(json.dumps(parameters))
    (tmp_path / "spec.json").write_text(json.dumps(get3("/x", parameters=refs)))
    ix = interaction(query="ids=1&ids=2&color[R]=3")
    report = compare(load_spec(tmp_path / "spec.json"), [parse_pact(pact(ix), "pact.json")])
    assert report.error_count == 0
    ix = interaction(query="ids=1&ids=x&color[R]=y")
    report = compare(load_spec(tmp_path / "spec.json"), [parse_pact(pact(ix), "pact.json")])
    assert [mock_location(f.at) for f in report.pacts[0].results[0].findings] == [
        f"{IX}.request.query.ids",
        f"{IX}.request.query.color[R]",
    ]
