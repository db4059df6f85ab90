"""The reference engine's JSON report: `{success, failureReason, errors, warnings}`.

Byte for byte what swagger-mock-validator's users parse, plus `pendingFailures` and
`skipped` when a run has them.
"""

from __future__ import annotations

from typing import Any

from .._types import MISSING
from ..check.findings import Finding
from ..check.report import InteractionResult, PactReport, Report
from .names import DEEPER, RENDER_DEPTH, finding_message, json_text, locations

__all__ = ["DEEPER", "RENDER_DEPTH", "finding_json", "json_text", "render", "report_json"]


def finding_json(
    report: Report, pact: PactReport | None, result: InteractionResult | None, finding: Finding
) -> dict[str, Any]:
    """One finding in the reference engine's shape."""
    mock_at, spec_at = locations(finding)
    mock: dict[str, Any] = {
        "interactionDescription": result.interaction.description if result else None,
        "interactionState": result.interaction.state if result else "[none]",
        "location": mock_at,
        "mockFile": pact.pact_file if pact else None,
    }
    if finding.mock_value is not MISSING:
        mock["value"] = finding.mock_value
    return {
        "code": finding.code.code,
        "message": finding_message(finding),
        "type": finding.severity.value,
        "source": finding.code.source,
        "mockDetails": mock,
        "specDetails": {
            "location": spec_at,
            "pathMethod": finding.spec.path_method,
            "pathName": finding.spec.path_name,
            "specFile": report.spec_file,
            "value": finding.spec.value,
        },
    }


def report_json(report: Report) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    for notice in report.notices:  # about the run, not an interaction: no mock or spec details
        (errors if notice.is_error else warnings).append(
            {
                "code": notice.code.code,
                "message": notice.message,
                "source": notice.code.source,
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


def render(report: Report, color: bool = False) -> str:
    return json_text(report_json(report), indent=True)
