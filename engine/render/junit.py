"""JUnit XML for CI test reporters.

One `testsuite` per pact, one `testcase` per interaction; an interaction with errors is a
failed test case whose failure names each finding's code, message and locations.
Interactions of a pending pact that fail are `skipped` (the build does not fail on them),
as are interactions the engine does not check.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..check.findings import Finding
from ..check.report import PactReport, Report
from .names import finding_message, interaction_heading, locations, suite_name

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold even escaped (control characters a pact may carry)."""


def _finding_text(finding: Finding) -> str:
    lines = [f"{finding.severity.value} {finding.code.code}: {finding_message(finding)}"]
    mock_at, spec_at = locations(finding)
    if mock_at:
        lines.append(f"  pact: {mock_at}")
    if spec_at:
        lines.append(f"  spec: {spec_at}")
    return "\n".join(lines)


def render(report: Report, color: bool = False) -> str:
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
            ET.SubElement(
                case, "skipped", message=f"pending pact: {finding_message(errors[0])}"
            ).text = findings
        elif errors:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=finding_message(errors[0]), type=errors[0].code.code
            )
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
    for key, value in _counts(suite_name(pact), **counts).items():
        suite.set(key, value)
    return counts


def _text_element(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element
