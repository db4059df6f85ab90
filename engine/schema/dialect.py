"""Turn Swagger 2.0 / OpenAPI 3.0 / 3.1 schema objects into JSON Schema.

The validators speak JSON Schema (2019-09 for Swagger 2.0 and OpenAPI 3.0, 2020-12 for
OpenAPI 3.1). OpenAPI's schema objects differ from it in a few words (`nullable`,
boolean `exclusiveMinimum`, `x-nullable`), carry annotations that mean nothing to a
validator (`example`, `xml`) and are reached through `$ref`s to components. A
`discriminator` is kept as the schema each tag value selects (`discriminator.py`);
`validation` validates an object against that schema alone. A converted schema is a
*bundle*: the root schema with every `$ref` pointing into a `definitions` map that holds
the converted closure of what it reaches, so the validator never needs the whole
document.

Responses get the compatibility policy of the reference engine on top: a consumer may
read a subset of what the provider sends, never a field the provider does not declare
(objects are closed), and may ignore fields the provider always sends (`required` is
dropped). The `Policy` switches each off.

Each referenced schema is converted once per policy and shared by every bundle that
reaches it.
"""

from __future__ import annotations

from msgspec.structs import replace

from .._types import Json, JsonObject
from ..errors import InputError
from ..spec.loading import Node, Spec
from .discriminator import Reference, branch_selector, has_discriminator, subtype_selector
from .policy import (
    ONE_OF_MAY_OVERLAP,
    Policy,
    apply as apply_policy,
    merge_all_of,
    merges_all_of,
    request_policy,
    response_policy,
)

__all__ = ["ONE_OF_MAY_OVERLAP", "Converter", "Policy", "or_null", "request_policy", "response_policy"]

# Keywords whose value is one schema, a list of schemas, or a map of schemas.
_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
    }
)
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAP = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"})
# Annotations: nothing to validate. Dropping them keeps generated validators small.
_DROP = frozenset(
    {
        "example",
        "examples",
        "xml",
        "externalDocs",
        "deprecated",
        "discriminator",
        "nullable",
        "x-nullable",
        "description",
        "title",
        "readOnly",
        "writeOnly",
        "collectionFormat",
        "$comment",
        "$schema",
        "$id",
        "$anchor",
        "default",
    }
)
# Keywords that may reject null whatever the type: a nullable schema without a `type` that
# uses one of them needs null allowed around it.
_REJECT_NULL = frozenset({"allOf", "anyOf", "oneOf", "$ref", "not", "const"})

# A property that must not appear on one side: `not: {}` rejects any value. The
# `title` lets a finding say why (annotations are otherwise dropped).
READ_ONLY: JsonObject = {"not": {}, "title": "readOnly"}
WRITE_ONLY: JsonObject = {"not": {}, "title": "writeOnly"}


class Converter:
    """Converts the schemas of one spec, memoizing referenced schemas per policy."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.is_31 = spec.kind == "openapi31"
        self._keys: dict[tuple[str, tuple[str, ...], Policy], str] = {}
        self._definitions: dict[str, Json] = {}
        self._depends: dict[str, set[str]] = {}
        self._merging: set[tuple[tuple[int, ...], Policy]] = set()

    def bundle(self, node: Node, policy: Policy) -> Json:
        """`node`'s schema as a self-contained JSON Schema for `policy`."""
        deps: set[str] = set()
        schema = self._convert(node.value, node.file, policy, deps, top=True)
        if not deps:
            return schema
        closure: dict[str, Json] = {}
        stack = list(deps)
        while stack:
            key = stack.pop()
            if key in closure:
                continue
            closure[key] = self._definitions[key]
            stack.extend(self._depends[key])
        if isinstance(schema, dict):
            return {**schema, "definitions": closure}
        return {"allOf": [schema], "definitions": closure}

    def _reference(self, ref: str, file: str, policy: Policy, deps: set[str]) -> JsonObject:
        target = self.spec.deref(self.spec.resolve(ref, file))
        key_of = (target.file, target.pointer, policy)
        key = self._keys.get(key_of)
        if key is None:
            key = f"s{len(self._keys)}"
            self._keys[key_of] = key
            own: set[str] = set()
            self._depends[key] = own
            self._definitions[key] = self._convert(target.value, target.file, policy, own, top=True)
        deps.add(key)
        return {"$ref": f"#/definitions/{key}"}

    def _referrer(self, policy: Policy, deps: set[str]) -> Reference:
        return lambda ref, file: self._reference(ref, file, policy, deps)

    def _definition(self, schema: Json, deps: set[str]) -> str:
        """Keep an already converted schema as a definition of its own; its `$ref`."""
        key = f"b{len(self._definitions)}"
        self._definitions[key] = schema
        self._depends[key] = set(deps)
        deps.add(key)
        return f"#/definitions/{key}"

    def _convert(
        self,
        value: Json,
        file: str,
        policy: Policy,
        deps: set[str],
        *,
        top: bool = False,
        exact: bool = False,
    ) -> Json:
        if isinstance(value, bool):
            return value
        if not isinstance(value, dict):
            raise InputError(self.spec.label, f"schema must be an object, found {type(value).__name__}")
        member = policy.in_all_of and top
        inner = replace(policy, in_all_of=False) if policy.in_all_of else policy
        ref = value.get("$ref")
        if isinstance(ref, str):
            target = self._reference(ref, file, policy, deps)
            if self.is_31:
                siblings = {k: v for k, v in value.items() if k != "$ref"}
                if siblings:
                    return {**self._convert(siblings, file, policy, deps, top=top), **target}
            elif _is_nullable(value):
                return or_null(target)
            return target

        if "allOf" in value and not exact and merges_all_of(policy):
            merged = self._merged(value, file, policy, deps, top=top)
            if merged is not None:
                return merged
            # Not one schema: the members are read open, the allOf closed as a whole
            # (`unevaluatedProperties` sees through them), so nothing declared is refused.
            inner = replace(inner, close_objects=False)

        out: JsonObject = {}
        for keyword, sub in value.items():
            if keyword in _DROP or keyword.startswith("x-"):
                continue
            if keyword in _ONE and isinstance(sub, (dict, bool)):
                out[keyword] = self._convert(sub, file, inner, deps)
            elif keyword in _LIST and isinstance(sub, list):
                child = replace(inner, in_all_of=True) if keyword == "allOf" else inner
                out[keyword] = [self._convert(s, file, child, deps, top=True) for s in sub]
            elif keyword in _MAP and isinstance(sub, dict):
                out[keyword] = {name: self._convert(s, file, inner, deps) for name, s in sub.items()}
            elif keyword in _LIST or keyword in _MAP:
                # Passed on, the validator would fail on it with a traceback, not a message.
                expected = "a list" if keyword in _LIST else "an object"
                raise InputError(
                    self.spec.label, f"schema '{keyword}' must be {expected}, found {type(sub).__name__}"
                )
            else:
                out[keyword] = sub

        discriminated = "oneOf" if "oneOf" in out else "anyOf" if "anyOf" in out else None
        if discriminated and has_discriminator(value):
            selector = branch_selector(self.spec, value, discriminated, file, self._referrer(inner, deps))
            if selector is not None:
                # A consumer that need not read every property need not read the tag.
                out["discriminator"] = {**selector, "optional": True} if policy.drop_required else selector
        if policy.direction != "parameter" and isinstance(value.get("properties"), dict):
            self._forbid_by_direction(value["properties"], file, policy, out)
        if not self.is_31:
            _lower_openapi_30(value, out)
        if out.get("type") == "file":  # Swagger 2.0 upload: nothing to check as JSON
            del out["type"]
        apply_policy(out, policy, member)
        if not discriminated and not member and has_discriminator(value):
            # A base schema: its subtypes extend it through `allOf` (where it is a member,
            # so this does not recur), and the tag picks the one to check.
            selector = subtype_selector(self.spec, value, file, self._referrer(inner, deps))
            if selector is not None:
                out = {"$ref": self._definition(out, deps), "discriminator": selector}
        if (
            not self.is_31
            and _is_nullable(value)
            and "type" not in out
            and any(k in out for k in _REJECT_NULL)
        ):
            # `{nullable: true, allOf: [{$ref: ...}]}`, the usual way to make a reference
            # nullable in 3.0: without a `type` to widen, null is allowed around the schema.
            return or_null(out)
        return out

    def _merged(
        self, value: JsonObject, file: str, policy: Policy, deps: set[str], *, top: bool
    ) -> Json | None:
        """`value`'s `allOf` merged into one schema and converted, or None if no exact merge.

        A merge that meets the same parts again while it is being converted is a
        recursive schema coming back: that level is read unmerged (and open).
        """
        merged = merge_all_of(self.spec, value, file)
        if merged is None:
            return None
        if merged.schema is None:
            return self._convert(value, file, replace(policy, in_all_of=False), deps, top=top, exact=True)
        key = (merged.key, policy)
        if key in self._merging:
            return None
        self._merging.add(key)
        try:
            return self._convert(merged.schema, file, policy, deps, top=top)
        finally:
            self._merging.discard(key)

    def _forbid_by_direction(
        self, properties: JsonObject, file: str, policy: Policy, out: JsonObject
    ) -> None:
        """readOnly properties are not sent in requests, writeOnly ones not returned in responses.

        Such a property is not required on that side, and a value for it is reported.
        """
        flag = "readOnly" if policy.direction == "request" else "writeOnly"
        forbidden = []
        for name, sub in properties.items():
            if not isinstance(sub, dict):
                continue
            target = sub
            if isinstance(sub.get("$ref"), str) and flag not in sub:
                target = self.spec.deref(Node(sub, file, ())).value
            if isinstance(target, dict) and target.get(flag) is True:
                forbidden.append(name)
        if not forbidden:
            return
        marker = READ_ONLY if flag == "readOnly" else WRITE_ONLY
        out["properties"] = {**out["properties"], **{name: marker for name in forbidden}}
        if isinstance(out.get("required"), list):
            out["required"] = [n for n in out["required"] if n not in forbidden]


def _is_nullable(schema: JsonObject) -> bool:
    return schema.get("nullable") is True or schema.get("x-nullable") is True


def or_null(schema: JsonObject) -> JsonObject:
    """`schema`, or null. `nullable` marks the wrapper so errors skip it (`validation`)."""
    return {"anyOf": [schema, {"type": "null"}], "nullable": True}


def _lower_openapi_30(source: JsonObject, out: JsonObject) -> None:
    """OpenAPI 3.0 / Swagger 2.0 words that JSON Schema spells differently."""
    if source.get("nullable") is True or source.get("x-nullable") is True:
        # An `enum` keeps rejecting null unless it lists null (OpenAPI 3.0.3 clarification).
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(bound)
        if isinstance(flag, bool):
            if flag and limit in out:
                out[bound] = out.pop(limit)
            else:
                del out[bound]
