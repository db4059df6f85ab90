"""A Pact Broker double for the service's tests: the HAL routes a verification backend uses.

A threaded HTTP server on 127.0.0.1 that records every request. It serves pacts for
verification, the pacts themselves (with `pb:publish-verification-results`,
`pb:latest-verification-results` and `pb:consumer-version`), stores published results, and
can go down (its port refuses connections) and come back on the same port, or swallow the
answer to a publish after storing it (a lost answer).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Pact:
    document: dict[str, Any]
    consumer_version: str = "1.0.0"

    @property
    def consumer(self) -> str:
        return str(self.document["consumer"]["name"])

    @property
    def provider(self) -> str:
        return str(self.document["provider"]["name"])

    @cached_property
    def sha(self) -> str:
        return hashlib.sha1(json.dumps(self.document, sort_keys=True).encode()).hexdigest()

    @property
    def version_path(self) -> str:
        return f"/pacts/provider/{self.provider}/consumer/{self.consumer}/pact-version/{self.sha}"

    @property
    def path(self) -> str:
        metadata = base64.urlsafe_b64encode(f"cvn={self.consumer_version}".encode()).decode().rstrip("=")
        return f"{self.version_path}/metadata/{metadata}"


@dataclass
class BrokerDouble:
    token: str = "broker-secret-token"
    pacts: list[Pact] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Verification results received, by pact version path."""
    received: dict[str, float] = field(default_factory=dict)
    """When (time.monotonic) the last result for each pact version path arrived."""
    hidden: set[str] = field(default_factory=set)
    """Pact version paths answered 404, as if the pact were not there."""
    lose_publish_answers: int = 0
    """Store the next N results, then drop the connection without answering."""
    slow: dict[str, float] = field(default_factory=dict)
    """Seconds to wait before answering a request whose `METHOD path` contains the key."""
    base: str = ""
    _server: ThreadingHTTPServer | None = None
    _port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _by_path: dict[str, Pact] = field(default_factory=dict)

    def add(self, document: dict[str, Any], consumer_version: str = "1.0.0") -> Pact:
        pact = Pact(document, consumer_version)
        self.pacts.append(pact)
        self._by_path[pact.version_path] = pact
        return pact

    def sent(self, method: str, contains: str = "") -> list[Recorded]:
        return [r for r in list(self.requests) if r.method == method and contains in r.path]

    def published(self) -> list[dict[str, Any]]:
        return [result for results in self.results.values() for result in results]

    def url(self, pact: Pact) -> str:
        return self.base + pact.path

    # --- life ------------------------------------------------------------------------------

    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", self._port), _handler(self))
        server.daemon_threads = True
        self._port = server.server_address[1]
        self.base = f"http://127.0.0.1:{self._port}"
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def stop(self) -> None:
        """Go down: the port refuses connections until `start` binds it again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- routes ----------------------------------------------------------------------------

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        parts = [unquote(p) for p in path.strip("/").split("/")] if path != "/" else []
        if method == "GET" and not parts:
            return 200, self.index()
        if method == "POST" and parts[:2] == ["pacts", "provider"] and parts[-1:] == ["for-verification"]:
            return 200, self._for_verification(parts[2])
        key = path.split("/metadata/")[0].removesuffix("/latest").removesuffix("/verification-results")
        found = self._by_path.get(key) if key not in self.hidden else None
        for pact in [found] if found else []:
            if method == "GET" and path in (pact.path, pact.version_path):
                return 200, self._pact(pact)
            if method == "POST" and path in (
                pact.path + "/verification-results",
                pact.version_path + "/verification-results",
            ):
                with self._lock:
                    self.results.setdefault(pact.version_path, []).append(body)
                    self.received[pact.version_path] = time.monotonic()
                return 201, {**body, "_links": {"self": {"href": self.base + path + "/1"}}}
            if method == "GET" and path == pact.version_path + "/verification-results/latest":
                received = self.results.get(pact.version_path)
                if not received:
                    return 404, {"error": "no verification results"}
                latest = received[-1]
                return 200, {
                    "providerName": pact.provider,
                    "providerApplicationVersion": latest.get("providerApplicationVersion"),
                    "success": latest.get("success"),
                    "verifiedBy": latest.get("verifiedBy"),
                    "_links": {},
                }
        if method == "PUT" and parts[:1] == ["pacticipants"]:
            return 200, {"_links": {}}
        return 404, {"error": f"The requested document was not found: {path}"}

    def index(self) -> dict[str, Any]:
        return {
            "_links": {
                "self": {"href": self.base},
                "pb:provider-pacts-for-verification": {
                    "href": self.base + "/pacts/provider/{provider}/for-verification",
                    "templated": True,
                },
                "pb:pacticipant-version": {
                    "href": self.base + "/pacticipants/{pacticipant}/versions/{version}",
                    "templated": True,
                },
                "pb:pacticipant-branch-version": {
                    "href": self.base + "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
                    "templated": True,
                },
            }
        }

    def _pact(self, pact: Pact) -> dict[str, Any]:
        return {
            **pact.document,
            "createdAt": "2026-11-21T06:00:00+00:00",
            "_links": {
                "self": {"href": self.base + pact.path},
                "pb:publish-verification-results": {"href": self.base + pact.path + "/verification-results"},
                "pb:latest-verification-results": {
                    "href": self.base + pact.version_path + "/verification-results/latest"
                },
                "pb:consumer-version": {
                    "href": f"{self.base}/pacticipants/{pact.consumer}/versions/{pact.consumer_version}",
                    "name": pact.consumer_version,
                },
            },
        }

    def _for_verification(self, provider: str) -> dict[str, Any]:
        entries = [
            {
                "shortDescription": "latest from main branch",
                "verificationProperties": {"notices": []},
                "_links": {
                    "self": {"href": self.base + p.path, "name": f"Pact between {p.consumer} and {provider}"}
                },
            }
            for p in self.pacts
            if p.provider == provider
        ]
        return {"_embedded": {"pacts": entries}, "_links": {"self": {"href": self.base}}}


def _handler(broker: BrokerDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall between

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            broker.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
            for part, seconds in list(broker.slow.items()):
                if part in f"{self.command} {self.path}":
                    time.sleep(seconds)
            if self.headers.get("Authorization") != f"Bearer {broker.token}":
                self._send(401, {"error": "Unauthorized"})
                return
            status, payload = broker.route(self.command, self.path, body or {})
            if self.command == "POST" and self.path.endswith("/verification-results"):
                with broker._lock:
                    lose = broker.lose_publish_answers > 0
                    broker.lose_publish_answers -= lose
                if lose:  # stored, but the answer never arrives
                    self.close_connection = True
                    with suppress(OSError):
                        self.connection.shutdown(2)
                    return
            self._send(status, payload)

        def _send(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/hal+json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with suppress(OSError):
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = _handle  # noqa: N815 - http.server dispatches on these names

    return Handler


@contextmanager
def running(broker: BrokerDouble) -> Iterator[BrokerDouble]:
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
