"""The Pact Broker's webhook, as a job: which pact, which provider version, and one key for both.

The broker may deliver one event up to seven times (its retry schedule) and a person may run
the webhook by hand; every delivery about the same pact version and provider version maps to
one deduplication key, so they all find the one job. A pact URL is accepted only on the
configured broker's origin: the service sends the broker's credentials with the request, and
must never be a way to reach another host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from . import contracts
from .jobs.embedded import JobQueue
from .store.models import ProviderVersionRow

_METADATA = re.compile(r"/metadata/[^/]*$")
_VERSIONS: Table = ProviderVersionRow.__table__  # type: ignore[assignment]
_KNOWN = select(_VERSIONS.c.id).where(
    _VERSIONS.c.provider == bindparam("provider"), _VERSIONS.c.number == bindparam("number")
)
"""Built once: every webhook runs it."""


class BrokerWebhook(BaseModel):
    """The body the broker's webhook sends (template variables it left empty arrive as "")."""

    model_config = ConfigDict(extra="allow")

    pactUrl: str = Field(min_length=1, max_length=4096)  # noqa: N815 - the broker's field names
    consumerName: str | None = None  # noqa: N815
    consumerVersionNumber: str | None = None  # noqa: N815
    consumerVersionBranch: str | None = None  # noqa: N815
    providerName: str | None = None  # noqa: N815
    providerVersionNumber: str | None = None  # noqa: N815
    providerVersionBranch: str | None = None  # noqa: N815


def pact_version_key(url: str) -> str:
    """The pact's identity: its URL without the `/metadata/...` segment and query."""
    parts = urlsplit(url)
    return _METADATA.sub("", parts.path.rstrip("/"))


def verify_job_key(pact_url: str, provider: str, provider_version: str) -> str:
    return f"verify|{pact_version_key(pact_url)}|{provider}|{provider_version}"


def same_origin(url: str, base: str) -> bool:
    """Whether `url` is on `base`'s scheme, host and port, and under its path."""
    try:
        target, home = urlsplit(url), urlsplit(base)
        return (
            target.scheme.lower() == home.scheme.lower()
            and target.hostname == home.hostname
            and (target.port or _default_port(target.scheme)) == (home.port or _default_port(home.scheme))
            and not target.username
            and target.path.startswith(home.path.rstrip("/") + "/")
        )
    except ValueError:  # a port that is not a number
        return False


def _default_port(scheme: str) -> int:
    return 443 if scheme.lower() == "https" else 80


def enqueue(
    session: Session, queue: JobQueue, hook: BrokerWebhook, provider: str, main_branch: str
) -> tuple[int, bool] | None:
    """The webhook's job, in `session`'s transaction: (its id, whether it is new), or None when
    the provider version it names (or, naming none, the provider's main branch) has no contract."""
    number = hook.providerVersionNumber
    if number:
        known = session.connection().execute(_KNOWN, {"provider": provider, "number": number}).first()
        if known is None:
            return None
    else:
        latest = contracts.latest_on_branch(session, provider, main_branch)
        if latest is None:
            return None
        number = latest.number
    payload = {
        "pactUrl": hook.pactUrl,
        "provider": provider,
        "providerVersion": number,
        "consumer": hook.consumerName or None,
        "consumerVersion": hook.consumerVersionNumber or None,
    }
    return queue.enqueue(session, "verify", verify_job_key(hook.pactUrl, provider, number), payload)
