"""The operations of a spec, indexed for routing, with their checks built once.

`OperationIndex` is built once per spec and only routes: a table of literal paths and a
list of path templates per method. Routing an interaction is a dictionary look-up for
literal paths and a scan of same-length templates otherwise (fewest variables first).
What an operation declares is read by the spec's dialect reader (`reader.py`,
`swagger2.py`, `openapi3.py`) into `model` values the first time an interaction reaches
it, and joined with its checks (schema validators, parameter coercion), built then and
reused: a spec with a thousand operations costs only the operations the pacts use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote

from msgspec import Struct
from msgspec.structs import replace

from .._types import MISSING, Json, JsonObject, Pointer
from ..http.parameters import ParameterSpec, build_parameter
from ..schema.dialect import Converter, Policy, request_policy, response_policy
from ..schema.validation import FastChecks, Validator
from .loading import Node, Spec
from .model import (
    Body as BodyModel,
    Credential,
    MediaTypes,
    Operation as OperationModel,
    Parameter as ParameterModel,
    SecurityRequirement,
)
from .operations import reader_for
from .reader import METHODS, Declaration, Reader
from .servers import split_path

__all__ = [
    "METHODS",
    "ROUTES_KEPT",
    "Body",
    "Credential",
    "MediaTypes",
    "Operation",
    "OperationIndex",
    "Options",
    "ResponseSpec",
    "SchemaCheck",
    "SecurityRequirement",
]


class Options(Struct, frozen=True):
    """How strictly responses are read (the reference engine's two switches)."""

    additional_properties_in_response: bool = False
    """Allow response properties the spec does not declare."""
    required_properties_in_response: bool = False
    """Demand that responses carry every property the spec marks required."""
    matching_rules: bool = True
    """Also check the values a pact's matching rules admit, not only its examples (warnings only:
    no verdict of the examples changes, and a pact without rules pays nothing)."""


class SchemaCheck:
    """A body schema, converted and compiled on first use."""

    __slots__ = ("_checks", "_converter", "_node", "_policy", "_validator", "at", "draft2020")

    def __init__(
        self, converter: Converter, node: Node, policy: Policy, at: Pointer, checks: FastChecks | None
    ) -> None:
        self._converter = converter
        self._checks = checks
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
            bundle = self._converter.bundle(self._node, self._policy)
            self._validator = Validator(bundle, draft2020=self.draft2020, checks=self._checks)
        return self._validator


class Body(Struct, frozen=True):
    """The schema checks a request or response body may have, by media type."""

    by_media_type: dict[str, SchemaCheck | None]
    """Media type -> schema check (None: declared without a schema)."""
    required: bool = False
    at: Pointer = ()
    spec_value: Json = None


def _checked(converter: Converter, body: BodyModel, policy: Policy, fast: FastChecks | None) -> Body:
    """`body` with a check per schema (one, shared, where several media types share one)."""
    checks: dict[Pointer, SchemaCheck] = {}
    by_media_type: dict[str, SchemaCheck | None] = {}
    for media_type, schema in body.content.items():
        if schema is None:
            by_media_type[media_type] = None
            continue
        check = checks.get(schema.at)
        if check is None:
            check = checks[schema.at] = SchemaCheck(converter, schema.node, policy, schema.at, fast)
        by_media_type[media_type] = check
    return Body(by_media_type, body.required, body.at, body.spec_value)


class ResponseSpec(Struct, frozen=True):
    key: str
    """The `responses` key that matched: `200`, `2XX` or `default`."""
    at: Pointer
    spec_value: JsonObject
    media_types: MediaTypes
    body: Body | None
    headers: dict[str, ParameterSpec]
    """Lower-cased header name -> header."""


class Operation:
    """One method on one path as the rules see it: what the spec declares, with its checks.

    Each part is read from the spec (`reader`) and given its checks the first time a rule
    asks for it.
    """

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
        self.slash = _ends_with_slash(path_name)
        """Declared with a trailing slash (`/a/`): exact for requests that end with one."""
        self.at: Pointer = ("paths", path_name, method)
        self._responses_by_status: dict[int, ResponseSpec | None] = {}
        self._responses_by_key: dict[str, ResponseSpec] = {}

    def __repr__(self) -> str:
        return f"Operation({self.method.upper()} {self.path_name})"

    @cached_property
    def declaration(self) -> Declaration:
        """The path item and operation object (`$ref`s followed)."""
        return self.index.reader.declaration(self.path_name, self.method)

    @property
    def value(self) -> JsonObject:
        return self.declaration.value

    @cached_property
    def model(self) -> OperationModel:
        """Everything the operation declares, as plain values (every response read)."""
        return self.index.reader.operation(self.declaration)

    @cached_property
    def parameters(self) -> dict[tuple[str, str], ParameterSpec]:
        """(in, name) -> parameter; operation parameters override path-item ones."""
        converter, checks = self.index.converter, self.index.checks
        return {
            parameter.key: build_parameter(self.spec, converter, parameter, checks)
            for parameter in self.index.reader.parameters(self.declaration)
        }

    def parameters_in(self, where: str) -> dict[str, ParameterSpec]:
        return {name: p for (w, name), p in self.parameters.items() if w == where}

    @cached_property
    def path_parameters(self) -> dict[str, ParameterSpec]:
        """Path parameters by name; read as the template's RFC 6570 operator writes them.

        `{.id}` is a label (`.5`), `{;id}` a matrix parameter (`;id=5`), `{id*}` exploded:
        a parameter that declares no style of its own takes the template's.
        """
        declared = self.parameters_in("path")
        operators = {
            parsed.name: parsed for parsed in map(parse_template, self.segments) if parsed and parsed.style
        }
        if not operators:
            return declared
        for model in self.index.reader.parameters(self.declaration):
            parsed = operators.get(model.name)
            if model.location != "path" or parsed is None or model.style not in (None, "simple"):
                continue
            written = replace(model, style=parsed.style, explode=parsed.explode or bool(model.explode))
            declared[model.name] = build_parameter(
                self.spec, self.index.converter, written, self.index.checks
            )
        return declared

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

    @cached_property
    def _segment_checks(self) -> tuple[tuple[str | None, ParameterSpec | None], ...]:
        """Per template segment: its literal text, or None and the parameter that checks it.

        Read once: a pact of unique ids (`/pet/1`, `/pet/2`, ...) routes every request afresh.
        """
        checks: list[tuple[str | None, ParameterSpec | None]] = []
        for template in self.segments:
            parsed = parse_template(template)
            if parsed is None:
                checks.append((template, None))
            else:
                checks.append((None, self.path_parameters.get(parsed.name)))
        return tuple(checks)

    def matches_path(self, segments: Sequence[str]) -> bool:
        """Whether the concrete `segments` fit this operation's template and parameters."""
        for (literal, param), actual in zip(self._segment_checks, segments, strict=True):
            if literal is not None:
                if literal != actual:
                    return False
            elif param is not None and param.check([unquote(actual)]):
                return False
        return True

    # --- media types and bodies ----------------------------------------------------------------

    @cached_property
    def consumes(self) -> MediaTypes:
        return self.index.reader.consumes(self.declaration)

    @cached_property
    def produces(self) -> MediaTypes:
        return self.index.reader.produces(self.declaration)

    @cached_property
    def request_body(self) -> Body | None:
        body = self.index.reader.request_body(self.declaration)
        checks = self.index.checks
        return None if body is None else _checked(self.index.converter, body, request_policy(), checks)

    # --- responses -----------------------------------------------------------------------------

    @cached_property
    def responses_value(self) -> JsonObject:
        value = self.value.get("responses")
        return value if isinstance(value, dict) else {}

    def response_for(self, status: int) -> ResponseSpec | None:
        """The response declared for `status`: exact code, then `NXX` range, then `default`."""
        # One lookup: asked once per interaction (a status declared nowhere is kept as None).
        found: ResponseSpec | None = self._responses_by_status.get(status, MISSING)
        if found is not MISSING:
            return found
        cache = self._responses_by_status
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
        declared = self.index.reader.response(self.declaration, key)
        options = self.index.options
        policy = response_policy(
            additional_properties=options.additional_properties_in_response,
            required_properties=options.required_properties_in_response,
        )
        converter, checks = self.index.converter, self.index.checks
        response = ResponseSpec(
            key,
            declared.at,
            declared.spec_value,
            declared.media_types,
            None if declared.body is None else _checked(converter, declared.body, policy, checks),
            _headers(self.spec, converter, declared.headers, checks),
        )
        self._responses_by_key[key] = response
        return response

    # --- security ------------------------------------------------------------------------------

    @cached_property
    def security(self) -> tuple[SecurityRequirement, ...]:
        return self.index.reader.security(self.declaration)

    @cached_property
    def credential_names(self) -> dict[str, frozenset[str]]:
        """Where ('header', 'query'...) -> names of the credentials any alternative uses there."""
        names: dict[str, set[str]] = {}
        for requirement in self.security:
            for credential in requirement.credentials:
                names.setdefault(credential.where, set()).add(credential.name)
        return {where: frozenset(found) for where, found in names.items()}


def _headers(
    spec: Spec, converter: Converter, headers: Mapping[str, ParameterModel], checks: FastChecks | None
) -> dict[str, ParameterSpec]:
    return {name: build_parameter(spec, converter, header, checks) for name, header in headers.items()}


class TemplateVariable(Struct, frozen=True):
    """One `{...}` path segment: the parameter it names and how RFC 6570 writes it."""

    name: str
    style: str | None
    """`label` for `{.x}`, `matrix` for `{;x}`, `simple` for `{x*}`; None for `{x}`."""
    explode: bool


_OPERATOR_STYLES = {".": "label", ";": "matrix"}
_OPERATORS = "+#./;?&"


def parse_template(segment: str) -> TemplateVariable | None:
    """The variable of a template segment (`{id}`, `{.id}`, `{;id*}`), None for a literal one."""
    if not _is_template(segment):
        return None
    body = segment[1:-1]
    operator = body[0] if body[0] in _OPERATORS else ""
    explode = body.endswith("*")
    name = body[len(operator) : len(body) - explode]
    style = _OPERATOR_STYLES.get(operator) or ("simple" if explode else None)
    return TemplateVariable(name, style, explode)


def _ends_with_slash(path: str) -> bool:
    return len(path) > 1 and path.endswith("/")


def _is_template(segment: str) -> bool:
    return len(segment) > 2 and segment[0] == "{" and segment[-1] == "}"


ROUTES_KEPT = 10_000
"""How many (method, path) answers `OperationIndex.route` keeps (about 2 MB at most)."""


@dataclass(slots=True)
class OperationIndex:
    """Every operation of a spec, routable by method and concrete path."""

    spec: Spec
    options: Options = field(default_factory=Options)
    checks: FastChecks | None = None
    """Where validators get compiled checks (the run's `compiled.CompileRun`); None: jsonschema decides."""
    converter: Converter = field(init=False)
    reader: Reader = field(init=False)
    literal: dict[tuple[str, tuple[str, ...]], Operation] = field(init=False, default_factory=dict)
    exact: dict[tuple[str, tuple[str, ...], bool], Operation] = field(init=False, default_factory=dict)
    """Literal paths with their trailing slash: `/a/` and `/a` are told apart here first, and
    only where neither is declared as sent does `literal` match either."""
    templated: dict[tuple[str, int], list[Operation]] = field(init=False, default_factory=dict)
    operations: list[Operation] = field(init=False, default_factory=list)
    prefixes: tuple[tuple[str, ...], ...] = field(init=False, default=())
    """Every server path prefix, longest first (tried in that order when routing)."""
    _routed: dict[tuple[str, str], Operation | None] = field(init=False, default_factory=dict)
    """Recent answers of `route`: pacts repeat paths, and a templated path costs a check per
    path parameter of every candidate."""

    def __post_init__(self) -> None:
        self.converter = Converter(self.spec)
        self.reader = reader = reader_for(self.spec)
        base = reader.base_path()
        prefixes: set[tuple[str, ...]] = set()
        for path_name, item in reader.path_items():
            segments = base + split_path(path_name)
            for method in METHODS:
                if method not in item:
                    continue
                own_prefixes = reader.servers(item, method)
                prefixes |= own_prefixes
                operation = Operation(self, path_name, method, segments, own_prefixes)
                self.operations.append(operation)
                reader.check_security(operation.at, item[method])
                if operation.templated:
                    self.templated.setdefault((method, len(segments)), []).append(operation)
                else:
                    self.exact.setdefault((method, segments, operation.slash), operation)
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
        operation: Operation | None = self._routed.get(key, MISSING)  # one lookup; None: not declared
        if operation is not MISSING:
            return operation
        if len(self._routed) >= ROUTES_KEPT:
            self._routed.clear()
        operation = self._routed[key] = self._route_path(method, path)
        return operation

    def _route_path(self, method: str, path: str) -> Operation | None:
        bare = path.split("?", 1)[0]
        segments = split_path(bare)
        slash = _ends_with_slash(bare)
        operation = self._route(method, segments, slash)
        if operation is not None or not self.prefixes:
            return operation
        for prefix in self.prefixes:
            if segments[: len(prefix)] == prefix:
                operation = self._route(method, segments[len(prefix) :], slash)
                if operation is not None and prefix in operation.server_prefixes:
                    return operation
        return None

    def _route(self, method: str, segments: tuple[str, ...], slash: bool) -> Operation | None:
        """The operation for `segments`: a path declared exactly as sent (trailing slash
        and all) first, literal before templated; then either spelling of the slash."""
        operation = self.exact.get((method, segments, slash))
        if operation is not None:
            return operation
        candidates = self.templated.get((method, len(segments)), ())
        for candidate in candidates:
            if candidate.slash == slash and candidate.matches_path(segments):
                return candidate
        operation = self.literal.get((method, segments))
        if operation is not None:
            return operation
        for candidate in candidates:
            if candidate.slash != slash and candidate.matches_path(segments):
                return candidate
        return None
