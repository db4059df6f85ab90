"""The first schema: specs, provider versions, tokens, jobs, results.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "specs",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
    )
    op.create_table(
        "provider_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider", sa.String(255), nullable=False, index=True),
        sa.Column("number", sa.String(255), nullable=False),
        sa.Column("branch", sa.String(255)),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("build_url", sa.Text()),
        sa.Column("spec_hash", sa.String(64), sa.ForeignKey("specs.hash"), nullable=False),
        sa.Column("self_verification", sa.JSON(), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.UniqueConstraint("provider", "number"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("revoked", sa.Float()),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("dedup_key", sa.String(1024), nullable=False, unique=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", sa.Float(), nullable=False),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", sa.Float()),
        sa.Column("publish_started", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("finished", sa.Float()),
    )
    op.create_table(
        "results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job_id", sa.Integer(), sa.ForeignKey("jobs.id"), nullable=False, unique=True),
        sa.Column("provider", sa.String(255), nullable=False),
        sa.Column("provider_version", sa.String(255), nullable=False),
        sa.Column("consumer", sa.String(255), nullable=False),
        sa.Column("consumer_version", sa.String(255)),
        sa.Column("pact_url", sa.Text(), nullable=False),
        sa.Column("spec_hash", sa.String(64), sa.ForeignKey("specs.hash"), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("verified", sa.Float(), nullable=False),
    )
    op.create_index(
        "ix_results_pair", "results", ["provider", "provider_version", "consumer", "consumer_version"]
    )


def downgrade() -> None:
    for table in ("results", "jobs", "tokens", "provider_versions", "specs"):
        op.drop_table(table)
