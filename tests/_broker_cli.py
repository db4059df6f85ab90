"""What the command-line broker tests share: a pact for the `things` provider, an environment
without this machine's broker settings, a spec file, and the command runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _build import THINGS_SPEC
from click.testing import CliRunner, Result
from crosscontract.cli.main import cli

BROKER_VARIABLES = (
    "PACT_BROKER_BASE_URL",
    "PACT_BROKER_TOKEN",
    "PACT_BROKER_USERNAME",
    "PACT_BROKER_PASSWORD",
)


def pact(consumer: str, body: Any = None, *, description: str = "a request for things") -> dict[str, Any]:
    """A v2 pact of `consumer` with one `GET /things` answered 200 with `body` (default `{"id": 1}`)."""
    return {
        "consumer": {"name": consumer},
        "provider": {"name": "things"},
        "interactions": [
            {
                "description": description,
                "request": {"method": "GET", "path": "/things"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"id": 1} if body is None else body,
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def without_broker_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No `PACT_BROKER_*` from the machine, and retries that do not wait."""
    for name in BROKER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("crosscontract.engine.broker.client.BACKOFF_SECONDS", 0.01)


def spec_file(folder: Path) -> str:
    """The `things` spec written into `folder`."""
    path = folder / "openapi.yaml"
    path.write_text(THINGS_SPEC, encoding="utf-8")
    return str(path)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)
