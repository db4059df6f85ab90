"""The service's settings, read once from the environment into a frozen value.

Every knob has a default that runs the embedded mode on one machine; the tests and the
benchmark shorten the timings (lease, back-off) through the same variables an operator uses.
Secrets (the broker's token or password) are kept out of `repr`, so a logged settings value
shows none.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crosscontract.engine.broker.client import BrokerAuth
from msgspec import Struct, field
from msgspec.structs import replace

MIB = 1024 * 1024


def default_database_url() -> str:
    """A SQLite file in the user's data folder (XDG_DATA_HOME, else ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'crosscontract' / 'service.sqlite3'}"


class Settings(Struct, frozen=True):
    database_url: str = field(default_factory=default_database_url)
    broker_url: str | None = None
    broker_auth: BrokerAuth = field(default_factory=BrokerAuth)
    workers: int = 2
    """Worker threads of the embedded job runner."""
    max_upload: int = 20 * MIB
    """Largest request body accepted on publish (413 beyond it)."""
    lease_seconds: float = 60.0
    """How long a claimed job is its worker's; past it another worker may take the job."""
    backoff_seconds: float = 2.0
    """First wait before a job that met a broker fault runs again; doubles each time."""
    max_backoff_seconds: float = 300.0
    max_attempts: int = 12
    broker_timeout: float = 10.0
    comparators: int = 32
    """Compiled comparators each worker keeps (LRU, keyed by spec content hash)."""
    main_branch: str = "main"
    """The provider branch whose latest spec verifies a webhook that names no provider version."""
    sqlite_synchronous: str = "NORMAL"
    """NORMAL: committed jobs survive the process dying; FULL: also power loss (an fsync per commit)."""
    reconcile_seconds: float = 0.0
    """How often to ask the broker for pacts still needing verification (0: never)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        defaults = cls()

        def number(name: str, default: float) -> float:
            raw = env.get(name)
            return float(raw) if raw else default

        settings = cls(
            database_url=env.get("CROSSCONTRACT_DATABASE_URL") or defaults.database_url,
            broker_url=(env.get("PACT_BROKER_BASE_URL") or "").rstrip("/") or None,
            broker_auth=BrokerAuth(
                token=env.get("PACT_BROKER_TOKEN") or None,
                username=env.get("PACT_BROKER_USERNAME") or None,
                password=env.get("PACT_BROKER_PASSWORD") or None,
            ),
            workers=int(number("CROSSCONTRACT_WORKERS", defaults.workers)),
            max_upload=int(number("CROSSCONTRACT_MAX_UPLOAD_BYTES", defaults.max_upload)),
            lease_seconds=number("CROSSCONTRACT_LEASE_SECONDS", defaults.lease_seconds),
            backoff_seconds=number("CROSSCONTRACT_BACKOFF_SECONDS", defaults.backoff_seconds),
            max_backoff_seconds=number("CROSSCONTRACT_MAX_BACKOFF_SECONDS", defaults.max_backoff_seconds),
            max_attempts=int(number("CROSSCONTRACT_MAX_ATTEMPTS", defaults.max_attempts)),
            broker_timeout=number("CROSSCONTRACT_BROKER_TIMEOUT", defaults.broker_timeout),
            comparators=int(number("CROSSCONTRACT_COMPARATORS", defaults.comparators)),
            main_branch=env.get("CROSSCONTRACT_MAIN_BRANCH") or defaults.main_branch,
            sqlite_synchronous=env.get("CROSSCONTRACT_SQLITE_SYNCHRONOUS") or defaults.sqlite_synchronous,
            reconcile_seconds=number("CROSSCONTRACT_RECONCILE_SECONDS", defaults.reconcile_seconds),
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
