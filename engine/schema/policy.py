"""The compatibility policy each side of an interaction reads a schema with.

A request schema is read as written. A response schema is read the way the reference
engine reads it: a consumer may read a subset of what the provider sends, never a field
the provider does not declare (objects the spec leaves open are closed), and may ignore
fields the provider always sends (`required` is dropped). `Policy` switches each off.

Closing objects one by one is wrong for `allOf`: its members constrain the same
instance, so an object is declared by the union of what every member says of it, at
every depth (`allOf: [{properties: {data: {properties: {x: {}}}}}, {properties: {data:
{properties: {y: {}}}}}]` declares both `data.x` and `data.y`). `merge_all_of` rewrites
such an `allOf` as the one schema it means, so the policy then closes each object over
everything declared for it. A merge is done only where it is exact; elsewhere the
converter reads the members open (a closure that is not exact would report properties
the spec does declare).
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct

from .._types import Json, JsonObject
from ..spec.loading import Node, Spec

Direction = Literal["request", "response", "parameter"]

ONE_OF_MAY_OVERLAP = "x-oneOf-may-overlap"
"""Marks a response `oneOf` that a value may fit more than once (see `validation.py`)."""

_COMPOSED = ("oneOf", "anyOf", "allOf")

# Words that say nothing a validator checks: a merge skips them.
_ANNOTATIONS = frozenset(
    {
        "example",
        "examples",
        "xml",
        "externalDocs",
        "deprecated",
        "description",
        "title",
        "readOnly",
        "writeOnly",
        "$comment",
        "$schema",
        "$id",
        "$anchor",
        "default",
        "discriminator",
    }
)
# Words whose meaning depends on the other words of their own schema object (what it
# declares, what it evaluated): moved into a merged object they would change meaning.
_CONTEXTUAL = frozenset(
    {
        "patternProperties",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
        "prefixItems",
        "dependentSchemas",
        "dependencies",
        "if",
        "then",
        "else",
        "oneOf",
        "anyOf",
        "not",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "definitions",
        "$defs",
        "$dynamicRef",
        "$recursiveRef",
        "$dynamicAnchor",
        "$recursiveAnchor",
    }
)
# OpenAPI 3.0 bounds whose boolean `exclusive*` only means something beside its limit.
_BOUNDS = (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum"))


class Policy(Struct, frozen=True):
    """How a schema is read, which depends on where it is used."""

    direction: Direction
    close_objects: bool = False
    """Responses: an object may not hold properties the spec does not declare."""
    drop_required: bool = False
    """Responses: a consumer need not read every property the provider sends."""
    in_all_of: bool = False
    """The schema is a member of an `allOf`, which is closed as a whole."""


def request_policy() -> Policy:
    return Policy("request")


def response_policy(*, additional_properties: bool, required_properties: bool) -> Policy:
    return Policy("response", close_objects=not additional_properties, drop_required=not required_properties)


def merges_all_of(policy: Policy) -> bool:
    """Whether `allOf`s are merged before `policy` applies: only a closing policy needs it."""
    return policy.direction == "response" and policy.close_objects and not policy.in_all_of


class Merged(Struct, frozen=True):
    """An `allOf` rewritten as one schema, and what identifies the parts it was made of."""

    schema: JsonObject | None
    """None where no two parts declare the same property or items: nothing to merge."""
    key: tuple[int, ...]
    """The identities of the spec's own objects merged: the same parts give the same
    schema, which is how a recursive merge notices it is back where it started."""


def merge_all_of(spec: Spec, value: JsonObject, file: str, *, disjoint: bool = False) -> Merged | None:
    """`value` (a schema with an `allOf`) as one schema without it, or None if not exact.

    The parts are `value`'s own words and every member, `$ref`s followed and nested
    `allOf`s flattened. A property several parts declare becomes the `allOf` of their
    schemas for it, merged in turn when it is converted: that is how the merge reaches
    every depth, through `items` too. `disjoint`: merge parts that declare nothing in
    common too (the spec diff compares the union; the check needs no merge there).
    """
    if "discriminator" in value:
        return None  # the tag selects among the members: not one schema
    parts: list[tuple[int, JsonObject]] = []
    own = {k: v for k, v in value.items() if k != "allOf"}
    if any(k not in _ANNOTATIONS and not k.startswith("x-") for k in own):
        parts.append((id(value), own))
    members = value.get("allOf")
    if not isinstance(members, list):
        return None
    for member in members:
        if not _flatten(spec, member, file, parts, depth=0):
            return None
    seen: set[int] = set()
    unique = []
    for ident, part in parts:
        if ident not in seen:
            seen.add(ident)
            unique.append(part)
    if not _overlap(spec, unique, file):
        if not disjoint:
            # Each object is declared by one part only: closed one by one, the members are
            # already exact, and findings keep pointing into the member that declares them.
            return Merged(None, ())
        if any(part.get("additionalProperties", True) is not True for part in unique):
            # The check reads such an allOf member by member, where a part's
            # `additionalProperties` sees only its own properties: the union would mean more.
            return None
    schema = _merge(spec, unique, file, nullable=_is_nullable(value))
    if schema is None:
        return None
    if "additionalProperties" not in schema:
        # Closed over the union whatever its type, with the word the reference engine
        # closes an `allOf` with (with nothing left to see through, it means
        # `additionalProperties`; for a value that is not an object, nothing).
        schema["unevaluatedProperties"] = False
    return Merged(schema, tuple(sorted(seen)))


def _overlap(spec: Spec, parts: list[JsonObject], file: str) -> bool:
    """Whether two parts say something of the same property, or both of `items`.

    Branches of a part's `oneOf`/`anyOf`/`if`... count as that part: a branch that
    declares what another part declares would be closed one by one as well.
    """
    seen: set[str] = set()
    for part in parts:
        declared = _declared(spec, part, file, depth=0)
        if seen & declared:
            return True
        seen |= declared
    return False


_ITEMS = "\x00items"  # stands for `items` among property names: no property is named so
_BRANCHES = ("oneOf", "anyOf", "allOf", "if", "then", "else", "not", "dependentSchemas")


def _declared(spec: Spec, schema: Json, file: str, depth: int) -> set[str]:
    """The property names `schema` declares (and `_ITEMS`), in its branches too."""
    if not isinstance(schema, dict) or depth > 8:
        return set()
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = spec.deref(spec.resolve(ref, file))
        return _declared(spec, target.value, target.file, depth + 1)
    names = set(schema["properties"]) if isinstance(schema.get("properties"), dict) else set()
    if "items" in schema:
        names.add(_ITEMS)
    for keyword in _BRANCHES:
        sub = schema.get(keyword)
        subs = (
            sub
            if isinstance(sub, list)
            else list(sub.values())
            if keyword == "dependentSchemas" and isinstance(sub, dict)
            else [sub]
        )
        for branch in subs:
            names |= _declared(spec, branch, file, depth + 1)
    return names


def _flatten(spec: Spec, member: Json, file: str, parts: list[tuple[int, JsonObject]], depth: int) -> bool:
    """Add `member`'s parts to `parts`; False where it cannot be merged."""
    if member is True or member == {}:
        return True
    if not isinstance(member, dict) or depth > 32:
        return False
    if _is_nullable(member):
        return False  # a nullable member's null would not survive the conjunction
    ref = member.get("$ref")
    if isinstance(ref, str):
        target = spec.deref(spec.resolve(ref, file))
        if target.file != file:
            return False  # its own `$ref`s are written relative to another file
        if spec.kind == "openapi31":
            siblings = {k: v for k, v in member.items() if k != "$ref"}
            if siblings and not _flatten_object(spec, member, siblings, file, parts, depth):
                return False
        return _flatten(spec, target.value, file, parts, depth + 1)
    return _flatten_object(spec, member, member, file, parts, depth)


def _flatten_object(
    spec: Spec,
    origin: JsonObject,
    member: JsonObject,
    file: str,
    parts: list[tuple[int, JsonObject]],
    depth: int,
) -> bool:
    nested = member.get("allOf")
    if nested is not None:
        if not isinstance(nested, list):
            return False
        rest = {k: v for k, v in member.items() if k != "allOf"}
        if rest:
            parts.append((id(origin), rest))
        return all(_flatten(spec, m, file, parts, depth + 1) for m in nested)
    parts.append((id(origin), member))
    return True


def _merge(spec: Spec, parts: list[JsonObject], file: str, *, nullable: bool) -> JsonObject | None:
    """The conjunction of `parts` as one schema object, or None where it is not exact."""
    out: JsonObject = {}
    properties: dict[str, list[Json]] = {}
    required: list[str] = []
    items: list[Json] = []
    bounds: dict[str, JsonObject] = {}
    for part in parts:
        for keyword, sub in part.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-") or keyword in ("nullable", "x-nullable"):
                continue
            if keyword in _CONTEXTUAL or keyword == "$ref":
                return None
            if keyword == "properties":
                if not isinstance(sub, dict):
                    return None
                for name, schema in sub.items():
                    properties.setdefault(name, []).append(schema)
            elif keyword == "required":
                if not isinstance(sub, list):
                    return None
                required.extend(n for n in sub if n not in required)
            elif keyword == "items":
                items.append(sub)
            elif keyword == "additionalProperties":
                if sub is True or sub == {}:
                    out["additionalProperties"] = True  # a free-form object stays one
                elif sub is not False:
                    return None  # a schema for the names its own object leaves undeclared
                # `false` in a member would reject its siblings' properties; like the
                # member-by-member reading, the merged object is closed by the policy.
            elif any(keyword in pair for pair in _BOUNDS):
                pair = next(p for p in _BOUNDS if keyword in p)
                group = {k: part[k] for k in pair if k in part}
                if bounds.setdefault(pair[0], group) != group:
                    return None
            elif keyword in out and out[keyword] != sub:
                return None  # two values for one word: their conjunction is not one value
            else:
                out[keyword] = sub
    for group in bounds.values():
        out.update(group)
    if properties:
        out["properties"] = {name: _conjunction(spec, schemas, file) for name, schemas in properties.items()}
    if required:
        out["required"] = required
    if items:
        out["items"] = _conjunction(spec, items, file)
    if nullable:
        out["nullable"] = True
    return out


def _conjunction(spec: Spec, schemas: list[Json], file: str) -> Json:
    """One schema for several that apply to the same value; an `allOf` if they differ."""
    distinct: list[Json] = []
    for schema in schemas:
        if not any(schema is d for d in distinct):
            distinct.append(schema)
    if len(distinct) == 1:
        return distinct[0]
    combined: JsonObject = {"allOf": distinct}
    for flag in ("readOnly", "writeOnly"):
        # The enclosing object reads these off its property's schema (`dialect`).
        if any(_flag(spec, s, file, flag) for s in distinct):
            combined[flag] = True
    return combined


def _flag(spec: Spec, schema: Json, file: str, flag: str) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get(flag) is True:
        return True
    if isinstance(schema.get("$ref"), str):
        target = spec.deref(Node(schema, file, ())).value
        return isinstance(target, dict) and target.get(flag) is True
    return False


def _is_nullable(schema: JsonObject) -> bool:
    return schema.get("nullable") is True or schema.get("x-nullable") is True


def apply(out: JsonObject, policy: Policy, member: bool) -> None:
    """Apply `policy` to the converted schema object `out` (`member`: of an `allOf`)."""
    if "allOf" in out and not member:
        # The reference engine closes an allOf over the union of its members.
        out.setdefault("unevaluatedProperties", False)
    if member:
        out.pop("additionalProperties", None)
    if policy.direction != "response":
        return
    if policy.drop_required and "oneOf" not in out:
        out.pop("required", None)
    if policy.drop_required and "oneOf" in out:
        # Branches told apart only by their `required` lists overlap once `required` is
        # dropped, so a right response may fit several of them.
        out[ONE_OF_MAY_OVERLAP] = True
    if (
        policy.close_objects
        and not member
        and _is_object_type(out.get("type"))
        and "additionalProperties" not in out
        and "unevaluatedProperties" not in out
        and not any(k in out for k in _COMPOSED)
    ):
        # Only objects that leave extra properties unsaid are closed: an explicit
        # `additionalProperties: true` is the provider's promise of a free-form object.
        out["additionalProperties"] = False


def _is_object_type(kind: Json) -> bool:
    return kind == "object" or (isinstance(kind, list) and "object" in kind)
