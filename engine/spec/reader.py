"""What every dialect reads alike; `swagger2.py` and `openapi3.py` say what differs.

A `Reader` turns one part of one operation into `model` values when asked: the index
asks part by part, on the first interaction that needs it (a spec with a thousand
operations costs only what the pacts use), and `operations.read_operations` asks for
everything. Path items, parameter lists (an operation's parameter replaces the path
item's of the same name), responses with their headers, and security requirements are
written alike in both dialects and read here; where the schemas, bodies, media types and
security schemes are written is each dialect's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from msgspec import Struct

from .._types import Json, JsonObject, Pointer
from ..errors import InputError
from ..locations import spec_location
from .loading import Node, Spec
from .model import Body, Credential, MediaTypes, Operation, Parameter, Response, SecurityRequirement

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Declaration(Struct, frozen=True):
    """Where one operation is written: its path item and its operation object, `$ref`s followed."""

    path_name: str
    method: str
    item: Node
    node: Node

    @property
    def at(self) -> Pointer:
        return ("paths", self.path_name, self.method)

    @property
    def value(self) -> JsonObject:
        value: JsonObject = self.node.value
        return value


class Reader(ABC):
    """Reads the operations of one spec into `model` values."""

    named_schemas: ClassVar[tuple[str, ...]]
    """Where the document keeps its named schemas (what a discriminator's bare names name)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        schemes = self.security_schemes()
        self.schemes: JsonObject = schemes if isinstance(schemes, dict) else {}

    # --- what each dialect writes its own way --------------------------------------------------

    @abstractmethod
    def security_schemes(self) -> Json:
        """The document's security schemes by name, as written."""

    def base_path(self) -> tuple[str, ...]:
        """Path segments every operation's path is prefixed with."""
        return ()

    def servers(self, item: JsonObject, method: str) -> frozenset[tuple[str, ...]]:
        """Path prefixes a request to `method` of the path item `item` may carry."""
        return frozenset()

    @abstractmethod
    def parameter(self, node: Node, at: Pointer, *, location: str, name: str) -> Parameter:
        """A parameter or header object (`$ref`s followed) declared at `at`."""

    @abstractmethod
    def consumes(self, operation: Declaration) -> MediaTypes: ...

    @abstractmethod
    def produces(self, operation: Declaration) -> MediaTypes: ...

    @abstractmethod
    def request_body(self, operation: Declaration) -> Body | None: ...

    @abstractmethod
    def response_body(
        self, operation: Declaration, response: Node, at: Pointer
    ) -> tuple[MediaTypes, Body | None]:
        """The media types and body of the response object `response`, declared at `at`."""

    # --- what both write alike -----------------------------------------------------------------

    def path_items(self) -> Iterator[tuple[str, JsonObject]]:
        """Each path and its path item (a `$ref` followed)."""
        for path_name, item in (self.spec.document.get("paths") or {}).items():
            if not isinstance(item, dict):
                raise InputError(self.spec.label, f"{spec_location(('paths', path_name))} is not a path item")
            if "$ref" in item:
                item = self.spec.deref(Node(item, "", ("paths", path_name))).value
            yield str(path_name), item

    def declaration(self, path_name: str, method: str) -> Declaration:
        spec = self.spec
        item = spec.deref(spec.at(spec.root(), "paths", path_name))
        return Declaration(path_name, method, item, spec.deref(spec.at(item, method)))

    def parameters(self, operation: Declaration) -> tuple[Parameter, ...]:
        """Path-item parameters, then the operation's; the body is not one (see `request_body`)."""
        spec = self.spec
        found: dict[tuple[str, str], Parameter] = {}
        owners: tuple[tuple[Node, Pointer], ...] = (
            (operation.item, ("paths", operation.path_name)),
            (operation.node, operation.at),
        )
        for owner, tokens in owners:
            params = owner.value.get("parameters")
            if not isinstance(params, list):
                continue
            for i, _ in enumerate(params):
                node = spec.deref(spec.at(owner, "parameters", i))
                param = node.value
                if not isinstance(param, dict) or "in" not in param or "name" not in param:
                    raise InputError(
                        spec.label, f"{spec_location((*tokens, 'parameters', i))} is not a parameter object"
                    )
                where, name = str(param["in"]), str(param["name"])
                if where == "body":
                    continue
                parameter = self.parameter(node, (*tokens, "parameters", i), location=where, name=name)
                found[parameter.key] = parameter
        return tuple(found.values())

    def response_keys(self, operation: Declaration) -> tuple[str, ...]:
        responses = operation.value.get("responses")
        return tuple(str(key) for key in responses) if isinstance(responses, dict) else ()

    def response(self, operation: Declaration, key: str) -> Response:
        """The response declared under `key` of the operation's `responses`."""
        spec = self.spec
        where: Pointer = (*operation.at, "responses", key)
        node = spec.deref(spec.at(operation.node, "responses", key))
        if not isinstance(node.value, dict):
            raise InputError(spec.label, f"{spec_location(where)} is not a response object")
        media, body = self.response_body(operation, node, where)
        headers: dict[str, Parameter] = {}
        raw_headers = node.value.get("headers")
        if isinstance(raw_headers, dict):
            for name in raw_headers:
                header = spec.deref(spec.at(node, "headers", name))
                headers[str(name).lower()] = self.parameter(
                    header, (*where, "headers", str(name)), location="header", name=str(name)
                )
        return Response(key, media, body, headers, where, node.value)

    def check_security(self, at: Pointer, operation: Json) -> None:
        """Every scheme the operation (written at `at`) may require must be defined."""
        requirements = operation.get("security") if isinstance(operation, dict) else None
        if requirements is None:
            requirements = self.spec.document.get("security")
        for requirement in requirements or []:
            for name in requirement or {}:
                if name not in self.schemes:
                    raise InputError(
                        self.spec.label,
                        f"{spec_location(at)} requires security scheme {name!r}, which is not defined",
                    )

    def security(self, operation: Declaration) -> tuple[SecurityRequirement, ...]:
        """The operation's own requirements, else the document's."""
        self.check_security(operation.at, operation.value)
        own = operation.value.get("security")
        if own is not None:
            requirements, where = own, (*operation.at, "security")
        else:
            requirements, where = self.spec.document.get("security") or [], ("security",)
        return tuple(
            SecurityRequirement(
                tuple(self.credential(name) for name in requirement or {}), (*where, i), requirement
            )
            for i, requirement in enumerate(requirements)
        )

    def credential(self, name: str) -> Credential:
        """What the security scheme `name` needs to find in a request.

        `basic` is Swagger 2.0's, `http` OpenAPI 3's; each dialect only ever has its own.
        OAuth2 and OpenID Connect tokens cannot be judged from a pact (`none`).
        """
        scheme = self.spec.deref(Node(self.schemes[name], "", ())).value
        kind = scheme.get("type")
        if kind == "apiKey":
            where = scheme.get("in")
            key = str(scheme.get("name", ""))
            if where == "header":
                return Credential(name, "header", key.lower())
            if where == "query":
                return Credential(name, "query", key)
            return Credential(name, "cookie", key)
        if kind == "basic":
            return Credential(name, "header", "authorization", "basic")
        if kind == "http":
            return Credential(name, "header", "authorization", str(scheme.get("scheme", "")).lower())
        return Credential(name, "none", "")

    def operation(self, operation: Declaration) -> Operation:
        """Everything the spec declares for one operation."""
        return Operation(
            operation.path_name,
            operation.method,
            self.parameters(operation),
            self.request_body(operation),
            self.consumes(operation),
            self.produces(operation),
            {key: self.response(operation, key) for key in self.response_keys(operation)},
            self.security(operation),
            self.base_path(),
            self.servers(operation.item.value, operation.method),
            operation.at,
            operation.value,
        )


def required(value: JsonObject, location: str) -> bool:
    """Whether a parameter must be sent: a path parameter always is."""
    return bool(value.get("required")) or location == "path"
