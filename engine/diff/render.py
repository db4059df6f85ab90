"""A `DiffReport` as text for people, JSON for tools and Markdown for a pull-request comment.

Every format puts the consumers first: the interactions a new spec breaks, grouped by
consumer, then the spec changes some consumer uses, then the changes nobody uses, which
text and Markdown only count (by severity) since they fail no consumer.
The findings in JSON are those of the reference report (`render.json.finding_json`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from .._types import Pointer, to_json_pointer
from ..render.json import finding_json
from ..render.names import interaction_heading, plain
from .codes import ChangeSeverity
from .impact import ChangeImpact, DiffReport, InteractionImpact

FORMATS = ("text", "json", "markdown")

MARKDOWN_ROWS = 50
"""Rows per Markdown table; comment size limits make a longer list useless."""

_ORDER = {ChangeSeverity.ERROR: 0, ChangeSeverity.WARNING: 1, ChangeSeverity.INFO: 2}


def render(report: DiffReport, format_name: str) -> str:
    """`report` in one of `FORMATS`."""
    renderers: dict[str, Callable[[DiffReport], str]] = {"text": text, "json": json, "markdown": markdown}
    return renderers[format_name](report)


# --- JSON ----------------------------------------------------------------------------------------


def _pointer(pointer: Pointer | None) -> str | None:
    return None if pointer is None else to_json_pointer(pointer)


def report_json(report: DiffReport) -> dict[str, Any]:
    return {
        "compatible": report.compatible,
        "interactions": [_interaction_json(report, i) for i in report.interactions],
        "changes": [
            {
                "code": c.change.code.code,
                "severity": c.change.severity.value,
                "operation": c.change.operation,
                "old": _pointer(c.change.old),
                "new": _pointer(c.change.new),
                "message": c.change.message,
                "consumers": list(c.consumers),
            }
            for c in report.changes
        ],
    }


def _interaction_json(report: DiffReport, impact: InteractionImpact) -> dict[str, Any]:
    interaction = impact.after.interaction
    return {
        "pact": impact.pact.pact_file,
        "consumer": impact.consumer,
        "index": interaction.index,
        "description": interaction.description,
        "method": interaction.method.upper(),
        "path": interaction.path,
        "before": "pass" if impact.before_ok else "fail",
        "after": "pass" if impact.after.ok else "fail",
        "findings": [finding_json(report.after, impact.pact, impact.after, f) for f in impact.after.findings],
    }


def json(report: DiffReport) -> str:
    return orjson.dumps(report_json(report), option=orjson.OPT_INDENT_2).decode() + "\n"


# --- text ----------------------------------------------------------------------------------------


def _counts(report: DiffReport) -> Counter[str]:
    return Counter(i.status for i in report.interactions)


def _severity_counts(changes: tuple[ChangeImpact, ...]) -> str:
    counted = Counter(c.change.severity for c in changes)
    return ", ".join(f"{counted[s]} {s.value}" for s in _ORDER if counted[s]) or "none"


def _sorted(changes: tuple[ChangeImpact, ...]) -> list[ChangeImpact]:
    return sorted(changes, key=lambda c: _ORDER[c.change.severity])


def _by_consumer(report: DiffReport) -> dict[str, list[InteractionImpact]]:
    grouped: dict[str, list[InteractionImpact]] = {}
    for impact in report.newly_broken:
        grouped.setdefault(impact.consumer, []).append(impact)
    return grouped


def text(report: DiffReport) -> str:
    return "\n".join(_text_lines(report)) + "\n"


def _tally(report: DiffReport) -> str:
    counts = _counts(report)
    return (
        f"{len(report.interactions)} interactions: {counts['still passes']} still pass, "
        f"{counts['newly broken']} newly broken, {counts['still broken']} still broken, "
        f"{counts['fixed']} fixed"
    )


def _text_lines(report: DiffReport) -> Iterator[str]:
    verdict = "compatible" if report.compatible else "NOT compatible"
    yield plain(f"{report.old_spec} -> {report.new_spec}: {verdict}")
    yield f"  {_tally(report)}"
    for consumer, impacts in _by_consumer(report).items():
        yield ""
        yield plain(f"Newly broken for {consumer}:")
        for impact in impacts:
            heading = interaction_heading(impact.after.interaction)
            yield f"  {plain(heading)}  ({plain(impact.pact.pact_file)})"
            for finding in impact.after.findings:
                if finding.is_error:
                    yield f"    error   {finding.code.code}: {plain(finding.message)}"
    used = report.used_changes
    yield ""
    yield f"Changes that affect consumers: {len(used)} ({_severity_counts(used)})"
    for changed in _sorted(used):
        change = changed.change
        yield (
            f"  {change.severity.value:<7} {change.code.code}: {plain(change.operation)}: "
            f"{plain(change.message)}  [{plain(', '.join(changed.consumers))}]"
        )
    unused = report.unused_changes
    yield ""
    yield f"Changes no consumer uses: {len(unused)} ({_severity_counts(unused)})"


# --- Markdown ------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(report: DiffReport) -> str:
    return "\n".join(_markdown_lines(report)) + "\n"


def _markdown_lines(report: DiffReport) -> Iterator[str]:
    broken = report.newly_broken
    verdict = "breaks no consumer" if report.compatible else f"**breaks {len(broken)} interaction(s)**"
    yield f"### crosscontract diff: `{_cell(report.new_spec)}` {verdict}"
    yield ""
    yield f"{_tally(report)}."
    if broken:
        yield ""
        yield "| consumer | interaction | findings |"
        yield "|---|---|---|"
        for impact in broken[:MARKDOWN_ROWS]:
            errors = "; ".join(f"`{f.code.code}` {f.message}" for f in impact.after.findings if f.is_error)
            heading = interaction_heading(impact.after.interaction)
            yield f"| {_cell(impact.consumer)} | {_cell(heading)} | {_cell(errors)} |"
        if len(broken) > MARKDOWN_ROWS:
            yield f"\n{len(broken) - MARKDOWN_ROWS} more not shown."
    used = report.used_changes
    if used:
        yield ""
        yield f"#### Changes that affect consumers ({_severity_counts(used)})"
        yield ""
        yield "| severity | code | operation | change | consumers |"
        yield "|---|---|---|---|---|"
        for changed in _sorted(used)[:MARKDOWN_ROWS]:
            change = changed.change
            yield (
                f"| {change.severity.value} | `{change.code.code}` | `{_cell(change.operation)}` | "
                f"{_cell(change.message)} | {_cell(', '.join(changed.consumers))} |"
            )
        if len(used) > MARKDOWN_ROWS:
            yield f"\n{len(used) - MARKDOWN_ROWS} more not shown."
    unused = report.unused_changes
    yield ""
    yield f"Changes no consumer uses: {len(unused)} ({_severity_counts(unused)})."
