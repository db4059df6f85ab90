"""Distributed mode: the store and the jobs on a real PostgreSQL 15 (started by the test),
`crosscontract serve --workers 0` taking requests, `crosscontract worker` processes running jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._broker_double import BrokerDouble
from ._postgres import cluster
from ._service import BIN, Server, free_port, pact, wait_for

pytest.importorskip("psycopg")


@pytest.fixture
def postgres() -> Iterator[str]:
    with cluster(free_port()) as url:
        yield url


def _worker(server: Server, folder: Path, name: str) -> subprocess.Popen[bytes]:
    with open(folder / f"{name}.log", "ab") as log:
        return subprocess.Popen(
            [str(BIN / "crosscontract"), "worker"], env=server.env, stdout=log, stderr=log
        )


def test_a_worker_killed_mid_job_is_replaced_and_the_job_completes_once(
    postgres: str, broker: BrokerDouble, tmp_path: Path
) -> None:
    server = Server(
        tmp_path, broker, {"CROSSCONTRACT_DATABASE_URL": postgres, "CROSSCONTRACT_LEASE_SECONDS": "3"}
    )
    server.start_args = ["--workers", "0"]
    server.start()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        assert server.publish().status_code == 200
        workers.append(_worker(server, tmp_path, "first"))
        wait_for(lambda: broker.sent("POST", "/for-verification"), 20, "the first worker to take the publish")
        target = broker.add(pact("web"))
        broker.slow["GET /pacts/"] = 2.0
        job = server.hook(broker.url(target)).json()["id"]
        wait_for(lambda: broker.sent("GET", "/pact-version/"), 10, "the pact to be fetched")
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait()
        broker.slow.clear()
        assert server.job(job)["state"] == "running"  # its worker is dead; its lease runs on
        workers.append(_worker(server, tmp_path, "second"))
        wait_for(lambda: server.job(job)["state"] == "done", 20, "the job to be taken over and completed")
        time.sleep(0.5)
        assert len(broker.published()) == 1
        assert server.job(job)["attempts"] == 2
        hooks = [server.hook(broker.url(target)).json()["id"] for _ in range(3)]
        assert hooks == [job] * 3  # the same webhook again: the same job, on PostgreSQL too
    finally:
        for process in workers:
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        server.stop()
