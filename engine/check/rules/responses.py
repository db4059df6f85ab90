"""Response status and response headers."""

from __future__ import annotations

from collections.abc import Iterator

from .. import codes
from ..findings import Finding
from ._base import RESPONSE_DECLARED, Context, rule
from ._messages import listing
from .parameters import check_parameter

# Headers servers and proxies add on their own; a spec rarely declares them.
STANDARD_RESPONSE_HEADERS = frozenset(
    {
        "access-control-allow-origin",
        "accept-patch",
        "accept-ranges",
        "age",
        "allow",
        "alt-svc",
        "cache-control",
        "connection",
        "content-disposition",
        "content-encoding",
        "content-language",
        "content-length",
        "content-location",
        "content-md5",
        "content-range",
        "date",
        "etag",
        "expires",
        "last-modified",
        "link",
        "location",
        "p3p",
        "pragma",
        "proxy-authenticate",
        "public-key-pins",
        "refresh",
        "retry-after",
        "server",
        "set-cookie",
        "status",
        "strict-transport-security",
        "trailer",
        "transfer-encoding",
        "tsv",
        "upgrade",
        "vary",
        "via",
        "warning",
        "www-authenticate",
        "x-frame-options",
    }
)


@rule(codes.STATUS_UNKNOWN, codes.STATUS_DEFAULT)
def status(ctx: Context) -> Iterator[Finding]:
    """The status must be declared (exactly, by range such as `2XX`, or as `default`)."""
    if ctx.response is None:
        code, message = codes.STATUS_UNKNOWN, "Response status code not defined in spec file"
    elif ctx.response.key == "default":
        code, message = codes.STATUS_DEFAULT, "Response status code matched default response in spec file"
    else:
        return
    status_code = ctx.interaction.response.status
    declared = ctx.operation.responses_value
    if code is codes.STATUS_UNKNOWN and isinstance(declared, dict) and declared:
        message = f"{message}: {status_code} (declared: {listing(str(key) for key in declared)})"
    else:
        message = f"{message}: {status_code}"
    yield ctx.finding(
        code,
        message,
        ctx.at("response", "status"),
        (*ctx.operation.at, "responses"),
        mock_value=status_code,
        spec_value=ctx.operation.responses_value,
    )


@rule(
    codes.RESPONSE_HEADER_INCOMPATIBLE,
    codes.RESPONSE_HEADER_UNKNOWN,
    codes.RESPONSE_HEADER_UNDEFINED,
    when=RESPONSE_DECLARED,
)
def response_headers(ctx: Context) -> Iterator[Finding]:
    """Headers the consumer expects must be declared (or standard) and valid."""
    response = ctx.response
    assert response is not None
    for lower, (name, value) in ctx.interaction.response.headers.by_lower.items():
        if lower == "content-type":
            continue
        where = ctx.at("response", "headers", name)
        header = response.headers.get(lower)
        if header is not None:
            yield from check_parameter(ctx, codes.RESPONSE_HEADER_INCOMPATIBLE, header, [value], where)
        else:
            code, message = (
                (
                    codes.RESPONSE_HEADER_UNDEFINED,
                    "Standard http response header is not defined in the spec file",
                )
                if lower in STANDARD_RESPONSE_HEADERS
                else (codes.RESPONSE_HEADER_UNKNOWN, "Response header is not defined in the spec file")
            )
            yield ctx.finding(
                code,
                f"{message}: {lower}",
                where,
                response.at,
                mock_value=value,
                spec_value=response.spec_value,
            )
