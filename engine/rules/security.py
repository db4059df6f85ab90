"""Security: the request must carry the credentials of one security alternative."""

from __future__ import annotations

from collections.abc import Iterator

from .. import codes
from ..findings import Finding
from ..index import Credential
from ._base import Context

_WHERE_WORD = {"header": "header", "query": "query"}


def _present(ctx: Context, credential: Credential) -> bool:
    request = ctx.interaction.request
    if credential.where == "header":
        return request.headers.get(credential.name) is not None
    if credential.where == "query":
        return credential.name in request.query
    return True  # cookies, OAuth2 and OpenID Connect cannot be judged from a pact


def authorization(ctx: Context) -> Iterator[Finding]:
    """At least one security alternative must be satisfied (schemes within one are all needed)."""
    requirements = ctx.operation.security
    if not ctx.checks_request or not requirements:
        return
    if any(all(_present(ctx, c) for c in r.credentials) for r in requirements):
        return
    first = requirements[0]
    for credential in first.credentials:
        if _present(ctx, credential):
            continue
        word = (
            "Authorization header"
            if credential.name == "authorization"
            else f"Authorization {credential.where}"
        )
        yield ctx.finding(
            codes.AUTHORIZATION_MISSING,
            f"Request {word} is missing but is required by the spec file",
            ctx.interaction.location,
            f"{first.spec_location}.{credential.scheme}",
            mock_value=ctx.interaction.raw,
            spec_value=first.spec_value.get(credential.scheme)
            if isinstance(first.spec_value, dict)
            else None,
        )
