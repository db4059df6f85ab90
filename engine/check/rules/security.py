"""Security: the request must carry the credentials of one security alternative."""

from __future__ import annotations

from collections.abc import Iterator

from ...pact.model import NOT_SENT
from ...spec.index import Credential, Operation
from .. import codes
from ..findings import Finding
from ._base import REQUEST_CHECKED, Context, rule


def _present(ctx: Context, credential: Credential) -> bool:
    request = ctx.interaction.request
    if credential.where == "header":
        value = request.headers.by_lower.get(credential.name, NOT_SENT)[1]  # a lower-case name
        if value is None:
            return False
        # `Authorization: Bearer x` does not satisfy a Basic scheme, nor the reverse.
        scheme_word = credential.prefix in ("basic", "bearer")
        return not scheme_word or value.lower().startswith(credential.prefix + " ")
    if credential.where == "query":
        return credential.name in request.query
    if credential.where == "cookie":
        return credential.name in request.cookies
    return True  # OAuth2 and OpenID Connect tokens cannot be judged from a pact


def _requires_credentials(operation: Operation) -> bool:
    return bool(operation.security)


@rule(codes.AUTHORIZATION_MISSING, when=REQUEST_CHECKED, only_if=_requires_credentials)
def authorization(ctx: Context) -> Iterator[Finding]:
    """At least one security alternative must be satisfied (schemes within one are all needed)."""
    requirements = ctx.operation.security
    if not requirements:
        return
    # Loops rather than any(all(...)): no generator made per interaction for what is
    # nearly always met by the first alternative.
    for requirement in requirements:
        for credential in requirement.credentials:
            if not _present(ctx, credential):
                break
        else:
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
        sent = ctx.interaction.request.headers.get(credential.name) if credential.where == "header" else None
        message = (
            f"Request {word} is missing but is required by the spec file"
            if sent is None
            else f"Request {word} does not use the {credential.prefix.title()} scheme the spec file requires"
        )
        yield ctx.finding(
            codes.AUTHORIZATION_MISSING,
            message + (_what_to_send(credential) if sent is None else ""),
            ctx.at(),
            (*first.at, credential.scheme),
            mock_value=ctx.interaction.raw,
            spec_value=first.spec_value.get(credential.scheme)
            if isinstance(first.spec_value, dict)
            else None,
        )


def _what_to_send(credential: Credential) -> str:
    """Which header, query parameter or cookie the scheme reads: the reference wording says
    "Authorization" whatever the scheme's own name is."""
    if credential.where == "header":
        if credential.prefix in ("basic", "bearer"):
            word = credential.prefix.title()
            return f": scheme '{credential.scheme}' needs an Authorization header starting '{word} '"
        return f": scheme '{credential.scheme}' needs the header '{credential.name}'"
    if credential.where in ("query", "cookie"):
        return f": scheme '{credential.scheme}' needs the {credential.where} parameter {credential.name!r}"
    return ""
