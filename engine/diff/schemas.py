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

Compositions are compared by what they mean. An `allOf` is read as the one schema its
members make together, merged exactly as the check merges it (`merge_all_of`), so a schema
rewritten as `allOf: [$ref, {extra properties}]` shows its real changes (a property added,
a type changed) with pointers into the member that declares each; an `allOf` the merge
cannot make exact is compared member by member. The branches of a `oneOf` or `anyOf` are
paired across versions (the same `$ref`, the same schema, then one of the same shape) and
compared pair by pair; a branch without a counterpart is added or removed, and a schema
that became the branch of a union (or the other way round) is paired the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import orjson
from msgspec import Struct

from .._types import Json, Pointer
from ..schema.policy import merge_all_of
from ..spec.loading import Node, Spec

Side = Literal["request", "response"]

_UPPER = ("maxLength", "maximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "minItems", "minProperties")
_OPAQUE = ("pattern", "format", "multipleOf")
"""Constraints whose new value cannot be ordered against the old one: any new value tightens."""
_COMPOSITIONS = ("allOf", "anyOf", "oneOf")
_UNIONS = ("oneOf", "anyOf")
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "discriminator",
        "deprecated",
        "externalDocs",
        "readOnly",
        "writeOnly",
        "default",
        "xml",
        "$comment",
    }
)
"""Words beside a `oneOf`/`anyOf` that leave it a plain union of its branches."""
Key = tuple[Side, str, tuple[str, ...], str, tuple[str, ...]]
Origins = dict[tuple[str, ...], list[tuple[Json, tuple[str, ...]]]]
"""`("properties", name)`, `("items",)`... of a merged `allOf` -> each part's schema for it
and where that is written, in the order of the parts."""


class SchemaChange(Struct, frozen=True):
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
        self._done: dict[Key, tuple[SchemaChange, ...]] = {}
        self._active: set[Key] = set()
        # While a merged `allOf` is compared: where its parts write each property and items
        # (by the merged schema's id), and where the members of an `allOf` the merge made of
        # several parts' schemas are written (by its id). Both are dropped once compared.
        self._origins: dict[int, Origins] = {}
        self._made: dict[int, list[tuple[Json, tuple[str, ...]]]] = {}

    def compare(self, old: Node, new: Node, side: Side) -> tuple[SchemaChange, ...]:
        """Every change from `old` to `new` (schema nodes of each spec), for a client on `side`."""
        return self._compare(old, new, side, keyed=True)

    def _compare(self, old: Node, new: Node, side: Side, *, keyed: bool) -> tuple[SchemaChange, ...]:
        """`keyed`: both nodes are written at their pointers (neither made by a merge), so the
        result is kept under them; a merge's own objects are compared afresh each time."""
        old = self.old.deref(old)
        new = self.new.deref(new)
        if not keyed:  # a cycle always passes through a written (keyed) schema: no guard needed
            return tuple(self._here(old, new, side))
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
        o = self._view(self.old, old)
        n = self._view(self.new, new)
        try:
            yield from self._compared(old, new, o, n, side)
        finally:
            self._origins.pop(id(o), None)
            self._origins.pop(id(n), None)

    def _compared(
        self, old: Node, new: Node, o: dict[str, Json], n: dict[str, Json], side: Side
    ) -> Iterator[SchemaChange]:
        if o is n or (o == n and not _has_ref(o)):  # identical and self-contained: nothing below differs
            return
        at_o, at_n = _at(old), _at(new)
        composed_o = [k for k in _COMPOSITIONS if k in o]
        composed_n = [k for k in _COMPOSITIONS if k in n]
        if composed_o != composed_n:
            union_o, union_n = _union(o), _union(n)
            if union_o is not None and not composed_n:
                # A union that became one of its branches (or a schema that became a branch).
                members = self._members(old, o, union_o)
                nulls = (_nullable(o), "null" in (type_set(n) or ()))
                yield from self._branches(union_o, members, [new], nulls, side, at_o, at_n)
                return
            if union_n is not None and not composed_o:
                members = self._members(new, n, union_n)
                nulls = ("null" in (type_set(o) or ()), _nullable(n))
                yield from self._branches(union_n, [old], members, nulls, side, at_o, at_n)
                return
            if (not composed_o or not composed_n) and not _typed_union_added(o, n):
                # One version spells the schema out, the other composes it in a way no merge
                # makes exact: comparing their own words would report every property as changed.
                detail = (
                    f"{'/'.join(composed_o) or 'no composition'} -> "
                    f"{'/'.join(composed_n) or 'no composition'}"
                )
                yield SchemaChange("schema-changed", (), detail, at_o, at_n)
                return
        yield from _types(o, n, side, at_o, at_n)
        yield from _enums(o, n, side, at_o, at_n)
        yield from _constraints(o, n, side, at_o, at_n)
        yield from self._properties(old, new, o, n, side)
        yield from self._items(old, new, o, n, side)
        yield from self._compositions(old, new, o, n, side)

    # --- allOf: read as the one schema it means ------------------------------------------------

    def _view(self, spec: Spec, node: Node) -> dict[str, Json]:
        """The schema at `node` as compared: an `allOf` merged where the merge is exact."""
        value = _as_schema(node.value)
        if not isinstance(value.get("allOf"), list):
            return value
        merged = merge_all_of(spec, value, node.file, disjoint=True)
        if merged is None or merged.schema is None:
            return value
        origins: Origins = {}
        self._collect(spec, node, origins, depth=0)
        self._origins[id(merged.schema)] = origins
        return merged.schema

    def _collect(self, spec: Spec, node: Node, origins: Origins, depth: int) -> None:
        """Note where each part of the `allOf` at `node` writes its properties and items."""
        value = node.value
        if not isinstance(value, dict) or depth > 32:  # the merge's own depth limit
            return
        properties = value.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                _note(origins, ("properties", name), sub, (*node.pointer, "properties", name))
        for keyword in ("items", "additionalProperties"):
            if isinstance(value.get(keyword), dict):
                _note(origins, (keyword,), value[keyword], (*node.pointer, keyword))
        members = value.get("allOf")
        if not isinstance(members, list):
            return
        written = self._made.get(id(value), [])  # a merge's `allOf` of schemas written elsewhere
        for i, member in enumerate(members):
            at = next((at for part, at in written if part is member), (*node.pointer, "allOf", str(i)))
            self._collect(spec, spec.deref(Node(member, node.file, at)), origins, depth + 1)

    def _below(self, node: Node, value: dict[str, Json], keys: tuple[str | int, ...]) -> tuple[Node, bool]:
        """The child at `keys` of the schema `value` compared at `node`, and whether it is
        written where its pointer says (False: an object a merge made)."""
        child: Json = value
        for key in keys:
            child = child[key]
        tokens = tuple(str(k) for k in keys)
        origins = self._origins.get(id(value)) if value is not node.value else None
        if origins is None:
            return Node(child, node.file, node.pointer + tokens), True
        # A child of a merged `allOf`: one part's own schema, or the merge's `allOf` of several.
        parts = origins.get(tokens, [])
        for part, at in parts:
            if part is child:
                return Node(child, node.file, at), True
        if not parts:
            return Node(child, node.file, node.pointer + tokens), False
        self._made[id(child)] = parts
        return Node(child, node.file, parts[0][1]), False

    def _where(self, node: Node, value: dict[str, Json], keys: tuple[str, ...]) -> Pointer:
        return self._below(node, value, keys)[0].pointer

    def _child(
        self,
        old: Node,
        new: Node,
        o: dict[str, Json],
        n: dict[str, Json],
        keys: tuple[str | int, ...],
        side: Side,
    ) -> tuple[SchemaChange, ...]:
        (before, written_o), (after, written_n) = self._below(old, o, keys), self._below(new, n, keys)
        try:
            return self._compare(before, after, side, keyed=written_o and written_n)
        finally:
            self._made.pop(id(before.value), None)
            self._made.pop(id(after.value), None)

    # --- oneOf / anyOf: branches paired across versions ----------------------------------------

    def _members(self, node: Node, value: dict[str, Json], keyword: str) -> list[Node]:
        members = value[keyword]
        assert isinstance(members, list)
        return [self._below(node, value, (keyword, i))[0] for i in range(len(members))]

    def _branches(
        self,
        keyword: str,
        olds: list[Node],
        news: list[Node],
        nulls: tuple[bool, bool],
        side: Side,
        at_o: Pointer,
        at_n: Pointer,
    ) -> Iterator[SchemaChange]:
        """The branches of a union compared; `nulls`: whether each version's union itself is
        nullable. A `{type: null}` branch is what `nullable: true` says: the two are one change."""
        kept_o = [i for i, m in enumerate(olds) if not self._is_null(self.old, m)]
        kept_n = [j for j, m in enumerate(news) if not self._is_null(self.new, m)]
        null_o = nulls[0] or len(kept_o) < len(olds)
        null_n = nulls[1] or len(kept_n) < len(news)
        if null_o != null_n:
            # What a nullable schema's `type` says, said of the union (see `_types`).
            if side == "response":
                problem = "type-changed" if null_n else "type-narrowed"
            else:
                problem = "type-widened" if null_n else "type-changed"
            detail = f"{keyword}: null {'allowed' if null_n else 'no longer allowed'}"
            yield SchemaChange(problem, (), detail, at_o, at_n)
        pairs, removed, added = self._pair([olds[i] for i in kept_o], [news[j] for j in kept_n])
        for i, j in pairs:
            yield from self.compare(olds[kept_o[i]], news[kept_n[j]], side)
        for i in removed:
            detail = f"{keyword} branch {_label(olds[kept_o[i]], kept_o[i])} removed"
            yield SchemaChange("branch-removed", (), detail, olds[kept_o[i]].pointer, at_n)
        for j in added:
            detail = f"{keyword} branch {_label(news[kept_n[j]], kept_n[j])} added"
            yield SchemaChange("branch-added", (), detail, at_o, news[kept_n[j]].pointer)

    @staticmethod
    def _is_null(spec: Spec, member: Node) -> bool:
        """Whether a branch allows `null` and nothing else."""
        value = _as_schema(spec.deref(member).value)
        return type_set(value) == frozenset({"null"}) and not any(
            k in value for k in ("properties", "items", "enum", "const", *_COMPOSITIONS)
        )

    def _pair(self, olds: list[Node], news: list[Node]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
        """Old and new branches paired (the same `$ref` or schema first, then by shape or place);
        the old ones left unpaired; the new ones left unpaired."""
        left = list(range(len(news)))
        pairs: list[tuple[int, int]] = []
        unpaired: list[int] = []
        for i, member in enumerate(olds):
            found = next((j for j in left if _same_branch(member.value, news[j].value)), None)
            if found is None:
                unpaired.append(i)
            else:
                pairs.append((i, found))
                left.remove(found)
        removed: list[int] = []
        if len(unpaired) == len(left):
            # As many edited as before: each edited in place (a reordering still shows up).
            pairs.extend(zip(unpaired, left, strict=True))
            left = []
        else:
            for i in unpaired:
                found = next((j for j in left if self._alike(olds[i], news[j])), None)
                if found is None:
                    removed.append(i)
                else:
                    pairs.append((i, found))
                    left.remove(found)
        return sorted(pairs), removed, left

    def _alike(self, old: Node, new: Node) -> bool:
        """Whether two branches are one edited: the same types and, for objects, a property in common."""
        o, n = _as_schema(self.old.deref(old).value), _as_schema(self.new.deref(new).value)
        if type_set(o) != type_set(n):
            return False
        op, np = _mapping(o.get("properties")), _mapping(n.get("properties"))
        return (not op and not np) or any(name in np for name in op)

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
                    "removed",
                    (name,),
                    "removed",
                    self._where(old, o, ("properties", name)),
                    (*at_n, "properties"),
                )
                continue
            for change in self._child(old, new, o, n, ("properties", name), side):
                yield change.under((name,))
        for name in np:
            if name not in op:
                problem = "required-added" if name in n_required else "added"
                yield SchemaChange(
                    problem,
                    (name,),
                    "added",
                    (*at_o, "properties"),
                    self._where(new, n, ("properties", name)),
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
            detail = "items added" if oi is None else "items removed" if ni is None else "items changed"
            yield SchemaChange("schema-changed", (), detail, _at(old), _at(new))

    def _compositions(
        self, old: Node, new: Node, o: dict[str, Json], n: dict[str, Json], side: Side
    ) -> Iterator[SchemaChange]:
        done: tuple[str, ...] = ()
        swap = _swapped_union(o, n)
        if swap is not None:
            # `oneOf` became `anyOf` (or back): said once, and the branches still compared.
            was, now = swap
            yield SchemaChange("schema-changed", (), f"{was} -> {now}", _at(old), _at(new))
            olds, news = self._members(old, o, was), self._members(new, n, now)
            nulls = (_nullable(o), _nullable(n))
            yield from self._branches(now, olds, news, nulls, side, _at(old), _at(new))
            done = swap
        for keyword in _COMPOSITIONS:
            ol, nl = o.get(keyword), n.get(keyword)
            if (ol is None and nl is None) or keyword in done:
                continue
            if keyword in _UNIONS and isinstance(ol, list) and isinstance(nl, list):
                olds, news = self._members(old, o, keyword), self._members(new, n, keyword)
                nulls = (_nullable(o), _nullable(n))
                yield from self._branches(keyword, olds, news, nulls, side, _at(old), _at(new))
            elif isinstance(ol, list) and isinstance(nl, list) and len(ol) == len(nl):
                # An `allOf` no merge makes exact: members compared in order (the members of
                # the new list are the old ones edited far more often than reordered).
                for i in range(len(ol)):
                    yield from self._child(old, new, o, n, (keyword, i), side)
            else:
                detail = (
                    f"{keyword} added"
                    if ol is None
                    else f"{keyword} removed"
                    if nl is None
                    else f"{keyword} {_count(ol)} -> {_count(nl)} members"
                )
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


def _union(schema: dict[str, Json]) -> str | None:
    """`oneOf` or `anyOf` when `schema` is nothing but a union of branches; else None."""
    keywords = [k for k in _UNIONS if isinstance(schema.get(k), list)]
    if len(keywords) != 1 or "allOf" in schema:
        return None
    others = (k for k in schema if k != keywords[0])
    return keywords[0] if all(k in _ANNOTATIONS or k.startswith("x-") for k in others) else None


def _nullable(schema: dict[str, Json]) -> bool:
    return schema.get("nullable") is True or schema.get("x-nullable") is True


def _note(origins: Origins, key: tuple[str, ...], schema: Json, at: tuple[str, ...]) -> None:
    found = origins.setdefault(key, [])
    if not any(part is schema for part, _ in found):  # the merge keeps one of each object too
        found.append((schema, at))


def _typed_union_added(o: dict[str, Json], n: dict[str, Json]) -> bool:
    """Whether the only composition either version has is a `oneOf`/`anyOf` beside its own
    `type` (an object's properties plus a rule on which go together): its own words still
    compare, and the union is one more constraint."""
    if "allOf" in o or "allOf" in n:
        return False
    unions = [s for s in (o, n) if any(k in s for k in _UNIONS)]
    return len(unions) == 1 and "type" in unions[0]


def _swapped_union(o: dict[str, Json], n: dict[str, Json]) -> tuple[str, str] | None:
    """(old keyword, new keyword) when one version's `oneOf` is the other's `anyOf`."""
    for was, now in (("oneOf", "anyOf"), ("anyOf", "oneOf")):
        if isinstance(o.get(was), list) and was not in n and isinstance(n.get(now), list) and now not in o:
            return was, now
    return None


def _same_branch(old: Json, new: Json) -> bool:
    """The same `$ref` (the same named schema, perhaps edited), or the same schema as written."""
    if isinstance(old, dict) and isinstance(new, dict) and "$ref" in old:
        return bool(old.get("$ref") == new.get("$ref"))
    return bool(old == new)


def _label(node: Node, index: int) -> str:
    """How a message names a branch: its schema's name, else its place and type."""
    value = node.value
    if isinstance(value, dict) and isinstance(value.get("$ref"), str):
        return str(value["$ref"]).rsplit("/", 1)[-1]
    return f"{index + 1} ({_show(type_set(_as_schema(value)))})"


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
