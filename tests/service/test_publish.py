"""Publishing a provider contract: the official PactFlow CLI, the stored bytes, the results."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import time
import warnings
from pathlib import Path

import pytest

from ._broker_double import BrokerDouble
from ._service import BIN, SPEC, Server, pact, wait_for


def test_the_pactflow_cli_publishes_and_each_pact_gets_one_result(
    server: Server, broker: BrokerDouble, tmp_path: Path
) -> None:
    try:
        with warnings.catch_warnings():  # it warns about the Rust binaries it does not bundle
            warnings.simplefilter("ignore", RuntimeWarning)
            import pact_cli  # pact-python-cli: the official Ruby pactflow client, bundled
    except ImportError:
        pytest.skip("pact-python-cli is not installed")
    pactflow = Path(pact_cli.__file__).parent / "bin" / "pactflow"
    good, bad = broker.add(pact("web")), broker.add(pact("mobile", pet_id="one"))
    spec = tmp_path / "openapi.yaml"
    spec.write_bytes(SPEC)
    done = subprocess.run(
        [
            str(pactflow), "publish-provider-contract", str(spec), "--provider", "pets",
            "--provider-app-version", "1.0.0", "--branch", "main", "--tag", "dev",
            "--content-type", "application/yaml", "--verification-success", "--verifier", "tests",
            "--broker-base-url", server.url, "--broker-token", server.token("write"),
        ],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr

    with server.client("read") as client:
        stored = client.get("/contracts/bi-directional/provider/pets/version/1.0.0/provider-contract").json()
    assert base64.b64decode(stored["contentBase64"]) == SPEC
    assert stored["contentHash"] == hashlib.sha256(SPEC).hexdigest()

    wait_for(lambda: len(broker.published()) >= 2, 10, "two verification results")
    time.sleep(0.5)  # nothing more arrives
    assert {path: [r["success"] for r in results] for path, results in broker.results.items()} == {
        good.version_path: [True],
        bad.version_path: [False],
    }
    assert {r["providerApplicationVersion"] for r in broker.published()} == {"1.0.0"}
    assert broker.sent("PUT", "/branches/main/versions/1.0.0")  # the version's branch, before its result


def test_the_stored_report_is_what_compare_prints(
    server: Server, broker: BrokerDouble, tmp_path: Path
) -> None:
    bad = broker.add(pact("mobile", pet_id="one"))
    assert server.publish().status_code == 200
    wait_for(broker.published, 10, "the verification result")
    answer = server.hook(broker.url(bad))
    assert answer.status_code == 202
    assert answer.json()["duplicate"] is True  # the publish already verified this pact
    job = server.job(answer.json()["id"])
    assert job["state"] == "done"

    spec_name = hashlib.sha256(SPEC).hexdigest() + ".yaml"
    (tmp_path / spec_name).write_bytes(SPEC)
    env = {**os.environ, "PACT_BROKER_TOKEN": broker.token}
    done = subprocess.run(
        [str(BIN / "crosscontract"), "compare", "--format", "json", spec_name, broker.url(bad)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert job["report"] == json.loads(done.stdout)
    assert job["report"]["errors"][0]["code"] == "response.body.incompatible"

    with server.client("read") as client:
        results = client.get(
            "/contracts/bi-directional/provider/pets/version/1.0.0/consumer/mobile/version/1.0.0"
            "/cross-contract-verification-results"
        ).json()
    assert results["summary"] == {"success": False}
    assert results["crossContractVerificationResults"]["results"]["errors"] == job["report"]["errors"]
    assert results["crossContractVerificationResults"]["verifier"] == "crosscontract"
    assert results["providerContractVerificationResults"] == {"success": True, "verifier": "tests"}
