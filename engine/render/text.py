"""Render a `Report` for people (text) or for tools (the reference engine's JSON)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import click
import orjson
from crosscontract.engine._types import MISSING
from crosscontract.engine.check.findings import Finding
from crosscontract.engine.check.report import InteractionResult, PactReport, Report
from crosscontract.engine.pact.reader import Interaction


def finding_json(
    report: Report, pact: PactReport | None, result: InteractionResult | None, finding: Finding
) -> dict[str, Any]:
    """One finding in the reference engine's shape."""
    mock: dict[str, Any] = {
        "interactionDescription": result.interaction.description if result else None,
        "interactionState": result.interaction.state if result else "[none]",
        "location": finding.mock_location,
        "mockFile": pact.pact_file if pact else None,
    }
    if finding.mock_value is not MISSING:
        mock["value"] = finding.mock_value
    return {
        "code": finding.code.code,
        "message": finding.message,
        "type": finding.severity.value,
        "source": _source(finding),
        "mockDetails": mock,
        "specDetails": {
            "location": finding.spec.location,
            "pathMethod": finding.spec.path_method,
            "pathName": finding.spec.path_name,
            "specFile": report.spec_file,
            "value": finding.spec.value,
        },
    }


def _source(finding: Finding) -> str:
    return "pact-broker" if finding.code.code.startswith("pact-broker.") else "spec-mock-validation"


def report_json(report: Report) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    for notice in report.notices:  # about the run, not an interaction: no mock or spec details
        (errors if notice.is_error else warnings).append(
            {
                "code": notice.code.code,
                "message": notice.message,
                "source": _source(notice),
                "type": notice.severity.value,
            }
        )
    for pact in report.pacts:
        for result in pact.results:
            for finding in result.findings:
                (errors if finding.is_error else warnings).append(finding_json(report, pact, result, finding))
    out: dict[str, Any] = {"success": report.success}
    if report.failure_reason:
        out["failureReason"] = report.failure_reason
    out["errors"] = errors
    out["warnings"] = warnings
    if report.pending_failures:  # failures that fail no build: the broker marks these pacts pending
        out["pendingFailures"] = [p.pact_file for p in report.pending_failures]
    if report.skipped_count:
        out["skipped"] = [
            {
                "mockFile": p.pact_file,
                "interactionIndex": s.index,
                "interactionDescription": s.description,
                "reason": s.reason,
            }
            for p in report.pacts
            for s in p.skipped
        ]
    return out


def render_json(report: Report) -> str:
    return orjson.dumps(report_json(report), option=orjson.OPT_INDENT_2).decode()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_text(report: Report, *, color: bool | None = None) -> str:
    return "\n".join(_text_lines(report, color)) + "\n"


def _text_lines(report: Report, color: bool | None) -> Iterator[str]:
    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if color else text

    verdict = (
        style("compatible", fg="green", bold=True)
        if report.success
        else style("NOT compatible", fg="red", bold=True)
    )
    yield (
        f"{report.spec_file}: {verdict} — {_plural(len(report.pacts), 'pact')}, "
        f"{_plural(report.interaction_count, 'interaction')}, {_plural(report.error_count, 'error')}, "
        f"{_plural(report.warning_count, 'warning')}"
        + (f", {report.skipped_count} skipped" if report.skipped_count else "")
        + (
            f" (only in {_plural(len(report.pending_failures), 'pending pact')})"
            if _pending_only(report)
            else ""
        )
    )
    for notice in report.notices:
        yield f"  {style(notice.severity.value, fg='yellow')} [{notice.code.code}] {_plain(notice.message)}"
    for pact in report.pacts:
        flagged = [r for r in pact.results if r.findings]
        if not flagged and not pact.skipped:
            continue
        who = " -> ".join(n for n in (pact.consumer, pact.provider) if n)
        yield ""
        pending = " [pending: its failures do not fail the build]" if pact.pending else ""
        yield style(_plain(f"{pact.pact_file}" + (f" ({who})" if who else "")) + pending, bold=True)
        for result in flagged:
            yield f"  {_plain(interaction_heading(result.interaction))}"
            ordered = sorted(result.findings, key=lambda f: not f.is_error)
            for finding in ordered:
                level = style("error  ", fg="red") if finding.is_error else style("warning", fg="yellow")
                yield f"    {level} {finding.code.code}: {_plain(finding.message)}{_sent(finding)}"
                if finding.spec.location:
                    yield f"            spec: {_plain(finding.spec.location)}"
                if finding.mock_location:
                    yield f"            pact: {_plain(finding.mock_location)}"
        for skipped in pact.skipped:
            yield _plain(f"  [{skipped.index}] {skipped.description or ''} skipped: {skipped.reason}")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """`text` with control characters written as escapes.

    A pact's strings must not colour the terminal, move its cursor, or start a new line that
    a CI log reads as a command (`::error::...`).
    """
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def interaction_title(interaction: Interaction) -> str:
    """`[index] description (given state)`: an interaction as people name it."""
    request = interaction.request
    name = interaction.description or f"{request.method.upper()} {request.path}"
    state = f" (given {interaction.state})" if interaction.state != "[none]" else ""
    return f"[{interaction.index}] {name}{state}"


def interaction_heading(interaction: Interaction) -> str:
    """The title and what was exchanged: descriptions alone are often generated ids."""
    request = interaction.request
    return (
        f"{interaction_title(interaction)}: {request.method.upper()} {request.path}"
        f" -> {interaction.response.status}"
    )


def _pending_only(report: Report) -> bool:
    return not report.success and report.exit_code == 0 and bool(report.pending_failures)


def _sent(finding: Finding) -> str:
    value = finding.mock_value
    if value is MISSING or isinstance(value, dict) or "incompatible" not in finding.code.code:
        return ""
    text = orjson.dumps(value).decode()
    return f" (sent {text})" if len(text) <= 80 else ""
