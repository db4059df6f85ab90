"""Faults: the server killed mid-job, the broker down, the broker's answer to a publish lost.
Every acknowledged job completes, and the broker receives each result once."""

from __future__ import annotations

import time
from collections.abc import Callable

from ._broker_double import BrokerDouble
from ._service import Server, pact, wait_for


def test_kill_9_mid_publish_then_restart_completes_the_job_once(
    make_server: Callable[..., Server], broker: BrokerDouble
) -> None:
    server = make_server(CROSSCONTRACT_BROKER_TIMEOUT="10")
    assert server.publish().status_code == 200
    target = broker.add(pact("web"))
    broker.slow["POST /pacts/"] = 1.5  # the kill lands while the result is being sent
    job = server.hook(broker.url(target)).json()["id"]
    wait_for(lambda: broker.sent("POST", "/verification-results"), 10, "the publish to start")
    server.kill()
    time.sleep(1.6)  # the broker stores the result the dead server sent
    assert len(broker.published()) == 1
    broker.slow.clear()
    server.start()
    wait_for(lambda: server.job(job)["state"] == "done", 10, "the job to complete after restart")
    time.sleep(0.5)
    assert len(broker.published()) == 1  # read back, not sent again
    assert server.job(job)["attempts"] == 2


def test_kill_9_before_the_publish_then_restart_publishes_once(
    make_server: Callable[..., Server], broker: BrokerDouble
) -> None:
    server = make_server(CROSSCONTRACT_BROKER_TIMEOUT="10")
    assert server.publish().status_code == 200
    target = broker.add(pact("web"))
    broker.slow["GET /pacts/"] = 1.5
    job = server.hook(broker.url(target)).json()["id"]
    wait_for(lambda: broker.sent("GET", "/pact-version/"), 10, "the pact to be fetched")
    server.kill()
    broker.slow.clear()
    assert broker.published() == []
    server.start()
    wait_for(lambda: server.job(job)["state"] == "done", 10, "the job to complete after restart")
    time.sleep(0.5)
    assert len(broker.published()) == 1


def test_results_land_once_when_the_broker_is_back(server: Server, broker: BrokerDouble) -> None:
    assert server.publish().status_code == 200
    target = broker.add(pact("web"))
    broker.stop()
    job = server.hook(broker.url(target)).json()["id"]
    wait_for(lambda: server.job(job)["attempts"] >= 2, 10, "a second attempt")
    assert server.job(job)["state"] in ("queued", "running")
    assert "cannot reach the broker" in (server.job(job)["error"] or "")
    broker.start()
    wait_for(broker.published, 10, "the result")
    wait_for(lambda: server.job(job)["state"] == "done", 5, "the job to complete")
    time.sleep(0.5)
    assert len(broker.published()) == 1


def test_a_lost_answer_to_a_publish_is_not_sent_blindly_again(server: Server, broker: BrokerDouble) -> None:
    assert server.publish().status_code == 200
    target = broker.add(pact("web"))
    broker.lose_publish_answers = 1
    job = server.hook(broker.url(target)).json()["id"]
    wait_for(lambda: server.job(job)["state"] == "done", 10, "the job to complete")
    assert len(broker.published()) == 1
    assert len(broker.sent("GET", "/verification-results/latest")) == 1  # it asked before sending


def test_a_job_longer_than_its_lease_stays_its_workers_while_that_worker_lives(
    make_server: Callable[..., Server], broker: BrokerDouble
) -> None:
    server = make_server(
        CROSSCONTRACT_LEASE_SECONDS="1", CROSSCONTRACT_WORKERS="2", CROSSCONTRACT_BROKER_TIMEOUT="10"
    )
    assert server.publish().status_code == 200
    target = broker.add(pact("web"))
    broker.slow["GET /pacts/"] = 2.5  # the job outlasts two leases; the other worker is idle meanwhile
    job = server.hook(broker.url(target)).json()["id"]
    wait_for(lambda: server.job(job)["state"] == "done", 15, "the job to complete")
    time.sleep(1.5)  # long enough for another worker to have taken a lapsed lease
    assert len(broker.sent("GET", "/pact-version/")) == 1  # fetched once: nobody else ran it
    assert server.job(job)["attempts"] == 1
    assert len(broker.published()) == 1
