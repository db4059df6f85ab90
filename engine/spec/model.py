"""The operations of a spec as plain values, the same for Swagger 2.0 and OpenAPI 3.x.

A reader per dialect (`swagger2.py`, `openapi3.py`) turns a document into these values;
nothing here converts or compiles a schema, so a spec-vs-spec diff can read two specs'
operations without building a validator. The checks the rules run are built from them,
on first use, by `index.py`.

Where the dialects say the same thing differently, the model says it once: a Swagger 2.0
`in: body` parameter and an OpenAPI 3 `requestBody` are both a `Body` by media type;
`consumes`/`produces` and `content` are both `MediaTypes`; `securityDefinitions` and
`components.securitySchemes` both give `Credential`s. What only one dialect has stays as
it is written: Swagger 2.0 `in: formData` parameters, `collectionFormat` arrays.

Every value carries `at`, the `Pointer` of the place that declares it in the entry
document (a place reached through `$ref`s keeps the pointer of the place that referred
to it), and `spec_value`, the spec's own JSON there, which reports show. Neither takes
part in equality: two specs that declare the same API in two dialects give equal models
once pointers are set aside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from msgspec import Struct, field

from .._types import Json, JsonObject, Pointer
from .loading import Node


class _Declared(Struct, frozen=True):
    """A value the spec declares somewhere: where (`at`, `file`, `pointer`) and as what JSON
    (`spec_value`) take no part in its equality or hash."""

    _PLACES: ClassVar[frozenset[str]] = frozenset({"at", "file", "pointer", "spec_value"})

    def _compared(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__struct_fields__ if name not in self._PLACES)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())


class Schema(_Declared, frozen=True):
    """A schema as the spec writes it: neither converted nor compiled."""

    value: Json
    """The schema object (a `$ref` is not followed). For a Swagger 2.0 parameter or
    header, its schema words (`type`, `format`, `items`...) without the others."""
    at: Pointer
    file: str = ""
    """The file it is written in ("" for the entry): its own `$ref`s are relative to it."""
    pointer: tuple[str, ...] = ()
    """Its tokens from the root of `file`."""

    @classmethod
    def of(cls, node: Node, at: Pointer) -> Schema:
        return cls(node.value, at, node.file, node.pointer)

    @property
    def node(self) -> Node:
        return Node(self.value, self.file, self.pointer)


class Parameter(_Declared, frozen=True):
    """A parameter a request carries outside its body, or a header a response carries."""

    name: str
    location: str
    """`path`, `query`, `header`, `cookie`, or Swagger 2.0's `formData`."""
    required: bool
    schema: Schema | None
    style: str | None
    """How the value is written: an OpenAPI 3 `style` (the location's default when none
    is given), or for a Swagger 2.0 array or object its `collectionFormat` (`csv`, `ssv`,
    `tsv`, `pipes`, `multi`). None for a parameter described by `content`."""
    explode: bool | None
    content_type: str | None = None
    """The media type of a parameter described by `content` rather than `schema`."""
    at: Pointer = ()
    spec_value: JsonObject = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """What two declarations of one parameter share: header names ignore case."""
        return (self.location, self.name.lower() if self.location == "header" else self.name)


class MediaTypes(_Declared, frozen=True):
    """Media types declared at one place of the spec (`consumes`, `content`...)."""

    types: tuple[str, ...]
    at: Pointer
    """Where the list is declared; where none is, the place that would declare it."""
    spec_value: Json = None


class Body(_Declared, frozen=True):
    """The schemas a request or response body may have, by media type."""

    content: Mapping[str, Schema | None]
    """Media type -> its schema (None: declared without one)."""
    required: bool = False
    at: Pointer = ()
    spec_value: Json = None


class Response(_Declared, frozen=True):
    key: str
    """The `responses` key: `200`, `2XX` or `default`."""
    media_types: MediaTypes
    body: Body | None
    headers: Mapping[str, Parameter]
    """Lower-cased header name -> header."""
    at: Pointer = ()
    spec_value: JsonObject = field(default_factory=dict)


class Credential(Struct, frozen=True):
    """What one security scheme needs to find in a request."""

    scheme: str
    where: Literal["header", "query", "cookie", "none"]
    name: str
    """Header or query parameter name (lower-case for headers)."""
    prefix: str = ""
    """For HTTP schemes, the scheme word the Authorization header starts with (`basic`, `bearer`)."""


class SecurityRequirement(_Declared, frozen=True):
    """One alternative: all of its credentials must be present."""

    credentials: tuple[Credential, ...]
    at: Pointer = ()
    spec_value: Json = None


class Operation(_Declared, frozen=True):
    """One method on one path."""

    path: str
    """The path as the spec declares it: `/pets/{id}`."""
    method: str
    parameters: tuple[Parameter, ...]
    """Path-item parameters, then the operation's (one that redeclares a path-item
    parameter takes its place)."""
    request_body: Body | None
    consumes: MediaTypes
    produces: MediaTypes
    """Every media type the responses declare."""
    responses: Mapping[str, Response]
    """By `responses` key, in the spec's order."""
    security: tuple[SecurityRequirement, ...]
    """The alternatives, any one of which suffices (empty: no security)."""
    base_path: tuple[str, ...] = ()
    """Path segments every request carries before `path` (Swagger 2.0 `basePath`)."""
    servers: frozenset[tuple[str, ...]] = frozenset()
    """Path prefixes of the OpenAPI 3 `servers` that apply; a request may carry one."""
    at: Pointer = ()
    spec_value: JsonObject = field(default_factory=dict)
