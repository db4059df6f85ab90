"""Tables: specs by content hash, provider versions pointing at one, tokens, jobs, results.

A spec's bytes are stored once however many provider versions publish them (the key is their
SHA-256), which also keys the workers' compiled comparators. Jobs live in the same database as
everything else, so a webhook's job and its deduplication key are committed in one
transaction before the service answers 202.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class SpecRow(Base):
    __tablename__ = "specs"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(100))
    created: Mapped[float] = mapped_column(Float)


class ProviderVersionRow(Base):
    __tablename__ = "provider_versions"
    __table_args__ = (UniqueConstraint("provider", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(255), index=True)
    number: Mapped[str] = mapped_column(String(255))
    branch: Mapped[str | None] = mapped_column(String(255))
    tags: Mapped[list[Any]] = mapped_column(JSON)
    build_url: Mapped[str | None] = mapped_column(Text)
    spec_hash: Mapped[str] = mapped_column(ForeignKey("specs.hash"))
    self_verification: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[float] = mapped_column(Float)


class TokenRow(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    scope: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the token; the token itself is shown once and never stored."""
    created: Mapped[float] = mapped_column(Float)
    revoked: Mapped[float | None] = mapped_column(Float)


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    dedup_key: Mapped[str] = mapped_column(String(1024), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True)
    """queued, running, done or failed."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[float] = mapped_column(Float)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[float | None] = mapped_column(Float)
    publish_started: Mapped[bool] = mapped_column(default=False)
    """Set before the result is POSTed: a later attempt reads the broker's results before sending."""
    last_error: Mapped[str | None] = mapped_column(Text)
    created: Mapped[float] = mapped_column(Float)
    finished: Mapped[float | None] = mapped_column(Float)


class ResultRow(Base):
    __tablename__ = "results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(255))
    provider_version: Mapped[str] = mapped_column(String(255))
    consumer: Mapped[str] = mapped_column(String(255))
    consumer_version: Mapped[str | None] = mapped_column(String(255))
    pact_url: Mapped[str] = mapped_column(Text)
    spec_hash: Mapped[str] = mapped_column(ForeignKey("specs.hash"))
    success: Mapped[bool]
    report: Mapped[str] = mapped_column(Text)
    """The reference JSON report, exactly as `crosscontract compare --format json` prints it."""
    published: Mapped[bool] = mapped_column(default=False)
    verified: Mapped[float] = mapped_column(Float)
