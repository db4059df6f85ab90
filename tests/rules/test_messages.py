"""Messages keep the reference wording first and then say what the spec allows."""

from __future__ import annotations

from _build import OK, get3, interaction, messages_for, response3

VALUE = "Value is incompatible with the parameter defined in the spec file: "
BODY = "Response body is incompatible with the response body schema in the spec file: "


def test_an_enum_failure_lists_the_allowed_values_up_to_ten() -> None:
    values = [f"v{i}" for i in range(12)]
    spec = get3(
        "/x", parameters=[{"in": "query", "name": "n", "schema": {"enum": values}}], responses={"200": OK}
    )
    [(_, message)] = messages_for(spec, interaction(query="n=zz"))
    listed = ", ".join(f'"v{i}"' for i in range(10))
    assert message == f"{VALUE}must be equal to one of the allowed values (allowed: {listed}, and 2 more)"


def test_an_undeclared_status_lists_the_declared_ones() -> None:
    spec = get3("/x", responses={"200": OK, "404": OK, "5XX": OK})
    assert messages_for(spec, interaction(status=418)) == [
        (
            "response.status.unknown",
            "Response status code not defined in spec file: 418 (declared: 200, 404, 5XX)",
        )
    ]


def test_with_undeclared_properties_allowed_an_explicit_closure_says_so() -> None:
    closed = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    spec = get3("/x", responses={"200": response3(closed)})
    ix = interaction(response_body={"a": 1, "b": 2})
    assert messages_for(spec, ix, additional_properties_in_response=True) == [
        (
            "response.body.incompatible",
            f"{BODY}must NOT have additional properties - b"
            " (the schema itself forbids undeclared properties)",
        )
    ]
