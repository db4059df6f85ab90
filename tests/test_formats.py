"""CI report formats: JUnit XML (validated against the common schema) and Markdown."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from click.testing import CliRunner
from crosscontract.cli.main import cli
from crosscontract.engine import Report, compare, parse_pact
from crosscontract.engine.render import render
from crosscontract.engine.render.markdown import MARKDOWN_FINDINGS
from msgspec.structs import replace

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).with_name("junit.xsd")))

SPEC: dict[str, Any] = {
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
}


def _junit(report: Report) -> str:
    return render(report, "junit")


def _markdown(report: Report) -> str:
    return render(report, "markdown")


def _interaction(description: str, body: Any, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "request": {"method": "GET", "path": "/things"},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body},
        **extra,
    }


def _pact(consumer: str, *interactions: dict[str, Any], version: str = "2.0.0") -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": "things"},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": version}},
    }


def _report(*pacts: dict[str, Any], pending: tuple[str, ...] = ()) -> Report:
    report = compare(SPEC, [parse_pact(p, f"{p['consumer']['name']}.json") for p in pacts])
    return replace(report, pacts=tuple(replace(p, pending=p.consumer in pending) for p in report.pacts))


GOOD = _pact("web", _interaction("things", {"id": 1}))
BAD = _pact(
    "mobile",
    _interaction("things with a text id", {"id": "x"}),
    _interaction("things with an extra field", {"id": 1, "extra": True}),
    _interaction("fine", {"id": 2}),
)


def _suites(xml: str) -> ET.Element:
    SCHEMA.validate(xml)
    return ET.fromstring(xml)


def test_junit_is_valid_and_has_a_suite_per_pact_and_a_case_per_interaction() -> None:
    root = _suites(_junit(_report(GOOD, BAD)))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["web -> things (web.json)", "mobile -> things (mobile.json)"]
    assert [len(s.findall("testcase")) for s in suites] == [1, 3]
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("1", "0"), ("3", "2")]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "2", "0")


def test_junit_failure_carries_the_findings_message_and_location() -> None:
    root = _suites(_junit(_report(BAD)))
    cases = root.findall("testsuite/testcase")
    assert cases[0].get("name") == "[0] things with a text id: GET /things -> 200"
    assert cases[0].get("classname") == "mobile.things"
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("type") == "response.body.incompatible"
    assert (
        failure.get("message")
        == "Response body is incompatible with the response body schema in the spec file: "
        'must be integer (sent "x")'
    )
    assert failure.text is not None
    assert "pact: [root].interactions[0].response.body.id" in failure.text
    assert "spec: [root].paths./things.get.responses.200" in failure.text
    assert cases[2].find("failure") is None


def test_junit_pending_failures_are_skipped_not_failed() -> None:
    root = _suites(_junit(_report(BAD, pending=("mobile",))))
    [suite] = root.findall("testsuite")
    assert (suite.get("failures"), suite.get("skipped")) == ("0", "2")
    skipped = suite.findall("testcase/skipped")
    assert all((s.get("message") or "").startswith("pending pact: ") for s in skipped)
    assert "pact: [root].interactions[1].response.body" in (skipped[1].text or "")  # every finding kept


def test_junit_with_control_characters_in_a_pact_still_parses() -> None:
    bell = _interaction("rings \x07 the bell", {"id": 1})
    bell["request"]["path"] = "/things\x1b"
    root = _suites(_junit(_report(_pact("web", bell))))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == "[0] rings \ufffd the bell: GET /things\ufffd -> 200"
    assert "GET /things\ufffd" in (case.findtext("failure") or "")


def test_junit_non_http_interactions_are_skipped() -> None:
    message = {"type": "Asynchronous/Messages", "description": "a thing happened", "contents": {}}
    v4 = _pact(
        "events", {**_interaction("things", {"id": 1}), "type": "Synchronous/HTTP"}, message, version="4.0"
    )
    root = _suites(_junit(_report(v4)))
    [suite] = root.findall("testsuite")
    assert (suite.get("tests"), suite.get("skipped")) == ("2", "1")
    [skipped] = suite.findall("testcase/skipped")
    assert "not HTTP" in (skipped.get("message") or "")


def test_junit_without_pacts_says_why() -> None:
    from crosscontract.engine.check import codes
    from crosscontract.engine.check.findings import Finding, SpecPlace

    notice = Finding(codes.NO_PACTS_FOUND, "No consumer pacts found in Pact Broker", None, SpecPlace(None))
    root = _suites(_junit(Report.of("spec.yaml", [], [notice])))
    assert root.findtext("testsuite/system-out") == "No consumer pacts found in Pact Broker"


def test_markdown_has_a_row_per_pact_and_lists_findings() -> None:
    text = _markdown(_report(GOOD, BAD))
    lines = text.splitlines()
    assert lines[0].startswith("### crosscontract:")
    assert "**not compatible**" in lines[0]
    assert "| web -> things (web.json) | 1 | 0 | 0 | ✅ pass |" in lines
    assert "| mobile -> things (mobile.json) | 3 | 2 | 0 | ❌ fail |" in lines
    assert any("`response.body.incompatible`" in line and "things with a text id" in line for line in lines)
    assert "<summary>2 findings</summary>" in text


def test_markdown_escapes_pipes_and_caps_the_findings() -> None:
    many = _pact("a|b", *(_interaction(f"bad {i}", {"id": "x"}) for i in range(MARKDOWN_FINDINGS + 5)))
    text = _markdown(_report(many))
    assert "| a\\|b -> things (a\\|b.json) |" in text
    assert "… and 5 more" in text
    assert sum(1 for line in text.splitlines() if line.startswith("| ❌ |")) == MARKDOWN_FINDINGS


def test_markdown_marks_pending_only_failures() -> None:
    text = _markdown(_report(BAD, pending=("mobile",)))
    assert "(pending pacts only)" in text.splitlines()[0]
    assert "❌ fail (pending)" in text


@pytest.mark.parametrize("output_format", ["junit", "markdown", "json"])
def test_output_file_gets_the_format_and_the_terminal_gets_text(output_format: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    pact = tmp_path / "mobile.json"
    pact.write_text(json.dumps(BAD), encoding="utf-8")
    out = tmp_path / "report.out"
    result = CliRunner().invoke(
        cli, ["compare", str(spec), str(pact), "--format", output_format, "--output", str(out)]
    )
    assert result.exit_code == 1
    assert "NOT compatible" in result.stdout  # the text report
    written = out.read_text(encoding="utf-8")
    if output_format == "junit":
        assert _suites(written).get("failures") == "2"
    elif output_format == "markdown":
        assert written.startswith("### crosscontract:")
    else:
        assert json.loads(written)["success"] is False


def test_junit_on_stdout_without_output(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    pact = tmp_path / "web.json"
    pact.write_text(json.dumps(GOOD), encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(spec), str(pact), "--format", "junit"])
    assert result.exit_code == 0
    assert _suites(result.stdout).get("failures") == "0"


def test_unwritable_output_is_one_line_exit_2(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    pact = tmp_path / "web.json"
    pact.write_text(json.dumps(GOOD), encoding="utf-8")
    target = tmp_path / "missing-folder" / "report.xml"
    result = CliRunner().invoke(
        cli, ["compare", str(spec), str(pact), "--format", "junit", "--output", str(target)]
    )
    assert result.exit_code == 2
    assert "report.xml" in result.stderr
    assert "Traceback" not in result.output


def test_markdown_links_broker_pacts_instead_of_printing_their_url() -> None:
    url = "https://broker.example.com/pacts/provider/things/consumer/web/pact-version/abc/metadata/Y3Y"
    report = compare(SPEC, [parse_pact(GOOD, url)])
    assert f"| [web -> things]({url}) | 1 | 0 | 0 | ✅ pass |" in _markdown(report)


def test_text_report_escapes_control_characters_from_a_pact() -> None:

    sneaky = _interaction("fine\n::error::injected \x1b[2J", {"id": "x"})
    text = render(_report(_pact("web", sneaky)), "text")
    assert "[0] fine\\x0a::error::injected \\x1b[2J: GET /things -> 200" in text
    assert not any(line.startswith("::") for line in text.splitlines())
    assert "\x1b" not in text
