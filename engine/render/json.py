"""The reference engine's JSON report: `{success, failureReason, errors, warnings}`.

Byte for byte what swagger-mock-validator's users parse, plus `pendingFailures` and
`skipped` when a run has them.
"""

from __future__ import annotations

from typing import Any

import orjson

from .._types import MISSING
from ..check.findings import Finding
from ..check.report import InteractionResult, PactReport, Report
from .names import finding_message, locations


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


RENDER_DEPTH = 200
"""Levels of a value a report writes out in full; deeper parts are written as `DEEPER`."""
DEEPER = f"[nested deeper than {RENDER_DEPTH} levels]"


def json_text(value: Any, *, indent: bool = False) -> str:
    """`value` as JSON text (orjson's compact or two-space form), whatever it holds.

    orjson refuses integers beyond 64 bits (a YAML spec may hold them) and values nested
    more than 255 levels (a pact body may, up to the readers' 1,024): then, and only then,
    the value is written by the `json` module, which holds any integer, with the parts
    deeper than `RENDER_DEPTH` levels replaced by `DEEPER`. The same text as orjson's
    otherwise; NaN and infinities are null, as orjson writes them.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0).decode()
    except TypeError:  # orjson.JSONEncodeError: too deep, an integer too large
        import json

        bounded = _bounded(value, RENDER_DEPTH)
        if indent:
            return json.dumps(bounded, indent=2, ensure_ascii=False)
        return json.dumps(bounded, separators=(",", ":"), ensure_ascii=False)


def _bounded(value: Any, levels: int) -> Any:
    """A copy of `value` that the `json` module writes as orjson would, `levels` deep at most."""
    if isinstance(value, dict | list | tuple):
        if levels <= 0:
            return DEEPER
        if isinstance(value, dict):
            return {str(k): _bounded(v, levels - 1) for k, v in value.items()}
        return [_bounded(v, levels - 1) for v in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)
