"""Intake and operations on one shared shared: refusals (401, 403, 422, 413, 400) start nothing
and send nothing; tokens from the CLI; heartbeat, index, metrics without secrets, OpenAPI."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from ._service import BIN, Server, pact

BOMB = b"""openapi: 3.0.3
info: {title: bomb, version: "1"}
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
paths:
  /x:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {enum: *i}}}}
"""


def test_a_spec_that_does_not_load_is_refused_with_the_engines_reason(shared: Server) -> None:
    answer = shared.publish(spec=b'openapi: 9.9.9\ninfo: {title: t, version: "1"}\npaths: {}\n')
    assert answer.status_code == 400
    digest = hashlib.sha256(b'openapi: 9.9.9\ninfo: {title: t, version: "1"}\npaths: {}\n').hexdigest()
    assert (
        answer.json()["detail"]
        == f"{digest}.yaml: unsupported OpenAPI version '9.9.9'; supported: 2.0, 3.0, 3.1"
    )


def test_a_yaml_alias_bomb_is_refused_at_once(shared: Server) -> None:
    started = time.perf_counter()
    answer = shared.publish(version="bomb", spec=BOMB)
    assert time.perf_counter() - started < 1.0
    assert answer.status_code == 400
    assert "aliases expand to more than" in answer.json()["detail"]
    with shared.client("read") as client:
        missing = client.get("/contracts/bi-directional/provider/pets/version/bomb/provider-contract")
    assert missing.status_code == 404


def test_an_upload_over_the_limit_is_refused_before_it_is_read(shared: Server) -> None:
    token = shared.token("write")
    with socket.create_connection(("127.0.0.1", shared.port), timeout=5) as sock:
        sock.sendall(
            b"POST /provider-contracts/provider/pets/publish HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nAuthorization: Bearer " + token.encode() + b"\r\n"
            b"Content-Length: 104857600\r\n\r\n" + b"{" * 1024
        )  # 100 MiB announced, 1 KiB sent: the answer comes without the rest
        head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 413")

    def chunks() -> Iterator[bytes]:
        for _ in range(22):
            yield b" " * (1024 * 1024)

    with shared.client() as client:  # no length announced: counted while read, stopped at 20 MiB
        try:
            answer = client.post(
                "/provider-contracts/provider/pets/publish", content=chunks(),
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
            assert answer.status_code == 413
        except httpx.TransportError:  # the shared may close while the client still sends
            pass


def test_without_a_write_token_nothing_starts(shared: Server) -> None:
    target = shared.broker.add(pact("web"))
    before = len(shared.broker.requests)
    assert shared.hook(shared.broker.url(target), scope=None).status_code == 401
    assert shared.hook(shared.broker.url(target), scope="read").status_code == 403
    with shared.client(None) as client:
        client.headers["Authorization"] = "Bearer cct_not-a-token"
        assert (
            client.post("/hooks/pact-broker", json={"pactUrl": shared.broker.url(target)}).status_code == 401
        )
        assert client.post("/provider-contracts/provider/pets/publish", json={}).status_code == 401
    with shared.client("read") as client:
        assert client.post("/provider-contracts/provider/pets/publish", json={}).status_code == 403
        assert client.get("/jobs/1").status_code == 404  # no job was made
    time.sleep(0.3)
    assert shared.broker.requests[before:] == []


def test_a_pact_url_off_the_broker_is_refused_and_never_fetched(shared: Server) -> None:
    before = len(shared.broker.requests)
    target = shared.broker.add(pact("web"))
    host, port = "127.0.0.1", int(shared.broker.base.rsplit(":", 1)[1])
    for foreign in (
        f"http://evil.example{target.path}",
        f"http://{host}:{port + 1}{target.path}",
        f"https://{host}:{port}{target.path}",
        f"http://user:pw@{host}:{port}{target.path}",
    ):
        answer = shared.hook(foreign)
        assert answer.status_code == 422, foreign
        assert answer.json()["detail"] == "pactUrl is not on the configured Pact Broker"
    time.sleep(0.3)
    assert [r for r in shared.broker.requests[before:] if "/pact-version/" in r.path] == []


def test_a_webhook_for_a_version_without_a_spec_is_refused(shared: Server) -> None:
    target = shared.broker.add(pact("web"))
    answer = shared.hook(shared.broker.url(target), version="9.9.9")
    assert answer.status_code == 422
    assert "no provider contract" in answer.json()["detail"]


def test_token_create_prints_a_token_once_and_revoke_ends_it(shared: Server) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "crosscontract"), "token", *args], env=shared.env, capture_output=True, text=True
        )

    created = run("create", "--name", "ci", "--scope", "read")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    database = Path(shared.env["CROSSCONTRACT_DATABASE_URL"].removeprefix("sqlite:///"))
    stored = b"".join(f.read_bytes() for f in database.parent.glob(database.name + "*"))
    assert hashlib.sha256(token.encode()).hexdigest().encode() in stored
    assert token.encode() not in stored  # only its hash is stored
    assert run("create", "--name", "ci", "--scope", "read").returncode == 2
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(shared.url + "/", headers=headers).status_code == 200
    assert run("revoke", "--name", "ci").returncode == 0
    assert httpx.get(shared.url + "/", headers=headers).status_code == 401
    assert run("revoke", "--name", "ci").returncode == 2


def test_heartbeat_index_metrics_and_openapi(shared: Server) -> None:
    assert httpx.get(shared.url + "/diagnostic/status/heartbeat").json()["ok"] is True
    with shared.client("read") as client:
        index = client.get("/").json()
    assert index["_links"]["pf:publish-provider-contract"]["href"] == (
        shared.url + "/provider-contracts/provider/{provider}/publish"
    )
    assert shared.publish().status_code == 200
    shared.hook(shared.broker.url(shared.broker.add(pact("web"))))
    metrics = httpx.get(shared.url + "/metrics").text
    # the publish's own verification may have queued the pact first: then the webhook is a duplicate
    assert re.search(r'^crosscontract_webhooks_total\{outcome="(accepted|duplicate)"\} 1\.0$', metrics, re.M)
    assert "crosscontract_jobs{" in metrics
    for secret in (shared.broker.token, shared.token("write"), shared.token("read")):
        assert secret not in metrics
    log = (shared.folder / "server.log").read_text()
    assert shared.broker.token not in log
    assert shared.token("write") not in log
    document = httpx.get(shared.url + "/openapi.json").json()
    assert "/hooks/pact-broker" in document["paths"]
    assert "PublishRequest" in document["components"]["schemas"]
