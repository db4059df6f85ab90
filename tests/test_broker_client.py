"""The broker client as a library: HAL links, credentials, and the payloads it sends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _broker import FakeBroker, running
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
