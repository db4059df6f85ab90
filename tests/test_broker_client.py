"""The broker client as a library: HAL links, credentials and where they go, limits, payloads."""

from __future__ import annotations

import math
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
from _broker import FakeBroker, dripping, mocked, running
from crosscontract.engine import compare, parse_pact
from crosscontract.engine.broker.client import (
    Broker,
    BrokerAuth,
    BrokerError,
    VerificationQuery,
    expand,
    link,
    redact,
)
from crosscontract.engine.broker.payloads import verification_result
from crosscontract.engine.errors import BrokerProtocolError, BrokerUnavailableError

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {"/things": {"get": {"responses": {"204": {"description": "none"}}}}},
}
PACT: dict[str, Any] = {
    "consumer": {"name": "web"},
    "provider": {"name": "things"},
    "interactions": [
        {
            "_id": "abc123",
            "description": "d",
            "request": {"method": "GET", "path": "/things"},
            "response": {"status": 204},
        },
        {"description": "e", "request": {"method": "GET", "path": "/nothing"}, "response": {"status": 204}},
    ],
}


@pytest.fixture
def broker() -> Iterator[FakeBroker]:
    with running(FakeBroker(token="tkn")) as started:
        yield started


def test_credentials_never_show_in_repr() -> None:
    auth = BrokerAuth(token="very-secret", username="u", password="also-secret")
    assert "very-secret" not in repr(auth)
    assert "also-secret" not in repr(auth)
    assert auth.header() == {"Authorization": "Bearer very-secret"}  # a token wins over basic auth
    assert BrokerAuth(username="u", password="p").header() == {"Authorization": "Basic dTpw"}
    assert BrokerAuth().header() == {}


def test_hal_links_and_urls() -> None:
    assert (
        expand("/pacts/provider/{provider}/latest", provider="my api/v2")
        == "/pacts/provider/my%20api%2Fv2/latest"
    )
    assert link({"_links": {"pb:pacts": [{"href": "/a"}, {"href": "/b"}]}}, "pb:pacts") == "/a"
    assert link({"_links": {"self": {"title": "no href"}}}, "self") is None
    assert link([], "self") is None
    assert redact("https://user:pw@broker.example.com/pacts") == "https://broker.example.com/pacts"
    assert redact("https://broker.example.com/pacts") == "https://broker.example.com/pacts"
    assert redact("http://user:pw@[::1/pacts") == "http://[::1/pacts"  # malformed, still redacted


def test_query_body_leaves_out_what_was_not_asked() -> None:
    assert VerificationQuery().body() == {}
    assert VerificationQuery(({"mainBranch": True},), include_pending=True).body() == {
        "consumerVersionSelectors": [{"mainBranch": True}],
        "includePendingStatus": True,
    }


def test_fetch_and_publish_from_python(broker: FakeBroker) -> None:
    added = broker.add(PACT)
    with Broker(broker.base, BrokerAuth(token="tkn")) as client:
        [chosen] = client.pacts_for_verification("things", VerificationQuery(({"mainBranch": True},)))
        fetched = client.fetch_pact(chosen)
        assert fetched.pact.file == broker.base + added.path
        assert fetched.consumer_version == "1.0.0"  # as the broker's list names it
        assert fetched.publish_url == broker.base + added.path + "/verification-results"
        report = compare(SPEC, [fetched.pact])
        answer = client.publish_verification(fetched, verification_result(report.pacts[0], "1.0.0"))
    assert answer["success"] is False
    [sent] = broker.sent("POST", "/verification-results")
    first, second = sent.body["testResults"]
    assert first["interactionId"] == "abc123"
    assert first["success"] is True
    assert second["success"] is False
    assert [m["code"] for m in second["mismatches"]] == ["request.path-or-method.unknown"]
    assert "buildUrl" not in sent.body


def test_a_pact_url_that_is_not_a_pact_is_a_broker_error(broker: FakeBroker) -> None:
    with (
        Broker(broker.base, BrokerAuth(token="tkn")) as client,
        pytest.raises(BrokerError, match="interactions"),
    ):
        client.fetch_pact(broker.base + "/")


@pytest.mark.parametrize(
    ("auth", "secret", "shown"),
    [
        (BrokerAuth(token="tkn"), "tkn", "Bearer ***"),
        (BrokerAuth(username="ci", password="pa55"), "Y2k6cGE1NQ==", "Basic ***"),  # base64 of ci:pa55
    ],
)
def test_secrets_are_scrubbed_from_broker_messages(auth: BrokerAuth, secret: str, shown: str) -> None:
    with running(FakeBroker(echo_credentials=True)) as broker:
        broker.fail("GET", "/", 500)
        with Broker(broker.base, auth, attempts=1) as client, pytest.raises(BrokerError) as caught:
            client.index()
    message = str(caught.value)
    assert message.startswith(f"GET {broker.base}/: 500 Internal Server Error: Server error; something broke")
    assert shown in message
    assert secret not in message


def test_interactions_not_checked_are_listed_as_skipped_in_the_result() -> None:
    v4 = {
        "consumer": {"name": "web"},
        "provider": {"name": "things"},
        "interactions": [
            {"type": "Asynchronous/Messages", "description": "a thing happened", "contents": {}},
            {**PACT["interactions"][0], "type": "Synchronous/HTTP"},
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    [report] = compare(SPEC, [parse_pact(v4, "v4.json")]).pacts
    result = verification_result(report, "1")
    assert result["success"] is True
    skipped, checked = result["testResults"]
    assert skipped["interactionIndex"] == 0
    assert skipped["skipped"] is True
    assert "not HTTP" in skipped["reason"]
    assert (checked["interactionIndex"], checked["success"]) == (1, True)


# --- where requests go ---------------------------------------------------------------------


def _mocked_client(fake: FakeBroker, **kw: Any) -> Broker:
    return Broker("http://broker.test", BrokerAuth(token="tkn"), transport=mocked(fake), **kw)


def _hosts(fake: FakeBroker) -> list[tuple[str, str | None]]:
    """(host, Authorization) of every request the broker (or anyone behind the transport) got."""
    return [(r.headers["Host"], r.headers.get("Authorization")) for r in fake.requests]


@pytest.mark.parametrize(
    "elsewhere",
    [
        "http://other.test",
        "https://broker.test",  # another scheme: another origin
        "http://broker.test:8080",  # another port: another origin
        "http://169.254.169.254",
        "http://127.0.0.1:9",
        "http://localhost",
        "http://127.1",  # what a resolver reads as 127.0.0.1
        "http://[::ffff:169.254.169.254]",
        "http://[fe80::1]",
    ],
)
def test_a_pact_listed_on_another_origin_is_not_fetched_unless_allowed(elsewhere: str) -> None:
    fake = FakeBroker(token="tkn")
    fake.add(PACT, elsewhere=elsewhere)
    with _mocked_client(fake) as client:
        [chosen] = client.pacts_for_verification("things", VerificationQuery())
        with pytest.raises(BrokerError) as caught:
            client.fetch_pact(chosen)
    assert type(caught.value) is BrokerError  # nothing was asked: nobody's answer
    assert f"GET {elsewhere}/pacts/" in str(caught.value)
    assert [host for host, _ in _hosts(fake)] == ["broker.test", "broker.test"]  # index, list


def test_an_allowed_host_is_fetched_without_the_credentials() -> None:
    fake = FakeBroker()  # answers anyone: the test is what was sent
    added = fake.add(PACT, elsewhere="http://pacts.test:8080")
    with _mocked_client(fake, allow_hosts=["pacts.test"]) as client:
        [chosen] = client.pacts_for_verification("things", VerificationQuery())
        fetched = client.fetch_pact(chosen)
    assert fetched.source.url == "http://pacts.test:8080" + added.path
    assert _hosts(fake) == [
        ("broker.test", "Bearer tkn"),
        ("broker.test", "Bearer tkn"),
        ("pacts.test:8080", None),
    ]


@pytest.mark.parametrize(
    ("allowed", "fetched"), [("pacts.test:8080", True), ("pacts.test:9090", False), ("PACTS.test", True)]
)
def test_an_allowed_host_may_name_its_port(allowed: str, fetched: bool) -> None:
    fake = FakeBroker()
    fake.add(PACT, elsewhere="http://pacts.test:8080")
    with _mocked_client(fake, allow_hosts=[allowed]) as client:
        [chosen] = client.pacts_for_verification("things", VerificationQuery())
        if fetched:
            client.fetch_pact(chosen)
        else:
            with pytest.raises(BrokerError, match="not the broker's origin"):
                client.fetch_pact(chosen)


@pytest.mark.parametrize("address", ["169.254.169.254", "127.0.0.1", "[::1]", "[fe80::1]"])
def test_loopback_and_link_local_addresses_are_never_asked_even_when_allowed(address: str) -> None:
    fake = FakeBroker()
    fake.add(PACT, elsewhere=f"http://{address}")
    with _mocked_client(fake, allow_hosts=[address]) as client:
        [chosen] = client.pacts_for_verification("things", VerificationQuery())
        with pytest.raises(BrokerError, match="never asked unless the broker is on one"):
            client.fetch_pact(chosen)
    assert len(fake.requests) == 2


def test_a_broker_on_loopback_may_list_allowed_pacts_on_loopback() -> None:
    fake = FakeBroker()
    fake.add(PACT, elsewhere="http://127.0.0.1:8081")
    with Broker(
        "http://localhost:8080",
        BrokerAuth(token="tkn"),
        transport=mocked(fake, "http://localhost:8080"),
        allow_hosts=["127.0.0.1"],
    ) as client:
        [chosen] = client.pacts_for_verification("things", VerificationQuery())
        client.fetch_pact(chosen)
    assert _hosts(fake)[-1] == ("127.0.0.1:8081", None)


@pytest.mark.parametrize(
    ("location", "refused"),
    [
        ("http://evil.test/stolen", "not the broker's origin"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://broker.test/", "not the broker's origin"),  # an upgrade is another origin too
    ],
)
def test_a_redirect_to_another_origin_is_refused(location: str, refused: str) -> None:
    fake = FakeBroker(token="tkn")
    fake.fail("GET", "/", 302, location=location)
    with _mocked_client(fake, attempts=1) as client, pytest.raises(BrokerError) as caught:
        client.index()
    assert f"GET http://broker.test/: redirected to {location}: " in str(caught.value)
    assert refused in str(caught.value)
    assert _hosts(fake) == [("broker.test", "Bearer tkn")]


def test_an_allowed_redirect_to_another_origin_carries_no_credentials() -> None:
    fake = FakeBroker()
    fake.fail("GET", "/", 307, location="http://mirror.test/")
    with _mocked_client(fake, allow_hosts=["mirror.test"]) as client:
        assert "_links" in client.index()
    assert _hosts(fake) == [("broker.test", "Bearer tkn"), ("mirror.test", None)]


def test_a_redirect_within_the_origin_keeps_the_credentials() -> None:
    fake = FakeBroker(token="tkn")
    fake.fail("GET", "/", 301, location="/?moved=1")
    with _mocked_client(fake) as client:
        assert "_links" in client.index()
    assert _hosts(fake) == [("broker.test", "Bearer tkn")] * 2


def test_redirect_loops_end() -> None:
    fake = FakeBroker()
    fake.fail("GET", "/", 302, location="/", times=50)
    with (
        _mocked_client(fake, attempts=1) as client,
        pytest.raises(BrokerError, match="more than 10 redirects"),
    ):
        client.index()
    assert len(fake.requests) == 11


def test_the_transport_refuses_a_loopback_peer_before_sending(monkeypatch: pytest.MonkeyPatch) -> None:
    with running(FakeBroker()) as served:
        added = served.add(PACT)
        port = served.base.rsplit(":", 1)[1]
        real = socket.getaddrinfo

        def resolve_to_loopback(host: str, *args: Any, **kw: Any) -> Any:
            return real("127.0.0.1", *args, **kw)  # every name is this machine

        monkeypatch.setattr(socket, "getaddrinfo", resolve_to_loopback)
        with (
            Broker("http://broker.example", BrokerAuth(token="tkn"), allow_hosts=["pacts.example"]) as client,
            pytest.raises(BrokerError) as caught,
        ):
            client.fetch_pact(f"http://pacts.example:{port}{added.path}")
    assert "pacts.example is at 127.0.0.1, a loopback address" in str(caught.value)
    assert served.requests == []  # connected, judged, closed: nothing sent


def test_pacts_on_a_second_local_broker_are_fetched_without_the_token() -> None:
    """Two servers on 127.0.0.1, two ports: two origins, the token for the first only."""
    with running(FakeBroker(token="tkn")) as broker, running(FakeBroker()) as other:
        added = other.add(PACT)
        broker.add(PACT, elsewhere=other.base)
        port = other.base.rsplit(":", 1)[1]
        for allowed, ok in (([], False), ([f"127.0.0.1:{port}"], True)):
            with Broker(broker.base, BrokerAuth(token="tkn"), allow_hosts=allowed) as client:
                [chosen] = client.pacts_for_verification("things", VerificationQuery())
                if ok:
                    assert client.fetch_pact(chosen).source.url == other.base + added.path
                else:
                    with pytest.raises(BrokerError, match="not the broker's origin"):
                        client.fetch_pact(chosen)
    assert [r.headers.get("Authorization") for r in other.requests] == [None]
    assert all(r.headers["Authorization"] == "Bearer tkn" for r in broker.requests)


@pytest.mark.parametrize("token", ["tøken", "a\r\nX-Evil: 1", "two words", "tab\there"])
def test_a_token_no_header_can_carry_is_refused_without_repeating_it(token: str) -> None:
    with pytest.raises(ValueError, match="bearer token") as caught:
        BrokerAuth(token=token)
    assert token not in str(caught.value)


def test_allowed_hosts_are_hosts() -> None:
    for bad in ("http://x", "a b", "host:99999", "host:port", ""):
        with pytest.raises(ValueError, match="is not a host"):
            Broker("http://broker.test", allow_hosts=[bad])
    with Broker("http://broker.test", allow_hosts=["Pacts.Example", "[::1]:8080", "bröker.de"]) as client:
        assert client.policy is not None
        assert client.policy.allowed == {"pacts.example", "::1:8080", "xn--brker-kua.de"}


# --- how long and how much -----------------------------------------------------------------


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_broker_that_drips_is_cut_at_the_deadline(where: str) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    body = b"{" + b" " * 998 + b"}"
    answer = (b"", head + body) if where == "headers" else (head, body)
    with dripping(*answer, interval=0.05) as base:  # 20 bytes a second: every read in time
        started = time.monotonic()
        with (
            Broker(base, timeout=0.5, attempts=1) as client,
            pytest.raises(BrokerUnavailableError, match="did not answer in time"),
        ):
            client.index()
        took = time.monotonic() - started
    assert 0.4 < took < 1.5, took  # the whole answer would take 50 s


def test_a_name_whose_lookup_never_ends_is_cut_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    # The system resolver has no timeout: a lookup that hangs must not hold the run.
    released = threading.Event()

    def hanging(*args: Any, **kw: Any) -> Any:
        released.wait(30)
        raise OSError("released")

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    started = time.monotonic()
    try:
        with (
            Broker("http://broker.example", timeout=0.5, attempts=1) as client,
            pytest.raises(BrokerUnavailableError, match="deadline"),
        ):
            client.index()
    finally:
        released.set()
    assert time.monotonic() - started < 1.5


def test_each_address_of_a_name_is_tried_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    with running(FakeBroker()) as served:
        port = int(served.base.rsplit(":", 1)[1])
        closed = socket.create_server(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
        closed.close()  # nothing listens there: refused at once
        answers = [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", dead)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]
        monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kw: answers)
        with Broker(f"http://localhost:{port}", attempts=1) as client:
            assert "_links" in client.index()


@pytest.mark.parametrize("timeout", [math.nan, math.inf, 0.0, -1.0, 1e12])
def test_a_timeout_that_is_not_a_deadline_is_refused(timeout: float) -> None:
    with pytest.raises(ValueError, match="timeout"):
        Broker("http://broker.test", timeout=timeout)


def _answer_of(content: Iterable[bytes] | bytes, **headers: str) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, content=content)

    return httpx.MockTransport(handle)


def test_an_answer_larger_than_the_limit_is_cut_as_it_streams() -> None:
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        while True:
            sent.append(1)
            yield b" " * 1024

    with (
        Broker("http://broker.test", transport=_answer_of(endless()), max_answer_bytes=64 * 1024) as client,
        pytest.raises(BrokerProtocolError) as caught,
    ):
        client.index()
    assert str(caught.value) == (
        "GET http://broker.test/: the answer is larger than 65536 bytes, the most one broker answer "
        "may hold (raise it with --broker-max-answer)"
    )
    assert len(sent) == 65  # read up to the limit, and not one chunk more


def test_an_answer_announced_as_too_large_is_not_read() -> None:
    transport = _answer_of(b"{}", **{"Content-Length": str(2**40)})
    with (
        Broker("http://broker.test", transport=transport) as client,
        pytest.raises(BrokerProtocolError) as caught,
    ):
        client.index()
    assert "larger than 64 MiB" in str(caught.value)


def test_an_answer_at_the_limit_is_read() -> None:
    content = b'{"_links": {}, "pad": "' + b"x" * 1000 + b'"}'
    with Broker("http://broker.test", transport=_answer_of(content), max_answer_bytes=len(content)) as client:
        assert client.index()["_links"] == {}


def test_the_environments_proxy_is_used_and_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with running(FakeBroker()) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base)
        monkeypatch.setenv("NO_PROXY", "localhost")
        with Broker("http://broker.invalid", attempts=1) as client, pytest.raises(BrokerError, match="404"):
            client.index()  # the proxy answers for the broker: it knows no such route
        assert [r.path for r in proxy.requests] == ["http://broker.invalid/"]  # a proxy's request line
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        with (
            Broker(f"http://localhost:{closed}", attempts=1) as client,
            pytest.raises(BrokerError, match="reach"),
        ):
            client.index()  # asked directly, not through the proxy
        assert len(proxy.requests) == 1
