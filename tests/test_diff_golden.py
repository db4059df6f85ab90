"""Golden diff cases: each `fixtures/cases/diff-<name>/` holds two versions of a spec and pacts.

A case folder holds `old.*` and `new.*` (json or yaml), `pacts/` (the pacts, one file per
consumer), `expected.json` (the `diff --format json` report), `expected.txt` (the text
report) and a README saying where the specs and pacts come from and how they were cut.
The CLI runs with the case folder as working directory, so file names in the reports are
relative. `pytest tests/test_diff_golden.py --update-golden` rewrites the expected files.

The consumer impact must agree with `compare` run against each spec alone: an interaction
is `before: fail` exactly when `compare OLD` reports an error for it, `after: fail` exactly
when `compare NEW` does, and its findings are the ones `compare NEW` reports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from crosscontract.cli.main import cli

CASES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "cases"


def _cases() -> list[Path]:
    return sorted(p for p in CASES_DIR.iterdir() if p.is_dir() and p.name.startswith("diff-"))


def _spec(folder: Path, stem: str) -> str:
    names = [p.name for p in folder.iterdir() if p.stem == stem and p.suffix in (".json", ".yaml", ".yml")]
    assert len(names) == 1, f"{folder.name}: needs exactly one {stem}.json or {stem}.yaml, found {names}"
    return names[0]


def _run(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {result.stderr}"
    return result.exit_code, result.stdout


def _diff(folder: Path, monkeypatch: pytest.MonkeyPatch, output: str) -> tuple[int, str]:
    return _run(
        folder, monkeypatch, "diff", "--format", output, _spec(folder, "old"), _spec(folder, "new"), "pacts"
    )


def test_there_are_diff_cases() -> None:
    assert len(_cases()) >= 1


@pytest.mark.parametrize("folder", _cases(), ids=lambda p: p.name)
def test_diff_golden(folder: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    exit_code, stdout = _diff(folder, monkeypatch, "json")
    _, text = _diff(folder, monkeypatch, "text")
    report = json.loads(stdout)
    if update_golden:
        (folder / "expected.json").write_text(stdout, encoding="utf-8")
        (folder / "expected.txt").write_text(text, encoding="utf-8")
        return
    assert report == json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert text == (folder / "expected.txt").read_text(encoding="utf-8")
    assert exit_code == (0 if report["compatible"] else 1)


def _compare(folder: Path, monkeypatch: pytest.MonkeyPatch, spec: str) -> dict[str, Any]:
    _, stdout = _run(folder, monkeypatch, "compare", "--format", "json", spec, "pacts")
    return dict(json.loads(stdout))


def _failing(report: dict[str, Any]) -> set[tuple[str, str]]:
    """(pact file, interaction description) of every interaction with an error."""
    return {
        (e["mockDetails"]["mockFile"], e["mockDetails"]["interactionDescription"]) for e in report["errors"]
    }


@pytest.mark.parametrize("folder", _cases(), ids=lambda p: p.name)
def test_impact_agrees_with_compare_against_each_spec(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, stdout = _diff(folder, monkeypatch, "json")
    report = json.loads(stdout)
    before = _compare(folder, monkeypatch, _spec(folder, "old"))
    after = _compare(folder, monkeypatch, _spec(folder, "new"))
    keys = [(i["pact"], i["description"]) for i in report["interactions"]]
    assert len(keys) == len(set(keys)), "descriptions must tell a case's interactions apart"
    assert {
        k for k, i in zip(keys, report["interactions"], strict=True) if i["before"] == "fail"
    } == _failing(before)
    assert {k for k, i in zip(keys, report["interactions"], strict=True) if i["after"] == "fail"} == _failing(
        after
    )
    findings = [f for i in report["interactions"] for f in i["findings"]]
    reported = [*after["errors"], *after["warnings"]]
    key = lambda f: json.dumps(f, sort_keys=True)  # noqa: E731
    assert sorted(map(key, findings)) == sorted(map(key, reported))


@pytest.mark.parametrize("folder", _cases(), ids=lambda p: p.name)
def test_diff_case_is_documented(folder: Path) -> None:
    readme = folder / "README.md"
    assert readme.is_file(), f"{folder.name} needs a README.md saying how it was made"
    assert any((folder / "pacts").glob("*.json"))
