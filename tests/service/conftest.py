"""Fixtures of the service's tests; all skipped when the `[service]` extra is not installed."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ._broker_double import BrokerDouble, running
from ._service import Server

HERE = Path(__file__).parent
MISSING = [
    m
    for m in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "prometheus_client")
    if not importlib.util.find_spec(m)
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if MISSING:
        skip = pytest.mark.skip(reason=f"the [service] extra is not installed ({', '.join(MISSING)})")
        for item in items:
            if item.path.parent == HERE:
                item.add_marker(skip)


@pytest.fixture
def broker() -> Iterator[BrokerDouble]:
    with running(BrokerDouble()) as double:
        yield double


@pytest.fixture
def make_server(tmp_path: Path, broker: BrokerDouble) -> Iterator[Callable[..., Server]]:
    made: list[Server] = []

    def make(**env: str) -> Server:
        server = Server(tmp_path, broker, env)
        server.start()
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


@pytest.fixture
def server(make_server: Callable[..., Server]) -> Server:
    return make_server()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server (and broker) for a module's tests that leave nothing behind that matters."""
    with running(BrokerDouble()) as double:
        server = Server(tmp_path_factory.mktemp("shared"), double)
        server.start()
        try:
            yield server
        finally:
            server.stop()
