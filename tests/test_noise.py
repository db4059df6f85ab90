"""Noise control: findings left out by code or header, settings found upwards, --fail-on,
--quiet, the closing summary, and colour by NO_COLOR / FORCE_COLOR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from _build import THINGS_SPEC, interaction, pact, report_for
from click.testing import CliRunner, Result
from crosscontract.cli.main import cli
from crosscontract.cli.options import wants_color
from crosscontract.engine import Report, compare
from crosscontract.engine.check.filters import Noise, header_of, only_errors, without
from crosscontract.engine.render import render

SPEC = THINGS_SPEC
JSON = {"Content-Type": "application/json"}
BROWSER = {"Sec-Fetch-Mode": "cors", "sec-ch-ua": "x", "X-Trace": "1"}
NOISY = interaction(
    path="/things",
    headers=BROWSER,
    response_headers={**JSON, "Content-Length": "9"},
    response_body={"id": 1},
)
BAD_ID = interaction(path="/things", response_headers=JSON, response_body={"id": "x"})


def _codes(report: Report) -> list[str]:
    return [f.code.code for p in report.pacts for r in p.results for f in r.findings]


def _noisy(*interactions: dict[str, Any]) -> Report:
    return report_for(yaml.safe_load(SPEC), *interactions)


def test_header_findings_name_their_header_in_request_and_response() -> None:
    report = _noisy(NOISY, BAD_ID)
    headers = [header_of(f) for p in report.pacts for r in p.results for f in r.findings]
    assert headers == ["sec-fetch-mode", "sec-ch-ua", "x-trace", "content-length", None]


def test_ignore_header_globs_drop_findings_about_those_headers_any_case() -> None:
    filtered = without(_noisy(NOISY), Noise(headers=("SEC-*", "content-*")))
    remaining = [header_of(f) for p in filtered.report.pacts for r in p.results for f in r.findings]
    assert remaining == ["x-trace"]
    assert filtered.dropped == {"request.header.unknown": 2, "response.header.undefined": 1}


def test_ignore_header_drops_a_required_header_that_is_not_sent() -> None:
    # The finding points at the interaction, as the reference engine's does; the header it
    # is about is the declared parameter's.
    spec = yaml.safe_load(SPEC)
    spec["paths"]["/things"]["get"]["parameters"] = [
        {"in": "header", "name": "X-Request-Id", "required": True, "schema": {"type": "string"}}
    ]
    report = report_for(spec, interaction(path="/things", response_headers=JSON, response_body={"id": 1}))
    assert [header_of(f) for p in report.pacts for r in p.results for f in r.findings] == ["x-request-id"]
    filtered = without(report, Noise(headers=("x-request-*",)))
    assert filtered.dropped == {"request.header.incompatible": 1}
    assert filtered.report.exit_code == 0


def test_ignore_code_globs_drop_codes_and_the_exit_code_follows() -> None:
    report = _noisy(interaction(path="/nowhere"), NOISY)
    assert report.exit_code == 1
    filtered = without(report, Noise(codes=("request.path-or-method.*", "request.header.unknown")))
    assert "request.path-or-method.unknown" not in _codes(filtered.report)
    assert "request.header.unknown" not in _codes(filtered.report)
    assert filtered.report.exit_code == 0
    assert filtered.dropped == {"request.path-or-method.unknown": 1, "request.header.unknown": 3}
    assert _codes(filtered.report) == ["response.header.undefined"]
    assert filtered.report.interaction_count == report.interaction_count


def test_no_noise_is_the_same_report() -> None:
    report = _noisy(NOISY)
    assert without(report, Noise()).report is report


def test_only_errors_keeps_the_errors() -> None:
    report = _noisy(interaction(path="/nowhere"), NOISY, BAD_ID)
    assert _codes(only_errors(report)) == ["request.path-or-method.unknown", "response.body.incompatible"]


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the current one) with a spec and a noisy pact."""
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "pact.json").write_text(json.dumps(pact(NOISY, BAD_ID)))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["compare", *args, "spec.yaml", "pact.json"])


def test_without_options_or_settings_the_text_report_is_unchanged(folder: Path) -> None:
    result = _run()
    assert result.stdout == render(compare("spec.yaml", ["pact.json"]), "text")
    assert "summary:" not in result.stdout


def test_ignore_options_drop_findings_and_a_summary_closes_the_report(folder: Path) -> None:
    result = _run("--ignore-header", "sec-*", "--ignore", "response.header.*")
    assert result.exit_code == 1
    first, *_, last = result.stdout.rstrip("\n").split("\n")
    assert first == "spec.yaml: NOT compatible — 1 pact, 2 interactions, 1 error, 1 warning"
    assert "sec-" not in result.stdout.lower()
    assert last == (
        "summary: NOT compatible — 1 error (response.body.incompatible 1), "
        "1 warning (request.header.unknown 1), "
        "3 ignored (request.header.unknown 2, response.header.undefined 1)"
    )


def test_ignoring_every_error_passes(folder: Path) -> None:
    assert _run("--ignore", "response.body.*").exit_code == 0


def test_fail_on_warning_fails_a_run_with_warnings_only(folder: Path) -> None:
    assert _run("--ignore", "response.body.*", "--fail-on", "warning").exit_code == 1
    assert _run("--ignore", "*", "--fail-on", "warning").exit_code == 0


def test_quiet_prints_the_summary_lines_and_errors(folder: Path) -> None:
    result = _run("--quiet")
    lines = result.stdout.rstrip("\n").split("\n")
    assert lines[0] == "spec.yaml: NOT compatible — 1 pact, 2 interactions, 1 error, 4 warnings"
    assert [line for line in lines if line.startswith("    ")] == [
        "    error   response.body.incompatible: Response body is incompatible with the response body"
        ' schema in the spec file: must be integer (sent "x")',
        "            spec: [root].paths./things.get.responses.200.content.application/json.schema"
        ".properties.id.type",
        "            pact: [root].interactions[1].response.body.id",
    ]
    assert "warning" not in "\n".join(lines[1:-1])
    assert lines[-1].startswith("summary: NOT compatible — 1 error")
    assert _run("--quiet", "--no-summary").stdout.rstrip("\n").split("\n")[-1].startswith("    ")


def test_the_summary_can_be_asked_for_alone(folder: Path) -> None:
    last = _run("--summary").stdout.rstrip("\n").split("\n")[-1]
    assert last.startswith("summary: NOT compatible — 1 error (response.body.incompatible 1), 4 warnings (")
    assert "ignored" not in last


def test_settings_are_found_upwards_in_pyproject(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.crosscontract]\nignore-header = ["sec-*"]\nfail_on = "warning"\n'
    )
    (folder / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(folder / "deep" / "er")
    result = CliRunner().invoke(
        cli, ["compare", "--ignore", "response.body.*", "../../spec.yaml", "../../pact.json"]
    )
    assert result.exit_code == 1  # only warnings are left, and warnings fail
    assert "sec-" not in result.stdout.lower()
    assert result.stdout.split("\n")[-2].endswith(
        "3 ignored (request.header.unknown 2, response.body.incompatible 1)"
    )


def test_a_crosscontract_toml_comes_before_pyproject_and_options_win(folder: Path) -> None:
    (folder / "pyproject.toml").write_text('[tool.crosscontract]\nignore = ["*"]\n')
    (folder / ".crosscontract.toml").write_text('quiet = true\nsummary = false\nfail-on = "warning"\n')
    result = _run("--no-quiet", "--fail-on", "error")
    assert result.exit_code == 1
    assert "warning request.header.unknown" in result.stdout
    assert "summary:" not in result.stdout


def test_a_pyproject_without_the_table_does_not_count(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / ".crosscontract.toml").write_text('ignore = ["*"]\n')
    (folder / "sub").mkdir()
    (folder / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(folder / "sub")
    result = CliRunner().invoke(cli, ["compare", "../spec.yaml", "../pact.json"])
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignore = 'x'\n", "'ignore' must be a list of strings"),
        ("colour = true\n", "unknown setting 'colour'"),
        ("fail-on = 'never'\n", "'fail-on' must be 'error' or 'warning'"),
        ("ignore = [\n", "cannot read settings"),
    ],
)
def test_bad_settings_are_a_usage_error_naming_the_file(folder: Path, text: str, message: str) -> None:
    (folder / ".crosscontract.toml").write_text(text)
    result = _run()
    assert result.exit_code == 2
    assert message in result.stderr
    assert ".crosscontract.toml" in result.stderr


# --- colour, help ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "environ", "expected"),
    [
        (None, {"NO_COLOR": "1"}, False),
        (None, {"NO_COLOR": ""}, False),  # an empty NO_COLOR does not count (and stdout is no tty)
        (None, {"FORCE_COLOR": "1"}, True),
        (None, {"FORCE_COLOR": "0"}, False),
        (None, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, True),
        (True, {"NO_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_follows_the_flags_then_force_color_then_no_color(
    flag: bool | None, environ: dict[str, str], expected: bool
) -> None:
    assert wants_color(flag, environ) is expected


def _crosscontract(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [str(Path(sys.executable).with_name("crosscontract")), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**environ, **env},
        check=False,
    )


def test_force_color_colours_a_pipe_and_no_color_keeps_it_plain(folder: Path) -> None:
    assert "\x1b[" in _crosscontract(folder, "compare", "spec.yaml", "pact.json", FORCE_COLOR="1").stdout
    assert "\x1b[" not in _crosscontract(folder, "compare", "spec.yaml", "pact.json", NO_COLOR="1").stdout
    forced = _crosscontract(folder, "compare", "--color", "spec.yaml", "pact.json", NO_COLOR="1")
    assert "\x1b[" in forced.stdout


def test_a_bare_crosscontract_prints_the_help(folder: Path) -> None:
    done = _crosscontract(folder)
    assert done.returncode == 2
    assert done.stderr.startswith("Usage: crosscontract [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nCommands:\n" in done.stderr
    assert "error:" not in done.stderr


def test_compare_help_is_in_sections() -> None:
    result = CliRunner().invoke(cli, ["compare", "--help"])
    assert result.exit_code == 0
    sections = [line for line in result.stdout.split("\n") if line.endswith(":") and not line.startswith(" ")]
    assert sections == [
        "Report:",
        "Noise control:",
        "Comparison:",
        "Performance:",
        "Pact Broker:",
        "Other options:",
    ]
    report = result.stdout.split("Report:", 1)[1].split("Noise control:", 1)[0]
    assert "--report FORMAT=FILE" in report
    assert "--broker-url" in result.stdout.split("Pact Broker:", 1)[1]


def test_a_broker_is_told_the_outcome_without_the_noise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from _broker import FakeBroker, running

    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_text(SPEC)
    for name in ("PACT_BROKER_BASE_URL", "PACT_BROKER_TOKEN", "PACT_BROKER_USERNAME", "PACT_BROKER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with running(FakeBroker()) as broker:
        broker.add({**pact(BAD_ID), "consumer": {"name": "web"}, "provider": {"name": "things"}})
        args = [
            "--broker-url",
            broker.base,
            "--provider",
            "things",
            "--publish",
            "--provider-app-version",
            "1",
        ]
        result = CliRunner().invoke(
            cli, ["compare", "spec.yaml", *args, "--ignore", "response.body.*", "--summary"]
        )
        [published] = broker.sent("POST", "/verification-results")
    assert result.exit_code == 0, result.output
    assert published.body["success"] is True
    assert result.stdout.rstrip("\n").split("\n")[-1].endswith("1 ignored (response.body.incompatible 1)")


def test_another_tools_broken_pyproject_is_not_read(folder: Path) -> None:
    (folder / "pyproject.toml").write_text("[tool.other\nbroken = ")
    assert _run("--ignore", "*").exit_code == 0
