"""The service under test: `crosscontract serve` as a real process on 127.0.0.1, with a real
SQLite file (or a PostgreSQL URL) and a Pact Broker double; inline spec and pacts."""

from __future__ import annotations

import base64
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ._broker_double import BrokerDouble

BIN = Path(sys.executable).parent

SPEC = b"""openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties: {id: {type: integer}, name: {type: string}}
"""


def pact(consumer: str, pet_id: Any = 1) -> dict[str, Any]:
    """A pact for GET /pets/1; a string `pet_id` breaks the spec's integer."""
    return {
        "consumer": {"name": consumer},
        "provider": {"name": "pets"},
        "interactions": [
            {
                "description": "a pet",
                "request": {"method": "GET", "path": "/pets/1"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"id": pet_id, "name": "Rex"},
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@dataclass
class Server:
    folder: Path
    broker: BrokerDouble
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    start_args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "CROSSCONTRACT_DATABASE_URL": f"sqlite:///{self.folder / 'service.sqlite3'}",
            "CROSSCONTRACT_LEASE_SECONDS": "60",
            "PACT_BROKER_BASE_URL": self.broker.base,
            "PACT_BROKER_TOKEN": self.broker.token,
            "CROSSCONTRACT_BACKOFF_SECONDS": "0.2",
            "CROSSCONTRACT_MAX_BACKOFF_SECONDS": "0.5",
            "CROSSCONTRACT_BROKER_TIMEOUT": "3",
            **self.env_extra,
        }

    def start(self) -> None:
        with open(self.folder / "server.log", "ab") as log:  # the process keeps its own copy
            self.process = subprocess.Popen(
                [str(BIN / "crosscontract"), "serve", "--port", str(self.port), *self.start_args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._up, 30, "the service to start")

    def _up(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError("the service exited:\n" + (self.folder / "server.log").read_text())
        try:
            return httpx.get(self.url + "/diagnostic/status/heartbeat", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def token(self, scope: str) -> str:
        """A token of `scope`, written straight into the server's database (`token create` does the
        same; its own test runs the command)."""
        if scope not in self.tokens:
            # by name: the tests type-check without the optional service installed
            auth = importlib.import_module("crosscontract.service.auth")
            database = importlib.import_module("crosscontract.service.store.database")
            engine = database.open_engine(self.env["CROSSCONTRACT_DATABASE_URL"])
            try:
                self.tokens[scope] = auth.create_token(database.sessions(engine), f"t-{scope}", scope)
            finally:
                engine.dispose()
        return self.tokens[scope]

    def client(self, scope: str | None = "write") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token(scope)}"} if scope else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def publish(self, version: str = "1.0.0", spec: bytes = SPEC, branch: str = "main") -> httpx.Response:
        body = {
            "pacticipantVersionNumber": version,
            "branch": branch,
            "tags": [],
            "contract": {
                "content": base64.b64encode(spec).decode(),
                "contentType": "application/yaml",
                "specification": "oas",
                "selfVerificationResults": {"success": True, "verifier": "tests"},
            },
        }
        with self.client() as client:
            return client.post("/provider-contracts/provider/pets/publish", json=body)

    def hook(self, pact_url: str, version: str = "1.0.0", scope: str | None = "write") -> httpx.Response:
        body = {
            "pactUrl": pact_url,
            "consumerName": "web",
            "consumerVersionNumber": "1.0.0",
            "providerName": "pets",
            "providerVersionNumber": version,
            "providerVersionBranch": "main",
        }
        with self.client(scope) as client:
            return client.post("/hooks/pact-broker", json=body)

    def job(self, job_id: int) -> dict[str, Any]:
        with self.client("read") as client:
            answer = client.get(f"/jobs/{job_id}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found
