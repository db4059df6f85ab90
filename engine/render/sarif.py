"""SARIF 2.1.0, the format code scanning reads (GitHub, Azure DevOps, IDE viewers).

One run; one rule per code that the report holds, with `explain`'s text as its help;
one result per finding, located in the spec and in the pact (physical locations with
line and column, first the spec: code scanning shows the first) and named by the
reference engine's dotted locations (logical locations). Columns count code points,
as the run says (`columnKind`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from ..check.explain import explanation
from ..check.findings import Code, Severity
from ..check.report import Report
from ..positions import Position
from .names import interaction_heading, locations
from .placed import Placed, placed_findings

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
PACKAGE_PAGE = "https://pypi.org/project/crosscontract/"
"""Where the codes are documented when the installed package names no documentation URL."""


def render(report: Report, color: bool = False) -> str:
    return orjson.dumps(sarif_log(report), option=orjson.OPT_INDENT_2).decode() + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    placed = list(placed_findings(report))
    codes: dict[str, Code] = {}
    for item in placed:
        codes.setdefault(item.finding.code.code, item.finding.code)
    rule_index = {code: i for i, code in enumerate(codes)}
    home = _documentation()
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "crosscontract",
                        "version": _version(),
                        "informationUri": home,
                        "rules": [_rule(code, home) for code in codes.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(item, rule_index[item.finding.code.code], report.spec_file) for item in placed
                ],
            }
        ],
    }


def _rule(code: Code, home: str) -> dict[str, Any]:
    help_text = explanation(code)
    return {
        "id": code.code,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.why},
        "help": {"text": help_text, "markdown": help_text.replace("\n", "  \n")},
        "helpUri": f"{home}#what-is-checked" if "#" not in home else home,
        "defaultConfiguration": {"level": _level(code.severity)},
        "properties": {"source": code.source},
    }


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _result(placed: Placed, rule_index: int, spec_file: str) -> dict[str, Any]:
    finding = placed.finding
    text = finding.message
    if placed.pact is not None and placed.result is not None:
        text += f" ({interaction_heading(placed.result.interaction)} in {placed.pact.pact_file})"
    mock_at, spec_at = locations(finding)
    found: list[dict[str, Any]] = []
    if spec_at is not None and placed.pact is not None:
        found.append(_location(placed.spec, spec_file, spec_at, "spec"))
    if mock_at is not None and placed.pact is not None:
        found.append(_location(placed.mock, placed.pact.pact_file, mock_at, "pact"))
    result: dict[str, Any] = {
        "ruleId": finding.code.code,
        "ruleIndex": rule_index,
        "level": _level(finding.severity) if placed.blocking or not finding.is_error else "warning",
        "message": {"text": text},
        "locations": found,
    }
    if placed.pact is not None and placed.pact.pending and finding.is_error:
        result["properties"] = {"pending": True}
    return result


def _location(position: Position | None, file: str, dotted: str, role: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(position.file if position else file)}}
    if position is not None:
        physical["region"] = {"startLine": position.line, "startColumn": position.column}
    return {
        "physicalLocation": physical,
        "logicalLocations": [{"fullyQualifiedName": dotted, "kind": "member"}],
        "message": {"text": role},
    }


def _uri(file: str) -> str:
    """A URI reference for a file: URLs as they are, paths relative with `/`, absolute as `file:`."""
    if "://" in file:
        return file
    if os.path.isabs(file):
        return Path(file).as_uri()
    return quote(file.replace(os.sep, "/"))


def _documentation() -> str:
    """The package's documentation (or home) URL from its metadata, else its PyPI page."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("crosscontract").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    named = {name.lower(): url for name, _, url in (u.partition(", ") for u in urls) if url}
    return next((named[k] for k in ("documentation", "homepage", "repository") if k in named), PACKAGE_PAGE)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("crosscontract")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"
