"""Consumer impact as a library: statuses, consumers per change, outcomes kept across runs, exit codes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from _broker_cli import without_broker_settings
from click.testing import CliRunner
from crosscontract.cli.main import cli
from crosscontract.engine import Comparator, load_spec, parse_pact
from crosscontract.engine.diff import diff, impact

OLD: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "pets", "version": "1"},
    "paths": {
        "/pets/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/owners": {"get": {"responses": {"200": {"description": "ok"}}}},
    },
}
NEW = copy.deepcopy(OLD)
del NEW["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
    "properties"
]["name"]
del NEW["paths"]["/owners"]


def _pact(consumer: str, body: dict[str, Any], path: str = "/pets/1") -> Any:
    return parse_pact(
        {
            "consumer": {"name": consumer},
            "provider": {"name": "pets"},
            "interactions": [
                {
                    "description": f"{consumer} reads",
                    "request": {"method": "GET", "path": path},
                    "response": {
                        "status": 200,
                        "headers": {"Content-Type": "application/json"},
                        "body": body,
                    },
                }
            ],
        },
        f"{consumer}.json",
    )


def test_statuses_and_consumers() -> None:
    report = diff(OLD, NEW, [_pact("web", {"id": 1, "name": "Rex"}), _pact("app", {"id": 1})])
    assert [(i.consumer, i.status) for i in report.interactions] == [
        ("web", "newly broken"),
        ("app", "still passes"),
    ]
    assert not report.compatible
    assert report.exit_code() == 1
    by_code = {c.change.code.code: c.consumers for c in report.changes}
    assert by_code == {"change.response.property.removed": ("app", "web"), "change.operation.removed": ()}
    assert [c.change.code.code for c in report.unused_breaking] == ["change.operation.removed"]


def test_unused_breaking_fails_only_when_asked() -> None:
    report = diff(OLD, NEW, [_pact("app", {"id": 1})])
    assert report.compatible
    assert report.exit_code() == 0
    assert report.exit_code(fail_on_unused_breaking=True) == 1


def test_fixed_and_still_broken() -> None:
    report = diff(NEW, OLD, [_pact("web", {"id": 1, "name": "Rex"}), _pact("old", {"id": "x"})])
    assert [i.status for i in report.interactions] == ["fixed", "still broken"]


def test_kept_outcomes_spare_the_old_check(monkeypatch: pytest.MonkeyPatch) -> None:
    pacts = [_pact("web", {"id": 1, "name": "Rex"})]
    old, new = Comparator(load_spec(OLD)), Comparator(load_spec(NEW))
    kept: dict[str, tuple[bool, str | None]] = {}
    first = impact(old, new, pacts, old_outcomes=kept)
    assert list(kept.values()) == [(True, "/pets/{id}")]

    def refuse(*_: Any) -> Any:
        raise AssertionError("checked against the old spec again")

    monkeypatch.setattr(old, "check_pact", refuse)
    second = impact(old, new, pacts, old_outcomes=kept)
    assert (
        [i.status for i in second.interactions] == [i.status for i in first.interactions] == ["newly broken"]
    )


WEB_PACT: dict[str, Any] = {
    "consumer": {"name": "web"},
    "provider": {"name": "pets"},
    "interactions": [
        {
            "description": "web reads",
            "request": {"method": "GET", "path": "/pets/1"},
            "response": {"status": 200, "body": {"id": 1, "name": "Rex"}},
        }
    ],
}
"""The pact of the CLI tests: `web` reads a pet's name, which the new spec no longer declares."""


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    import json

    (tmp_path / "old.json").write_text(json.dumps(OLD))
    (tmp_path / "new.json").write_text(json.dumps(NEW))
    (tmp_path / "web.json").write_text(json.dumps(WEB_PACT))
    files = [str(tmp_path / n) for n in ("old.json", "new.json", "web.json")]
    runner = CliRunner()
    result = runner.invoke(cli, ["diff", "--format", "json", *files])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"compatible", "interactions", "changes"}
    (interaction,) = report["interactions"]
    assert (interaction["before"], interaction["after"]) == ("pass", "fail")
    assert interaction["findings"][0]["code"] == "response.body.incompatible"
    assert report["changes"][0] == {
        "code": "change.response.property.removed",
        "severity": "error",
        "operation": "GET /pets/{id}",
        "old": "/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/properties/name",
        "new": "/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/properties",
        "message": "response 200 (application/json), name: removed",
        "consumers": ["web"],
    }
    markdown = runner.invoke(cli, ["diff", "--format", "markdown", *files])
    assert markdown.exit_code == 1
    assert "breaks 1 interaction(s)" in markdown.stdout
    same = runner.invoke(cli, ["diff", files[0], files[0], files[2]])
    assert same.exit_code == 0
    assert "compatible" in same.stdout
    missing = runner.invoke(cli, ["diff", files[0], str(tmp_path / "nope.json"), files[2]])
    assert missing.exit_code == 2
    published = runner.invoke(cli, ["diff", *files[:2], "--provider", "pets", "--publish"])
    assert published.exit_code == 2


def test_pacts_from_a_broker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`diff --provider`: the broker's pacts, checked against both specs; nothing published."""
    import json

    from _broker import FakeBroker, running

    without_broker_settings(monkeypatch)
    (tmp_path / "old.json").write_text(json.dumps(OLD))
    (tmp_path / "new.json").write_text(json.dumps(NEW))
    document = {**WEB_PACT, "metadata": {"pactSpecification": {"version": "2.0.0"}}}
    with running(FakeBroker()) as broker:
        broker.add(document)
        result = CliRunner().invoke(
            cli,
            [
                "diff",
                "--format",
                "json",
                str(tmp_path / "old.json"),
                str(tmp_path / "new.json"),
                *("--broker-url", broker.base, "--provider", "pets", "--main-branch"),
            ],
        )
        assert broker.sent("POST", "/verification-results") == []
    assert result.exit_code == 1, result.output
    (interaction,) = json.loads(result.stdout)["interactions"]
    assert interaction["pact"] == "web 1.0.0"  # the broker's choice, named as the broker names it
    assert (interaction["consumer"], interaction["before"], interaction["after"]) == ("web", "pass", "fail")
