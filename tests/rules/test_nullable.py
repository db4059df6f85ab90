"""OpenAPI 3.0 `nullable` where there is no `type` to widen: beside `$ref` and around `allOf`."""

from __future__ import annotations

from typing import Any

import pytest
from _build import findings_for, get3, interaction, messages_for, response3
from crosscontract.engine.schema import validation

IX = "[root].interactions[0]"
SCHEMA = "[root].paths./x.get.responses.200.content.application/json.schema"
OWNER = {"type": "object", "properties": {"id": {"type": "integer"}}}


@pytest.fixture(params=["jsonschema", "fast"], autouse=True)
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with and without the compiled fast check."""
    if request.param == "fast":
        monkeypatch.setattr(validation, "COMPILE_AFTER", 1)
    return str(request.param)


def spec_with(owner: dict[str, Any]) -> dict[str, Any]:
    """`GET /x` answering `{owner: <owner>}`, Owner being an object with an integer id."""
    schema = {"type": "object", "properties": {"owner": owner}}
    spec = get3("/x", responses={"200": response3(schema)})
    spec["components"] = {"schemas": {"Owner": OWNER}}
    return spec


def answer(body: Any) -> dict[str, Any]:
    return interaction(response_body=body, response_headers={"Content-Type": "application/json"})


REF = {"$ref": "#/components/schemas/Owner"}
FORMS = {
    "ref-sibling": {**REF, "nullable": True},
    "all-of": {"nullable": True, "allOf": [REF]},
    "one-of": {"nullable": True, "oneOf": [REF]},
}


@pytest.mark.parametrize("owner", FORMS.values(), ids=FORMS.keys())
def test_null_is_accepted(owner: dict[str, Any]) -> None:
    assert findings_for(spec_with(owner), answer({"owner": None})) == []
    assert findings_for(spec_with(owner), answer({"owner": {"id": 1}})) == []


def test_without_nullable_null_is_rejected() -> None:
    assert messages_for(spec_with({"allOf": [REF]}), answer({"owner": None})) == [
        (
            "response.body.incompatible",
            "Response body is incompatible with the response body schema in the spec file: must be object",
        )
    ]


@pytest.mark.parametrize(
    ("owner", "where"),
    [
        pytest.param(FORMS["ref-sibling"], "properties.owner.properties.id.type", id="ref-sibling"),
        pytest.param(FORMS["all-of"], "properties.owner.allOf.0.properties.id.type", id="all-of"),
    ],
)
def test_a_wrong_value_reports_the_schema_not_the_null_alternative(owner: dict[str, Any], where: str) -> None:
    assert findings_for(spec_with(owner), answer({"owner": {"id": "x"}})) == [
        ("response.body.incompatible", f"{IX}.response.body.owner.id", f"{SCHEMA}.{where}")
    ]
