"""Content negotiation: request Content-Type and Accept, response Content-Type."""

from __future__ import annotations

from collections.abc import Iterator

from ...http.negotiation import find_matching_type
from ...pact.model import NOT_SENT, Headers
from ...spec.index import MediaTypes
from .. import codes
from ..findings import Code, Finding
from ._base import RESPONSE_DECLARED, Context, is_falsy, rule
from ._messages import listing


def _mismatch(
    ctx: Context,
    side: str,
    headers: Headers,
    header: str,
    sent: str,
    media: MediaTypes,
    unknown: tuple[Code, str],
    incompatible: tuple[Code, str],
) -> Finding | None:
    """`unknown` when the spec declares no media types here, `incompatible` when none matches,
    None when `sent` (the value of `header` on `side`) negotiates.

    Returns rather than yields: every interaction asks, and next to none mismatches.
    """
    if sent in media.types and "," not in sent:
        # Most interactions send a declared type as written: it negotiates (stage 1 of
        # `find_matching_type`). A comma is split as an Accept list, so it goes the long way.
        return None
    if not media.types:
        code, message = unknown
    elif find_matching_type(sent, media.types) is None:
        code, message = incompatible
        message += f" (declared: {listing(media.types)})"
    else:
        return None
    where = ctx.at(side, "headers", headers.name_of(header))
    return ctx.finding(code, message, where, media.at, mock_value=sent, spec_value=media.spec_value)


@rule(codes.CONTENT_TYPE_MISSING, codes.CONTENT_TYPE_UNKNOWN, codes.CONTENT_TYPE_INCOMPATIBLE)
def request_content_type(ctx: Context) -> Iterator[Finding]:
    """The request's Content-Type must be one the operation consumes."""
    request = ctx.interaction.request
    consumes = ctx.operation.consumes
    content_type = request.headers.by_lower.get("content-type", NOT_SENT)[1]
    if content_type is None:
        if consumes.types and not is_falsy(request.body):
            yield ctx.finding(
                codes.CONTENT_TYPE_MISSING,
                "Request content type header is not defined but spec specifies mime-types to consume",
                ctx.at(),
                consumes.at,
                mock_value=ctx.interaction.raw,
                spec_value=consumes.spec_value,
            )
        return
    mismatch = _mismatch(
        ctx,
        "request",
        request.headers,
        "content-type",
        content_type,
        consumes,
        (
            codes.CONTENT_TYPE_UNKNOWN,
            "Request content-type header is defined but the spec does not specify any mime-types to consume",
        ),
        (
            codes.CONTENT_TYPE_INCOMPATIBLE,
            "Request Content-Type header is incompatible with the mime-types the spec accepts to consume",
        ),
    )
    if mismatch is not None:
        yield mismatch


@rule(codes.ACCEPT_UNKNOWN, codes.ACCEPT_INCOMPATIBLE)
def request_accept(ctx: Context) -> Iterator[Finding]:
    """The request's Accept header must allow a media type the operation produces."""
    request = ctx.interaction.request
    accept = request.headers.by_lower.get("accept", NOT_SENT)[1]
    if accept is None:
        return
    mismatch = _mismatch(
        ctx,
        "request",
        request.headers,
        "accept",
        accept,
        ctx.operation.produces,
        (
            codes.ACCEPT_UNKNOWN,
            "Request Accept header is defined but the spec does not specify any mime-types to produce",
        ),
        (
            codes.ACCEPT_INCOMPATIBLE,
            "Request Accept header is incompatible with the mime-types the spec defines to produce",
        ),
    )
    if mismatch is not None:
        yield mismatch


@rule(codes.RESPONSE_CONTENT_TYPE_UNKNOWN, codes.RESPONSE_CONTENT_TYPE_INCOMPATIBLE, when=RESPONSE_DECLARED)
def response_content_type(ctx: Context) -> Iterator[Finding]:
    """The response's Content-Type must be one the matched response declares (not `default`)."""
    response = ctx.response
    assert response is not None
    if response.key == "default":
        return
    headers = ctx.interaction.response.headers
    content_type = headers.by_lower.get("content-type", NOT_SENT)[1]
    if content_type is None:
        return
    if not response.media_types.types and ctx.operation.method == "head":
        return  # a HEAD response describes a body it does not carry
    mismatch = _mismatch(
        ctx,
        "response",
        headers,
        "content-type",
        content_type,
        response.media_types,
        (
            codes.RESPONSE_CONTENT_TYPE_UNKNOWN,
            "Response Content-Type header is defined but the spec does not specify any mime-types to produce",
        ),
        (
            codes.RESPONSE_CONTENT_TYPE_INCOMPATIBLE,
            "Response Content-Type header is incompatible with the mime-types the spec defines to produce",
        ),
    )
    if mismatch is not None:
        yield mismatch
