"""OpenAPI 3.0 and 3.1: how their operations are written, read into the dialect-neutral model.

What is OpenAPI 3's own:

- the request body is `requestBody`, with a schema per media type of its `content`; what
  an operation consumes is that `content`'s media types, what it produces every media
  type its responses' `content` declares;
- a parameter or a header has a `schema` (or, instead, a `content` with one media type)
  and is written by `style` and `explode`, whose defaults depend on where it is sent;
- `servers` (on the operation, the path item or the document) give path prefixes;
  security schemes are `components.securitySchemes`, where `http` names the HTTP
  Authorization scheme; named schemas are `components.schemas`.

3.0 and 3.1 write operations alike; they differ in their schemas (`schema/dialect.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import ClassVar

from .._types import Json, JsonObject, Pointer
from ..http.styles import default_style
from .loading import Node
from .model import Body, MediaTypes, Parameter, Schema
from .reader import Declaration, Reader, required
from .servers import server_prefixes


class OpenAPI3Reader(Reader):
    named_schemas: ClassVar[tuple[str, ...]] = ("components", "schemas")

    def security_schemes(self) -> Json:
        return (self.spec.document.get("components") or {}).get("securitySchemes")

    def servers(self, item: JsonObject, method: str) -> frozenset[tuple[str, ...]]:
        operation = item[method]
        if _declares_servers(operation) or _declares_servers(item):
            return server_prefixes(operation, item, self.spec.document)
        return self._document_servers

    @cached_property
    def _document_servers(self) -> frozenset[tuple[str, ...]]:
        """The prefixes of the document's `servers`: most operations declare none of their
        own, and GitHub's 1,223 would otherwise parse the same URL 1,223 times."""
        return server_prefixes(None, {}, self.spec.document)

    def parameter(self, node: Node, at: Pointer, *, location: str, name: str) -> Parameter:
        value: JsonObject = node.value
        schema = self._parameter_schema(node, at)
        must = required(value, location)
        if "schema" not in value and isinstance(value.get("content"), dict):
            media = next(iter(value["content"]), "")
            return Parameter(name, location, must, schema, None, None, media, at, value)
        style = str(value.get("style") or default_style(location))
        explode = bool(value.get("explode", style == "form"))
        return Parameter(name, location, must, schema, style, explode, None, at, value)

    def _parameter_schema(self, node: Node, at: Pointer) -> Schema | None:
        """The `schema`, else the schema of the first media type of `content`, else none."""
        value = node.value
        if isinstance(value.get("schema"), (dict, bool)):
            return Schema.of(self.spec.at(node, "schema"), (*at, "schema"))
        content = value.get("content")
        if isinstance(content, dict) and content:
            media = next(iter(content))
            if isinstance(content[media], dict) and "schema" in content[media]:
                return Schema.of(
                    self.spec.at(node, "content", media, "schema"), (*at, "content", media, "schema")
                )
        return None

    def _request_body_node(self, operation: Declaration) -> Node | None:
        if "requestBody" not in operation.value:
            return None
        return self.spec.deref(self.spec.at(operation.node, "requestBody"))

    def consumes(self, operation: Declaration) -> MediaTypes:
        body = self._request_body_node(operation)
        if body is None or not isinstance(body.value.get("content"), dict):
            return MediaTypes((), operation.at, operation.value)
        content = body.value["content"]
        return MediaTypes(tuple(content), (*operation.at, "requestBody", "content"), list(content))

    def produces(self, operation: Declaration) -> MediaTypes:
        types: list[str] = []
        for response in self._responses(operation):
            content = response.value.get("content")
            if isinstance(content, dict):
                types.extend(t for t in content if t not in types)
        return MediaTypes(tuple(types), operation.at, operation.value)

    def _responses(self, operation: Declaration) -> Iterator[Node]:
        responses = operation.value.get("responses")
        if not isinstance(responses, dict):
            return
        container = self.spec.at(operation.node, "responses")
        for key in responses:
            yield self.spec.deref(self.spec.at(container, key))

    def request_body(self, operation: Declaration) -> Body | None:
        body = self._request_body_node(operation)
        if body is None:
            return None
        return Body(
            self._content(body, (*operation.at, "requestBody", "content")),
            bool(body.value.get("required")),
            (*operation.at, "requestBody"),
            body.value,
        )

    def response_body(
        self, operation: Declaration, response: Node, at: Pointer
    ) -> tuple[MediaTypes, Body | None]:
        content = response.value.get("content")
        types = tuple(content) if isinstance(content, dict) else ()
        # Declaring no media type is a fact about the response, and is reported there.
        media = MediaTypes(types, (*at, "content") if types else at, list(types))
        return media, Body(self._content(response, (*at, "content")), at=at) if types else None

    def _content(self, owner: Node, base: Pointer) -> dict[str, Schema | None]:
        content = owner.value.get("content")
        if not isinstance(content, dict):
            return {}
        found: dict[str, Schema | None] = {}
        for media_type, media in content.items():
            if isinstance(media, dict) and "schema" in media:
                node = self.spec.at(owner, "content", media_type, "schema")
                found[media_type] = Schema.of(node, (*base, media_type, "schema"))
            else:
                found[media_type] = None
        return found


def _declares_servers(owner: Json) -> bool:
    """Whether an operation or path item has servers of its own (`servers.server_prefixes`
    reads the first level that does)."""
    servers = owner.get("servers") if isinstance(owner, dict) else None
    return isinstance(servers, list) and bool(servers)
