"""`crosscontract serve` and `crosscontract token`: the verification service's commands.

Only click is imported here; the service (FastAPI, SQLAlchemy, uvicorn) is imported when one of
these commands runs, and a missing `[service]` extra is one line of advice, not a traceback.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

database_option = click.option(
    "--database-url",
    envvar="CROSSCONTRACT_DATABASE_URL",
    metavar="URL",
    help="SQLAlchemy URL of the store [env CROSSCONTRACT_DATABASE_URL; default: a SQLite file in the "
    "user's data folder].",
)


def _service() -> Any:
    try:
        import alembic  # noqa: F401 - only asking whether the extra is installed
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on what is installed
        hint = "pip install 'crosscontract[service]'"
        click.echo(f"crosscontract: error: the service needs its extra: {hint} ({exc})", err=True)
        sys.exit(2)
    # Imported by name: the CLI type-checks and runs without the optional service installed.
    return importlib.import_module("crosscontract.service.settings")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@database_option
@click.option(
    "--workers", type=click.IntRange(min=0), help="Job worker threads [env CROSSCONTRACT_WORKERS; 2]."
)
def serve(host: str, port: int, database_url: str | None, workers: int | None) -> None:
    """Run the verification service (a Pact Broker's bi-directional verification backend).

    The broker it verifies for comes from PACT_BROKER_BASE_URL, with PACT_BROKER_TOKEN or
    PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD.

    \b
    Example:
      PACT_BROKER_BASE_URL=https://broker.example crosscontract serve --port 8000
    """
    settings = _service().Settings.from_env(database_url=database_url, workers=workers)
    import uvicorn

    uvicorn.run(_module("app").create_app(settings), host=host, port=port, log_level="info", access_log=False)


@click.command()
@database_option
@click.option(
    "--workers", type=click.IntRange(min=1), help="Job worker threads [env CROSSCONTRACT_WORKERS; 2]."
)
def worker(database_url: str | None, workers: int | None) -> None:
    """Run job workers only, for the distributed mode (PostgreSQL; `serve --workers 0` takes requests).

    Start as many as needed, on any machine that reaches the database and the broker; a job
    whose worker dies is taken by another once its lease (CROSSCONTRACT_LEASE_SECONDS) runs out.
    """
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = _service().Settings.from_env(database_url=database_url, workers=workers)
    _module("worker").run_workers(settings)


@click.group()
def token() -> None:
    """Create or revoke the service's API tokens."""


@token.command("create")
@click.option("--name", required=True, help="Who or what the token is for (unique).")
@click.option(
    "--scope", type=click.Choice(["read", "write"]), required=True, help="write: publish, webhooks."
)
@database_option
def create(name: str, scope: str, database_url: str | None) -> None:
    """Create a token and print it (once: only its hash is stored)."""
    from sqlalchemy.exc import IntegrityError

    sessions = _open(database_url)
    try:
        click.echo(_module("auth").create_token(sessions, name, scope))
    except IntegrityError:
        raise click.UsageError(f"a token named {name!r} exists already") from None


@token.command("revoke")
@click.option("--name", required=True, help="The token's name.")
@database_option
def revoke(name: str, database_url: str | None) -> None:
    """Revoke a token: requests carrying it are refused from now on."""
    if not _module("auth").revoke_token(_open(database_url), name):
        raise click.UsageError(f"no live token named {name!r}")
    click.echo(f"revoked {name}", err=True)


def _open(database_url: str | None) -> Any:
    settings = _service().Settings.from_env(database_url=database_url)
    database = _module("store.database")
    engine = database.open_engine(settings.database_url)
    database.migrate(engine)
    return database.sessions(engine)


def _module(name: str) -> Any:
    return importlib.import_module(f"crosscontract.service.{name}")
