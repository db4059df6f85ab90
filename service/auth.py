"""Bearer tokens with a scope: `read` (results, jobs) or `write` (that, plus publishing and webhooks).

A token is 32 random bytes, shown once when created; the database keeps only its SHA-256, so a
copy of the database grants nothing. SHA-256 rather than a slow password hash: the token has
256 bits of entropy, nothing to guess, and every request checks one. The check happens in a
dependency that runs before a route reads its body, so a refused request starts no work.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from msgspec import Struct
from sqlalchemy import Table, bindparam, select, update

from .store.database import Sessions
from .store.models import TokenRow

SCOPES = ("read", "write")
PREFIX = "cct_"

_TOKENS: Table = TokenRow.__table__  # type: ignore[assignment]
_HOLDER = select(_TOKENS.c.name, _TOKENS.c.scope).where(
    _TOKENS.c.digest == bindparam("digest"), _TOKENS.c.revoked.is_(None)
)
"""Built once: every request runs it, and building a statement costs more than running it."""


class Principal(Struct, frozen=True):
    name: str
    scope: str

    def may(self, scope: str) -> bool:
        return scope == "read" or self.scope == "write"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(sessions: Sessions, name: str, scope: str) -> str:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    token = PREFIX + secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.add(TokenRow(name=name, scope=scope, digest=digest(token), created=time.time()))
    return token


def revoke_token(sessions: Sessions, name: str) -> bool:
    with sessions.begin() as session:
        done = session.execute(
            update(TokenRow)
            .where(TokenRow.name == name, TokenRow.revoked.is_(None))
            .values(revoked=time.time())
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]


def authenticate(sessions: Sessions, header: str | None) -> Principal | None:
    """The holder of `Authorization: Bearer <token>`, or None for a missing, unknown or revoked token."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    with sessions() as session:
        row = session.connection().execute(_HOLDER, {"digest": digest(token.strip())}).first()
    return Principal(row.name, row.scope) if row else None
