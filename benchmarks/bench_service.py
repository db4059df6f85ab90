"""The service under load: 1,000 webhooks for 1,000 pacts against one 20-operation spec.

Embedded mode (SQLite, the serving process's worker threads), the Pact Broker double from the
service's tests answering at once, everything on 127.0.0.1 of this machine. Reports the intake
latency (webhook sent -> 202), webhook -> result published at the broker, and verifications per
second end to end. Run directly (`python benchmarks/bench_service.py [N]`) or through pytest.
"""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = 20


def _double() -> Any:
    location = ROOT / "tests" / "service" / "_broker_double.py"
    spec = importlib.util.spec_from_file_location("_broker_double", location)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_broker_double"] = module
    spec.loader.exec_module(module)
    return module


def spec_bytes() -> bytes:
    lines = ["openapi: 3.0.3", 'info: {title: bench, version: "1"}', "paths:"]
    for n in range(OPERATIONS):
        lines += [
            f"  /things{n}/{{id}}:",
            "    get:",
            "      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]",
            "      responses:",
            '        "200":',
            "          description: ok",
            "          content:",
            "            application/json:",
            "              schema: {type: object, required: [id], properties: {id: {type: integer}, "
            "name: {type: string}, tags: {type: array, items: {type: string}}}}",
        ]
    return ("\n".join(lines) + "\n").encode()


def pact(n: int) -> dict[str, Any]:
    interactions = [
        {
            "description": f"thing {k}",
            "request": {"method": "GET", "path": f"/things{(n + k) % OPERATIONS}/{k}"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/json"},
                "body": {"id": k, "name": "x", "tags": ["a"]},
            },
        }
        for k in range(5)
    ]
    return {
        "consumer": {"name": f"consumer-{n}"},
        "provider": {"name": "bench"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _cpu(pid: int) -> float:
    """User + system CPU seconds of process `pid` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def run(count: int = 1000, concurrency: int = 16) -> dict[str, float]:
    import httpx

    double_module = _double()
    broker = double_module.BrokerDouble()
    broker.start()
    folder = Path(tempfile.mkdtemp(prefix="bench-service-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "CROSSCONTRACT_DATABASE_URL": f"sqlite:///{folder / 'service.sqlite3'}",
        "PACT_BROKER_BASE_URL": broker.base,
        "PACT_BROKER_TOKEN": broker.token,
    }
    bin_folder = Path(sys.executable).parent
    token = subprocess.run(
        [str(bin_folder / "crosscontract"), "token", "create", "--name", "bench", "--scope", "write"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    with open(folder / "server.log", "wb") as log:
        server = subprocess.Popen(
            [str(bin_folder / "crosscontract"), "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/diagnostic/status/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        headers = {"Authorization": f"Bearer {token}"}
        body = {
            "pacticipantVersionNumber": "1",
            "branch": "main",
            "contract": {
                "content": base64.b64encode(spec_bytes()).decode(),
                "contentType": "application/yaml",
            },
        }
        published = httpx.post(url + "/provider-contracts/provider/bench/publish", json=body, headers=headers)
        assert published.status_code == 200, published.text
        time.sleep(1.0)  # the publish's own (empty) fan-out is done
        pacts = [broker.add(pact(n)) for n in range(count)]
        sent: dict[str, float] = {}
        intake: list[float] = []

        async def deliver() -> None:
            limit = asyncio.Semaphore(concurrency)
            async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:

                async def one(target: Any) -> None:
                    async with limit:
                        started = time.monotonic()
                        sent[target.version_path] = started
                        answer = await client.post(
                            "/hooks/pact-broker",
                            json={
                                "pactUrl": broker.url(target),
                                "providerName": "bench",
                                "providerVersionNumber": "1",
                                "consumerName": target.consumer,
                                "consumerVersionNumber": "1.0.0",
                            },
                        )
                        intake.append(time.monotonic() - started)
                        assert answer.status_code == 202, answer.text

                await asyncio.gather(*(one(target) for target in pacts))

        server_cpu, own_cpu = _cpu(server.pid), _own_cpu()
        first = time.monotonic()
        asyncio.run(deliver())
        deadline = time.monotonic() + 600
        while len(broker.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(broker.received) == count, f"{len(broker.received)} of {count} published"
        assert all(len(results) == 1 for results in broker.results.values())
        last = max(broker.received.values())
        server_cpu, own_cpu = _cpu(server.pid) - server_cpu, _own_cpu() - own_cpu
        to_published = [broker.received[path] - sent[path] for path in sent]
        return {
            "pacts": count,
            "intake_p50_ms": statistics.median(intake) * 1000,
            "intake_p99_ms": _percentile(intake, 0.99) * 1000,
            "published_p50_s": statistics.median(to_published),
            "published_p99_s": _percentile(to_published, 0.99),
            "verifications_per_s": count / (last - first),
            # CPU seconds per verification: the service, and this process (load generator and
            # broker double). On a busy machine the wall-clock rate says more about the neighbours.
            "service_cpu_ms": server_cpu * 1000 / count,
            "generator_and_broker_cpu_ms": own_cpu * 1000 / count,
        }
    finally:
        server.terminate()
        server.wait(30)
        broker.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_service_under_load() -> None:
    pytest.importorskip("fastapi")
    numbers = run(int(os.environ.get("BENCH_SERVICE_PACTS", "1000")))
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in numbers.items()))
    assert numbers["verifications_per_s"] > 0


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
