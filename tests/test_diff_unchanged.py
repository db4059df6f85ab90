"""Operations written the same in both versions are skipped, and skipping never hides a change.

`spec_changes` reads only the operations `UnchangedOperations` cannot vouch for; each test
here either checks that verdict directly or checks that the changes found are exactly the
ones found when every operation is read.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from crosscontract.engine import load_spec
from crosscontract.engine.diff import spec_changes
from crosscontract.engine.diff.unchanged import UnchangedOperations
from crosscontract.engine.spec.operations import reader_for

Doc = dict[str, Any]
CASES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "cases"


def _ref(name: str) -> Doc:
    return {"$ref": f"#/components/schemas/{name}"}


def _spec() -> Doc:
    """Two operations; `/a` reaches A -> B -> A (a cycle) and C, `/d` reaches only D."""

    def get(schema: Doc) -> Doc:
        return {
            "get": {
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}
                }
            }
        }

    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": get(_ref("B")), "/d": get(_ref("D"))},
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": {"b": _ref("B"), "c": _ref("C")}},
                "B": {"type": "object", "properties": {"a": _ref("A")}},
                "C": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "D": {"type": "string"},
            }
        },
    }


def _verdicts(old: Doc, new: Doc) -> dict[str, bool]:
    specs = load_spec(old), load_spec(new)
    unchanged = UnchangedOperations(*specs)
    readers = [reader_for(s) for s in specs]
    return {
        path: unchanged.same(readers[0].declaration(path, "get"), readers[1].declaration(path, "get"))
        for path in old["paths"]
    }


def test_identical_operations_are_same() -> None:
    assert _verdicts(_spec(), _spec()) == {"/a": True, "/d": True}


def test_a_change_reached_through_a_cycle_makes_the_operation_differ() -> None:
    new = _spec()
    new["components"]["schemas"]["C"]["properties"]["n"]["type"] = "string"
    # `/a` refers to B only; B reaches C through A, on a cycle back to B.
    assert _verdicts(_spec(), new) == {"/a": False, "/d": True}
    codes = [(c.operation, c.code.code) for c in spec_changes(load_spec(_spec()), load_spec(new))]
    assert codes == [("GET /a", "change.response.property.type-changed")]


def test_a_document_wide_change_reads_every_operation() -> None:
    new = _spec()
    new["components"]["securitySchemes"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    new["security"] = [{"key": []}]
    assert _verdicts(_spec(), new) == {"/a": False, "/d": False}
    codes = {(c.operation, c.code.code) for c in spec_changes(load_spec(_spec()), load_spec(new))}
    assert codes == {("GET /a", "change.security.added"), ("GET /d", "change.security.added")}


def test_a_ref_into_another_file_is_never_vouched_for() -> None:
    old = _spec()
    old["paths"]["/d"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "other.yaml#/D"
    }
    assert _verdicts(old, copy.deepcopy(old))["/d"] is False


def _every_operation_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(UnchangedOperations, "same", lambda self, old, new: False)


def _pairs() -> list[tuple[str, Path, Path]]:
    pairs = []
    for folder in sorted(CASES_DIR.glob("diff-*")):
        old = next(p for p in folder.iterdir() if p.stem == "old")
        new = next(p for p in folder.iterdir() if p.stem == "new")
        pairs.append((folder.name, old, new))
    return pairs


@pytest.mark.parametrize(("name", "old", "new"), _pairs(), ids=[p[0] for p in _pairs()])
def test_skipping_finds_what_reading_everything_finds(
    name: str, old: Path, new: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = spec_changes(load_spec(old), load_spec(new))
    _every_operation_read(monkeypatch)
    assert fast == spec_changes(load_spec(old), load_spec(new))
    assert fast, f"{name}: a golden case without changes tests nothing here"
