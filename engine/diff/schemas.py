"""Two versions of one schema, compared from the side of the client that uses it.

A request schema says what a client may send: the new version breaks a client when it
accepts less (a type dropped, an enum value removed, `maxLength` lowered, a property made
required). A response schema says what a client may read: the new version breaks a client
when it promises less (a property removed or made optional) or sends more (a type or enum
value added). The same edit is therefore classified per side (`codes.py`).

Schemas are compared as written, `$ref`s followed on both sides. GitHub's description
refers to a few hundred component schemas from over a thousand operations, so the result
of comparing one pair of referenced schemas is kept and reused for every operation that
refers to them; a pair met again while it is being compared (a recursive schema) is taken
as unchanged, the only finite answer. Each change is found relative to the pair of schemas
compared and placed under the path of properties that leads there (`items[].owner.login`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import orjson

from .._types import Json, Pointer
from ..spec.loading import Node, Spec

Side = Literal["request", "response"]

_UPPER = ("maxLength", "maximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "minItems", "minProperties")
_OPAQUE = ("pattern", "format", "multipleOf")
"""Constraints whose new value cannot be ordered against the old one: any new value tightens."""
_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One difference between two schemas, relative to the pair compared."""

    problem: str
    """The last part of the change code: `type-changed`, `removed`, `constraint-tightened`..."""
    path: tuple[str, ...]
    """Property names from the schema compared (`[]` for array items); () for the schema itself."""
    detail: str
    """What changed, for the message: `type integer -> string`, `maxLength 100 -> 50`."""
    old: Pointer | None
    new: Pointer | None

    def under(self, prefix: tuple[str, ...]) -> SchemaChange:
        return SchemaChange(self.problem, prefix + self.path, self.detail, self.old, self.new)

    @property
    def where(self) -> str:
        """The path as a person reads it: `items[].owner.login`."""
        text = ""
        for token in self.path:
            text += token if token == "[]" or not text else f".{token}"
        return text


class SchemaComparer:
    """Compares schemas of one old and one new spec; results kept per pair of referenced schemas."""

    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old
        self.new = new
        self._done: dict[
            tuple[Side, str, tuple[str, ...], str, tuple[str, ...]], tuple[SchemaChange, ...]
        ] = {}
        self._active: set[tuple[Side, str, tuple[str, ...], str, tuple[str, ...]]] = set()

    def compare(self, old: Node, new: Node, side: Side) -> tuple[SchemaChange, ...]:
        """Every change from `old` to `new` (schema nodes of each spec), for a client on `side`."""
        old = self.old.deref(old)
        new = self.new.deref(new)
        key = (side, old.file, old.pointer, new.file, new.pointer)
        known = self._done.get(key)
        if known is not None:
            return known
        if key in self._active:  # a recursive schema: its changes are found at its first visit
            return ()
        self._active.add(key)
        try:
            found = tuple(self._here(old, new, side))
        finally:
            self._active.discard(key)
        self._done[key] = found
        return found

    def _here(self, old: Node, new: Node, side: Side) -> Iterator[SchemaChange]:
        o = _as_schema(old.value)
        n = _as_schema(new.value)
        if o is n or (o == n and not _has_ref(o)):  # identical and self-contained: nothing below differs
            return
        at_o, at_n = _at(old), _at(new)
        composed_o = [k for k in _COMPOSITIONS if k in o]
        composed_n = [k for k in _COMPOSITIONS if k in n]
        if composed_o != composed_n and (not composed_o or not composed_n):
            # One version spells the schema out, the other composes it (`allOf: [$ref, ...]`):
            # comparing their own keywords would report every property as removed or added.
            detail = (
                f"{'/'.join(composed_o) or 'no composition'} -> {'/'.join(composed_n) or 'no composition'}"
            )
            yield SchemaChange("schema-changed", (), detail, at_o, at_n)
            return
        yield from _types(o, n, side, at_o, at_n)
        yield from _enums(o, n, side, at_o, at_n)
        yield from _constraints(o, n, side, at_o, at_n)
        yield from self._properties(old, new, o, n, side)
        yield from self._items(old, new, o, n, side)
        yield from self._compositions(old, new, o, n, side)

    def _child(
        self, old: Node, new: Node, o: Json, n: Json, keys: tuple[str, ...], side: Side
    ) -> tuple[SchemaChange, ...]:
        return self.compare(_below(old, o, keys), _below(new, n, keys), side)

    def _properties(
        self, old: Node, new: Node, o: dict[str, Json], n: dict[str, Json], side: Side
    ) -> Iterator[SchemaChange]:
        op = _mapping(o.get("properties"))
        np = _mapping(n.get("properties"))
        o_required = set(o.get("required") or ()) if isinstance(o.get("required"), list) else set()
        n_required = set(n.get("required") or ()) if isinstance(n.get("required"), list) else set()
        if not op and not np and o_required == n_required:
            return
        at_o, at_n = _at(old), _at(new)
        for name in op:
            if name not in np:
                yield SchemaChange(
                    "removed", (name,), "removed", (*at_o, "properties", name), (*at_n, "properties")
                )
                continue
            for change in self._child(old, new, o, n, ("properties", name), side):
                yield change.under((name,))
        for name in np:
            if name not in op:
                problem = "required-added" if name in n_required else "added"
                yield SchemaChange(
                    problem, (name,), "added", (*at_o, "properties"), (*at_n, "properties", name)
                )
        for name in sorted(n_required - o_required):
            if name in op or name not in np:
                yield SchemaChange("required-added", (name,), "became required", at_o, at_n)
        for name in sorted(o_required - n_required):
            if name in np or name not in op:
                yield SchemaChange("became-optional", (name,), "became optional", at_o, at_n)
        yield from self._additional(old, new, o, n, side)

    def _additional(
        self, old: Node, new: Node, o: dict[str, Json], n: dict[str, Json], side: Side
    ) -> Iterator[SchemaChange]:
        oa, na = o.get("additionalProperties", True), n.get("additionalProperties", True)
        if isinstance(oa, dict) and isinstance(na, dict):
            for change in self._child(old, new, o, n, ("additionalProperties",), side):
                yield change.under(("*",))
        elif oa is not False and na is False:
            yield SchemaChange(
                "constraint-tightened", (), "additionalProperties: false added", _at(old), _at(new)
            )
        elif oa is False and na is not False:
            yield SchemaChange(
                "constraint-loosened", (), "additionalProperties: false removed", _at(old), _at(new)
            )

    def _items(
        self, old: Node, new: Node, o: dict[str, Json], n: dict[str, Json], side: Side
    ) -> Iterator[SchemaChange]:
        oi, ni = o.get("items"), n.get("items")
        if oi is None and ni is None:
            return
        if isinstance(oi, dict) and isinstance(ni, dict):
            for change in self._child(old, new, o, n, ("items",), side):
                yield change.under(("[]",))
        elif oi != ni:
            yield SchemaChange("schema-changed", (), "items changed", _at(old), _at(new))

    def _compositions(
        self, old: Node, new: Node, o: dict[str, Json], n: dict[str, Json], side: Side
    ) -> Iterator[SchemaChange]:
        for keyword in _COMPOSITIONS:
            ol, nl = o.get(keyword), n.get(keyword)
            if ol is None and nl is None:
                continue
            if isinstance(ol, list) and isinstance(nl, list) and len(ol) == len(nl):
                # Members compared in order: the members of the new list are the old ones edited
                # far more often than reordered, and a reordering is reported, never missed.
                for i in range(len(ol)):
                    yield from self.compare(_below(old, o, (keyword, i)), _below(new, n, (keyword, i)), side)
            else:
                detail = f"{keyword} {_count(ol)} -> {_count(nl)} members"
                yield SchemaChange("schema-changed", (), detail, _at(old), _at(new))
        if o.get("not") != n.get("not"):
            yield SchemaChange("schema-changed", (), "`not` changed", _at(old), _at(new))


def _mapping(value: Json) -> dict[str, Json]:
    return value if isinstance(value, dict) else {}


def _count(members: Json) -> int:
    return len(members) if isinstance(members, list) else 0


def _as_schema(value: Json) -> dict[str, Json]:
    """A schema object; the boolean schemas of 3.1 as their object equivalents."""
    if isinstance(value, dict):
        return value
    return {"not": {}} if value is False else {}


def _has_ref(value: Json) -> bool:
    """Whether a `$ref` is anywhere inside (two equal texts may then still mean different schemas)."""
    if isinstance(value, dict):
        return "$ref" in value or any(_has_ref(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_ref(v) for v in value)
    return False


def _at(node: Node) -> Pointer:
    return node.pointer


def _below(node: Node, value: dict[str, Json], keys: tuple[str | int, ...]) -> Node:
    child: Json = value
    for key in keys:
        child = child[key]
    return Node(child, node.file, node.pointer + tuple(str(k) for k in keys))


def type_set(schema: dict[str, Json]) -> frozenset[str] | None:
    """The JSON types a schema allows, `null` included when nullable; None: any type."""
    declared = schema.get("type")
    if declared is None:
        return None
    types = (
        {declared}
        if isinstance(declared, str)
        else {str(t) for t in declared}
        if isinstance(declared, list)
        else set()
    )
    if schema.get("nullable") is True or schema.get("x-nullable") is True:
        types.add("null")
    return frozenset(types)


def _covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Whether every value of type `narrow` is of type `wide` (an integer is a number)."""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _show(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types)) or "none"


def _types(
    o: dict[str, Json], n: dict[str, Json], side: Side, at_o: Pointer, at_n: Pointer
) -> Iterator[SchemaChange]:
    ot, nt = type_set(o), type_set(n)
    if ot == nt:
        return
    detail = f"type {_show(ot)} -> {_show(nt)}"
    # The client's values must stay within what the receiver accepts: a request's old
    # values within the new schema, a response's new values within the old one.
    sent, accepted = (ot, nt) if side == "request" else (nt, ot)
    if not _covers(accepted, sent):
        yield SchemaChange("type-changed", (), detail, at_o, at_n)
    elif side == "request":
        yield SchemaChange("type-widened", (), detail, at_o, at_n)
    else:
        yield SchemaChange("type-narrowed", (), detail, at_o, at_n)


def _enum(schema: dict[str, Json]) -> frozenset[bytes] | None:
    if "const" in schema:
        return frozenset({orjson.dumps(schema["const"], option=orjson.OPT_SORT_KEYS)})
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    return frozenset(orjson.dumps(v, option=orjson.OPT_SORT_KEYS) for v in values)


def _enums(
    o: dict[str, Json], n: dict[str, Json], side: Side, at_o: Pointer, at_n: Pointer
) -> Iterator[SchemaChange]:
    oe, ne = _enum(o), _enum(n)
    if oe == ne:
        return
    lost = ne is not None and (oe is None or bool(oe - ne))
    gained = oe is not None and (ne is None or bool(ne - oe))
    detail = f"enum {_show_enum(oe)} -> {_show_enum(ne)}"
    if side == "request":
        if lost:
            yield SchemaChange("enum-narrowed", (), detail, at_o, at_n)
        elif gained:
            yield SchemaChange("enum-widened", (), detail, at_o, at_n)
    elif gained:
        yield SchemaChange("enum-widened", (), detail, at_o, at_n)
    elif lost:
        yield SchemaChange("enum-narrowed", (), detail, at_o, at_n)


def _show_enum(values: frozenset[bytes] | None) -> str:
    if values is None:
        return "any"
    shown = sorted(v.decode() for v in values)
    return "[" + ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "") + "]"


def _constraints(
    o: dict[str, Json], n: dict[str, Json], side: Side, at_o: Pointer, at_n: Pointer
) -> Iterator[SchemaChange]:
    for keyword, tightened in _constraint_moves(o, n, side):
        detail = f"{keyword} {_show_value(o.get(keyword))} -> {_show_value(n.get(keyword))}"
        yield SchemaChange(
            "constraint-tightened" if tightened else "constraint-loosened", (), detail, at_o, at_n
        )


def _constraint_moves(o: dict[str, Json], n: dict[str, Json], side: Side) -> Iterator[tuple[str, bool]]:
    """(keyword, whether it tightened) for each constraint that differs."""
    for keyword in (*_UPPER, *_LOWER):
        ov, nv = _number(o.get(keyword)), _number(n.get(keyword))
        if ov == nv:
            continue
        if ov is None or nv is None:
            yield keyword, ov is None
        else:
            yield keyword, (nv < ov) if keyword in _UPPER else (nv > ov)
    for keyword in ("exclusiveMaximum", "exclusiveMinimum"):
        ov, nv = o.get(keyword), n.get(keyword)
        if ov == nv or (not ov and not nv):
            continue
        on, nn = _number(ov), _number(nv)
        if on is not None and nn is not None:  # 3.1: the bound itself
            yield keyword, (nn < on) if keyword == "exclusiveMaximum" else (nn > on)
        else:  # 3.0: a flag on `maximum`/`minimum`, or a bound added or dropped
            yield keyword, not ov
    for keyword in _OPAQUE:
        ov, nv = o.get(keyword), n.get(keyword)
        if ov != nv:
            yield keyword, nv is not None
    for keyword in ("uniqueItems", *(("readOnly",) if side == "request" else ("writeOnly",))):
        ov, nv = bool(o.get(keyword)), bool(n.get(keyword))
        if ov != nv:
            yield keyword, nv


def _number(value: Json) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _show_value(value: Json) -> str:
    return "none" if value is None else orjson.dumps(value).decode()
