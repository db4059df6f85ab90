"""Content negotiation: request Content-Type and Accept, response Content-Type."""

from __future__ import annotations

from collections.abc import Iterator

from .. import codes
from ..findings import Finding
from ..negotiation import find_matching_type
from ._base import Context, is_falsy


def request_content_type(ctx: Context) -> Iterator[Finding]:
    """The request's Content-Type must be one the operation consumes."""
    request = ctx.interaction.request
    consumes = ctx.operation.consumes
    content_type = request.headers.get("content-type")
    base = ctx.interaction.location
    if content_type is None:
        if consumes.types and not is_falsy(request.body):
            yield ctx.finding(
                codes.CONTENT_TYPE_MISSING,
                "Request content type header is not defined but spec specifies mime-types to consume",
                base,
                consumes.spec_location,
                mock_value=ctx.interaction.raw,
                spec_value=consumes.spec_value,
            )
        return
    where = f"{base}.request.headers.{request.headers.name_of('content-type')}"
    if not consumes.types:
        yield ctx.finding(
            codes.CONTENT_TYPE_UNKNOWN,
            "Request content-type header is defined but the spec does not specify any mime-types to consume",
            where,
            consumes.spec_location,
            mock_value=content_type,
            spec_value=consumes.spec_value,
        )
    elif find_matching_type(content_type, consumes.types) is None:
        yield ctx.finding(
            codes.CONTENT_TYPE_INCOMPATIBLE,
            "Request Content-Type header is incompatible with the mime-types the spec accepts to consume",
            where,
            consumes.spec_location,
            mock_value=content_type,
            spec_value=consumes.spec_value,
        )


def request_accept(ctx: Context) -> Iterator[Finding]:
    """The request's Accept header must allow a media type the operation produces."""
    request = ctx.interaction.request
    accept = request.headers.get("accept")
    if accept is None:
        return
    produces = ctx.operation.produces
    where = f"{ctx.interaction.location}.request.headers.{request.headers.name_of('accept')}"
    if not produces.types:
        yield ctx.finding(
            codes.ACCEPT_UNKNOWN,
            "Request Accept header is defined but the spec does not specify any mime-types to produce",
            where,
            produces.spec_location,
            mock_value=accept,
            spec_value=produces.spec_value,
        )
    elif find_matching_type(accept, produces.types) is None:
        yield ctx.finding(
            codes.ACCEPT_INCOMPATIBLE,
            "Request Accept header is incompatible with the mime-types the spec defines to produce",
            where,
            produces.spec_location,
            mock_value=accept,
            spec_value=produces.spec_value,
        )


def response_content_type(ctx: Context) -> Iterator[Finding]:
    """The response's Content-Type must be one the matched response declares."""
    response = ctx.response
    if response is None or response.key == "default":
        return
    headers = ctx.interaction.response.headers
    content_type = headers.get("content-type")
    if content_type is None:
        return
    media = response.media_types
    where = f"{ctx.interaction.location}.response.headers.{headers.name_of('content-type')}"
    if not media.types:
        if ctx.operation.method != "head":
            yield ctx.finding(
                codes.RESPONSE_CONTENT_TYPE_UNKNOWN,
                "Response Content-Type header is defined but the spec does not specify any mime-types to produce",  # noqa: E501
                where,
                media.spec_location if ctx.operation.spec.kind == "swagger2" else response.spec_location,
                mock_value=content_type,
                spec_value=media.spec_value,
            )
    elif find_matching_type(content_type, media.types) is None:
        yield ctx.finding(
            codes.RESPONSE_CONTENT_TYPE_INCOMPATIBLE,
            "Response Content-Type header is incompatible with the mime-types the spec defines to produce",
            where,
            media.spec_location,
            mock_value=content_type,
            spec_value=media.spec_value,
        )
