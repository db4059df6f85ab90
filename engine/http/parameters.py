"""Parameters (path, query, header, cookie) and response headers: schema and coercion.

Pacts carry parameter values as text. Before validation a value is turned into what
its schema expects, as an HTTP server would: `"12"` becomes a number for `type:
integer`, `"true"` a boolean, and arrays and objects are read by their serialization
(Swagger 2 `collectionFormat`; OpenAPI 3 `style`/`explode`, see `styles.py`). A JSON
`content` parameter is parsed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import orjson
from msgspec import Struct, field

from .._types import Json, JsonObject, Pointer
from ..schema.dialect import Converter, Policy
from ..schema.validation import FastChecks, SchemaError, Validator
from ..spec.loading import Node, Spec
from ..spec.model import Parameter
from ..spec.swagger2 import COLLECTION_FORMATS
from .styles import (
    Deep,
    Parts,
    Serialization,
    StyleError,
    split_path_value,
    split_query_value,
    split_simple,
)

_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_SEPARATORS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}
"""Swagger 2.0 `collectionFormat` -> the separator of an array's items (`multi` repeats the name)."""


class ParameterSpec(Struct, frozen=True):
    """A parameter (or response header) the spec declares, ready to check values."""

    name: str
    location: str
    """`path`, `query`, `header`, `cookie`, `formData`."""
    required: bool
    at: Pointer
    """Where the spec declares it."""
    spec_value: Json
    coerce: Callable[[Sequence[str]], Json]
    """Raw values to what the schema validates; raises `StyleError` on a wrong serialization."""
    validator: Validator | None = field(default=None)
    serialization: Serialization | None = None
    """OpenAPI 3 `style`/`explode` (None for Swagger 2.0 and `content` parameters)."""
    properties: frozenset[str] | None = None
    """Declared property names of an object parameter (None: not an object)."""
    type_properties: Callable[[Deep], Json] = field(default=dict)

    @property
    def spread(self) -> bool:
        """An object sent as several query names (exploded `form`, or `deepObject`)."""
        how = self.serialization
        return (
            self.location in ("query", "cookie")
            and how is not None
            and self.properties is not None
            and (how.style == "deepObject" or (how.style == "form" and how.explode))
        )

    def check(self, values: Sequence[str]) -> list[SchemaError]:
        """Errors of the given raw values against the parameter's schema."""
        if self.validator is None:
            return []
        try:
            value = self.coerce(values)
        except StyleError as error:
            return [_style_error(error)]
        return self.validator.errors(value)

    def check_properties(self, properties: Deep) -> list[SchemaError]:
        """Errors of an object parameter whose properties were sent one by one."""
        if self.validator is None:
            return []
        return self.validator.errors(self.type_properties(properties))


def _style_error(error: StyleError) -> SchemaError:
    return SchemaError((), ("style",), "style", str(error), None)


def build_parameter(
    spec: Spec, converter: Converter, parameter: Parameter, checks: FastChecks | None
) -> ParameterSpec:
    """The checks of a parameter (or header) the spec's model declares; its validator is built
    here, getting compiled checks from `checks` (None: jsonschema decides every value)."""
    name, location, required, at = parameter.name, parameter.location, parameter.required, parameter.at
    value = parameter.spec_value
    schema_node = parameter.schema.node if parameter.schema is not None else None
    validator = None
    schema: Json = {}
    if schema_node is not None:
        schema = converter.bundle(schema_node, Policy("parameter"))
        validator = Validator(schema, draft2020=spec.kind == "openapi31", checks=checks)
    resolved_schema, file = _resolved(spec, schema_node)
    if parameter.style in COLLECTION_FORMATS:
        coerce = _collection_coercer(spec, parameter.style, resolved_schema, file)
        return ParameterSpec(name, location, required, at, value, coerce, validator)
    if parameter.style is None:  # described by `content`
        coerce = _content_coercer(parameter.content_type or "", resolved_schema)
        return ParameterSpec(name, location, required, at, value, coerce, validator)
    how = Serialization(name, parameter.style, bool(parameter.explode))
    shape = _shape(resolved_schema)
    typed = _typer(spec, resolved_schema, file, shape)
    properties = resolved_schema.get("properties") if shape == "object" else None
    return ParameterSpec(
        name,
        location,
        required,
        at,
        value,
        _style_coercer(how, shape, location, typed),
        validator,
        how,
        frozenset(properties if isinstance(properties, dict) else ()) if shape == "object" else None,
        typed,
    )


def _resolved(spec: Spec, node: Node | None) -> tuple[JsonObject, str]:
    """The schema at `node`, `$ref`s followed, and the file it is written in.

    The file matters for the `$ref`s inside it, which are relative to that file. An empty
    schema when there is none.
    """
    if node is None:
        return {}, ""
    target = spec.deref(node)
    return (target.value if isinstance(target.value, dict) else {}), target.file


def _sub(spec: Spec, value: Json, file: str) -> tuple[JsonObject, str]:
    """A subschema written in `file`, as `_resolved` reads it."""
    return _resolved(spec, Node(value, file, ()) if isinstance(value, dict) else None)


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


def _shape(schema: JsonObject) -> str:
    types = _types_of(schema)
    if "array" in types:
        return "array"
    if "object" in types or (not types and isinstance(schema.get("properties"), dict)):
        return "object"
    return "scalar"


def _typer(
    spec: Spec, schema: JsonObject, file: str, shape: str, depth: int = 0
) -> Callable[[Parts | Deep], Json]:
    """How the text parts of a value become the JSON values its schema (in `file`) describes.

    A nested object (`deepObject`'s `p[a][n]=abc`) is typed by its property's own schema.
    """
    types = _types_of(schema)
    item_types = _types_of(_sub(spec, schema.get("items"), file)[0]) if shape == "array" else []
    declared = schema.get("properties") if shape == "object" else None
    property_types = (
        {key: _types_of(_sub(spec, sub, file)[0]) for key, sub in declared.items()}
        if isinstance(declared, dict)
        else {}
    )
    extra = _types_of(_sub(spec, schema.get("additionalProperties"), file)[0])
    nested: dict[str, Callable[[Parts | Deep], Json]] = {}
    if isinstance(declared, dict) and depth < _NESTING:
        for key, sub in declared.items():
            inner, inner_file = _sub(spec, sub, file)
            if _shape(inner) == "object":
                nested[key] = _typer(spec, inner, inner_file, "object", depth + 1)

    def typed(parts: Parts | Deep) -> Json:
        if isinstance(parts, str):
            return coerce_scalar(parts, types)
        if isinstance(parts, list):
            return [coerce_scalar(item, item_types) for item in parts]
        return {key: _typed_property(key, value) for key, value in parts.items()}

    def _typed_property(key: str, value: str | Deep) -> Json:
        if isinstance(value, str):
            return coerce_scalar(value, property_types.get(key, extra))
        sub = nested.get(key)
        return sub(value) if sub is not None else _untyped(value)

    return typed


_NESTING = 8
"""How deep nested `deepObject` properties are typed by their schema (a recursive schema
would otherwise never end); deeper ones stay text."""


def _untyped(value: str | Deep) -> Json:
    return value if isinstance(value, str) else {k: _untyped(v) for k, v in value.items()}


def _style_coercer(
    how: Serialization, shape: str, location: str, typed: Callable[[Parts], Json]
) -> Callable[[Sequence[str]], Json]:
    if shape == "scalar" and how.style not in ("label", "matrix"):
        # Most parameters: one plain value (routing checks every candidate path's parameters).

        def scalar(values: Sequence[str]) -> Json:
            return typed(values[-1] if values else "")

        return scalar

    def coerce(values: Sequence[str]) -> Json:
        if location == "path":
            return typed(split_path_value(values[-1] if values else "", how, shape))
        if location == "header":
            return typed(split_simple(values[-1] if values else "", how, shape))
        return typed(split_query_value(values, how, shape))

    return coerce


def _content_coercer(media_type: str, schema: JsonObject) -> Callable[[Sequence[str]], Json]:
    """A `content` parameter is one value in its media type (JSON is parsed)."""
    types = _types_of(schema)
    is_json = media_type.split(";", 1)[0].strip().lower().endswith(("/json", "+json"))

    def coerce(values: Sequence[str]) -> Json:
        text = values[-1] if values else ""
        if is_json:
            try:
                parsed: Json = orjson.loads(text)
            except orjson.JSONDecodeError:
                return text
            return parsed
        return coerce_scalar(text, types)

    return coerce


def _collection_coercer(
    spec: Spec, collection_format: str, schema: JsonObject, file: str
) -> Callable[[Sequence[str]], Json]:
    """Swagger 2.0: an array split by its `collectionFormat`; anything else is one plain value."""
    types = _types_of(schema)
    if "array" not in types:

        def scalar(values: Sequence[str]) -> Json:
            return coerce_scalar(values[-1] if values else "", types)

        return scalar

    separator = None if collection_format == "multi" else _SEPARATORS[collection_format]
    split_item = _item_splitter(spec, schema, file)

    def array(values: Sequence[str]) -> Json:
        if separator is None:
            return [split_item(value) for value in values]
        if len(values) > 1:
            # Repeated keys are not the declared serialization: the server sees one value.
            return "&".join(values)
        return [split_item(part) for part in values[0].split(separator)] if values else []

    return array


def _item_splitter(spec: Spec, schema: JsonObject, file: str) -> Callable[[str], Json]:
    """How one element of a Swagger 2.0 array parameter is read (its items may be arrays too)."""
    item, item_file = _sub(spec, schema.get("items"), file)
    types = _types_of(item)
    if "array" in types:
        separator = _SEPARATORS.get(item.get("collectionFormat", "csv"), ",")
        inner = _item_splitter(spec, item, item_file)
        return lambda text: [inner(part) for part in text.split(separator)]
    return lambda text: coerce_scalar(text, types)
