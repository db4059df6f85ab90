"""Swagger 2.0: how its operations are written, read into the dialect-neutral model.

What is Swagger 2.0's own:

- the request body is the one `in: body` parameter of the operation, and holds one schema
  for every media type the operation `consumes` (JSON when it names none);
- `consumes` and `produces` are lists on the operation, else on the document; every
  response's body is one schema for each type the operation `produces`;
- a non-body parameter or a header writes its schema inline, among other words
  (`name`, `in`, `required`, `collectionFormat`...);
- arrays are written by `collectionFormat`, nested arrays by their items' own;
- paths are below `basePath`; security schemes are `securityDefinitions`, and `basic` is
  HTTP Basic; named schemas are `definitions`.
"""

from __future__ import annotations

from typing import ClassVar

from .._types import Json, JsonObject, Pointer
from ..http.styles import default_style
from .loading import Node
from .model import Body, MediaTypes, Parameter, Schema
from .reader import Declaration, Reader, required
from .servers import split_path

SCHEMA_WORDS = frozenset(
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
"""The words of a non-body parameter (or a header) that make up its schema."""

COLLECTION_FORMATS = frozenset({"csv", "ssv", "tsv", "pipes", "multi"})
"""How Swagger 2.0 writes an array's items; `csv` when none (or an unknown one) is named."""


class Swagger2Reader(Reader):
    named_schemas: ClassVar[tuple[str, ...]] = ("definitions",)

    def security_schemes(self) -> Json:
        return self.spec.document.get("securityDefinitions")

    def base_path(self) -> tuple[str, ...]:
        return split_path(str(self.spec.document.get("basePath") or ""))

    def parameter(self, node: Node, at: Pointer, *, location: str, name: str) -> Parameter:
        value: JsonObject = node.value
        schema = Schema({k: v for k, v in value.items() if k in SCHEMA_WORDS}, at, node.file, node.pointer)
        if {"array", "object"} & set(_types(value.get("type"))):
            written = value.get("collectionFormat", "csv")
            style = written if written in COLLECTION_FORMATS else "csv"
            explode = style == "multi"
        else:
            # One plain value, written as OpenAPI 3 writes it by default: the model of a
            # scalar parameter is the same in both dialects.
            style = "form" if location == "formData" else default_style(location)
            explode = style == "form"
        return Parameter(name, location, required(value, location), schema, style, explode, None, at, value)

    def consumes(self, operation: Declaration) -> MediaTypes:
        return self._media(operation, "consumes")

    def produces(self, operation: Declaration) -> MediaTypes:
        return self._media(operation, "produces")

    def _media(self, operation: Declaration, word: str) -> MediaTypes:
        own = operation.value.get(word)
        if isinstance(own, list):
            return MediaTypes(tuple(own), (*operation.at, word), own)
        top = self.spec.document.get(word)
        if isinstance(top, list):
            return MediaTypes(tuple(top), (word,), top)
        return MediaTypes((), operation.at, operation.value)

    def request_body(self, operation: Declaration) -> Body | None:
        spec = self.spec
        for i, raw in enumerate(operation.value.get("parameters") or []):
            node = spec.deref(spec.at(operation.node, "parameters", i))
            if isinstance(node.value, dict) and node.value.get("in") == "body":
                where: Pointer = (*operation.at, "parameters", i)
                schema = (
                    Schema.of(spec.at(node, "schema"), (*where, "schema")) if "schema" in node.value else None
                )
                types = self.consumes(operation).types or ("application/json",)
                return Body({t: schema for t in types}, bool(node.value.get("required")), where, raw)
        return None

    def response_body(
        self, operation: Declaration, response: Node, at: Pointer
    ) -> tuple[MediaTypes, Body | None]:
        media = self.produces(operation)
        if "schema" not in response.value:
            return media, None
        schema = Schema.of(self.spec.at(response, "schema"), (*at, "schema"))
        return media, Body({t: schema for t in (media.types or ("application/json",))}, at=at)


def _types(kind: Json) -> list[str]:
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []
