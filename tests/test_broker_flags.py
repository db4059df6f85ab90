"""The Pact tools' conventions on the command line, against the test broker.

Users come from `pact-broker`, `pactflow` and the Pact verifiers: their flag names work
here (each alias is checked by what reaches the broker), a token given with a username or
password is refused as they refuse it, `--provider-version-branch` is the provider
version's branch (queried and published), a run that finds no pacts fails unless told,
results without a verdict are not published, and requests go eight at a time with
`Retry-After` honoured and every request traced by `--verbose`, credentials scrubbed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from _broker import FakeBroker, mocked, running
from _broker_cli import pact, run, spec_file, without_broker_settings
from click.testing import Result
from crosscontract.cli.broker import secrets_in
from crosscontract.engine import load_spec
from crosscontract.engine.broker import Broker, BrokerAuth, BrokerUnavailableError, VerificationQuery, verify
from crosscontract.engine.broker.hal import consumer_version
from crosscontract.engine.broker.workflow import CONCURRENCY, PublishSettings

TOKEN = "s3cret-token-value"
PASSWORD = "pa55word-value"


GOOD = pact("web")
BAD = pact("mobile", {"id": "not a number"})


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


def one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("crosscontract: error:"), line
    for needle in needles:
        assert needle in line, line


# --- the Pact tools' names ---------------------------------------------------------------------


def test_broker_url_aliases_reach_the_broker(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    for option in ("-b", "--broker-base-url", "--broker-url"):
        before = len(broker.requests)
        result = run("compare", spec, option, broker.base, "--provider", "things")
        assert result.exit_code == 0, (option, result.output)
        assert len(broker.requests) > before, option


@pytest.mark.parametrize("option", ["-k", "--broker-token"])
def test_token_aliases_are_sent_as_the_bearer_token(option: str, spec: str) -> None:
    with running(FakeBroker(token=TOKEN)) as broker:
        broker.add(GOOD)
        result = run("compare", spec, "-b", broker.base, "--provider", "things", option, TOKEN)
        assert result.exit_code == 0, result.output
        assert {r.headers["Authorization"] for r in broker.requests} == {f"Bearer {TOKEN}"}


@pytest.mark.parametrize(("user", "password"), [("-u", "-p"), ("--broker-username", "--broker-password")])
def test_basic_auth_aliases_are_sent(user: str, password: str, spec: str) -> None:
    with running(FakeBroker(basic=("ci", PASSWORD))) as broker:
        broker.add(GOOD)
        result = run(
            "compare", spec, "-b", broker.base, "--provider", "things", user, "ci", password, PASSWORD
        )
        assert result.exit_code == 0, result.output
        expected = "Basic " + base64.b64encode(f"ci:{PASSWORD}".encode()).decode()
        assert {r.headers["Authorization"] for r in broker.requests} == {expected}
        assert PASSWORD not in result.output


@pytest.mark.parametrize("option", ["--enable-pending", "--include-pending"])
def test_enable_pending_asks_for_pending_pacts(option: str, broker: FakeBroker, spec: str) -> None:
    broker.add(BAD, pending=True)
    result = run(
        "compare",
        spec,
        "-b",
        broker.base,
        "--provider",
        "things",
        option,
        "--provider-version-branch",
        "main",
    )
    assert result.exit_code == 0, result.output  # the failing pact is pending
    [query] = broker.sent("POST", "/for-verification")
    assert query.body["includePendingStatus"] is True


@pytest.mark.parametrize(
    ("publish", "version", "tag"),
    [
        ("--publish", "-a", "--provider-version-tag"),
        ("--publish-verification-results", "--provider-version", "--provider-tag"),
        ("--publish", "--provider-app-version", "--provider-version-tag"),
    ],
)
def test_publish_aliases_publish_the_version_and_its_tags(
    publish: str, version: str, tag: str, broker: FakeBroker, spec: str
) -> None:
    added = broker.add(GOOD)
    result = run(
        "compare",
        spec,
        "-b",
        broker.base,
        "--provider",
        "things",
        publish,
        version,
        "4.5.6",
        tag,
        "prod",
        tag,
        "v4",
    )
    assert result.exit_code == 0, result.output
    assert [r.path for r in broker.sent("PUT")] == [
        "/pacticipants/things/versions/4.5.6/tags/prod",
        "/pacticipants/things/versions/4.5.6/tags/v4",
    ]
    [published] = broker.sent("POST", "/verification-results")
    assert published.path == added.path + "/verification-results"
    assert published.body["providerApplicationVersion"] == "4.5.6"
    [query] = broker.sent("POST", "/for-verification")
    assert query.body["providerVersionTags"] == ["prod", "v4"]


@pytest.mark.parametrize("form", [["-o", "json"], ["-ojson"], ["--format", "json"]])
def test_dash_o_is_the_output_format(form: list[str], broker: FakeBroker, spec: str) -> None:
    broker.add(BAD)
    result = run("compare", spec, "-b", broker.base, "--provider", "things", *form)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["success"] is False


def test_dash_o_json_makes_a_usage_error_json_too(spec: str) -> None:
    result = run("compare", spec, "pacts/", "-o", "json", "--no-such-option")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["success"] is False


def test_diff_speaks_the_same_names(broker: FakeBroker, tmp_path: Path, spec: str) -> None:
    broker.add(GOOD)
    result = run(
        "diff", spec, spec, "-b", broker.base, "--provider", "things", "--enable-pending", "-o", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["compatible"] is True
    [query] = broker.sent("POST", "/for-verification")
    assert query.body == {"includePendingStatus": True}


def test_publish_provider_contract_takes_dash_a_and_the_broker_shorts(broker: FakeBroker, spec: str) -> None:
    result = run(
        "publish-provider-contract",
        spec,
        "--provider",
        "things",
        "-a",
        "1.2.3",
        "-b",
        broker.base,
        "-k",
        TOKEN,
    )
    assert result.exit_code == 0, result.output
    [sent] = broker.sent("POST", "/provider-contracts/")
    assert sent.body["pacticipantVersionNumber"] == "1.2.3"
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"


# --- a token with a username or password ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["-k", TOKEN, "-u", "ci"], {}, ["(--broker-token)", "a username (--broker-username)"]),
        (["-k", TOKEN, "-p", PASSWORD], {}, ["(--broker-token)", "a password (--broker-password)"]),
        (
            [],
            {"PACT_BROKER_TOKEN": TOKEN, "PACT_BROKER_USERNAME": "ci"},
            ["$PACT_BROKER_TOKEN", "$PACT_BROKER_USERNAME"],
        ),
        (
            ["-u", "ci", "-p", PASSWORD],
            {"PACT_BROKER_TOKEN": TOKEN},
            ["($PACT_BROKER_TOKEN)", "(--broker-username)"],
        ),
    ],
)
def test_a_token_with_a_username_or_password_is_refused(
    args: list[str], env: dict[str, str], named: list[str], broker: FakeBroker, spec: str
) -> None:
    broker.add(GOOD)
    result = run("compare", spec, "-b", broker.base, "--provider", "things", *args, env=env)
    one_line_error(result, "are both given", *named)
    assert TOKEN not in result.output
    assert PASSWORD not in result.output
    assert broker.requests == []  # refused before a single request


def test_publish_provider_contract_refuses_a_token_with_a_username(broker: FakeBroker, spec: str) -> None:
    result = run(
        "publish-provider-contract",
        spec,
        "--provider",
        "things",
        "-a",
        "1",
        "-b",
        broker.base,
        "-k",
        TOKEN,
        "-u",
        "ci",
    )
    one_line_error(result, "are both given")
    assert broker.requests == []


# --- the provider version's branch -------------------------------------------------------------


def test_provider_version_branch_is_queried_and_published_as_the_branch(
    broker: FakeBroker, spec: str
) -> None:
    broker.add(GOOD)
    result = run(
        "compare",
        spec,
        "-b",
        broker.base,
        "--provider",
        "things",
        "--provider-version-branch",
        "feat-x",
        "--publish",
        "-a",
        "1.0.1",
    )
    assert result.exit_code == 0, result.output
    [query] = broker.sent("POST", "/for-verification")
    assert query.body["providerVersionBranch"] == "feat-x"
    [branch] = broker.sent("PUT")
    assert branch.path == "/pacticipants/things/branches/feat-x/versions/1.0.1"
    assert broker.requests.index(branch) < broker.requests.index(
        broker.sent("POST", "/verification-results")[0]
    )


def test_provider_branch_alone_is_queried_and_published_too(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    args = ("--provider", "things", "--provider-branch", "main", "--publish", "-a", "1")
    result = run("compare", spec, "-b", broker.base, *args)
    assert result.exit_code == 0, result.output
    assert broker.sent("POST", "/for-verification")[0].body["providerVersionBranch"] == "main"
    assert [r.path for r in broker.sent("PUT")] == ["/pacticipants/things/branches/main/versions/1"]


def test_both_branch_options_keep_their_documented_parts(broker: FakeBroker, spec: str) -> None:
    # Before --provider-version-branch was published, the two could differ: that still works.
    broker.add(GOOD)
    result = run(
        "compare",
        spec,
        "-b",
        broker.base,
        "--provider",
        "things",
        "--provider-version-branch",
        "feat-x",
        "--provider-branch",
        "main",
        "--publish",
        "-a",
        "1",
    )
    assert result.exit_code == 0, result.output
    assert broker.sent("POST", "/for-verification")[0].body["providerVersionBranch"] == "feat-x"
    assert [r.path for r in broker.sent("PUT")] == ["/pacticipants/things/branches/main/versions/1"]


@pytest.mark.parametrize("option", ["--provider-version-branch", "--provider-branch"])
def test_a_pact_url_run_publishes_the_branch(option: str, broker: FakeBroker, spec: str) -> None:
    """The webhook flow: no --provider, a pact URL, the branch set for the published version."""
    added = broker.add(GOOD)
    result = run("compare", spec, broker.base + added.path, option, "main", "--publish", "-a", "2")
    assert result.exit_code == 0, result.output
    assert [r.path for r in broker.sent("PUT")] == ["/pacticipants/things/branches/main/versions/2"]
    assert len(broker.sent("POST", "/verification-results")) == 1


def test_provider_version_branch_without_provider_or_publish_is_a_usage_error(spec: str) -> None:
    result = run("compare", spec, "https://broker.test/pacts/x", "--provider-version-branch", "main")
    one_line_error(result, "--provider-version-branch needs --provider", "or --publish")


# --- no pacts --------------------------------------------------------------------------------


def test_no_pacts_found_fails_naming_the_provider_and_selectors(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)  # for `things`, not for the mistyped name
    result = run(
        "compare",
        spec,
        "-b",
        broker.base,
        "--provider",
        "thigns",
        "--main-branch",
        "--consumer-version-tag",
        "prod",
    )
    assert result.exit_code == 1, result.output
    [line] = [line for line in result.stderr.splitlines() if "error" in line]
    assert "no pacts found for provider 'thigns'" in line
    assert '{"mainBranch":true}, {"tag":"prod","latest":true}' in line
    assert "--no-fail-if-no-pacts-found" in line
    assert "No consumer pacts found in Pact Broker" in result.stdout  # the report is still written


def test_no_pacts_found_without_selectors_says_so_and_json_is_still_a_report(
    broker: FakeBroker, spec: str
) -> None:
    result = run("compare", spec, "-b", broker.base, "--provider", "things", "-o", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["warnings"][0]["code"] == "pact-broker.no-pacts-found"
    assert "with no selector (the latest pact of each consumer)" in result.stderr


def test_no_fail_if_no_pacts_found_passes(broker: FakeBroker, spec: str) -> None:
    result = run("compare", spec, "-b", broker.base, "--provider", "things", "--no-fail-if-no-pacts-found")
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr
    explicit = run("compare", spec, "-b", broker.base, "--provider", "things", "--fail-if-no-pacts-found")
    assert explicit.exit_code == 1


def test_diff_with_no_pacts_fails_too(broker: FakeBroker, spec: str) -> None:
    result = run("diff", spec, spec, "-b", broker.base, "--provider", "things")
    assert result.exit_code == 1, result.output
    assert "no pacts found for provider 'things'" in result.stderr
    passing = run(
        "diff", spec, spec, "-b", broker.base, "--provider", "things", "--no-fail-if-no-pacts-found"
    )
    assert passing.exit_code == 0, passing.output


# --- publish-provider-contract and its verdict -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--verification-results", "RESULTS"], "--verification-results"),
        (["--verifier", "schemathesis"], "--verifier"),
        (["--verification-results-format", "junit"], "--verification-results-format"),
    ],
)
def test_results_without_a_verdict_are_refused_and_nothing_is_published(
    args: list[str], named: str, broker: FakeBroker, spec: str, tmp_path: Path
) -> None:
    results = tmp_path / "results.xml"
    results.write_text("<testsuite/>", encoding="utf-8")
    args = [str(results) if arg == "RESULTS" else arg for arg in args]
    result = run(
        "publish-provider-contract", spec, "--provider", "things", "-a", "1", "-b", broker.base, *args
    )
    one_line_error(result, named, "--verification-exit-code", "nothing was published")
    assert broker.requests == []


@pytest.mark.parametrize(
    ("verdict", "success"), [(["--verification-exit-code", "3"], False), (["--verification-success"], True)]
)
def test_results_with_a_verdict_are_published_with_it(
    verdict: list[str], success: bool, broker: FakeBroker, spec: str, tmp_path: Path
) -> None:
    results = tmp_path / "results.xml"
    results.write_text("<testsuite/>", encoding="utf-8")
    result = run(
        "publish-provider-contract",
        spec,
        "--provider",
        "things",
        "-a",
        "1",
        "-b",
        broker.base,
        "--verification-results",
        str(results),
        *verdict,
    )
    assert result.exit_code == 0, result.output
    [sent] = broker.sent("POST", "/provider-contracts/")
    assert sent.body["contract"]["selfVerificationResults"]["success"] is success


# --- concurrency and Retry-After ---------------------------------------------------------------


def test_fetches_and_publishes_are_concurrent_and_bounded(broker: FakeBroker, spec: str) -> None:
    consumers = [f"app{i:02}" for i in range(3 * CONCURRENCY)]
    for name in consumers:
        broker.add(pact(name))
    broker.fail("GET", "/pact-version/", delay=0.05, times=len(consumers))
    result = run("compare", spec, "-b", broker.base, "--provider", "things", "--publish", "-a", "1")
    assert result.exit_code == 0, result.output
    assert len(broker.sent("GET", "/pact-version/")) == len(consumers)
    assert 1 < broker.most_in_flight <= CONCURRENCY  # at once, never more than the bound
    assert len(broker.sent("POST", "/verification-results")) == len(consumers)
    assert f"published {len(consumers)} verification results" in result.stderr


def test_publishing_alone_is_bounded_too(spec: str) -> None:
    with running(FakeBroker()) as broker:
        for i in range(2 * CONCURRENCY):
            broker.add(pact(f"app{i:02}"))
        broker.fail("POST", "/verification-results", delay=0.05, times=2 * CONCURRENCY)
        with Broker(broker.base) as client:
            done = verify(load_spec(spec), client, provider="things", publish=PublishSettings("1"))
        assert len(done.published) == 2 * CONCURRENCY
        assert 1 < broker.most_in_flight <= CONCURRENCY
        # The outcomes keep the pacts' order, whichever answer came first.
        assert list(done.published) == [f"app{i:02} 1.0.0" for i in range(2 * CONCURRENCY)]


@pytest.mark.parametrize("bound", [1, 3])
def test_the_bound_is_the_callers(bound: int, spec: str) -> None:
    with running(FakeBroker()) as broker:
        for i in range(4 * bound):
            broker.add(pact(f"app{i:02}"))
        broker.fail("GET", "/pact-version/", delay=0.03, times=4 * bound)
        with Broker(broker.base) as client:
            done = verify(load_spec(spec), client, provider="things", concurrency=bound)
        assert len(done.pacts) == 4 * bound
        assert broker.most_in_flight == bound
    with Broker("http://broker.test") as client, pytest.raises(ValueError, match="concurrency"):
        verify(load_spec(spec), client, provider="things", concurrency=0)


def test_a_fault_while_fetching_concurrently_is_the_one_a_serial_run_meets(
    broker: FakeBroker, spec: str
) -> None:
    for name in ("a", "b", "c", "d"):
        broker.add(pact(name))
    broker.fail("GET", "/consumer/b/", 404, times=5)
    broker.fail("GET", "/consumer/d/", 500, times=5)
    result = run("compare", spec, "-b", broker.base, "--provider", "things")
    one_line_error(result, "/consumer/b/", "404")


def _sleeps(fake: FakeBroker) -> tuple[Broker, list[float]]:
    slept: list[float] = []
    client = Broker(
        "http://broker.test", BrokerAuth(), transport=mocked(fake), sleep=slept.append, backoff=0.5
    )
    return client, slept


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_waited_for(status: int) -> None:
    fake = FakeBroker()
    fake.fail("GET", "/", status, retry_after="7", times=1)
    client, slept = _sleeps(fake)
    with client:
        assert "_links" in client.index()
    assert slept == [7.0]  # the broker's wait, not the backoff


def test_retry_after_as_a_date_is_waited_for() -> None:
    fake = FakeBroker()
    when = datetime.now(UTC) + timedelta(seconds=30)
    fake.fail("GET", "/", 503, retry_after=format_datetime(when, usegmt=True), times=1)
    client, slept = _sleeps(fake)
    with client:
        client.index()
    [waited] = slept
    assert 25 < waited <= 30


def test_a_retry_after_longer_than_the_bound_is_not_waited_for() -> None:
    fake = FakeBroker()
    fake.fail("GET", "/", 429, retry_after="3600", times=5)
    client, slept = _sleeps(fake)
    with (
        client,
        pytest.raises(BrokerUnavailableError, match="Retry-After 3600 s: longer than the 60 s waited"),
    ):
        client.index()
    assert slept == []
    assert len(fake.requests) == 1


def test_without_retry_after_the_backoff_doubles() -> None:
    fake = FakeBroker()
    fake.fail("GET", "/", 503, retry_after="soon", times=2)  # unreadable: the backoff applies
    client, slept = _sleeps(fake)
    with client:
        client.index()
    assert slept == [0.5, 1.0]


# --- labels ----------------------------------------------------------------------------------


def test_a_broker_name_gives_the_consumer_version() -> None:
    assert consumer_version("Pact between web (1.4.2) and things") == "1.4.2"
    assert consumer_version("Pact between web (beta) (2.0.0) and things") == "2.0.0"
    assert consumer_version("latest from main branch") is None
    assert consumer_version(None) is None


def test_pacts_sharing_a_label_are_labelled_by_their_urls(broker: FakeBroker, spec: str) -> None:
    first = broker.add(GOOD)
    second = broker.add({**GOOD, "interactions": GOOD["interactions"] * 2})  # web 1.0.0 again, another pact
    with Broker(broker.base) as client:
        done = verify(load_spec(spec), client, provider="things")
    assert [p.pact_file for p in done.report.pacts] == [broker.base + first.path, broker.base + second.path]


def test_a_pact_without_a_known_version_keeps_its_url(spec: str) -> None:
    fake = FakeBroker()
    added = fake.add(GOOD, version="")  # neither the broker's list nor the pact's links say it
    with Broker("http://broker.test", transport=mocked(fake)) as client:
        done = verify(load_spec(spec), client, provider="things")
    assert [p.pact_file for p in done.report.pacts] == ["http://broker.test" + added.path]


def test_a_pact_url_given_is_named_by_it_and_a_chosen_one_by_its_version(
    broker: FakeBroker, spec: str
) -> None:
    chosen = broker.add(GOOD)
    given = broker.add({**BAD, "provider": {"name": "others"}})  # not among the broker's choices
    with Broker(broker.base) as client:
        [listed] = client.pacts_for_verification("things", VerificationQuery())
        assert client.fetch_pact(listed).consumer_version == "1.0.0"  # as the list names it
        assert client.fetch_pact(broker.base + given.path).consumer_version == "1.0.0"  # from its links
        done = verify(load_spec(spec), client, provider="things", pact_urls=[broker.base + given.path])
    assert [p.pact_file for p in done.report.pacts] == ["web 1.0.0", broker.base + given.path]
    assert [f.source.url for f in done.pacts] == [broker.base + chosen.path, broker.base + given.path]


def test_versions_of_one_consumer_are_told_apart(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD, version="1.0.0")
    broker.add({**GOOD, "interactions": GOOD["interactions"] * 2}, version="1.1.0")
    with Broker(broker.base) as client:
        done = verify(load_spec(spec), client, provider="things", query=VerificationQuery())
    assert [p.pact_file for p in done.report.pacts] == ["web 1.0.0", "web 1.1.0"]


# --- --verbose ---------------------------------------------------------------------------------


def test_verbose_traces_each_request_without_the_token(spec: str) -> None:
    with running(FakeBroker(token=TOKEN, echo_credentials=True)) as broker:
        added = broker.add(GOOD)
        broker.fail("POST", "/verification-results", 503, times=1)
        url = f"{broker.base}{added.path}?token={TOKEN}"  # a pact URL that carries the token too
        result = run("compare", spec, "-v", url, "-k", TOKEN, "--publish", "-a", "1")
        assert result.exit_code == 0, result.output
        traced = [line for line in result.stderr.splitlines() if line.startswith("crosscontract: trace: ")]
        assert len(traced) == len(broker.requests) + 1  # one line per request, and the one sent again
        get, refused, again, published = traced
        assert get.startswith(f"crosscontract: trace: GET {broker.base}{added.path}?token=*** -> 200 OK (")
        assert get.endswith(" ms)")
        assert refused.startswith("crosscontract: trace: POST ")
        assert "-> 503 Service Unavailable (" in refused
        assert "sent again in" in again
        assert "(attempt 2 of 3)" in again
        assert "-> 201 Created (" in published
        assert TOKEN not in result.output
        assert base64.b64encode(TOKEN.encode()).decode() not in result.output


def test_without_verbose_nothing_is_traced(broker: FakeBroker, spec: str) -> None:
    broker.add(GOOD)
    result = run("compare", spec, "-b", broker.base, "--provider", "things")
    assert result.exit_code == 0
    assert "trace:" not in result.stderr


def test_verbose_traces_a_request_that_gets_no_answer(spec: str) -> None:
    with running(FakeBroker()) as broker:
        broker.fail("GET", "/", delay=1.0, times=5)
        result = run(
            "compare", spec, "-b", broker.base, "--provider", "things", "-v", "--broker-timeout", "0.2"
        )
        assert result.exit_code == 2
        traced = [line for line in result.stderr.splitlines() if "trace: GET" in line and " -> " in line]
        assert len(traced) == 3, result.stderr  # each attempt
        assert all("-> no answer: " in line for line in traced), traced


def test_publish_provider_contract_is_traced(broker: FakeBroker, spec: str) -> None:
    result = run(
        "publish-provider-contract", spec, "--provider", "things", "-a", "1", "-b", broker.base, "-v"
    )
    assert result.exit_code == 0, result.output
    assert "trace: POST " in result.stderr
    assert "/provider-contracts/provider/things/publish -> 200 OK" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "-kTOKEN"],
        ["compare", "-k", "TOKEN"],
        ["compare", "-vk", "TOKEN"],
        ["compare", "-qvkTOKEN"],
        ["compare", "-p", "TOKEN"],
        ["compare", "--broker-password=TOKEN"],
    ],
)
def test_short_credential_options_are_secrets_before_parsing(argv: list[str]) -> None:
    secrets = secrets_in([arg.replace("TOKEN", TOKEN) for arg in argv], {})
    assert secrets is not None
    assert secrets.scrub(f"echoed {TOKEN}") == "echoed ***"


def test_a_short_option_with_a_credential_url_is_a_secret() -> None:
    secrets = secrets_in(["compare", f"-bhttps://ci:{PASSWORD}@broker.test"], {})
    assert secrets is not None
    assert PASSWORD not in secrets.scrub(f"https://ci:{PASSWORD}@broker.test")


def test_a_usage_error_never_quotes_a_short_option_token_back(spec: str) -> None:
    result = run("compare", spec, "--provider", "things", "-k", TOKEN, "--broker-url", TOKEN)
    assert result.exit_code == 2
    assert TOKEN not in result.output


# --- SPEC from standard input or a URL ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["compare", "-", "pact.json"], ["'SPEC'", "standard input", "save the document to a file"]),
        (
            ["compare", "https://example.com/openapi.yaml", "pact.json"],
            ["'SPEC'", "is a URL", "download it first"],
        ),
        (["compare", "SPEC", "-"], ["'[PACTS]...'", "standard input", "save the pact to a file"]),
        (["diff", "-", "SPEC"], ["'OLD_SPEC'", "standard input"]),
        (["diff", "SPEC", "http://example.com/new.yaml"], ["'NEW_SPEC'", "is a URL"]),
        (
            ["publish-provider-contract", "https://example.com/openapi.yaml", "--provider", "p", "-a", "1"],
            ["'SPEC'", "is a URL"],
        ),
        (["publish-provider-contract", "-", "--provider", "p", "-a", "1"], ["'SPEC'", "standard input"]),
    ],
)
def test_spec_from_standard_input_or_a_url_is_refused_clearly(
    args: list[str], said: list[str], spec: str
) -> None:
    result = run(*[spec if arg == "SPEC" else arg for arg in args])
    one_line_error(result, *said)


def test_a_spec_url_with_credentials_is_refused_without_them() -> None:
    result = run("compare", f"https://ci:{PASSWORD}@example.com/openapi.yaml", "pact.json")
    one_line_error(result, "'https://example.com/openapi.yaml' is a URL")
    assert PASSWORD not in result.output


# --- help ----------------------------------------------------------------------------------------


def test_the_aliases_are_in_the_broker_section_of_help() -> None:
    shown = run("compare", "--help").stdout
    broker_section = shown.split("Pact Broker:")[1].split("Other options:")[0]
    for name in (
        "-b, --broker-url, --broker-base-url",
        "-k, --broker-token",
        "-u, --broker-username",
        "-p, --broker-password",
        "--include-pending, --enable-pending",
        "-a, --provider-app-version, --provider-version",
        "--provider-tag, --provider-version-tag",
        "--fail-if-no-pacts-found / --no-fail-if-no-pacts-found",
        "-v, --verbose",
    ):
        assert name in broker_section, name
    assert "-o, --format" in shown.split("Report:")[1].split("Noise control:")[0]
