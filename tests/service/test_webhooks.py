"""The broker's webhook: 202 fast and durable, one job per pact version and provider version,
refused without a write token or with a pact URL off the broker."""

from __future__ import annotations

import time
from collections.abc import Callable

from ._broker_double import BrokerDouble
from ._service import Server, pact, wait_for


def test_a_webhook_is_accepted_fast_and_verified_once_however_often_it_comes(
    server: Server, broker: BrokerDouble
) -> None:
    assert server.publish().status_code == 200  # no pacts yet: nothing to verify
    target = broker.add(pact("web"))
    body = {"pactUrl": broker.url(target), "providerName": "pets", "providerVersionNumber": "1.0.0"}
    with server.client() as client:
        assert client.get("/").status_code == 200  # connected, as the broker is when it sends
        time.sleep(0.5)  # the publish's own verification run is over
        started = time.perf_counter()
        first = client.post("/hooks/pact-broker", json=body)
        elapsed = time.perf_counter() - started
    assert first.status_code == 202, first.text
    assert elapsed < 0.25
    again = [server.hook(broker.url(target)) for _ in range(6)]
    assert {a.status_code for a in again} == {202}
    assert {a.json()["id"] for a in again} == {first.json()["id"]}

    wait_for(broker.published, 5, "the verification result")
    time.sleep(0.5)
    assert broker.results == {target.version_path: [broker.published()[0]]}
    assert broker.published()[0]["success"] is True
    assert server.job(first.json()["id"])["state"] == "done"


def test_the_reconciler_verifies_a_pact_whose_webhook_never_came(
    make_server: Callable[..., Server], broker: BrokerDouble
) -> None:
    server = make_server(CROSSCONTRACT_RECONCILE_SECONDS="0.5")
    assert server.publish().status_code == 200
    target = broker.add(pact("web"))  # the broker restarted: its webhook was lost
    wait_for(broker.published, 5, "the reconciler's verification")
    time.sleep(1.5)  # three more rounds
    assert broker.results == {target.version_path: [broker.published()[0]]}
    assert len(broker.sent("POST", "/for-verification")) >= 3


def test_a_failed_job_runs_again_when_the_webhook_comes_again(server: Server, broker: BrokerDouble) -> None:
    assert server.publish().status_code == 200
    target = broker.add(pact("web"))
    broker.hidden.add(target.version_path)
    job = server.hook(broker.url(target)).json()["id"]
    wait_for(lambda: server.job(job)["state"] == "failed", 5, "the job to fail (the broker has no such pact)")
    assert "404" in server.job(job)["error"]
    broker.hidden.clear()
    assert server.hook(broker.url(target)).json()["id"] == job
    wait_for(lambda: server.job(job)["state"] == "done", 5, "the job to run again and complete")
    assert len(broker.published()) == 1
