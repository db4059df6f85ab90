"""The database engine: SQLite tuned for a job queue (WAL, immediate writes), or PostgreSQL.

SQLite's Python driver opens transactions lazily and as `DEFERRED`, so two workers that both
read the queue and then try to claim a job would meet a "database is locked" error half way.
Here we issue BEGIN ourselves (SQLAlchemy's documented recipe): a write transaction
(`sessions.begin()`) starts `BEGIN IMMEDIATE`, so writers queue behind one another for up to
`busy_timeout`; a read (`sessions()`) starts a plain `BEGIN` and, under WAL, waits for nobody.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def open_engine(url: str, *, synchronous: str = "NORMAL") -> Engine:
    """An engine for `url`; for SQLite, `synchronous` is its PRAGMA of that name.

    NORMAL (the default) in WAL mode loses no committed transaction when the process dies
    (kill -9 included); only a power cut or an OS crash can drop the last few. FULL also
    survives those, at an fsync per commit (about 7 ms each on this kind of machine).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401 - the driver SQLAlchemy loads for postgresql+psycopg://
        except ImportError:
            raise ValueError("a PostgreSQL store needs psycopg: pip install 'psycopg[binary]'") from None
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    mode = {"NORMAL": "NORMAL", "FULL": "FULL"}.get(synchronous.upper())
    if mode is None:
        raise ValueError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={mode}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writes = connection.get_execution_options().get("writes", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


class Sessions:
    """`sessions()` for a read, `sessions.begin()` for a write transaction (committed on exit)."""

    def __init__(self, engine: Engine) -> None:
        self.dialect = engine.dialect.name
        """`sqlite` or `postgresql`: picks the statements that differ (an insert that may conflict)."""
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(writes=True), expire_on_commit=False)

    def __call__(self) -> Session:
        return self._read()

    def begin(self) -> AbstractContextManager[Session]:
        return self._write.begin()


def sessions(engine: Engine) -> Sessions:
    return Sessions(engine)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic), on this engine's connection."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
