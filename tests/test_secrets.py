"""No secret in anything the command line writes: one secret planted in each place it could come from.

Each case plants the token or the password where a careless or hostile broker (or a user's
slip) would put it, then runs `crosscontract` once per report format with `--output`, and
once with the JSON report on stdout, and looks for the secret in stdout, stderr and the
`--output` file: as given, URL-encoded, as the base64 basic-auth form, as each format
escapes text, and any start of one of those of 8 characters or more (what a message cut
in the middle of a secret keeps).

The spellings are written out here, not taken from the code that scrubs them: a test that
asked the scrubber what to look for could not fail.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from _broker import FakeBroker, running
from _broker_cli import pact as things_pact
from _build import THINGS_SPEC
from click.testing import CliRunner, Result
from crosscontract.cli.main import cli
from crosscontract.engine.urls import Secrets

TOKEN = "t0ken/+S3CRET=value-42"
"""Changed by URL-encoding (`/`, `+`, `=`)."""

USER = "ci"
PASSWORD = 'pa55"&<|\\wörd-secret'
"""Changed by each format's escaping: JSON (`"`, backslash), XML (`&`, `<`), Markdown (`|`, `&`, `<`)."""

BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

FORMATS = ("text", "json", "junit", "markdown")


def pact(consumer: str = "web", description: str = "things", body: Any = None) -> dict[str, Any]:
    """A pact whose one interaction fails by default (a text id where the spec says integer)."""
    return things_pact(consumer, {"id": "not a number"} if body is None else body, description=description)


def spellings(secret: str) -> set[str]:
    """Every way a report or a message could write `secret`, written out by hand."""
    encoded = {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}
    spelled: set[str] = set()
    for text in encoded:
        spelled |= {
            text,
            json.dumps(text)[1:-1],
            json.dumps(text, ensure_ascii=False)[1:-1],
            text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
            text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"),
            markdown(text),
            text.replace("\r", "\\x0d").replace("\n", "\\x0a"),
        }
    return spelled


def markdown(text: str) -> str:
    """A Markdown table cell: backslashes and pipes escaped, and what could start HTML or an entity."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", re.sub(r"&(?=[#A-Za-z0-9])", "&amp;", text))


def heads(*secrets: str) -> set[str]:
    """The first 8 characters of every spelling: any start of 8 or more holds one."""
    return {spelled[:8] for secret in secrets for spelled in spellings(secret)}


LOOK_FOR = heads(TOKEN, PASSWORD, BASIC)


@dataclass(frozen=True)
class Place:
    """Where a secret is planted: the broker's setup and the command line that meets it."""

    name: str
    plant: Callable[[FakeBroker], list[str]]
    """Sets the broker up; returns the arguments after `crosscontract`."""
    auth: str = "token"
    """"token", "basic", or "" (the place brings its own)."""
    shown: bool = True
    """Whether the planted text reaches the output (as `***`); False when it is refused unseen."""


def _verify(broker: FakeBroker, *args: str) -> list[str]:
    return ["compare", "SPEC", "--broker-url", broker.base, "--provider", "things", *args]


def problem_detail(broker: FakeBroker) -> list[str]:
    broker.echo_credentials = True  # `detail`: "something broke Bearer <token>"
    broker.fail("POST", "/for-verification", 500, times=100)
    return _verify(broker)


def cut_detail(padding: int) -> Callable[[FakeBroker], list[str]]:
    def plant(broker: FakeBroker) -> list[str]:
        payload = {"title": "Server error", "detail": "x" * padding + TOKEN}
        broker.fail("POST", "/for-verification", 500, payload=payload, times=100)
        return _verify(broker)

    return plant


def reason_phrase(broker: FakeBroker) -> list[str]:
    broker.fail("POST", "/for-verification", 401, reason=f"Unauthorized for {TOKEN}", times=100)
    return _verify(broker)


def write_redirect(broker: FakeBroker) -> list[str]:
    broker.add(pact())
    broker.fail("POST", "/verification-results", 301, location=f"/moved?token={TOKEN}", times=100)
    return _verify(broker, "--publish", "--provider-app-version", "1")


def read_redirect_elsewhere(broker: FakeBroker) -> list[str]:
    broker.add(pact())
    broker.fail("GET", "/pact-version/", 302, location=f"http://evil.test/?t={quote(TOKEN)}", times=100)
    return _verify(broker)


def verification_notices(broker: FakeBroker) -> list[str]:
    broker.add(
        pact(),
        notices=[
            {"when": "before_verification", "text": f"verifying with {TOKEN}"},
            {"when": "after_verification:success_false_published_false", "text": f"failed {TOKEN}"},
        ],
    )
    return _verify(broker)


def pactflow_notices(broker: FakeBroker) -> list[str]:
    broker.contract_notices.append(f"stored with {TOKEN}")
    return [
        "publish-provider-contract",
        "SPEC",
        "--broker-url",
        broker.base,
        "--provider",
        "things",
        "--provider-app-version",
        "1",
    ]


def pact_url_query(broker: FakeBroker) -> list[str]:
    added = broker.add(pact())
    # The pact is labelled by its consumer and version; the trace shows its URL.
    return ["compare", "SPEC", "--verbose", f"{broker.base}{added.path}?token={quote(TOKEN, safe='')}"]


def traced_credentials_in_broker_url(broker: FakeBroker) -> list[str]:
    broker.add(pact())
    url = broker.base.replace("://", f"://{USER}:{quote(PASSWORD, safe='')}@")
    return ["compare", "SPEC", "-v", "--broker-url", url, "--provider", "things"]


def pact_contents(secret: str) -> Callable[[FakeBroker], list[str]]:
    def plant(broker: FakeBroker) -> list[str]:
        # A broker that writes what it was sent into the pact: descriptions and values are printed.
        broker.add(pact(description=f"things for {secret}", body={"id": secret}))
        return _verify(broker)

    return plant


def basic_detail(broker: FakeBroker) -> list[str]:
    broker.echo_credentials = True  # "something broke Basic <base64 of ci:password>"
    broker.fail("POST", "/for-verification", 500, times=100)
    return _verify(broker)


def password_in_broker_url(broker: FakeBroker) -> list[str]:
    broker.echo_credentials = True
    broker.fail("POST", "/for-verification", 500, times=100)
    url = broker.base.replace("://", f"://{USER}:{quote(PASSWORD, safe='')}@")
    return ["compare", "SPEC", "--broker-url", url, "--provider", "things"]


def broker_url_typo(broker: FakeBroker) -> list[str]:
    return ["compare", "SPEC", "--provider", "things", "--broker-url", TOKEN]  # the token in the wrong place


def line_break_token(broker: FakeBroker) -> list[str]:
    return _verify(broker, "--broker-token", f"{TOKEN}\r\nX-Evil: 1")


PLACES = [
    Place("problem-detail", problem_detail),
    *(Place(f"detail-cut-after-{n}", cut_detail(n)) for n in (266, 270, 276)),
    Place("reason-phrase", reason_phrase),
    Place("write-redirect-location", write_redirect),
    Place("read-redirect-to-another-origin", read_redirect_elsewhere),
    Place("verification-notices", verification_notices),
    Place("pactflow-notices", pactflow_notices),
    Place("pact-url-query", pact_url_query),
    Place("traced-credentials-in-broker-url", traced_credentials_in_broker_url, auth="", shown=False),
    Place("pact-contents-token", pact_contents(TOKEN)),
    Place("pact-contents-password", pact_contents(PASSWORD), auth="basic"),
    Place("basic-auth-echoed", basic_detail, auth="basic"),
    Place("password-in-broker-url", password_in_broker_url, auth=""),
    Place("broker-url-typo", broker_url_typo),
    Place("line-break-token", line_break_token, auth="", shown=False),
]


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PACT_BROKER_BASE_URL", "PACT_BROKER_TOKEN", "PACT_BROKER_USERNAME", "PACT_BROKER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("crosscontract.engine.broker.client.BACKOFF_SECONDS", 0.0)


@dataclass(frozen=True)
class Written:
    """What one run wrote, everywhere."""

    args: list[str]
    result: Result
    file: str

    @property
    def everything(self) -> str:
        return self.result.stdout + self.result.stderr + self.file


def runs(place: Place, tmp_path: Path) -> Iterator[Written]:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(THINGS_SPEC, encoding="utf-8")
    broker = FakeBroker(
        token=TOKEN if place.auth == "token" else None,
        basic=(USER, PASSWORD) if place.auth in ("basic", "") and place.name != "line-break-token" else None,
    )
    with running(broker):
        args = [str(spec) if arg == "SPEC" else arg for arg in place.plant(broker)]
        env = {"PACT_BROKER_TOKEN": TOKEN} if place.auth == "token" else {}
        if place.auth == "basic":
            env = {"PACT_BROKER_USERNAME": USER, "PACT_BROKER_PASSWORD": PASSWORD}
        is_compare = args[0] == "compare"
        for output_format in FORMATS if is_compare else ("text",):
            output = tmp_path / f"report.{output_format}"
            output.unlink(missing_ok=True)
            extra = ["--format", output_format, "--output", str(output)] if is_compare else []
            result = CliRunner().invoke(cli, [*args, *extra], env=env)
            yield Written(args, result, output.read_text(encoding="utf-8") if output.exists() else "")
        if is_compare:  # the JSON report, or the JSON error, on stdout
            yield Written(args, CliRunner().invoke(cli, [*args, "--format", "json"], env=env), "")


@pytest.mark.parametrize("place", PLACES, ids=[p.name for p in PLACES])
def test_no_secret_is_ever_written(place: Place, tmp_path: Path) -> None:
    for written in runs(place, tmp_path):
        assert "Traceback" not in written.everything
        assert written.result.exit_code in (0, 1, 2), written.result.output
        found = sorted(head for head in LOOK_FOR if head in written.everything)
        assert not found, (written.args, found, written.everything[-3000:])
        if place.shown:
            assert "***" in written.everything, (written.args, written.everything[-3000:])


def test_the_scrubber_hides_each_spelling_and_each_long_start() -> None:
    secrets = Secrets.of(TOKEN, PASSWORD, basic=[(USER, PASSWORD)])
    for spelled in spellings(TOKEN) | spellings(PASSWORD) | spellings(BASIC):
        assert secrets.scrub(f"<{spelled}>") == "<***>", spelled
        assert secrets.scrub(f"cut: {spelled[:8]}") == "cut: ***", spelled
    assert secrets.scrub("tok t0ken/+ t0ken") == "tok t0ken/+ t0ken"  # shorter starts stay: they say nothing
    assert secrets.scrub("") == ""
    assert Secrets().scrub(TOKEN) == TOKEN


def test_overlapping_spellings_leave_no_tail() -> None:
    # The raw token and its URL-encoded form share their first characters; the longer wins.
    secrets = Secrets.of("abcdefgh/ijkl")
    assert secrets.scrub("x=abcdefgh%2Fijkl&y") == "x=***&y"
    assert secrets.scrub("abcdefgh/ijklabcdefgh/ijkl") == "******"
