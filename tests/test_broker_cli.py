"""`crosscontract compare --provider ...` and `publish-provider-contract` against a test broker.

The broker in `_broker.py` speaks the real HTTP API on 127.0.0.1 and records every request,
so these tests check what crosscontract sends (selectors, credentials, verification
results) and how it behaves when the broker fails: one clear line, exit 2, no traceback, and
no verification result lost or published twice.
"""

from __future__ import annotations

import base64
import io
import json
import socket
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from _broker import FakeBroker, running
from _broker_cli import pact, run, spec_file, without_broker_settings
from _build import THINGS_SPEC
from click.testing import Result
from crosscontract.cli.broker import BrokerSettings
from crosscontract.cli.terminal import PROGRESS_FROM, progress

SPEC = THINGS_SPEC

TOKEN = "s3cret-token-value"


GOOD = pact("web")
BAD = pact("mobile", {"id": "not a number"}, description="things with a text id")


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch: pytest.MonkeyPatch) -> None:
    without_broker_settings(monkeypatch)


@pytest.fixture
def broker() -> Iterator[FakeBroker]:
    with running(FakeBroker()) as started:
        yield started


@pytest.fixture
def spec(tmp_path: Path) -> str:
    return spec_file(tmp_path)


def verify(broker: FakeBroker, spec: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return run("compare", spec, "--broker-url", broker.base, "--provider", "things", *args, env=env)


def assert_one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert any(line.startswith("crosscontract: error:") for line in lines), result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


# --- fetching --------------------------------------------------------------------------------


def test_selectors_and_query_are_sent_as_given(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    result = verify(
        broker,
        spec,
        "--consumer-version-selector",
        '{"branch": "feat-x", "fallbackBranch": "main"}',
        "--consumer-version-selector",
        '{"deployed": true, "environment": "production"}',
        "--main-branch",
        "--deployed-or-released",
        "--matching-branch",
        "--latest",
        "--consumer-version-tag",
        "prod",
        "--provider-version-branch",
        "main",
        "--include-pending",
        "--include-wip-pacts-since",
        "2026-01-01",
    )
    assert result.exit_code == 0, result.output
    [query] = broker.sent("POST", "/for-verification")
    assert query.path == "/pacts/provider/things/for-verification"
    assert query.headers["Content-Type"] == "application/json"
    assert "application/hal+json" in query.headers["Accept"]
    assert query.body == {
        "consumerVersionSelectors": [
            {"branch": "feat-x", "fallbackBranch": "main"},
            {"deployed": True, "environment": "production"},
            {"mainBranch": True},
            {"deployedOrReleased": True},
            {"matchingBranch": True},
            {"latest": True},
            {"tag": "prod", "latest": True},
        ],
        "providerVersionBranch": "main",
        "includePendingStatus": True,
        "includeWipPactsSince": "2026-01-01",
    }


def test_compatible_pacts_from_the_broker_pass_and_are_labelled_with_their_url(
    broker: FakeBroker, spec: str
) -> None:
    added = broker.add(GOOD)
    result = verify(broker, spec, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"success": True, "errors": [], "warnings": []}
    [fetched] = broker.sent("GET", "/pact-version/")
    assert fetched.path == added.path
    assert broker.sent("POST", "/verification-results") == []  # nothing published without --publish


def test_incompatible_pact_fails_and_names_the_pact_by_consumer_and_version(
    broker: FakeBroker, spec: str
) -> None:
    broker.add(BAD)
    result = verify(broker, spec, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    [error] = report["errors"]
    assert error["code"] == "response.body.incompatible"
    assert error["mockDetails"]["mockFile"] == "mobile 1.0.0"  # not its long URL


def test_falls_back_to_latest_provider_pacts_without_the_for_verification_relation(
    spec: str,
) -> None:
    with running(FakeBroker(for_verification=False)) as broker:
        broker.add(BAD)
        result = verify(broker, spec)
        assert result.exit_code == 1, result.output
        assert broker.sent("POST", "/for-verification") == []
        assert [r.path for r in broker.sent("GET", "/latest")] == ["/pacts/provider/things/latest"]
        assert "warning" not in result.stderr
        selected = verify(broker, spec, "--main-branch")
        assert selected.exit_code == 1, selected.output
        assert "selectors, pending and WIP options are ignored" in selected.stderr  # never silently


def test_no_pacts_found_told_to_pass_is_a_warning_and_exit_0(broker: FakeBroker, spec: str) -> None:
    result = verify(broker, spec, "--format", "json", "--no-fail-if-no-pacts-found")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["success"] is True
    assert report["warnings"] == [  # the reference engine's shape: no mock or spec details
        {
            "code": "pact-broker.no-pacts-found",
            "message": "No consumer pacts found in Pact Broker",
            "source": "pact-broker",
            "type": "warning",
        }
    ]
    text = verify(broker, spec, "--no-fail-if-no-pacts-found")
    assert text.exit_code == 0
    assert "No consumer pacts found in Pact Broker" in text.stdout
    assert "error" not in text.stderr


NOTICES = [
    {"when": "before_verification", "text": "This pact is being verified because X"},
    {"when": "after_verification:success_true_published_false", "text": "passed, not published"},
    {"when": "after_verification:success_true_published_true", "text": "passed and published"},
    {"when": "after_verification:success_false_published_true", "text": "failed and published"},
]


@pytest.mark.parametrize(
    ("publish", "said"), [([], "passed, not published"), (["--publish"], "passed and published")]
)
def test_broker_notices_are_printed_before_and_after_verification(
    publish: list[str], said: str, broker: FakeBroker, spec: str
) -> None:
    broker.add(GOOD, notices=NOTICES)
    result = verify(broker, spec, *publish, *(["--provider-app-version", "1"] if publish else []))
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if line.startswith("crosscontract: broker: ")]
    assert notices == [
        "crosscontract: broker: This pact is being verified because X",
        f"crosscontract: broker: web: {said}",
    ]


def test_wip_pacts_are_pending(broker: FakeBroker, spec: str) -> None:
    broker.add(BAD, wip=True)
    result = verify(
        broker, spec, "--include-wip-pacts-since", "2026-01-01", "--provider-version-branch", "main"
    )
    assert result.exit_code == 0, result.output
    assert "pending" in result.stdout


def test_a_pact_url_without_a_publish_link_is_named_as_not_published(broker: FakeBroker, spec: str) -> None:
    added = broker.add(GOOD)
    broker.publish_links = False  # a pact served by something that is not a broker
    result = run("compare", spec, broker.base + added.path, "--publish", "--provider-app-version", "1")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "has no 'pb:publish-verification-results' link" in result.stderr
    assert f"not published: {broker.base + added.path}" in result.stderr  # named as given
    assert broker.sent("POST") == []


# --- pending pacts ---------------------------------------------------------------------------


def test_failing_pending_pact_is_reported_but_does_not_fail(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.add(BAD, pending=True)
    result = verify(broker, spec, "--include-pending", "--provider-version-branch", "main")
    assert result.exit_code == 0, result.output
    assert "response.body.incompatible" in result.stdout
    assert "pending" in result.stdout
    assert "pending pact(s) failed" in result.stderr
    as_json = verify(
        broker, spec, "--include-pending", "--provider-version-branch", "main", "--format", "json"
    )
    assert as_json.exit_code == 0
    report = json.loads(as_json.stdout)
    assert report["success"] is False  # the reference shape still tells the truth about the findings
    assert report["pendingFailures"] == ["mobile 1.0.0"]


def test_failing_pact_that_is_not_pending_fails(broker: FakeBroker, spec: str) -> None:
    broker.add(BAD, pending=False)
    result = verify(broker, spec, "--include-pending", "--provider-version-branch", "main")
    assert result.exit_code == 1


# --- authentication --------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["option", "environment"])
def test_bearer_token_is_sent_and_never_shown(via: str, spec: str) -> None:
    with running(FakeBroker(token=TOKEN)) as broker:
        broker.add(BAD)
        if via == "option":
            result = verify(broker, spec, "--broker-token", TOKEN)
        else:
            env = {"PACT_BROKER_TOKEN": TOKEN, "PACT_BROKER_BASE_URL": broker.base}
            result = run("compare", spec, "--provider", "things", env=env)
        assert result.exit_code == 1, result.output
        assert broker.requests
        assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in broker.requests)
        assert TOKEN not in result.output


@pytest.mark.parametrize("via", ["option", "environment"])
def test_basic_auth_is_sent(via: str, spec: str) -> None:
    with running(FakeBroker(basic=("ci", "pa55word"))) as broker:
        broker.add(GOOD)
        if via == "option":
            result = verify(broker, spec, "--broker-username", "ci", "--broker-password", "pa55word")
        else:
            env = {"PACT_BROKER_USERNAME": "ci", "PACT_BROKER_PASSWORD": "pa55word"}
            result = verify(broker, spec, env=env)
        assert result.exit_code == 0, result.output
        expected = "Basic " + base64.b64encode(b"ci:pa55word").decode()
        assert all(r.headers["Authorization"] == expected for r in broker.requests)
        assert "pa55word" not in result.output


def test_settings_never_show_credentials_in_their_repr() -> None:
    options = {
        "broker_url": "https://broker.example.com",
        "provider": "things",
        "selectors": (),
        "main_branch": False,
        "deployed_or_released": False,
        "matching_branch": False,
        "latest": False,
        "consumer_tags": (),
        "provider_version_branch": None,
        "include_pending": False,
        "include_wip_pacts_since": None,
        "broker_token": TOKEN,
        "broker_username": None,
        "broker_password": None,
        "broker_timeout": 30.0,
        "publish": False,
        "provider_app_version": None,
        "provider_branch": None,
        "provider_tags": (),
        "build_url": None,
    }
    settings = BrokerSettings.of(options)
    assert settings.token == TOKEN
    assert TOKEN not in repr(settings)
    assert TOKEN not in repr(settings.auth())
    basic = BrokerSettings.of(
        {**options, "broker_token": None, "broker_username": "ci", "broker_password": "pa55word"}
    )
    assert basic.password == "pa55word"
    assert "pa55word" not in repr(basic)
    assert "pa55word" not in repr(basic.auth())


def test_refused_token_is_one_clear_line_without_the_token(spec: str) -> None:
    with running(FakeBroker(token="the-right-one")) as broker:
        broker.add(GOOD)
        result = verify(broker, spec, "--broker-token", TOKEN, "--publish", "--provider-app-version", "1.0.0")
        assert_one_line_error(result, "401", "credentials")
        assert TOKEN not in result.output
        assert broker.sent("POST", "/verification-results") == []


# --- broker faults ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "route", "status"),
    [("GET", "/pact-version/", 404), ("POST", "/for-verification", 500), ("GET", "/pact-version/", 500)],
)
def test_broker_errors_exit_2_and_publish_nothing(
    method: str, route: str, status: int, broker: FakeBroker, spec: str
) -> None:
    broker.add(GOOD)
    broker.fail(method, route, status, times=10)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0")
    assert_one_line_error(result, f"{method} {broker.base}", str(status))
    assert broker.sent("POST", "/verification-results") == []


def test_a_rejected_query_names_the_brokers_reasons(broker: FakeBroker, spec: str) -> None:
    reasons = {"errors": {"providerVersionBranch": ["can't be\nblank", "must be a string"]}}
    broker.fail("POST", "/for-verification", 400, payload=reasons)
    result = verify(broker, spec, "--include-pending")
    assert_one_line_error(result, "400 Bad Request: providerVersionBranch: can't be blank, must be a string")


def test_an_unknown_provider_route_is_a_404(broker: FakeBroker, spec: str) -> None:
    result = run("compare", spec, "--broker-url", broker.base + "/nowhere", "--provider", "things")
    assert_one_line_error(result, "404")


def test_unreachable_broker_exits_2(spec: str) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("compare", spec, "--broker-url", f"http://127.0.0.1:{port}", "--provider", "things")
    assert_one_line_error(result, "cannot reach the broker")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://[::1", "http://[::1"),
        ("http://ci:pw-secret@[::1", "http://[::1"),
        ("http://127.0.0.1:99999", "99999"),
    ],
)
def test_malformed_broker_urls_are_one_line(url: str, shown: str, spec: str) -> None:
    result = run("compare", spec, "--provider", "things", "--broker-url", url)
    assert_one_line_error(result, shown)
    assert "internal error" not in result.stderr
    assert "pw-secret" not in result.output


def test_slow_read_is_retried(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.fail("GET", "/pact-version/", delay=1.0, times=1)
    result = verify(broker, spec, "--broker-timeout", "0.3")
    assert result.exit_code == 0, result.output
    assert len(broker.sent("GET", "/pact-version/")) == 2


def test_broker_that_never_answers_in_time_exits_2(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.fail("POST", "/for-verification", delay=1.0, times=1)
    result = verify(broker, spec, "--broker-timeout", "0.3")
    assert_one_line_error(result, "did not answer in time")


def test_bad_selector_and_missing_options_are_usage_errors(broker: FakeBroker, spec: str) -> None:
    cases = [
        (["--consumer-version-selector", "{not json"], "is not JSON"),
        (["--consumer-version-selector", "[1]"], "not a JSON object"),
        (["--include-wip-pacts-since", "yesterday"], "YYYY-MM-DD"),
        (["--include-wip-pacts-since", "2026-13-45"], "YYYY-MM-DD"),
        (["--publish"], "--provider-app-version"),
    ]
    for args, problem in cases:
        result = verify(broker, spec, *args)
        assert result.exit_code == 2, args
        assert problem in result.stderr, result.stderr
        assert "Traceback" not in result.output
    no_url = run("compare", spec, "--provider", "things")
    assert no_url.exit_code == 2
    assert "PACT_BROKER_BASE_URL" in no_url.stderr
    both = run("compare", spec, "pact.json", "--provider", "things", "--broker-url", broker.base)
    assert both.exit_code == 2
    assert "not both" in both.stderr
    assert broker.requests == []


# --- publishing ------------------------------------------------------------------------------


def test_publish_sends_one_result_per_pact_with_every_field(broker: FakeBroker, spec: str) -> None:
    good = broker.add(GOOD)
    bad = broker.add(BAD)
    result = verify(
        broker,
        spec,
        "--publish",
        "--provider-app-version",
        "4.5.6+abc",
        "--provider-branch",
        "main",
        "--provider-tag",
        "prod",
        "--provider-tag",
        "v4",
        "--build-url",
        "https://ci.example.com/builds/1",
    )
    assert result.exit_code == 1, result.output
    assert "published 2 verification results" in result.stderr
    # The provider version being published decides which pacts are pending for it.
    [query] = broker.sent("POST", "/for-verification")
    assert query.body["providerVersionBranch"] == "main"
    assert query.body["providerVersionTags"] == ["prod", "v4"]
    branch, *tags = broker.sent("PUT")
    assert branch.path == "/pacticipants/things/branches/main/versions/4.5.6%2Babc"
    assert [t.path for t in tags] == [
        "/pacticipants/things/versions/4.5.6%2Babc/tags/prod",
        "/pacticipants/things/versions/4.5.6%2Babc/tags/v4",
    ]
    published = sorted(
        broker.sent("POST", "/verification-results"),
        key=lambda p: p.path != good.path + "/verification-results",
    )
    # Posted to the pact's own link, which keeps the /metadata/ segment of its URL.
    assert [p.path for p in published] == [
        good.path + "/verification-results",
        bad.path + "/verification-results",
    ]
    assert all("/metadata/" in p.path for p in published)
    assert broker.requests.index(tags[-1]) < min(map(broker.requests.index, published))
    ok, failed = (p.body for p in published)
    assert ok["success"] is True
    assert failed["success"] is False
    for body in (ok, failed):
        assert body["providerApplicationVersion"] == "4.5.6+abc"
        assert body["buildUrl"] == "https://ci.example.com/builds/1"
        assert body["verifiedBy"]["implementation"] == "crosscontract"
        assert body["verifiedBy"]["version"]
    assert ok["testResults"] == [
        {
            "interactionIndex": 0,
            "interactionDescription": "a request for things",
            "interactionState": "[none]",
            "success": True,
            "mismatches": [],
        }
    ]
    [entry] = failed["testResults"]
    assert entry["success"] is False
    assert entry["interactionDescription"] == "things with a text id"
    [mismatch] = entry["mismatches"]
    assert mismatch["code"] == "response.body.incompatible"
    assert mismatch["type"] == "error"
    assert mismatch["mockLocation"] == "[root].interactions[0].response.body.id"
    assert mismatch["specLocation"].startswith("[root].paths./things.get.responses.200")


@pytest.mark.parametrize("for_verification", [True, False])
def test_relative_links_are_followed_from_where_they_were_found(for_verification: bool, spec: str) -> None:
    with running(FakeBroker(relative_links=True, for_verification=for_verification)) as broker:
        added = broker.add(BAD)
        result = verify(broker, spec, "--publish", "--provider-app-version", "1", "--provider-tag", "t")
        assert result.exit_code == 1, result.output
        assert "mobile 1.0.0 (mobile -> things)" in result.stdout
        assert [r.path for r in broker.sent("PUT")] == ["/pacticipants/things/versions/1/tags/t"]
        [published] = broker.sent("POST", "/verification-results")
        assert published.path == added.path + "/verification-results"


def test_no_result_is_published_when_the_provider_branch_cannot_be_set(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.fail("PUT", "/branches/", 500, times=5)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1", "--provider-branch", "main")
    assert result.exit_code == 2
    assert "branch/tags not set, so no result is published" in result.stderr
    assert "1 verification result(s) not published: web 1.0.0" in result.stderr
    assert broker.sent("POST", "/verification-results") == []


def test_ci_run_publishes_and_writes_junit_while_the_terminal_gets_text(
    broker: FakeBroker, spec: str, tmp_path: Path
) -> None:
    broker.add(BAD)
    broker.add(pact("ios", {"id": "x"}), pending=True)
    junit = tmp_path / "crosscontract.xml"
    result = verify(
        broker,
        spec,
        "--include-pending",
        "--provider-version-branch",
        "main",
        "--publish",
        "--provider-app-version",
        "1",
        "--format",
        "junit",
        "--output",
        str(junit),
    )
    assert result.exit_code == 1, result.output
    assert "NOT compatible" in result.stdout
    assert "[pending: its failures do not fail the build]" in result.stdout
    root = ET.fromstring(junit.read_text(encoding="utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("2", "1", "1")
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert "pact: [root].interactions[0].response.body.id" in (failure.text or "")
    assert len(broker.sent("POST", "/verification-results")) == 2


def test_publish_retries_a_broker_that_is_briefly_unavailable(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.fail("POST", "/verification-results", 503, times=2)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0")
    assert result.exit_code == 0, result.output
    assert len(broker.sent("POST", "/verification-results")) == 3  # two refusals, one stored


def test_results_that_cannot_be_published_are_named_and_exit_2(broker: FakeBroker, spec: str) -> None:
    good = broker.add(GOOD)
    stuck = broker.add(pact("ios"))
    broker.fail("POST", stuck.path + "/verification-results", 503, times=10)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "not published: ios 1.0.0" in result.stderr
    assert "503" in result.stderr
    # The other result is published, once.
    assert len(broker.sent("POST", good.path + "/verification-results")) == 1
    assert len(broker.sent("POST", stuck.path + "/verification-results")) == 3


@pytest.mark.parametrize(("status", "said"), [(403, "refused the credentials"), (500, "500 Internal")])
def test_a_refused_publish_is_named_and_not_sent_again(
    status: int, said: str, broker: FakeBroker, spec: str
) -> None:
    broker.add(GOOD)  # e.g. a read-only token: reading works, publishing does not
    broker.fail("POST", "/verification-results", status, times=5)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0", "--format", "json")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert json.loads(result.stdout)["success"] is True  # the comparison itself passed
    assert said in result.stderr
    assert "1 verification result(s) not published: web 1.0.0" in result.stderr
    assert len(broker.sent("POST", "/verification-results")) == 1


def test_reads_follow_redirects_and_writes_are_not_redirected(broker: FakeBroker, spec: str) -> None:
    added = broker.add(GOOD)
    broker.fail("GET", "/pact-version/", 302, location=added.path)  # once: the second GET is answered
    publish = added.path + "/verification-results"
    broker.fail("POST", "/verification-results", 301, location=publish, times=5)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0")
    assert result.exit_code == 2
    assert len(broker.sent("GET", "/pact-version/")) == 2
    # Followed, the POST would have become a GET and the result would be lost without a word.
    assert [r.method for r in broker.requests if r.path == publish] == ["POST"]
    assert f"301 Moved Permanently to {publish}: writes are not redirected" in result.stderr
    assert "not published: web 1.0.0" in result.stderr


def test_a_publish_answered_by_a_gateway_fault_is_not_sent_again(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.fail("GET", "/pact-version/", 502, times=1)  # a read is simply sent again
    broker.fail("POST", "/verification-results", 504, times=5)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0")
    assert result.exit_code == 2
    assert len(broker.sent("GET", "/pact-version/")) == 2
    # The proxy gave up waiting; the broker behind it may have stored the result.
    assert len(broker.sent("POST", "/verification-results")) == 1
    assert "not published: web 1.0.0" in result.stderr
    assert "504" in result.stderr
    assert "it may have been stored" in result.stderr


def test_a_publish_that_times_out_is_not_sent_again(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.fail("POST", "/verification-results", delay=1.0, times=5)
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0", "--broker-timeout", "0.3")
    assert result.exit_code == 2
    assert "not published: web 1.0.0" in result.stderr
    assert (
        len(broker.sent("POST", "/verification-results")) == 1
    )  # the broker may have stored it: never twice


def test_the_same_pact_chosen_twice_is_verified_and_published_once(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    broker.pacts.append(broker.pacts[0])  # two selectors choosing the same pact version
    result = verify(broker, spec, "--publish", "--provider-app-version", "1.0.0")
    assert result.exit_code == 0, result.output
    assert len(broker.sent("GET", "/pact-version/")) == 1
    assert len(broker.sent("POST", "/verification-results")) == 1


def test_pact_urls_are_fetched_with_the_same_auth_and_can_be_published(spec: str) -> None:
    with running(FakeBroker(token=TOKEN)) as broker:
        added = broker.add(BAD)
        url = broker.base + added.path
        result = run(
            "compare",
            spec,
            url,
            "--publish",
            "--provider-app-version",
            "2.0.0",
            env={"PACT_BROKER_TOKEN": TOKEN},
        )
        assert result.exit_code == 1, result.output
        assert url in result.stdout  # a pact URL given is named by it, as a file is by its path
        [published] = broker.sent("POST", "/verification-results")
        assert published.path == added.path + "/verification-results"
        assert published.headers["Authorization"] == f"Bearer {TOKEN}"
        assert published.body["success"] is False


def test_a_pact_url_scheme_may_be_upper_case(spec: str) -> None:
    with running(FakeBroker()) as broker:
        added = broker.add(GOOD)
        result = run("compare", spec, broker.base.replace("http://", "HTTP://") + added.path)
        assert result.exit_code == 0, result.output
        assert len(broker.sent("GET", "/pact-version/")) == 1


def test_a_malformed_pact_url_is_one_line(spec: str) -> None:
    result = run("compare", spec, "http://[::1/pact.json")
    assert_one_line_error(result, "http://[::1")
    assert "internal error" not in result.stderr


def test_local_pacts_cannot_be_published(tmp_path: Path, spec: str) -> None:
    local = tmp_path / "pact.json"
    local.write_text(json.dumps(GOOD), encoding="utf-8")
    for pacts in ([str(local)], [str(local), "https://broker.example.com/pacts/provider/things/latest"]):
        result = run("compare", spec, *pacts, "--publish", "--provider-app-version", "1")
        assert result.exit_code == 2
        assert "--publish needs pacts from a broker" in result.stderr


# --- origins and limits ----------------------------------------------------------------------


def test_pacts_on_another_origin_need_allow_pact_host_and_never_get_the_token(spec: str) -> None:
    with running(FakeBroker(token=TOKEN)) as broker, running(FakeBroker()) as other:
        other.add(BAD)
        broker.add(BAD, elsewhere=other.base)  # listed by the broker, kept on another port
        port = other.base.rsplit(":", 1)[1]
        env = {"PACT_BROKER_TOKEN": TOKEN}
        refused = verify(broker, spec, env=env)
        assert_one_line_error(
            refused, f"{other.base} is not the broker's origin", "--allow-pact-host 127.0.0.1"
        )
        assert other.requests == []
        allowed = verify(broker, spec, "--allow-pact-host", f"127.0.0.1:{port}", env=env)
        assert allowed.exit_code == 1, allowed.output
        assert "mobile 1.0.0 (mobile -> things)" in allowed.stdout
        assert [r.headers.get("Authorization") for r in other.requests] == [None]
        assert TOKEN not in allowed.output


def test_a_pact_url_on_another_origin_than_the_broker_url_is_refused(spec: str) -> None:
    with running(FakeBroker(token=TOKEN)) as broker, running(FakeBroker()) as other:
        added = other.add(GOOD)
        url = other.base + added.path
        result = run("compare", spec, url, "--broker-url", broker.base, env={"PACT_BROKER_TOKEN": TOKEN})
        assert_one_line_error(result, f"GET {url}: {other.base} is not the broker's origin")
        assert other.requests == []


def test_allowed_hosts_must_be_hosts(broker: FakeBroker, spec: str) -> None:
    result = verify(broker, spec, "--allow-pact-host", "http://x/y")
    assert_one_line_error(result, "--allow-pact-host", "is not a host name or HOST:PORT")
    assert broker.requests == []


@pytest.mark.parametrize("via", ["option", "environment"])
def test_a_broker_answer_larger_than_the_limit_is_refused(via: str, broker: FakeBroker, spec: str) -> None:
    broker.add(pact("web", description="x" * 2**20))  # a pact of over 1 MiB
    if via == "option":
        result = verify(broker, spec, "--broker-max-answer", "1")
    else:
        result = verify(broker, spec, env={"CROSSCONTRACT_BROKER_MAX_ANSWER": "1"})
    assert_one_line_error(result, "the answer is larger than 1 MiB", "--broker-max-answer")
    assert verify(broker, spec, "--broker-max-answer", "2").exit_code == 0


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "86401"])
def test_a_broker_timeout_is_a_positive_finite_number_of_seconds(
    value: str, broker: FakeBroker, spec: str
) -> None:
    result = verify(broker, spec, "--broker-timeout", value)
    assert_one_line_error(result, "--broker-timeout")
    assert len(result.stderr.splitlines()) == 1
    assert broker.requests == []


def test_a_token_with_a_line_break_is_a_usage_error_that_does_not_show_it(
    broker: FakeBroker, spec: str
) -> None:
    result = verify(broker, spec, "--broker-token", "part-one\r\nX-Evil: 1")
    assert_one_line_error(result, "--broker-token", "the token is not shown")
    assert "part-one" not in result.output
    assert broker.requests == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["", "pact.json"], "SPEC"),
        (["openapi.yaml", ""], "PACTS"),
        (["openapi.yaml", "--output", ""], "--output"),
    ],
)
def test_an_empty_file_argument_is_named(args: list[str], named: str, tmp_path: Path) -> None:
    (tmp_path / "pact.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)  # an empty PACTS would otherwise be read as this folder
        result = run("compare", *args, *(["pact.json"] if named == "--output" else []))
    assert_one_line_error(result, f"the {named} argument is empty")


# --- provider contracts (PactFlow) -----------------------------------------------------------


def test_publish_provider_contract(broker: FakeBroker, spec: str) -> None:
    result = run(
        "publish-provider-contract",
        spec,
        "--provider",
        "things",
        "--provider-app-version",
        "1.2.3",
        "--branch",
        "main",
        "--tag",
        "prod",
        "--build-url",
        "https://ci.example.com/1",
        "--broker-url",
        broker.base,
        "--broker-token",
        TOKEN,
    )
    assert result.exit_code == 0, result.output
    assert "Published provider contract for things 1.2.3" in result.stdout
    [sent] = broker.sent("POST")
    assert sent.path == "/provider-contracts/provider/things/publish"
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    body = sent.body
    assert body["pacticipantVersionNumber"] == "1.2.3"
    assert body["branch"] == "main"
    assert body["tags"] == ["prod"]
    assert body["buildUrl"] == "https://ci.example.com/1"
    contract = body["contract"]
    assert base64.b64decode(contract["content"]).decode() == SPEC
    assert contract["contentType"] == "application/yaml"
    assert contract["specification"] == "oas"
    verification = contract["selfVerificationResults"]
    assert verification["success"] is True
    assert verification["verifier"] == "crosscontract"
    assert "1 operations" in base64.b64decode(verification["content"]).decode()
    assert TOKEN not in result.output


def test_publish_provider_contract_with_test_results(broker: FakeBroker, spec: str, tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    report.write_text("<testsuites/>", encoding="utf-8")
    result = run(
        "publish-provider-contract",
        spec,
        "--provider",
        "things",
        "--provider-app-version",
        "1",
        "--verification-exit-code",
        "1",
        "--verification-results",
        str(report),
        "--verification-results-content-type",
        "application/xml",
        "--verification-results-format",
        "junit",
        "--verifier",
        "schemathesis",
        "--verifier-version",
        "3.0",
        "--broker-url",
        broker.base,
    )
    assert result.exit_code == 0, result.output
    verification = broker.sent("POST")[0].body["contract"]["selfVerificationResults"]
    assert verification == {
        "success": False,
        "content": base64.b64encode(b"<testsuites/>").decode(),
        "contentType": "application/xml",
        "format": "junit",
        "verifier": "schemathesis",
        "verifierVersion": "3.0",
    }


def test_publish_provider_contract_needs_pactflow(spec: str) -> None:
    with running(FakeBroker(provider_contracts=False)) as broker:
        result = run(
            "publish-provider-contract", spec, "--provider", "things", "--provider-app-version", "1",
            "--broker-url", broker.base,
        )  # fmt: skip
        assert_one_line_error(result, "pf:publish-provider-contract")
        assert broker.sent("POST") == []


def test_publish_provider_contract_bad_spec_is_input_error(broker: FakeBroker, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [", encoding="utf-8")
    result = run(
        "publish-provider-contract", str(broken), "--provider", "things", "--provider-app-version", "1",
        "--broker-url", broker.base,
    )  # fmt: skip
    assert_one_line_error(result, "broken.yaml")
    assert broker.requests == []


def test_runs_without_a_broker_or_ci_format_import_neither(tmp_path: Path, spec: str) -> None:
    local = tmp_path / "pact.json"
    local.write_text(json.dumps(GOOD), encoding="utf-8")
    code = textwrap.dedent(
        f"""
        import sys
        from crosscontract.cli.main import cli
        for args in (["--help"], ["compare", "--help"], ["compare", {spec!r}, {str(local)!r}]):
            try:
                cli.main(args, prog_name="crosscontract", standalone_mode=False)
            except SystemExit:
                pass
        for module in ("httpx", "crosscontract.engine.broker.client", "xml.etree.ElementTree"):
            assert module not in sys.modules, module + " imported without a broker or a CI format"
        print("lazy-ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "lazy-ok" in done.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("count", "shown"), [(PROGRESS_FROM, True), (PROGRESS_FROM - 1, False)])
def test_progress_shows_on_a_terminal_for_many_pacts(
    count: int, shown: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress(list(range(count)), "Fetching pacts") as items:
        assert list(items) == list(range(count))
    assert ("Fetching pacts" in terminal.getvalue()) is shown


def test_progress_is_silent_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    captured = io.StringIO()
    monkeypatch.setattr(sys, "stderr", captured)
    with progress(list(range(PROGRESS_FROM * 2)), "Fetching pacts") as items:
        assert len(list(items)) == PROGRESS_FROM * 2
    assert captured.getvalue() == ""
