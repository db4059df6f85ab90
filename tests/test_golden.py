"""Golden cases: each `fixtures/cases/<name>/` is a spec, a pact and the report they give.

A case folder holds `spec.yaml` or `spec.json`, `pact.json`, optionally `options.json`
(`{"additional_properties_in_response": true}` becomes `--additional-properties-in-response`),
`expected.json` (the `--format json` report) and a README saying what the case shows.
The CLI runs with the case folder as working directory, so `specFile` and `mockFile` in
the stored report are plain relative names.

`pytest tests/test_golden.py --update-golden` rewrites every `expected.json` from the
engine's current output; review the diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from crosscontract.cli.main import cli

CASES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
SPEC_NAMES = ("spec.yaml", "spec.yml", "spec.json")

# Cases whose expected.json records the correct behaviour while the engine still gets it
# wrong. Strict: once the engine is fixed the case passes and the entry must go.
KNOWN_BUGS: dict[str, str] = {}


def _case_folders() -> list[Path]:
    # `diff-*` cases hold two specs and are checked by tests/test_diff_golden.py
    return sorted(p for p in CASES_DIR.iterdir() if p.is_dir() and not p.name.startswith("diff-"))


def _case_params(*, known_bugs_fail: bool) -> list[Any]:
    params = []
    for folder in _case_folders():
        marks = []
        if known_bugs_fail and folder.name in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[folder.name]))
        params.append(pytest.param(folder, id=folder.name, marks=marks))
    return params


def _spec_name(folder: Path) -> str:
    names = [name for name in SPEC_NAMES if (folder / name).is_file()]
    assert len(names) == 1, f"{folder.name}: needs exactly one of {SPEC_NAMES}, found {names}"
    return names[0]


def _option_flags(folder: Path) -> list[str]:
    path = folder / "options.json"
    if not path.is_file():
        return []
    options = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(options, dict), f"{path} must hold a JSON object"
    return [f"--{name.replace('_', '-')}" for name, enabled in sorted(options.items()) if enabled]


def _run(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, Any]]:
    monkeypatch.chdir(folder)
    args = ["compare", "--format", "json", *_option_flags(folder), _spec_name(folder), "pact.json"]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {result.stderr}"
    return result.exit_code, json.loads(result.stdout)


def test_there_are_cases() -> None:
    assert len(_case_folders()) >= 3
    assert set(KNOWN_BUGS) <= {folder.name for folder in _case_folders()}


@pytest.mark.parametrize("folder", _case_params(known_bugs_fail=True))
def test_golden(folder: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    expected_path = folder / "expected.json"
    exit_code, report = _run(folder, monkeypatch)
    if update_golden:
        if folder.name in KNOWN_BUGS:
            pytest.skip("expected.json records the correct behaviour by hand; not rewritten")
        expected_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert expected_path.is_file(), f"{expected_path} is missing; run pytest with --update-golden"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert report == expected
    assert exit_code == (0 if expected["success"] else 1)


@pytest.mark.parametrize("folder", _case_params(known_bugs_fail=False))
def test_case_is_documented(folder: Path) -> None:
    readme = folder / "README.md"
    assert readme.is_file(), f"{folder.name} needs a README.md saying what it shows"
    assert (folder / "pact.json").is_file()
    _spec_name(folder)
