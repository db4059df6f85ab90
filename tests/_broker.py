"""A small Pact Broker for tests: the real HAL API over real sockets on 127.0.0.1.

Responses are shaped like the broker's documented ones (index `_links`, pacts for
verification with `verificationProperties`, `/metadata/` pact URLs, pacts carrying
`pb:publish-verification-results` and `pb:consumer-version`). Every request is recorded,
so tests can assert what crosscontract sent, and so is the most requests it ever had in
flight at once (`most_in_flight`); faults (status codes, reason phrases, redirects,
`Retry-After`, slow answers) can be queued per route. A pact may be listed as kept by
another server (`elsewhere`), so that two brokers on two ports make two origins.

The same broker also answers without sockets, through `httpx.MockTransport` (`mocked`):
a slow answer is then a read timeout at once.

`dripping` is a server that answers one byte at a time, for deadlines.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    import httpx


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Fault:
    """Answer `status` (or wait `delay` seconds first) to the next `times` matching requests."""

    method: str
    path_contains: str
    status: int | None = None
    delay: float = 0.0
    times: int = 1
    payload: Any = None
    """The body to answer with (default: a problem+json `title` and `detail`)."""
    location: str | None = None
    """For a redirect: where to."""
    reason: str | None = None
    """The reason phrase of the status line (default: the standard one)."""
    retry_after: str | None = None
    """A `Retry-After` header to answer with."""


@dataclass
class BrokerPact:
    consumer: str
    provider: str
    document: dict[str, Any]
    version: str = "1.0.0"
    """The consumer version the pact was published for."""
    pending: bool = False
    wip: bool = False
    notices: list[dict[str, str]] = field(default_factory=list)
    elsewhere: str | None = None
    """The base URL of the server that keeps this pact, when it is not the broker listing it."""

    @property
    def sha(self) -> str:
        return hashlib.sha1(json.dumps(self.document, sort_keys=True).encode()).hexdigest()

    @property
    def path(self) -> str:
        metadata = base64.urlsafe_b64encode(f"cvn={self.version}".encode()).decode().rstrip("=")
        pact_version = f"/pacts/provider/{self.provider}/consumer/{self.consumer}/pact-version/{self.sha}"
        return f"{pact_version}/metadata/{metadata}"


@dataclass
class FakeBroker:
    token: str | None = None
    basic: tuple[str, str] | None = None
    for_verification: bool = True
    provider_contracts: bool = True
    publish_links: bool = True
    echo_credentials: bool = False
    relative_links: bool = False
    contract_notices: list[str] = field(default_factory=list)
    """Notices PactFlow adds to its answer to a published provider contract."""
    pacts: list[BrokerPact] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    base: str = ""
    in_flight: int = 0
    most_in_flight: int = 0
    """The most requests being answered at once, over the broker's life."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Count one request as in flight while it is answered (its delay included)."""
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self.lock:
                self.in_flight -= 1

    @property
    def root(self) -> str:
        """What hrefs start with: the base URL, or nothing when links are relative."""
        return "" if self.relative_links else self.base

    def add(self, document: dict[str, Any], **properties: Any) -> BrokerPact:
        pact = BrokerPact(document["consumer"]["name"], document["provider"]["name"], document, **properties)
        self.pacts.append(pact)
        return pact

    def fail(self, method: str, path_contains: str, status: int | None = None, **kw: Any) -> None:
        self.faults.append(Fault(method, path_contains, status, **kw))

    def sent(self, method: str, path_contains: str = "") -> list[Recorded]:
        return [r for r in self.requests if r.method == method and path_contains in r.path]

    # --- routes ---------------------------------------------------------------------------

    def index(self) -> dict[str, Any]:
        links: dict[str, Any] = {
            "self": {"href": self.root, "title": "Index"},
            "pb:latest-provider-pacts": {
                "href": self.root + "/pacts/provider/{provider}/latest",
                "title": "Latest pacts by provider",
                "templated": True,
            },
            "pb:pacticipant-version": {
                "href": self.root + "/pacticipants/{pacticipant}/versions/{version}",
                "templated": True,
            },
            "pb:pacticipant-branch-version": {
                "href": self.root + "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
                "templated": True,
            },
            "curies": [{"name": "pb", "href": self.root + "/doc/{rel}?context=index", "templated": True}],
        }
        if self.for_verification:
            links["pb:provider-pacts-for-verification"] = {
                "href": self.root + "/pacts/provider/{provider}/for-verification",
                "title": "Pact versions to be verified for the specified provider",
                "templated": True,
            }
        if self.provider_contracts:
            links["pf:publish-provider-contract"] = {
                "href": self.root + "/provider-contracts/provider/{provider}/publish",
                "templated": True,
            }
        return {"_links": links}

    def href(self, pact: BrokerPact) -> str:
        return (pact.elsewhere or self.root) + pact.path

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        path = path.partition("?")[0]  # a pact URL may carry a query (a signature, a token)
        parts = [unquote(p) for p in path.strip("/").split("/")] if path != "/" else []
        if method == "GET" and not parts:
            return 200, self.index()
        if (
            method == "POST"
            and len(parts) == 4
            and parts[:2] == ["pacts", "provider"]
            and parts[3] == "for-verification"
        ):
            return 200, self._for_verification(parts[2], body)
        if (
            method == "GET"
            and len(parts) == 4
            and parts[:2] == ["pacts", "provider"]
            and parts[3] == "latest"
        ):
            return 200, self._latest(parts[2])
        for pact in self.pacts:
            if method == "GET" and path == pact.path:
                links: dict[str, Any] = {
                    "self": {"href": self.root + pact.path},
                    "pb:consumer-version": {
                        "title": "Consumer version",
                        "name": pact.version,
                        "href": f"{self.root}/pacticipants/{pact.consumer}/versions/{pact.version}",
                    },
                }
                if self.publish_links:
                    links["pb:publish-verification-results"] = {
                        "title": "Publish verification results",
                        "href": self.root + pact.path + "/verification-results",
                    }
                return 200, {**pact.document, "createdAt": "2026-11-21T06:00:00+00:00", "_links": links}
            if method == "POST" and path == pact.path + "/verification-results":
                return 201, {
                    "providerName": pact.provider,
                    "providerApplicationVersion": body.get("providerApplicationVersion"),
                    "success": body.get("success"),
                    "verificationDate": "2026-11-21T06:00:00+00:00",
                    "_links": {"self": {"href": self.root + path + "/1"}},
                }
        if method == "PUT" and len(parts) == 6 and parts[0] == "pacticipants" and parts[2] == "branches":
            return 200, {"number": parts[5], "_links": {}}
        if method == "PUT" and len(parts) == 6 and parts[0] == "pacticipants" and parts[4] == "tags":
            return 201, {"name": parts[5], "_links": {}}
        if method == "POST" and parts[:2] == ["provider-contracts", "provider"] and parts[-1] == "publish":
            version = body.get("pacticipantVersionNumber")
            return 200, {
                "notices": [
                    {"type": "success", "text": f"Published provider contract for {parts[2]} {version}"},
                    *({"type": "info", "text": text} for text in self.contract_notices),
                ],
                "_embedded": {"version": {"number": version}},
                "_links": {"pb:pacticipant-version-tags": [], "pb:branch-version": {}},
            }
        return 404, {"error": f"The requested document was not found: {path}"}

    def _for_verification(self, provider: str, query: dict[str, Any]) -> dict[str, Any]:
        chosen = [p for p in self.pacts if p.provider == provider]
        include_pending = bool(query.get("includePendingStatus"))
        entries = []
        for pact in chosen:
            properties: dict[str, Any] = {"notices": pact.notices}
            if include_pending:
                properties["pending"] = pact.pending
            if pact.wip:
                properties["wip"] = True
            entries.append(
                {
                    "shortDescription": "latest from main branch",
                    "verificationProperties": properties,
                    "_links": {
                        "self": {
                            "href": self.href(pact),
                            "name": f"Pact between {pact.consumer} ({pact.version}) and {pact.provider}",
                        }
                    },
                }
            )
        return {
            "_embedded": {"pacts": entries},
            "_links": {
                "self": {
                    "href": f"{self.root}/pacts/provider/{provider}/for-verification",
                    "title": "Pacts to be verified",
                }
            },
        }

    def _latest(self, provider: str) -> dict[str, Any]:
        pacts = [
            {
                "href": self.href(p),
                "title": f"Pact between {p.consumer} ({p.version}) and {p.provider}",
                "name": p.consumer,
            }
            for p in self.pacts
            if p.provider == provider
        ]
        return {
            "_links": {
                "self": {"href": f"{self.root}/pacts/provider/{provider}/latest"},
                "pb:provider": {"href": f"{self.root}/pacticipants/{provider}", "name": provider},
                "pb:pacts": pacts,
                "provider": {"href": f"{self.root}/pacticipants/{provider}", "name": provider},
                "pacts": pacts,
            }
        }

    def authorized(self, header: str | None) -> bool:
        if self.token is not None:
            return header == f"Bearer {self.token}"
        if self.basic is not None:
            expected = base64.b64encode(f"{self.basic[0]}:{self.basic[1]}".encode()).decode()
            return header == f"Basic {expected}"
        return True

    def fault_for(self, method: str, path: str) -> Fault | None:
        with self.lock:  # requests come from several threads at once
            for fault in self.faults:
                if fault.times > 0 and fault.method == method and fault.path_contains in path:
                    fault.times -= 1
                    return fault
        return None

    def answer(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        """Record one request and decide the answer (after `delay` seconds)."""
        body = json.loads(raw) if raw else None
        with self.lock:
            self.requests.append(Recorded(method, path, headers, body))
        fault = self.fault_for(method, path)
        delay = fault.delay if fault is not None else 0.0
        if not self.authorized(headers.get("Authorization")):
            return Answer(401, {"error": "Unauthorized"}, delay=delay)
        if fault is not None and fault.status is not None:
            # A careless broker may echo the request back: the client must not repeat it.
            echoed = headers.get("Authorization") if self.echo_credentials else ""
            problem = {"title": "Server error", "detail": f"something broke {echoed}"}
            extra = {"Location": fault.location} if fault.location else {}
            if fault.retry_after is not None:
                extra["Retry-After"] = fault.retry_after
            payload = problem if fault.payload is None else fault.payload
            return Answer(fault.status, payload, extra, delay, fault.reason)
        if method in ("POST", "PUT") and headers.get("Content-Type") != "application/json":
            return Answer(415, {"error": "Content-Type must be application/json"}, delay=delay)
        return Answer(*self.route(method, path, body or {}), delay=delay)


@dataclass
class Answer:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reason: str | None = None


def _handler(broker: FakeBroker) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def _handle(self) -> None:
            # In flight until the answer is ready: once it is sent, the client may send the
            # next request before this thread is done, which is not two requests at once.
            with broker.answering():
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                answer = broker.answer(self.command, self.path, dict(self.headers.items()), raw)
                if answer.delay:
                    time.sleep(answer.delay)
            self._send(answer.status, answer.payload, answer.headers, answer.reason)

        def _send(
            self, status: int, payload: Any, headers: dict[str, str] | None = None, reason: str | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status, reason)
            self.send_header("Content-Type", "application/hal+json;charset=utf-8")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (a timeout test)
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = _handle  # noqa: N815 - http.server dispatches on these names

    return Handler


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # a client sends several requests at once


@contextmanager
def running(broker: FakeBroker) -> Iterator[FakeBroker]:
    server = _Server(("127.0.0.1", 0), _handler(broker))
    server.daemon_threads = True
    broker.base = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll interval lets `shutdown` return at once.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield broker
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def mocked(broker: FakeBroker, base: str = "http://broker.test") -> httpx.MockTransport:
    """The broker as an httpx transport at `base`: no socket, no thread, no waiting."""
    import httpx

    broker.base = base

    def handle(request: httpx.Request) -> httpx.Response:
        headers = {key.decode(): value.decode() for key, value in request.headers.raw}
        with broker.answering():
            answer = broker.answer(request.method, request.url.raw_path.decode(), headers, request.read())
        if answer.delay:
            raise httpx.ReadTimeout("timed out", request=request)
        extensions = {"reason_phrase": answer.reason.encode()} if answer.reason else {}
        return httpx.Response(
            answer.status,
            headers={"Content-Type": "application/hal+json;charset=utf-8", **answer.headers},
            content=json.dumps(answer.payload).encode(),
            extensions=extensions,
        )

    return httpx.MockTransport(handle)


@contextmanager
def dripping(head: bytes, body: bytes, interval: float) -> Iterator[str]:
    """A server on 127.0.0.1 that sends `head` whole, then `body` one byte every `interval` seconds.

    Yields its base URL. Every connection gets the same answer; the drip stops when the
    client goes away or the server is shut.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def drip(connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            connection.recv(65536)  # the request: never read whole, never answered early
            connection.sendall(head)
            for byte in body:
                if stop.wait(interval):
                    return
                connection.sendall(bytes([byte]))

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=drip, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()
