"""A private PostgreSQL 15 cluster for the distributed-mode tests: initdb in a temporary folder,
listening on 127.0.0.1 on a free port, stopped and removed afterwards. PostgreSQL refuses to
run as root, so as root the cluster belongs to the `postgres` account."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN = Path("/usr/lib/postgresql/15/bin")


def _as_owner(owner: str | None, *command: str) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else list(command)


@contextmanager
def cluster(port: int) -> Iterator[str]:
    """A running cluster; yields its SQLAlchemy URL."""
    if not (BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15's binaries are not installed")
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a postgres account to own the cluster")
        owner = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="crosscontract-pg-"))
    data = folder / "data"
    if owner:
        shutil.chown(folder, owner)
    try:
        initdb = [str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
        subprocess.run(_as_owner(owner, *initdb), check=True, capture_output=True)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
        start = [
            str(BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ]
        subprocess.run(_as_owner(owner, *start), check=True, capture_output=True)
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                _as_owner(owner, str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
                capture_output=True,
            )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
