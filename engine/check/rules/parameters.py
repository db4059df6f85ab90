"""Request headers, query parameters and cookies against the operation's parameters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence, Set

from ..._types import Pointer
from ...http.parameters import ParameterSpec
from ...http.styles import deep_name, gather_query, query_names
from ...spec.index import Operation
from .. import codes
from ..findings import Code, Finding
from ._base import REQUEST_CHECKED, Context, rule
from ._messages import allowed_values

# Headers any HTTP client may send without the API declaring them.
STANDARD_REQUEST_HEADERS = frozenset(
    {
        "accept",
        "accept-charset",
        "accept-datetime",
        "accept-encoding",
        "accept-language",
        "authorization",
        "cache-control",
        "connection",
        "content-length",
        "content-md5",
        "content-type",
        "cookie",
        "date",
        "expect",
        "forwarded",
        "from",
        "host",
        "if-match",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "if-unmodified-since",
        "max-forwards",
        "origin",
        "pragma",
        "proxy-authorization",
        "range",
        "referer",
        "te",
        "upgrade",
        "user-agent",
        "via",
        "warning",
    }
)


_NONE: frozenset[str] = frozenset()

_WHERE = {
    "header": "header",
    "query": "query parameter",
    "cookie": "cookie",
    "formData": "form field",
    "path": "path parameter",
}


def check_parameter(
    ctx: Context,
    code: Code,
    param: ParameterSpec,
    values: Sequence[str] | None,
    at: Pointer,
) -> Iterator[Finding]:
    """Findings for one declared parameter given the values the pact sends (None: absent)."""
    if values is None:
        if param.required:
            yield ctx.finding(
                code,
                "Value is incompatible with the parameter defined in the spec file: "
                "must have required property 'value'"
                f" (the {_WHERE.get(param.location, param.location)} {param.name!r} is required"
                " and not sent)",
                ctx.at(),
                param.at,
                mock_value=ctx.interaction.raw,
                spec_value=param.spec_value,
            )
        return
    for error in param.check(values):
        yield ctx.finding(
            code,
            f"Value is incompatible with the parameter defined in the spec file: {error.message}"
            + allowed_values(error),
            at,
            param.at,
            mock_value=values[0] if len(values) == 1 else list(values),
            spec_value=param.spec_value,
        )


def check_spread_object(
    ctx: Context,
    code: Code,
    param: ParameterSpec,
    sent: Mapping[str, Sequence[str]],
    base: Pointer,
    names: frozenset[str],
) -> Iterator[Finding]:
    """An object sent as several names (exploded `form`, `deepObject`), checked as one value.

    `names` are the names its properties may use (for exploded `form`).
    """
    assert param.serialization is not None
    properties = gather_query(sent, param.serialization, names)
    if properties is None:
        yield from check_parameter(ctx, code, param, None, base)
        return
    used = sorted(query_names(sent, param.serialization, names))
    deep = param.serialization.style == "deepObject"
    for error in param.check_properties(properties):
        # The finding points at the name that carries the failing property, if one does.
        prop = str(error.instance_path[0]) if error.instance_path else None
        name = _carrier(sent, param.name, error.instance_path) if deep else prop
        yield ctx.finding(
            code,
            f"Value is incompatible with the parameter defined in the spec file: {error.message}"
            + allowed_values(error),
            (*base, name if name is not None and name in sent else used[0]),
            param.at,
            mock_value={key: list(sent[key]) for key in used},
            spec_value=param.spec_value,
        )


def _carrier(sent: Mapping[str, Sequence[str]], name: str, path: Sequence[str | int]) -> str | None:
    """The deepest `deepObject` name sent on `path` (`p[a][n]`, else `p[a]`), if any."""
    for depth in range(len(path), 0, -1):
        carrier = deep_name(name, path[:depth])
        if carrier in sent:
            return carrier
    return None


def _property_names(param: ParameterSpec, undeclared: Iterable[str]) -> frozenset[str]:
    """The names an exploded object's properties may use.

    Those it declares or, for a free-form object, every name no other parameter declares.
    """
    return param.properties or frozenset(undeclared)


def _used_names(param: ParameterSpec, sent: Mapping[str, Sequence[str]], names: frozenset[str]) -> set[str]:
    assert param.serialization is not None
    return query_names(sent, param.serialization, names)


@rule(codes.REQUEST_HEADER_INCOMPATIBLE, codes.REQUEST_HEADER_UNKNOWN, when=REQUEST_CHECKED)
def request_headers(ctx: Context) -> Iterator[Finding]:
    """Declared headers must be valid and present when required; others must be standard."""
    by_lower = ctx.interaction.request.headers.by_lower
    declared = ctx.operation.header_parameters
    security = ctx.operation.credential_names.get("header", _NONE)
    for lower, (name, value) in by_lower.items():
        param = declared.get(lower)
        if param is not None:
            yield from check_parameter(
                ctx, codes.REQUEST_HEADER_INCOMPATIBLE, param, [value], ctx.at("request", "headers", name)
            )
        elif lower not in STANDARD_REQUEST_HEADERS and lower not in security:
            yield ctx.finding(
                codes.REQUEST_HEADER_UNKNOWN,
                f"Request header is not defined in the spec file: {lower}",
                ctx.at("request", "headers", name),
                ctx.operation.at,
                mock_value=value,
                spec_value=ctx.operation.value,
            )
    for lower, param in declared.items():
        if lower not in by_lower:
            yield from check_parameter(
                ctx, codes.REQUEST_HEADER_INCOMPATIBLE, param, None, ctx.at("request", "headers")
            )


@rule(codes.QUERY_INCOMPATIBLE, codes.QUERY_UNKNOWN, when=REQUEST_CHECKED)
def request_query(ctx: Context) -> Iterator[Finding]:
    """Declared query parameters must be valid and present when required; others are unknown."""
    query: Mapping[str, Sequence[str]] = ctx.interaction.request.query
    declared = ctx.operation.query_parameters
    if not (query or declared):
        return
    security = ctx.operation.credential_names.get("query", _NONE)
    base = ctx.at("request", "query")
    # Objects spread over several names (exploded `form`, `deepObject`), and the names they use.
    spread = ctx.operation.spread_query_parameters
    names_of: dict[str, frozenset[str]] = {}
    used_by: dict[str, set[str]] = {}
    claimed: Set[str] = _NONE  # most operations spread no object: nothing to build
    if spread:
        names_of = {
            name: _property_names(p, query.keys() - declared.keys() - security) for name, p in spread.items()
        }
        used_by = {name: _used_names(p, query, names_of[name]) for name, p in spread.items()}
        claimed = set().union(*used_by.values())
    for name, values in query.items():
        param = declared.get(name)
        if param is not None and name not in claimed:
            # An object spread over several names, sent under its own name, fails its style.
            yield from check_parameter(ctx, codes.QUERY_INCOMPATIBLE, param, values, (*base, name))
        elif param is None and name not in security and name not in claimed:
            yield ctx.finding(
                codes.QUERY_UNKNOWN,
                f"Query parameter is not defined in the spec file: {name}",
                (*base, name),
                ctx.operation.at,
                mock_value=values[0] if len(values) == 1 else list(values),
                spec_value=ctx.operation.value,
            )
    for name, object_param in spread.items():
        if name in query and not used_by[name]:
            continue  # sent under its own name only: reported above as the wrong style
        yield from check_spread_object(
            ctx, codes.QUERY_INCOMPATIBLE, object_param, query, base, names_of[name]
        )
    for name, param in declared.items():
        if name not in query and name not in spread:
            yield from check_parameter(ctx, codes.QUERY_INCOMPATIBLE, param, None, base)


def _declares_cookies(operation: Operation) -> bool:
    return bool(operation.cookie_parameters)


@rule(codes.REQUEST_COOKIE_INCOMPATIBLE, when=REQUEST_CHECKED, only_if=_declares_cookies)
def request_cookies(ctx: Context) -> Iterator[Finding]:
    """Declared `in: cookie` parameters must be valid, and present in `Cookie` when required.

    Cookies the spec does not declare are not reported: browsers and gateways add their own.
    """
    declared = ctx.operation.cookie_parameters
    if not declared:
        return
    cookies = ctx.interaction.request.cookies
    headers = ctx.interaction.request.headers
    base = ctx.at("request", "headers", headers.name_of("cookie"))
    code = codes.REQUEST_COOKIE_INCOMPATIBLE
    for name, param in declared.items():
        if param.spread:
            names = _property_names(param, cookies.keys() - declared.keys())
            yield from check_spread_object(ctx, code, param, cookies, base, names)
        else:
            yield from check_parameter(ctx, code, param, cookies.get(name), (*base, name))
