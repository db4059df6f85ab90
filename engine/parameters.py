"""Parameters (path, query, header, cookie) and response headers: schema and coercion.

Pacts carry parameter values as text. Before validation a value is turned into what
its schema expects, as an HTTP server would: `"12"` becomes a number for `type:
integer`, `"true"` a boolean, and arrays are split by their serialization (Swagger 2
`collectionFormat`, OpenAPI 3 `style`/`explode`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ._types import Json, JsonObject
from .dialect import Converter, Policy
from .loading import Node, Spec
from .validation import SchemaError, Validator

_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_SEPARATORS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}
_STYLE_SEPARATORS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}

# Swagger 2.0 non-body parameters carry their schema inline, mixed with other words.
_SWAGGER2_SCHEMA_WORDS = frozenset(
    {
        "type",
        "format",
        "items",
        "enum",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
        "x-nullable",
    }
)


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """A parameter (or response header) the spec declares, ready to check values."""

    name: str
    location: str
    """`path`, `query`, `header`, `cookie`, `formData`."""
    required: bool
    spec_location: str
    spec_value: Json
    coerce: Callable[[Sequence[str]], Json]
    validator: Validator | None = field(default=None)

    def check(self, values: Sequence[str]) -> list[SchemaError]:
        """Errors of the given raw values against the parameter's schema."""
        if self.validator is None:
            return []
        return self.validator.errors(self.coerce(values))


def parameter_schema(spec: Spec, node: Node) -> Node | None:
    """The schema of a parameter or header object, or None when it has none."""
    value = node.value
    if spec.kind == "swagger2":
        return Node({k: v for k, v in value.items() if k in _SWAGGER2_SCHEMA_WORDS}, node.file, node.pointer)
    if isinstance(value.get("schema"), (dict, bool)):
        return spec.at(node, "schema")
    content = value.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content))
        if isinstance(content[media], dict) and "schema" in content[media]:
            return spec.at(node, "content", media, "schema")
    return None


def build_parameter(
    spec: Spec, converter: Converter, node: Node, spec_location: str, *, location: str, name: str
) -> ParameterSpec:
    value: JsonObject = node.value
    schema_node = parameter_schema(spec, node)
    validator = None
    schema: Json = {}
    if schema_node is not None:
        schema = converter.bundle(schema_node, Policy("parameter"))
        validator = Validator(schema, draft2020=spec.kind == "openapi31")
    resolved_schema = _resolved(spec, schema_node)
    return ParameterSpec(
        name=name,
        location=location,
        required=bool(value.get("required")) or location == "path",
        spec_location=spec_location,
        spec_value=value,
        coerce=_coercer(spec, value, resolved_schema, location),
        validator=validator,
    )


def _resolved(spec: Spec, node: Node | None) -> JsonObject:
    if node is None:
        return {}
    target = spec.deref(node).value
    return target if isinstance(target, dict) else {}


def _types_of(schema: JsonObject) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    return []


def coerce_scalar(text: str, types: Sequence[str]) -> Json:
    """Text to the first JSON type of `types` it can be read as (ajv's `coerceTypes`)."""
    for kind in types:
        if kind in ("number", "integer") and _NUMBER.match(text):
            number = float(text)
            if math.isfinite(number):
                return (
                    int(number)
                    if number.is_integer() and "e" not in text.lower() and "." not in text
                    else number
                )
        elif kind == "boolean" and text in ("true", "false"):
            return text == "true"
        elif kind == "null" and text == "":
            return None
        elif kind == "string":
            return text
    return text


def _coercer(
    spec: Spec, param: JsonObject, schema: JsonObject, location: str
) -> Callable[[Sequence[str]], Json]:
    types = _types_of(schema)
    if "array" not in types:

        def scalar(values: Sequence[str]) -> Json:
            return coerce_scalar(values[-1] if values else "", types)

        return scalar

    separator: str | None
    if spec.kind == "swagger2":
        fmt = param.get("collectionFormat", "csv")
        separator = None if fmt == "multi" else _SEPARATORS.get(fmt, ",")
    else:
        style = param.get("style", "form" if location in ("query", "cookie") else "simple")
        explode = param.get("explode", style == "form")
        separator = None if explode and style == "form" else _STYLE_SEPARATORS.get(style, ",")
    split_item = _item_splitter(spec, schema)

    def array(values: Sequence[str]) -> Json:
        if separator is None:
            return [split_item(value) for value in values]
        if len(values) > 1:
            # Repeated keys are not the declared serialization: the server sees one value.
            return "&".join(values)
        return [split_item(part) for part in values[0].split(separator)] if values else []

    return array


def _item_splitter(spec: Spec, schema: JsonObject) -> Callable[[str], Json]:
    """How one element of an array parameter is read (Swagger 2 arrays may nest)."""
    items = schema.get("items")
    item: JsonObject = spec.deref(Node(items, "", ())).value if isinstance(items, dict) else {}
    if not isinstance(item, dict):
        item = {}
    types = _types_of(item)
    if "array" in types and spec.kind == "swagger2":
        separator = _SEPARATORS.get(item.get("collectionFormat", "csv"), ",")
        inner = _item_splitter(spec, item)
        return lambda text: [inner(part) for part in text.split(separator)]
    return lambda text: coerce_scalar(text, types)
