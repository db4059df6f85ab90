"""Publishing a provider contract: PactFlow's request body, stored as a spec and a provider version.

The body is PactFlow's (`pf:publish-provider-contract`), so the official `pactflow
publish-provider-contract` works unchanged. The spec is stored as the uploaded bytes, keyed by
their SHA-256; the provider version points at it, and a job to verify the broker's pacts for
that version is enqueued in the same transaction.
"""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

from crosscontract.engine import InputError
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import specs
from .jobs.embedded import JobQueue
from .store.models import ProviderVersionRow, SpecRow


class SelfVerification(BaseModel):
    model_config = ConfigDict(extra="allow")

    success: bool | None = None
    content: str | None = None
    contentType: str | None = None  # noqa: N815 - PactFlow's field names
    format: str | None = None
    verifier: str | None = None
    verifierVersion: str | None = None  # noqa: N815


class Contract(BaseModel):
    model_config = ConfigDict(extra="allow")

    content: str
    contentType: str = "application/yaml"  # noqa: N815
    specification: str = "oas"
    selfVerificationResults: SelfVerification | None = None  # noqa: N815


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    pacticipantVersionNumber: str = Field(min_length=1, max_length=255)  # noqa: N815
    branch: str | None = Field(default=None, max_length=255)
    tags: list[str] = Field(default_factory=list)
    buildUrl: str | None = None  # noqa: N815
    contract: Contract


class RefusedError(Exception):
    """The request is well formed but cannot be accepted (400, with the reason)."""


def decode(request: PublishRequest) -> bytes:
    if request.contract.specification.lower() != "oas":
        raise RefusedError(f"specification {request.contract.specification!r} is not supported; use 'oas'")
    try:
        return base64.b64decode(request.contract.content, validate=True)
    except (binascii.Error, ValueError):
        raise RefusedError("contract.content is not base64") from None


def check(content: bytes, content_type: str) -> str:
    """The content hash, once the spec is known to load (else `RefusedError` with the engine's reason)."""
    digest = specs.content_hash(content)
    try:
        specs.load(content, specs.label(digest, content_type))
    except InputError as exc:
        raise RefusedError(str(exc)) from None
    except RecursionError:
        raise RefusedError(f"{specs.label(digest, content_type)}: nesting is too deep to read") from None
    return digest


def store(
    session: Session, queue: JobQueue, provider: str, request: PublishRequest, content: bytes, digest: str
) -> int:
    """Store the spec (once per content) and the provider version; enqueue its verification job."""
    now = time.time()
    if session.get(SpecRow, digest) is None:
        session.add(
            SpecRow(hash=digest, content=content, content_type=request.contract.contentType, created=now)
        )
    number = request.pacticipantVersionNumber
    version = session.execute(
        select(ProviderVersionRow).where(
            ProviderVersionRow.provider == provider, ProviderVersionRow.number == number
        )
    ).scalar()
    self_verification: dict[str, Any] = (
        request.contract.selfVerificationResults.model_dump(exclude_none=True)
        if request.contract.selfVerificationResults
        else {}
    )
    if version is None:
        version = ProviderVersionRow(provider=provider, number=number, created=now)
        session.add(version)
    version.branch = request.branch or None
    version.tags = list(request.tags)
    version.build_url = request.buildUrl
    version.spec_hash = digest
    version.self_verification = self_verification
    session.flush()
    # One verification fan-out per (version, spec): publishing the same bytes again changes nothing.
    job, _ = queue.enqueue(
        session,
        "provider",
        f"provider|{provider}|{number}|{digest}",
        {"provider": provider, "version": number},
    )
    return job


def latest_on_branch(session: Session, provider: str, branch: str) -> ProviderVersionRow | None:
    return session.execute(
        select(ProviderVersionRow)
        .where(ProviderVersionRow.provider == provider, ProviderVersionRow.branch == branch)
        .order_by(ProviderVersionRow.created.desc(), ProviderVersionRow.id.desc())
        .limit(1)
    ).scalar()
