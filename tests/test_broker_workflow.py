"""`engine.broker.verify()` as a library call: no CLI, no socket, the broker behind `httpx.MockTransport`.

What a service's worker relies on: the run says what was compared, published and not
published (with reasons), and the faults that stop a run say whether trying again later
may help.
"""

from __future__ import annotations

import json
import pickle
import socket
import subprocess
import sys
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import httpx
import pytest
from _broker import FakeBroker, mocked
from crosscontract.engine import Comparator, Options, load_spec
from crosscontract.engine.broker import (
    Broker,
    BrokerAuth,
    BrokerError,
    BrokerProtocolError,
    BrokerRefusedError,
    BrokerUnavailableError,
    PublishSettings,
    VerificationQuery,
    VerificationRun,
    verify,
)

SPEC = load_spec(
    {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"id": {"type": "integer"}}}
                                }
                            },
                        }
                    }
                }
            }
        },
    },
    label="openapi.yaml",
)


def pact(consumer: str, body: Any) -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": "things"},
        "interactions": [
            {
                "description": "a request for things",
                "request": {"method": "GET", "path": "/things"},
                "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body},
            }
        ],
    }


GOOD = pact("web", {"id": 1})
BAD = pact("mobile", {"id": "not a number"})


@pytest.fixture(autouse=True)
def _no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def fake() -> FakeBroker:
    return FakeBroker()


def client(fake: FakeBroker, **kw: Any) -> Broker:
    return Broker("http://broker.test", transport=mocked(fake), sleep=lambda _: None, **kw)


def run(fake: FakeBroker, **kw: Any) -> VerificationRun:
    with client(fake) as broker:
        return verify(SPEC, broker, provider="things", **kw)


class Recorder:
    """A listener that keeps what it was shown, and the labels of the long steps."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.steps: list[tuple[str, int]] = []

    def notice(self, line: str) -> None:
        self.lines.append(line)

    def progress(self, items: Sequence[Any], label: str) -> AbstractContextManager[Iterable[Any]]:
        self.steps.append((label, len(items)))
        return nullcontext(items)


# --- comparing -------------------------------------------------------------------------------


def test_the_brokers_pacts_are_fetched_and_compared(fake: FakeBroker) -> None:
    good, bad = fake.add(GOOD), fake.add(BAD)
    done = run(fake, query=VerificationQuery(({"mainBranch": True},)))
    [query] = fake.sent("POST", "/for-verification")
    assert query.body == {"consumerVersionSelectors": [{"mainBranch": True}]}
    # Labelled by consumer and version, as the broker names them, not by their long URLs.
    assert [p.pact_file for p in done.report.pacts] == ["web 1.0.0", "mobile 1.0.0"]
    assert [f.source.url for f in done.pacts] == [fake.base + good.path, fake.base + bad.path]
    assert [p.success for p in done.report.pacts] == [True, False]
    assert [f.pact.consumer for f in done.pacts] == ["web", "mobile"]
    assert done.report.spec_file == "openapi.yaml"
    assert done.exit_code == 1
    # Nothing is written to the broker without publish settings.
    assert (done.published, done.unpublished, done.lines) == ((), (), ())
    assert fake.sent("POST", "/verification-results") == []
    assert fake.sent("PUT") == []


def test_pact_urls_and_local_files_are_compared_and_a_comparator_is_reused(
    fake: FakeBroker, tmp_path: Path
) -> None:
    added = fake.add(BAD)
    local = tmp_path / "local.json"
    local.write_text(json.dumps(GOOD), encoding="utf-8")
    comparator = Comparator(SPEC, Options(additional_properties_in_response=True))
    with client(fake) as broker:
        done = verify(
            comparator,
            broker,
            pact_urls=[fake.base + added.path, fake.base + added.path],
            local_pacts=[local],
        )
    # Named as given: the URL, and the file's path.
    assert [p.pact_file for p in done.report.pacts] == [fake.base + added.path, str(local)]
    assert len(fake.sent("GET", "/pact-version/")) == 1  # the same URL twice is one pact
    assert fake.sent("POST", "/for-verification") == []  # no provider: the broker chooses nothing
    with client(fake) as broker, pytest.raises(ValueError, match="Comparator"):
        verify(comparator, broker, pact_urls=[fake.base + added.path], options=Options())


def test_a_pending_pact_is_marked_and_fails_nothing(fake: FakeBroker) -> None:
    fake.add(GOOD)
    fake.add(BAD, pending=True)
    done = run(fake, query=VerificationQuery(include_pending=True, provider_version_branch="main"))
    assert [p.pending for p in done.report.pacts] == [False, True]
    assert [p.pact_file for p in done.pending_failures] == ["mobile 1.0.0"]
    assert done.report.success is False
    assert done.exit_code == 0
    assert done.lines == (
        "1 pending pact(s) failed: reported, but pending pacts do not fail the build until the "
        "provider has verified them once",
    )


def test_no_pacts_is_the_reference_notice_and_success(fake: FakeBroker) -> None:
    done = run(fake, publish=PublishSettings("1"))
    [notice] = done.report.notices
    assert (notice.code.code, notice.message) == (
        "pact-broker.no-pacts-found",
        "No consumer pacts found in Pact Broker",
    )
    assert done.report.pacts == ()
    assert (done.report.success, done.exit_code) == (True, 0)
    assert (done.pacts, done.published, done.unpublished) == ((), (), ())
    assert fake.sent("PUT") == []


# --- publishing ------------------------------------------------------------------------------


def test_tags_are_set_before_one_result_per_pact_is_published(fake: FakeBroker) -> None:
    good, bad = fake.add(GOOD), fake.add(BAD)
    listener = Recorder()
    with client(fake) as broker:
        done = verify(
            SPEC,
            broker,
            provider="things",
            publish=PublishSettings("1.0.0", branch="main", tags=("prod",), build_url="https://ci/1"),
            listener=listener,
        )
    writes = [(r.method, r.path) for r in fake.requests if r.method in ("PUT", "POST")]
    assert writes[:3] == [
        ("POST", "/pacts/provider/things/for-verification"),
        ("PUT", "/pacticipants/things/branches/main/versions/1.0.0"),
        ("PUT", "/pacticipants/things/versions/1.0.0/tags/prod"),
    ]
    # The results go at once, in any order, each once.
    assert sorted(writes[3:]) == sorted(
        [("POST", good.path + "/verification-results"), ("POST", bad.path + "/verification-results")]
    )
    results = {r.path: r.body for r in fake.sent("POST", "/verification-results")}
    first, second = results[good.path + "/verification-results"], results[bad.path + "/verification-results"]
    assert (first["success"], second["success"]) == (True, False)
    assert first["providerApplicationVersion"] == "1.0.0"
    assert first["buildUrl"] == "https://ci/1"
    assert done.published == ("web 1.0.0", "mobile 1.0.0")  # in the pacts' order
    assert done.unpublished == ()
    assert done.lines == ("published 2 verification results",)
    assert listener.lines == list(done.lines)
    assert listener.steps == [("Fetching pacts", 2), ("Publishing results", 2)]
    assert done.exit_code == 1  # the incompatible pact; every result was published


def test_nothing_is_published_when_the_tags_cannot_be_set(fake: FakeBroker) -> None:
    fake.add(GOOD), fake.add(BAD)
    fake.fail("PUT", "/tags/", 500, times=5)
    done = run(fake, publish=PublishSettings("1.0.0", tags=("prod",)))
    assert fake.sent("POST", "/verification-results") == []
    assert done.published == ()
    assert [u.pact for u in done.unpublished] == ["web 1.0.0", "mobile 1.0.0"]
    for unpublished in done.unpublished:
        assert unpublished.reason.startswith("provider version branch/tags not set: PUT http://broker.test/")
        assert "500 Internal Server Error" in unpublished.reason
        assert (unpublished.status, unpublished.retryable) == (500, False)
    assert done.exit_code == 2
    assert done.lines[0].startswith("error: provider version branch/tags not set, so no result is published")
    assert done.lines[1] == "error: 2 verification result(s) not published: web 1.0.0, mobile 1.0.0"


def test_each_result_not_published_is_named_with_its_reason(fake: FakeBroker) -> None:
    busy, slow = fake.add(pact("ios", {"id": 1})), fake.add(pact("tv", {"id": 2}))
    fake.add(GOOD)
    fake.fail("POST", busy.path + "/verification-results", 503, times=10)
    fake.fail("POST", slow.path + "/verification-results", delay=1.0)
    done = run(fake, publish=PublishSettings("1.0.0"))
    assert done.published == ("web 1.0.0",)
    busy_result, slow_result = done.unpublished
    assert (busy_result.pact, busy_result.status, busy_result.retryable) == ("ios 1.0.0", 503, True)
    # Its answer was lost: the broker may have stored it, so sending it again is no remedy.
    assert (slow_result.pact, slow_result.status, slow_result.retryable) == ("tv 1.0.0", None, False)
    assert "it may have been stored" in slow_result.reason
    assert len(fake.sent("POST", busy.path)) == 3  # the broker did not handle it: sent again, bounded
    assert len(fake.sent("POST", slow.path)) == 1
    assert done.exit_code == 2


# --- faults that stop the run ----------------------------------------------------------------


def test_a_notice_reaches_the_listener_before_the_fault_that_follows(fake: FakeBroker) -> None:
    fake.add(GOOD, notices=[{"when": "before_verification", "text": "verified because it is on main"}])
    fake.fail("GET", "/pact-version/", 404, times=10)
    listener = Recorder()
    with client(fake) as broker, pytest.raises(BrokerRefusedError):
        verify(SPEC, broker, provider="things", listener=listener)
    assert listener.lines == ["broker: verified because it is on main"]


@pytest.mark.parametrize(
    ("fault", "kind", "status", "retryable"),
    [
        (
            {"method": "POST", "path_contains": "/for-verification", "status": 503},
            BrokerUnavailableError,
            503,
            True,
        ),
        (
            {"method": "GET", "path_contains": "/pact-version/", "status": 502},
            BrokerUnavailableError,
            502,
            True,
        ),
        (
            {"method": "GET", "path_contains": "/pact-version/", "delay": 1.0},
            BrokerUnavailableError,
            None,
            True,
        ),
        ({"method": "GET", "path_contains": "/pact-version/", "status": 404}, BrokerRefusedError, 404, False),
        (
            {"method": "POST", "path_contains": "/for-verification", "status": 422},
            BrokerRefusedError,
            422,
            False,
        ),
        (
            {"method": "POST", "path_contains": "/for-verification", "status": 200, "payload": {}},
            BrokerProtocolError,
            None,
            False,
        ),
    ],
    ids=["503", "502-read", "timeout", "404", "422", "no-pact-list"],
)
def test_faults_say_whether_trying_again_may_help(
    fault: dict[str, Any], kind: type[BrokerError], status: int | None, retryable: bool, fake: FakeBroker
) -> None:
    fake.add(GOOD)
    fake.fail(**fault, times=10)
    with pytest.raises(kind) as caught:
        run(fake)
    assert (caught.value.status, caught.value.retryable) == (status, retryable)


def test_refused_credentials_are_a_401_not_worth_retrying() -> None:
    fake = FakeBroker(token="the-right-one")
    with (
        Broker("http://broker.test", BrokerAuth(token="a-wrong-one"), transport=mocked(fake)) as broker,
        pytest.raises(BrokerRefusedError) as caught,
    ):
        verify(SPEC, broker, provider="things")
    assert (caught.value.status, caught.value.retryable) == (401, False)
    assert "refused the credentials" in str(caught.value)
    assert "a-wrong-one" not in str(caught.value)
    assert len(fake.requests) == 1  # a refusal is not sent again


def test_an_unreachable_broker_is_worth_retrying() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    waits: list[float] = []
    with (
        Broker(
            "http://broker.test", transport=httpx.MockTransport(refuse), backoff=0.5, sleep=waits.append
        ) as broker,
        pytest.raises(BrokerUnavailableError) as caught,
    ):
        verify(SPEC, broker, provider="things")
    assert str(caught.value) == "GET http://broker.test/: cannot reach the broker (connection refused)"
    assert (caught.value.status, caught.value.retryable) == (None, True)
    assert waits == [0.5, 1.0]  # three attempts, the wait doubling


def test_a_malformed_url_is_a_broker_error_of_no_kind() -> None:
    with (
        Broker("http://broker.test", transport=mocked(FakeBroker())) as broker,
        pytest.raises(BrokerError) as caught,
    ):
        verify(SPEC, broker, pact_urls=["http://ci:pw-secret@[::1/pact.json"])
    assert type(caught.value) is BrokerError  # the request cannot be sent: nobody's answer
    assert str(caught.value).startswith("GET http://[::1/pact.json: ")
    assert (caught.value.status, caught.value.retryable) == (None, False)


@pytest.mark.parametrize(
    "error",
    [
        BrokerUnavailableError("GET x: 503", status=503),
        BrokerRefusedError("GET x: 404", status=404),
        BrokerUnavailableError("POST x: 504 (it may have been stored)", status=504, retryable=False),
    ],
)
def test_broker_errors_keep_their_kind_status_and_retryable_across_processes(error: BrokerError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (str(copy), copy.status, copy.retryable) == (str(error), error.status, error.retryable)


def test_without_publish_settings_the_brokers_notices_for_the_outcome_are_lines(fake: FakeBroker) -> None:
    fake.add(
        BAD,
        notices=[
            {"when": "before_verification", "text": "because it is on main"},
            {"when": "after_verification:success_false_published_false", "text": "failed, not published"},
            {"when": "after_verification:success_false_published_true", "text": "failed and published"},
        ],
    )
    done = run(fake)
    assert done.lines == ("broker: because it is on main", "broker: mobile: failed, not published")


def test_the_workflow_loads_httpx_only_when_a_broker_client_is_made() -> None:
    code = (
        "import sys\n"
        "import crosscontract.engine.broker, crosscontract.engine.render.markdown\n"
        "assert 'httpx' not in sys.modules, 'httpx imported before any broker is used'\n"
        "crosscontract.engine.broker.Broker('http://broker.test').close()\n"
        "assert 'httpx' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
