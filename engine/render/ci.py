"""Reports for CI: JUnit XML for test reporters, Markdown for pull-request comments.

JUnit: one `testsuite` per pact, one `testcase` per interaction; an interaction with
errors is a failed test case whose failure names each finding's code, message and
locations. Interactions of a pending pact that fail are `skipped` (the build does not
fail on them), as are interactions the engine does not check.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from crosscontract.cli.broker import is_url
from crosscontract.engine.check.findings import Finding
from crosscontract.engine.check.report import PactReport, Report

from .text import interaction_heading, interaction_title

MARKDOWN_FINDINGS = 50
"""Findings listed in a Markdown report; comment size limits make a longer list useless."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold even escaped (control characters a pact may carry)."""


def _suite_name(pact: PactReport) -> str:
    who = " -> ".join(n for n in (pact.consumer, pact.provider) if n)
    return f"{who} ({pact.pact_file})" if who else pact.pact_file


def _finding_text(finding: Finding) -> str:
    lines = [f"{finding.severity.value} {finding.code.code}: {finding.message}"]
    if finding.mock_location:
        lines.append(f"  pact: {finding.mock_location}")
    if finding.spec.location:
        lines.append(f"  spec: {finding.spec.location}")
    return "\n".join(lines)


def render_junit(report: Report) -> str:
    suites = ET.Element("testsuites", name=f"crosscontract {report.spec_file}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for pact in report.pacts:
        counts = _junit_suite(suites, pact)
        for key, value in counts.items():
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    suites.set("errors", "0")
    suites.set("time", "0")
    for notice in report.notices:  # e.g. no pacts found: say so where CI shows it
        ET.SubElement(suites, "testsuite", _counts(name=notice.code.code)).append(
            _text_element("system-out", notice.message)
        )
    for element in suites.iter():  # ElementTree would write them raw: no reader could parse the file
        element.text = element.text and _NOT_XML.sub("\ufffd", element.text)
        for name, text in element.attrib.items():
            element.set(name, _NOT_XML.sub("\ufffd", text))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _counts(name: str, tests: int = 0, failures: int = 0, skipped: int = 0) -> dict[str, str]:
    return {
        "name": name,
        "tests": str(tests),
        "failures": str(failures),
        "errors": "0",
        "skipped": str(skipped),
        "time": "0",
    }


def _junit_suite(parent: ET.Element, pact: PactReport) -> dict[str, int]:
    suite = ET.SubElement(parent, "testsuite")
    failures = skipped = 0
    classname = ".".join(n for n in (pact.consumer, pact.provider) if n) or pact.pact_file
    for result in pact.results:
        name = interaction_heading(result.interaction)
        case = ET.SubElement(suite, "testcase", name=name, classname=classname, time="0")
        errors = [f for f in result.findings if f.is_error]
        findings = "\n".join(_finding_text(f) for f in sorted(result.findings, key=lambda f: not f.is_error))
        if errors and pact.pending:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"pending pact: {errors[0].message}").text = findings
        elif errors:
            failures += 1
            failure = ET.SubElement(case, "failure", message=errors[0].message, type=errors[0].code.code)
            failure.text = findings
        elif findings:  # warnings only: the test passes, the warnings stay visible
            case.append(_text_element("system-out", findings))
    for item in pact.skipped:
        skipped += 1
        case = ET.SubElement(
            suite,
            "testcase",
            name=f"[{item.index}] {item.description or ''}".rstrip(),
            classname=classname,
            time="0",
        )
        ET.SubElement(case, "skipped", message=item.reason)
    counts = {"tests": len(pact.results) + len(pact.skipped), "failures": failures, "skipped": skipped}
    for key, value in _counts(_suite_name(pact), **counts).items():
        suite.set(key, value)
    return counts


def _text_element(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element


def _cell(text: object) -> str:
    """Markdown table cell: pipes escaped, one line."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _pact_cell(pact: PactReport) -> str:
    """A pact named by its parties; a pact from a broker links to its URL instead of printing it."""
    who = " -> ".join(n for n in (pact.consumer, pact.provider) if n)
    if is_url(pact.pact_file):
        return f"[{_cell(who or pact.pact_file)}]({pact.pact_file.replace(')', '%29')})"
    return _cell(_suite_name(pact))


def render_markdown(report: Report) -> str:
    return "\n".join(_markdown_lines(report)) + "\n"


def _markdown_lines(report: Report) -> Iterator[str]:
    verdict = "compatible" if report.success else "**not compatible**"
    if not report.success and report.exit_code == 0:
        verdict += " (pending pacts only)"
    yield f"### crosscontract: `{_cell(report.spec_file)}` is {verdict}"
    yield ""
    for notice in report.notices:
        yield f"> {notice.severity.value}: {notice.message}"
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
        where = f"`{_cell(finding.mock_location)}`" if finding.mock_location else ""
        who = _cell(f"{pact.consumer or pact.pact_file} {interaction_title(flagged.interaction)}")
        yield (f"| {mark} | {who} | `{finding.code.code}` | {_cell(finding.message)} | {where} |")
    if len(rows) > MARKDOWN_FINDINGS:
        yield ""
        yield f"… and {len(rows) - MARKDOWN_FINDINGS} more (see the full report)."
    yield ""
    yield "</details>"
