"""GitLab code quality: the JSON array a merge request's code-quality widget reads.

Each finding is an issue with `description`, `check_name` (the code), a `fingerprint`,
a `severity` and a `location` (path and first line), as GitLab documents
(https://docs.gitlab.com/ee/ci/testing/code_quality.html#code-quality-report-format).
The location is the spec's line when known, else the pact's, else the spec file's
first line (GitLab needs one). The fingerprint is a hash of what identifies a finding
(code, pact, both pointers, message), not of its line, so GitLab matches a finding
across commits that move it; repeats of one finding are counted into it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from .._types import to_json_pointer
from ..check.report import Report
from .names import interaction_heading
from .placed import Placed, placed_findings


def render(report: Report, color: bool = False) -> str:
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for placed in placed_findings(report):
        identity = _identity(placed)
        seen[identity] = seen.get(identity, 0) + 1
        if seen[identity] > 1:
            identity += f"\x00{seen[identity]}"
        issues.append(_issue(placed, report.spec_file, hashlib.sha256(identity.encode()).hexdigest()))
    return orjson.dumps(issues, option=orjson.OPT_INDENT_2).decode() + "\n"


def _identity(placed: Placed) -> str:
    finding = placed.finding
    return "\x00".join(
        (
            finding.code.code,
            placed.pact.pact_file if placed.pact else "",
            "" if finding.at is None else to_json_pointer(finding.at),
            "" if finding.spec.at is None else to_json_pointer(finding.spec.at),
            finding.message,
        )
    )


def _issue(placed: Placed, spec_file: str, fingerprint: str) -> dict[str, Any]:
    finding = placed.finding
    description = finding.message
    if placed.pact is not None and placed.result is not None:
        description += f" ({interaction_heading(placed.result.interaction)} in {placed.pact.pact_file})"
    where = placed.spec or placed.mock
    return {
        "description": description,
        "check_name": finding.code.code,
        "fingerprint": fingerprint,
        "severity": "major" if placed.blocking else "minor",
        "location": {
            "path": where.file if where else spec_file,
            "lines": {"begin": where.line if where else 1},
        },
    }
