"""Markdown for a pull-request comment: a table per pact, then the findings folded away.

A pact's text (names, descriptions, the values quoted in messages) is someone else's, and
the comment is rendered as HTML: nothing from it may start a tag, close the table cell,
end a link, or leave a code span (`_cell`, `_code`, `_link`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

from ..check.report import PactReport, Report
from ..urls import is_url, markdown_safe
from .names import finding_message, interaction_title, locations, parties, suite_name

MARKDOWN_FINDINGS = 50
"""Findings listed in a Markdown report; comment size limits make a longer list useless."""


_NOT_IN_LINKS = re.compile(r'[\s()<>|"\\`]')
"""What would end a link's destination, or the table cell around it."""


def _one_line(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _cell(text: object) -> str:
    """Markdown table cell: pipes escaped, one line, no HTML."""
    return markdown_safe(_one_line(text))


def _code(text: object) -> str:
    """A code span in a table cell: HTML is not read inside one, but a backtick would end it."""
    body = _one_line(text)
    longest = max(map(len, re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _link(text: str, url: str) -> str:
    label = _cell(text).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({_NOT_IN_LINKS.sub(lambda found: quote(found.group()), url)})"


def _pact_cell(pact: PactReport) -> str:
    """A pact named by its parties; a pact from a broker links to its URL instead of printing it."""
    who = parties(pact)
    if is_url(pact.pact_file):
        return _link(who or pact.pact_file, pact.pact_file)
    return _cell(suite_name(pact))


def render(report: Report, color: bool = False) -> str:
    return "\n".join(_markdown_lines(report)) + "\n"


def _markdown_lines(report: Report) -> Iterator[str]:
    verdict = "compatible" if report.success else "**not compatible**"
    if not report.success and report.exit_code == 0:
        verdict += " (pending pacts only)"
    yield f"### crosscontract: {_code(report.spec_file)} is {verdict}"
    yield ""
    for notice in report.notices:
        yield f"> {notice.severity.value}: {_cell(notice.message)}"
        yield ""
    if not report.pacts:
        return
    yield "| pact | interactions | errors | warnings | result |"
    yield "|---|---:|---:|---:|---|"
    for pact in report.pacts:
        errors = sum(1 for _ in pact.errors)
        warnings = sum(1 for _ in pact.warnings)
        outcome = "✅ pass" if pact.success else "❌ fail"
        if pact.pending:
            outcome += " (pending)"
        yield f"| {_pact_cell(pact)} | {len(pact.results)} | {errors} | {warnings} | {outcome} |"
    rows = [(pact, result, f) for pact in report.pacts for result in pact.results for f in result.findings]
    rows.sort(key=lambda row: not row[2].is_error)
    if not rows:
        return
    yield ""
    yield f"<details><summary>{len(rows)} finding{'s' if len(rows) != 1 else ''}</summary>"
    yield ""
    yield "| | interaction | code | message | location |"
    yield "|---|---|---|---|---|"
    for pact, flagged, finding in rows[:MARKDOWN_FINDINGS]:
        mark = "❌" if finding.is_error else "⚠️"
        mock_at = locations(finding)[0]
        where = _code(mock_at) if mock_at else ""
        who = _cell(f"{pact.consumer or pact.pact_file} {interaction_title(flagged.interaction)}")
        yield (f"| {mark} | {who} | `{finding.code.code}` | {_cell(finding_message(finding))} | {where} |")
    if len(rows) > MARKDOWN_FINDINGS:
        yield ""
        yield f"… and {len(rows) - MARKDOWN_FINDINGS} more (see the full report)."
    yield ""
    yield "</details>"
