"""The operations of a spec, indexed for routing, with their validators built once.

`OperationIndex` is built once per spec: a table of literal paths and a list of path
templates per method. Routing an interaction is a dictionary look-up for literal paths
and a scan of same-length templates otherwise. The details of an operation (parameters,
bodies, responses, security) and their schema validators are built the first time an
interaction reaches it, then reused: a spec with a thousand operations costs only the
operations the pacts use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal
from urllib.parse import unquote, urlsplit

from .._types import Json, JsonObject, Pointer
from ..errors import InputError
from ..http.parameters import ParameterSpec, build_parameter
from ..locations import spec_location
from ..schema.dialect import Converter, Policy, request_policy, response_policy
from ..schema.validation import Validator
from .loading import Node, Spec

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Options:
    """How strictly responses are read (the reference engine's two switches)."""

    additional_properties_in_response: bool = False
    """Allow response properties the spec does not declare."""
    required_properties_in_response: bool = False
    """Demand that responses carry every property the spec marks required."""


@dataclass(frozen=True, slots=True)
class MediaTypes:
    """Media types declared at one place of the spec (`consumes`, `content`...)."""

    types: tuple[str, ...]
    at: Pointer
    spec_value: Json


class SchemaCheck:
    """A body schema, converted and compiled on first use."""

    __slots__ = ("_converter", "_node", "_policy", "_validator", "at", "draft2020")

    def __init__(self, converter: Converter, node: Node, policy: Policy, at: Pointer) -> None:
        self._converter = converter
        self._node = node
        self._policy = policy
        self._validator: Validator | None = None
        self.at = at
        self.draft2020 = converter.is_31

    @property
    def declared_type(self) -> Json:
        """The schema's own `type`, if it declares one (for messages about absent values)."""
        target = self._converter.spec.deref(self._node).value
        return target.get("type") if isinstance(target, dict) else None

    @property
    def validator(self) -> Validator:
        if self._validator is None:
            self._validator = Validator(
                self._converter.bundle(self._node, self._policy), draft2020=self.draft2020
            )
        return self._validator


@dataclass(frozen=True, slots=True)
class Body:
    """The schemas a request or response body may have, by media type."""

    by_media_type: dict[str, SchemaCheck | None]
    """Media type -> schema check (None: declared without a schema)."""
    required: bool = False
    at: Pointer = ()
    spec_value: Json = None


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    key: str
    """The `responses` key that matched: `200`, `2XX` or `default`."""
    at: Pointer
    spec_value: JsonObject
    media_types: MediaTypes
    body: Body | None
    headers: dict[str, ParameterSpec]
    """Lower-cased header name -> header."""


@dataclass(frozen=True, slots=True)
class Credential:
    """What one security scheme needs to find in a request."""

    scheme: str
    where: Literal["header", "query", "cookie", "none"]
    name: str
    """Header or query parameter name (lower-case for headers)."""
    prefix: str = ""
    """For HTTP schemes, the scheme word the Authorization header starts with (`basic`, `bearer`)."""


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """One alternative: all of its credentials must be present."""

    credentials: tuple[Credential, ...]
    at: Pointer
    spec_value: Json


class Operation:
    """One method on one path, with lazily built checks."""

    def __init__(
        self,
        index: OperationIndex,
        path_name: str,
        method: str,
        segments: tuple[str, ...],
        server_prefixes: frozenset[tuple[str, ...]] = frozenset(),
    ) -> None:
        self.index = index
        self.spec = index.spec
        self.path_name = path_name
        self.method = method
        self.segments = segments
        self.server_prefixes = server_prefixes
        """Path prefixes of the OpenAPI 3 `servers` that apply (a pact may carry one)."""
        self.templated = sum(1 for s in segments if _is_template(s))
        self.at: Pointer = ("paths", path_name, method)
        self._responses_by_status: dict[int, ResponseSpec | None] = {}
        self._responses_by_key: dict[str, ResponseSpec] = {}

    def __repr__(self) -> str:
        return f"Operation({self.method.upper()} {self.path_name})"

    @cached_property
    def item(self) -> Node:
        """The path item that holds the operation."""
        return self.spec.deref(self.spec.at(self.spec.root(), "paths", self.path_name))

    @cached_property
    def node(self) -> Node:
        return self.spec.deref(self.spec.at(self.item, self.method))

    @property
    def value(self) -> JsonObject:
        value: JsonObject = self.node.value
        return value

    @cached_property
    def parameters(self) -> dict[tuple[str, str], ParameterSpec]:
        """(in, name) -> parameter; operation parameters override path-item ones."""
        found: dict[tuple[str, str], ParameterSpec] = {}
        owners: tuple[tuple[Node, Pointer], ...] = (
            (self.item, ("paths", self.path_name)),
            (self.node, self.at),
        )
        for owner, tokens in owners:
            params = owner.value.get("parameters")
            if not isinstance(params, list):
                continue
            for i, _ in enumerate(params):
                node = self.spec.deref(self.spec.at(owner, "parameters", i))
                param = node.value
                if not isinstance(param, dict) or "in" not in param or "name" not in param:
                    raise InputError(
                        self.spec.label,
                        f"{spec_location((*tokens, 'parameters', i))} is not a parameter object",
                    )
                where, name = str(param["in"]), str(param["name"])
                if where == "body":
                    continue
                key = (where, name.lower() if where == "header" else name)
                found[key] = build_parameter(
                    self.spec,
                    self.index.converter,
                    node,
                    (*tokens, "parameters", i),
                    location=where,
                    name=name,
                )
        return found

    def parameters_in(self, where: str) -> dict[str, ParameterSpec]:
        return {name: p for (w, name), p in self.parameters.items() if w == where}

    @cached_property
    def path_parameters(self) -> dict[str, ParameterSpec]:
        return self.parameters_in("path")

    @cached_property
    def query_parameters(self) -> dict[str, ParameterSpec]:
        return self.parameters_in("query")

    @cached_property
    def spread_query_parameters(self) -> dict[str, ParameterSpec]:
        """Query objects sent as several names (exploded `form`, `deepObject`)."""
        return {name: p for name, p in self.query_parameters.items() if p.spread}

    @cached_property
    def header_parameters(self) -> dict[str, ParameterSpec]:
        return self.parameters_in("header")

    @cached_property
    def cookie_parameters(self) -> dict[str, ParameterSpec]:
        return self.parameters_in("cookie")

    @cached_property
    def form_parameters(self) -> dict[str, ParameterSpec]:
        """Swagger 2.0 `in: formData` fields of a form or multipart request body."""
        return self.parameters_in("formData")

    def matches_path(self, segments: Sequence[str]) -> bool:
        """Whether the concrete `segments` fit this operation's template and parameters."""
        for template, actual in zip(self.segments, segments, strict=True):
            if not _is_template(template):
                if template != actual:
                    return False
                continue
            param = self.path_parameters.get(template[1:-1])
            if param is not None and param.check([unquote(actual)]):
                return False
        return True

    # --- media types -------------------------------------------------------------------------

    @cached_property
    def consumes(self) -> MediaTypes:
        if self.spec.kind == "swagger2":
            return self._swagger2_media("consumes")
        body = self.request_body_node
        if body is None or not isinstance(body.value.get("content"), dict):
            return MediaTypes((), self.at, self.node.value)
        content = body.value["content"]
        return MediaTypes(tuple(content), (*self.at, "requestBody", "content"), list(content))

    @cached_property
    def produces(self) -> MediaTypes:
        if self.spec.kind == "swagger2":
            return self._swagger2_media("produces")
        types: list[str] = []
        for _, response in self._responses():
            content = response.value.get("content")
            if isinstance(content, dict):
                types.extend(t for t in content if t not in types)
        return MediaTypes(tuple(types), self.at, self.node.value)

    def _swagger2_media(self, word: str) -> MediaTypes:
        own = self.node.value.get(word)
        if isinstance(own, list):
            return MediaTypes(tuple(own), (*self.at, word), own)
        top = self.spec.document.get(word)
        if isinstance(top, list):
            return MediaTypes(tuple(top), (word,), top)
        return MediaTypes((), self.at, self.node.value)

    # --- request body ------------------------------------------------------------------------

    @cached_property
    def request_body_node(self) -> Node | None:
        """OpenAPI 3: the requestBody object."""
        if "requestBody" not in self.node.value:
            return None
        return self.spec.deref(self.spec.at(self.node, "requestBody"))

    @cached_property
    def request_body(self) -> Body | None:
        converter = self.index.converter
        if self.spec.kind == "swagger2":
            for i, raw in enumerate(self.node.value.get("parameters") or []):
                node = self.spec.deref(self.spec.at(self.node, "parameters", i))
                if isinstance(node.value, dict) and node.value.get("in") == "body":
                    where: Pointer = (*self.at, "parameters", i)
                    check = None
                    if "schema" in node.value:
                        check = SchemaCheck(
                            converter, self.spec.at(node, "schema"), request_policy(), (*where, "schema")
                        )
                    types = self.consumes.types or ("application/json",)
                    return Body({t: check for t in types}, bool(node.value.get("required")), where, raw)
            return None
        body = self.request_body_node
        if body is None:
            return None
        base: Pointer = (*self.at, "requestBody", "content")
        return Body(
            _content_checks(self.spec, converter, body, base, request_policy()),
            bool(body.value.get("required")),
            (*self.at, "requestBody"),
            body.value,
        )

    # --- responses ---------------------------------------------------------------------------

    def _responses(self) -> Iterator[tuple[str, Node]]:
        responses = self.node.value.get("responses")
        if not isinstance(responses, dict):
            return
        container = self.spec.at(self.node, "responses")
        for key in responses:
            yield str(key), self.spec.deref(self.spec.at(container, key))

    @cached_property
    def responses_value(self) -> JsonObject:
        value = self.node.value.get("responses")
        return value if isinstance(value, dict) else {}

    def response_for(self, status: int) -> ResponseSpec | None:
        """The response declared for `status`: exact code, then `NXX` range, then `default`."""
        cache = self._responses_by_status
        if status in cache:
            return cache[status]
        keys = {str(k).upper(): str(k) for k in self.responses_value}
        found = None
        for candidate in (str(status), f"{str(status)[0]}XX", "DEFAULT"):
            if candidate in keys:
                found = self._build_response(keys[candidate])
                break
        cache[status] = found
        return found

    def _build_response(self, key: str) -> ResponseSpec:
        if key in self._responses_by_key:
            return self._responses_by_key[key]
        node = self.spec.deref(self.spec.at(self.node, "responses", key))
        if not isinstance(node.value, dict):
            raise InputError(
                self.spec.label, f"{spec_location((*self.at, 'responses', key))} is not a response object"
            )
        where: Pointer = (*self.at, "responses", key)
        policy = response_policy(
            additional_properties=self.index.options.additional_properties_in_response,
            required_properties=self.index.options.required_properties_in_response,
        )
        converter = self.index.converter
        body: Body | None
        if self.spec.kind == "swagger2":
            media = self.produces
            body = None
            if "schema" in node.value:
                check = SchemaCheck(converter, self.spec.at(node, "schema"), policy, (*where, "schema"))
                body = Body({t: check for t in (media.types or ("application/json",))}, at=where)
        else:
            content = node.value.get("content")
            types = tuple(content) if isinstance(content, dict) else ()
            media = MediaTypes(types, (*where, "content"), list(types))
            body = (
                Body(
                    _content_checks(self.spec, converter, node, (*where, "content"), policy),
                    at=where,
                )
                if types
                else None
            )
        headers: dict[str, ParameterSpec] = {}
        raw_headers = node.value.get("headers")
        if isinstance(raw_headers, dict):
            for name in raw_headers:
                header_node = self.spec.deref(self.spec.at(node, "headers", name))
                headers[str(name).lower()] = build_parameter(
                    self.spec,
                    converter,
                    header_node,
                    (*where, "headers", str(name)),
                    location="header",
                    name=str(name),
                )
        response = ResponseSpec(key, where, node.value, media, body, headers)
        self._responses_by_key[key] = response
        return response

    # --- security ----------------------------------------------------------------------------

    @cached_property
    def security(self) -> tuple[SecurityRequirement, ...]:
        return self.index.security_of(self)

    @cached_property
    def credential_names(self) -> dict[str, frozenset[str]]:
        """Where ('header', 'query'...) -> names of the credentials any alternative uses there."""
        names: dict[str, set[str]] = {}
        for requirement in self.security:
            for credential in requirement.credentials:
                names.setdefault(credential.where, set()).add(credential.name)
        return {where: frozenset(found) for where, found in names.items()}


def _content_checks(
    spec: Spec, converter: Converter, owner: Node, base: Pointer, policy: Policy
) -> dict[str, SchemaCheck | None]:
    content = owner.value.get("content")
    if not isinstance(content, dict):
        return {}
    checks: dict[str, SchemaCheck | None] = {}
    for media_type, media in content.items():
        if isinstance(media, dict) and "schema" in media:
            node = spec.at(owner, "content", media_type, "schema")
            checks[media_type] = SchemaCheck(converter, node, policy, (*base, media_type, "schema"))
        else:
            checks[media_type] = None
    return checks


def server_prefixes(operation: Json, item: JsonObject, document: JsonObject) -> frozenset[tuple[str, ...]]:
    """Path prefixes of the servers that apply to an operation (the most specific level wins).

    Server variables take their default and, when they list them, every enum value.
    """
    for owner in (operation, item, document):
        servers = owner.get("servers") if isinstance(owner, dict) else None
        if isinstance(servers, list) and servers:
            break
    else:
        return frozenset()
    prefixes: set[tuple[str, ...]] = set()
    for server in servers:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        for url in _expand_variables(server["url"], server.get("variables") or {}):
            prefixes.add(split_path(urlsplit(url).path if "://" in url else url.split("?", 1)[0]))
    return frozenset(prefixes)


def _expand_variables(url: str, variables: JsonObject) -> list[str]:
    urls = [url]
    for name, variable in variables.items():
        if not isinstance(variable, dict):
            continue
        values = [str(variable.get("default", ""))]
        values += [str(v) for v in variable.get("enum") or [] if str(v) not in values]
        urls = [u.replace("{" + name + "}", v) for u in urls for v in values]
    return urls


def _is_template(segment: str) -> bool:
    return len(segment) > 2 and segment[0] == "{" and segment[-1] == "}"


def split_path(path: str) -> tuple[str, ...]:
    """Path segments, ignoring empty ones (double and trailing slashes)."""
    return tuple(filter(None, path.split("/")))


ROUTES_KEPT = 10_000
"""How many (method, path) answers `OperationIndex.route` keeps (about 2 MB at most)."""


@dataclass(slots=True)
class OperationIndex:
    """Every operation of a spec, routable by method and concrete path."""

    spec: Spec
    options: Options = field(default_factory=Options)
    converter: Converter = field(init=False)
    literal: dict[tuple[str, tuple[str, ...]], Operation] = field(init=False, default_factory=dict)
    templated: dict[tuple[str, int], list[Operation]] = field(init=False, default_factory=dict)
    operations: list[Operation] = field(init=False, default_factory=list)
    prefixes: tuple[tuple[str, ...], ...] = field(init=False, default=())
    """Every server path prefix, longest first (tried in that order when routing)."""
    _schemes: JsonObject = field(init=False, default_factory=dict)
    _routed: dict[tuple[str, str], Operation | None] = field(init=False, default_factory=dict)
    """Recent answers of `route`: pacts repeat paths, and a templated path costs a check per
    path parameter of every candidate."""

    def __post_init__(self) -> None:
        self.converter = Converter(self.spec)
        document = self.spec.document
        base = split_path(str(document.get("basePath") or "")) if self.spec.kind == "swagger2" else ()
        schemes = (
            document.get("securityDefinitions")
            if self.spec.kind == "swagger2"
            else (document.get("components") or {}).get("securitySchemes")
        )
        self._schemes = schemes if isinstance(schemes, dict) else {}
        prefixes: set[tuple[str, ...]] = set()
        for path_name, item in (document.get("paths") or {}).items():
            if not isinstance(item, dict):
                raise InputError(self.spec.label, f"{spec_location(('paths', path_name))} is not a path item")
            if "$ref" in item:
                item = self.spec.deref(Node(item, "", ("paths", path_name))).value
            segments = base + split_path(str(path_name))
            for method in METHODS:
                if method not in item:
                    continue
                own_prefixes = (
                    server_prefixes(item[method], item, document)
                    if self.spec.kind != "swagger2"
                    else frozenset()
                )
                prefixes |= own_prefixes
                operation = Operation(self, str(path_name), method, segments, own_prefixes)
                self.operations.append(operation)
                self._check_security_names(operation, item[method])
                if operation.templated:
                    self.templated.setdefault((method, len(segments)), []).append(operation)
                else:
                    self.literal.setdefault((method, segments), operation)
        for candidates in self.templated.values():
            candidates.sort(key=lambda op: op.templated)  # stable: declaration order breaks ties
        self.prefixes = tuple(sorted((p for p in prefixes if p), key=len, reverse=True))

    def route(self, method: str, path: str) -> Operation | None:
        """The operation for a concrete request, or None.

        A pact may write paths with or without the path of the spec's server URL
        (`/v2/pets/1` against `servers: [{url: https://api.example.com/v2}]`).
        """
        key = (method, path)
        if key in self._routed:
            return self._routed[key]
        if len(self._routed) >= ROUTES_KEPT:
            self._routed.clear()
        operation = self._routed[key] = self._route_path(method, path)
        return operation

    def _route_path(self, method: str, path: str) -> Operation | None:
        segments = split_path(path.split("?", 1)[0])
        operation = self._route(method, segments)
        if operation is not None or not self.prefixes:
            return operation
        for prefix in self.prefixes:
            if segments[: len(prefix)] == prefix:
                operation = self._route(method, segments[len(prefix) :])
                if operation is not None and prefix in operation.server_prefixes:
                    return operation
        return None

    def _route(self, method: str, segments: tuple[str, ...]) -> Operation | None:
        operation = self.literal.get((method, segments))
        if operation is not None:
            return operation
        for candidate in self.templated.get((method, len(segments)), ()):
            if candidate.matches_path(segments):
                return candidate
        return None

    def _check_security_names(self, operation: Operation, raw: Json) -> None:
        requirements = raw.get("security") if isinstance(raw, dict) else None
        if requirements is None:
            requirements = self.spec.document.get("security")
        for requirement in requirements or []:
            for name in requirement or {}:
                if name not in self._schemes:
                    raise InputError(
                        self.spec.label,
                        f"{spec_location(operation.at)} requires security scheme {name!r}, "
                        "which is not defined",
                    )

    def security_of(self, operation: Operation) -> tuple[SecurityRequirement, ...]:
        own = operation.node.value.get("security")
        if own is not None:
            requirements, where = own, (*operation.at, "security")
        else:
            requirements, where = self.spec.document.get("security") or [], ("security",)
        result = []
        for i, requirement in enumerate(requirements):
            credentials = tuple(self._credential(name) for name in requirement or {})
            result.append(SecurityRequirement(credentials, (*where, i), requirement))
        return tuple(result)

    def _credential(self, name: str) -> Credential:
        scheme = self.spec.deref(Node(self._schemes[name], "", ())).value
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
