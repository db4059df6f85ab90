"""OpenAPI `discriminator`: the schema an object's tag property selects.

A `discriminator` names a property whose value says which schema an object is. Beside a
`oneOf`/`anyOf` it picks the one branch the object must match; on a base schema that
others extend through `allOf` (`Cat: {allOf: [{$ref: Pet}, ...]}`) it picks the subtype.
Plain JSON Schema reads neither: `oneOf` fails an object that two open branches both
accept, and a base schema closed in responses rejects every property of its subtypes.

The converter (`dialect`) keeps the choice in the converted schema as a `discriminator`
object that `validation` and `fastpath` read:

- beside `oneOf`/`anyOf`: `{"propertyName": p, "mapping": {tag: branch index | schema}}`;
- on a base schema: `{"propertyName": p, "subtypes": {tag: schema}}` next to a `$ref` to
  the base schema itself, which applies when the tag names no subtype.

Tags come, in this order, from the explicit `mapping` (values are `$ref`s or bare schema
names), from a schema's own `const`/`enum` for the property (what ajv, the reference
engine's validator, reads), and from its name in `components/schemas` (the implicit
mapping).
"""

from __future__ import annotations

from collections.abc import Callable

from .._types import Json, JsonObject
from ..spec.loading import Node, Spec
from ..spec.operations import READERS

Reference = Callable[[str, str], JsonObject]
"""Converts the schema a `$ref` written in a file names; returns the `$ref` to its converted
definition."""


def branch_selector(
    spec: Spec, value: JsonObject, keyword: str, file: str, reference: Reference
) -> JsonObject | None:
    """The branch of `value[keyword]` (`oneOf`/`anyOf`) each tag value selects.

    None, and the list is read as plain JSON Schema, when some branch has no tag or two
    branches claim one.
    """
    tag_name = _tag_name(value)
    if tag_name is None:
        return None
    targets = [spec.deref(Node(branch, file, (keyword, str(i)))) for i, branch in enumerate(value[keyword])]
    index = {(t.file, t.pointer): i for i, t in reversed(list(enumerate(targets)))}
    mapping: JsonObject = {}
    for tag, ref, ref_file in _explicit(spec, value, file):
        target = spec.deref(spec.resolve(ref, ref_file))
        key = (target.file, target.pointer)
        mapping[tag] = index[key] if key in index else reference(ref, ref_file)
    for i, target in enumerate(targets):
        if i in mapping.values():
            continue  # the explicit mapping names it
        tags = declared_tags(spec, target, tag_name) or _implicit(spec, target)
        for tag in tags:
            if mapping.setdefault(tag, i) != i:
                return None  # two branches claim one tag: ambiguous
    if {i for i in mapping.values() if isinstance(i, int)} != set(range(len(targets))):
        return None  # a branch no tag selects
    return {"propertyName": tag_name, "mapping": mapping}


def subtype_selector(spec: Spec, value: JsonObject, file: str, reference: Reference) -> JsonObject | None:
    """The subtypes of a base schema, by tag: the mapping's, and those that extend it by `allOf`.

    None when there are none. A tag that names no subtype leaves the object to the base
    schema (a subtype may live where this spec does not show it).
    """
    tag_name = _tag_name(value)
    if tag_name is None:
        return None
    subtypes: JsonObject = {}
    mapped: list[Json] = []
    for tag, ref, ref_file in _explicit(spec, value, file):
        target = spec.deref(spec.resolve(ref, ref_file)).value
        mapped.append(target)
        if target is not value:
            subtypes[tag] = reference(ref, ref_file)
    schemas = _schemas(spec)
    name = next((n for n, s in _components(spec).items() if s is value), None)
    if name is not None:
        own = "#/" + "/".join((*schemas, name))
        for sub_name, sub in _components(spec).items():
            members = sub.get("allOf") if isinstance(sub, dict) else None
            if any(sub is target for target in mapped):
                continue  # the explicit mapping names it
            if not isinstance(members, list) or not any(
                isinstance(m, dict) and m.get("$ref") == own for m in members
            ):
                continue
            ref = "#/" + "/".join((*schemas, sub_name))
            node = Node(sub, "", (*schemas, sub_name))
            for tag in declared_tags(spec, node, tag_name) or [sub_name]:
                if tag not in subtypes:
                    subtypes[tag] = reference(ref, "")
    return {"propertyName": tag_name, "subtypes": subtypes} if subtypes else None


def declared_tags(spec: Spec, node: Node, tag_name: str, depth: int = 3) -> list[str]:
    """The values a schema's own `const`/`enum` allows for the tag (also through `allOf`)."""
    schema = node.value
    if not isinstance(schema, dict) or depth == 0:
        return []
    properties = schema.get("properties")
    if isinstance(properties, dict) and isinstance(properties.get(tag_name), dict):
        tag = spec.deref(Node(properties[tag_name], node.file, ())).value
        if isinstance(tag, dict):
            if isinstance(tag.get("const"), str):
                return [tag["const"]]
            if isinstance(tag.get("enum"), list):
                return [t for t in tag["enum"] if isinstance(t, str)]
    for member in schema.get("allOf") or []:
        found = declared_tags(spec, spec.deref(Node(member, node.file, ())), tag_name, depth - 1)
        if found:
            return found
    return []


def has_discriminator(value: JsonObject) -> bool:
    return _tag_name(value) is not None


def _tag_name(value: JsonObject) -> str | None:
    discriminator = value.get("discriminator")
    if isinstance(discriminator, str):  # Swagger 2.0: the property name itself
        return discriminator
    name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    return name if isinstance(name, str) else None


def _explicit(spec: Spec, value: JsonObject, file: str) -> list[tuple[str, str, str]]:
    """(tag, `$ref`, the file it is read from) of the explicit mapping written in `file`.

    A bare schema name is one of the entry document's named schemas, wherever the mapping is.
    """
    discriminator = value["discriminator"]
    mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
    found = []
    for tag, ref in (mapping if isinstance(mapping, dict) else {}).items():
        if not isinstance(ref, str):
            continue
        if "/" in ref or "#" in ref:
            found.append((str(tag), ref, file))
        else:
            found.append((str(tag), "#/" + "/".join((*_schemas(spec), ref)), ""))
    return found


def _implicit(spec: Spec, target: Node) -> list[str]:
    """A schema's own name, if it is one of the document's named schemas."""
    return [target.pointer[-1]] if target.pointer[:-1] == _schemas(spec) else []


def _schemas(spec: Spec) -> tuple[str, ...]:
    return READERS[spec.kind].named_schemas


def _components(spec: Spec) -> JsonObject:
    found: Json = spec.document
    for token in _schemas(spec):
        found = found.get(token) if isinstance(found, dict) else None
    return found if isinstance(found, dict) else {}
