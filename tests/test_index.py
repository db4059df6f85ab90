"""The routing index: `OperationIndex(spec).route(method, path)`."""

from __future__ import annotations

from typing import Any

import pytest
from _build import OK, openapi3, swagger2
from crosscontract.engine import InputError, OperationIndex, load_spec
from crosscontract.engine.spec.operations import read_operations
from hypothesis import given, settings, strategies as st


def index_of(paths: dict[str, Any], *, kind: str = "openapi3", **top: Any) -> OperationIndex:
    build = openapi3 if kind == "openapi3" else swagger2
    return OperationIndex(load_spec(build(paths, **top)))


def routed(index: OperationIndex, method: str, path: str) -> tuple[str, str] | None:
    """(path name, method) of the operation `path` routes to, or None."""
    operation = index.route(method, path)
    return None if operation is None else (operation.path_name, operation.method)


def get(*, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {"200": OK}}
    if params:
        op["parameters"] = params
    return {"get": op}


def path_param(name: str, kind: str) -> dict[str, Any]:
    return {"in": "path", "name": name, "required": True, "schema": {"type": kind}}


def test_literal_path() -> None:
    index = index_of({"/pets": get(), "/pets/mine": get()})
    assert routed(index, "get", "/pets") == ("/pets", "get")
    assert routed(index, "get", "/pets/mine") == ("/pets/mine", "get")
    assert routed(index, "get", "/cats") is None


def test_method_must_be_declared() -> None:
    index = index_of({"/pets": {**get(), "post": {"responses": {"200": OK}}}})
    assert routed(index, "post", "/pets") == ("/pets", "post")
    assert routed(index, "put", "/pets") is None
    assert routed(index, "parameters", "/pets") is None


def test_non_method_keys_of_a_path_item_are_not_operations() -> None:
    index = index_of({"/pets": {**get(), "summary": "s", "x-extra": {}, "servers": []}})
    assert [(op.path_name, op.method) for op in index.operations] == [("/pets", "get")]


def test_literal_before_template_whatever_the_order() -> None:
    index = index_of({"/pets/{id}": get(), "/pets/mine": get()})
    assert routed(index, "get", "/pets/mine") == ("/pets/mine", "get")
    assert routed(index, "get", "/pets/1") == ("/pets/{id}", "get")


def test_fewest_variables_first_then_declaration_order() -> None:
    index = index_of({"/{a}/{b}": get(), "/{a}/x": get(), "/{c}/{d}": get(), "/y/{a}": get()})
    assert routed(index, "get", "/y/x") == ("/{a}/x", "get")
    assert routed(index, "get", "/q/r") == ("/{a}/{b}", "get")
    assert routed(index, "get", "/y/r") == ("/y/{a}", "get")


def test_segment_count_must_match() -> None:
    index = index_of({"/pets/{id}": get()})
    assert routed(index, "get", "/pets") is None
    assert routed(index, "get", "/pets/1/toys") is None


def test_template_must_fill_a_whole_segment() -> None:
    index = index_of({"/files/{name}.json": get()})
    assert routed(index, "get", "/files/{name}.json") == ("/files/{name}.json", "get")
    assert routed(index, "get", "/files/a.json") is None


def test_path_parameter_schema_filters_templates() -> None:
    index = index_of(
        {
            "/pets/{id}": get(params=[path_param("id", "integer")]),
            "/pets/{flag}": get(params=[path_param("flag", "boolean")]),
            "/pets/{name}": get(params=[path_param("name", "string")]),
        }
    )
    assert routed(index, "get", "/pets/7") == ("/pets/{id}", "get")
    assert routed(index, "get", "/pets/true") == ("/pets/{flag}", "get")
    assert routed(index, "get", "/pets/rex") == ("/pets/{name}", "get")


def test_undeclared_path_parameter_matches_anything() -> None:
    assert routed(index_of({"/pets/{id}": get()}), "get", "/pets/anything") == ("/pets/{id}", "get")


def test_swagger2_base_path() -> None:
    index = index_of({"/pets": get()}, kind="swagger2", basePath="/v1")
    assert routed(index, "get", "/v1/pets") == ("/pets", "get")
    assert routed(index, "get", "/pets") is None


@pytest.mark.parametrize("path", ["/pets/", "//pets", "pets", "/pets?x=1"])
def test_empty_segments_and_query_are_ignored(path: str) -> None:
    assert routed(index_of({"/pets": get()}), "get", path) == ("/pets", "get")


def test_path_item_reference() -> None:
    spec = openapi3({"/pets": {"$ref": "#/x-items/pets"}})
    spec["x-items"] = {"pets": get()}
    index = OperationIndex(load_spec(spec))
    assert routed(index, "get", "/pets") == ("/pets", "get")


def test_path_item_that_is_not_an_object_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"\[root\]\.paths\./pets is not a path item"):
        index_of({"/pets": []})


def test_operation_details_are_built_once() -> None:
    index = index_of({"/pets/{id}": get(params=[path_param("id", "integer")])})
    first = index.route("get", "/pets/1")
    assert first is not None
    assert index.route("get", "/pets/2") is first
    assert first.path_parameters is first.path_parameters


# Hypothesis: a concrete path made from a template routes to that template or to a more
# concrete one, never to a less concrete one and never to nothing.

_SEGMENTS = st.lists(st.sampled_from(["a", "b", "{p}", "{q}"]), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(templates=st.lists(_SEGMENTS, min_size=1, max_size=6, unique_by=tuple), pick=st.data())
def test_a_path_made_from_a_template_routes_to_it_or_a_more_concrete_one(
    templates: list[list[str]], pick: st.DataObject
) -> None:
    paths = {"/" + "/".join(t): get() for t in templates}
    index = index_of(paths)
    chosen = pick.draw(st.sampled_from(sorted(paths)))
    concrete = "/" + "/".join(
        pick.draw(st.sampled_from(["a", "b", "zz"])) if s.startswith("{") else s
        for s in chosen.split("/")[1:]
    )
    found = index.route("get", concrete)
    assert found is not None
    variables = sum(1 for s in chosen.split("/") if s.startswith("{"))
    assert found.templated <= variables
    literal = tuple(s for s in concrete.split("/") if s)
    assert all(t == c or t.startswith("{") for t, c in zip(found.segments, literal, strict=True))


def test_repeated_routes_give_the_same_answers_when_the_kept_ones_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crosscontract.engine.spec import index as index_module

    monkeypatch.setattr(index_module, "ROUTES_KEPT", 2)
    index = index_of({"/pets/{id}": get(params=[path_param("id", "integer")]), "/pets/mine": get()})
    asked = ["/pets/1", "/pets/mine", "/pets/x", "/pets/1", "/cats", "/pets/x", "/pets/mine"]
    expected = [("/pets/{id}", "get"), ("/pets/mine", "get"), None, ("/pets/{id}", "get"), None, None]
    assert [routed(index, "get", path) for path in asked] == [*expected, ("/pets/mine", "get")]
    assert len(index._routed) <= 2


def test_routing_converts_no_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index reads paths and methods only: what an operation declares waits for a rule."""
    from crosscontract.engine.schema.dialect import Converter

    def refuse(*args: Any) -> Any:
        raise AssertionError("a schema was converted")

    monkeypatch.setattr(Converter, "bundle", refuse)
    index = index_of({"/pets": get(params=[path_param("id", "integer")]), "/pets/{id}": get()})
    assert routed(index, "get", "/pets") == ("/pets", "get")
    assert routed(index, "get", "/pets/1") == ("/pets/{id}", "get")


def test_an_operation_joins_the_model_with_its_checks() -> None:
    spec = load_spec(
        openapi3(
            {"/pets/{id}": get(params=[path_param("id", "integer")])},
            servers=[{"url": "https://h.example/v1"}],
        )
    )
    operation = OperationIndex(spec).route("get", "/v1/pets/1")
    assert operation is not None
    assert operation.model == read_operations(spec)[0]
    assert operation.model.servers == frozenset({("v1",)})
    assert [p.name for p in operation.model.parameters] == list(operation.path_parameters) == ["id"]
    assert operation.path_parameters["id"].check(["x"]) != []


def test_swagger2_base_path_is_in_the_model() -> None:
    (operation,) = read_operations(load_spec(swagger2({"/pets": get()}, basePath="/v1/")))
    assert (operation.base_path, operation.path, operation.servers) == (("v1",), "/pets", frozenset())
