"""Findings: what the engine says about an interaction, and the codes it says it with.

Codes are the reference engine's dotted codes (`<side>.<part>.<problem>`) so reports,
dashboards and habits carry over. Each code is declared once here with its severity
and its user documentation; the registry refuses duplicates and undocumented codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .._types import MISSING, Json


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    summary: str
    """One line: when the code is reported."""
    why: str
    """Why it matters to a provider or consumer."""


CODES: dict[str, Code] = {}


def declare(code: str, severity: Severity, summary: str, why: str) -> Code:
    if code in CODES:
        raise ValueError(f"code {code!r} is declared twice")
    if not summary or not why:
        raise ValueError(f"code {code!r} needs a summary and a reason")
    declared = Code(code, severity, summary, why)
    CODES[code] = declared
    return declared


@dataclass(frozen=True, slots=True)
class SpecPlace:
    """Where in the spec a finding points, and what the spec says there."""

    location: str | None
    value: Json = None
    path_name: str | None = None
    path_method: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One incompatibility or caution about one interaction."""

    code: Code
    message: str
    mock_location: str | None
    spec: SpecPlace
    mock_value: Json = MISSING

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def is_error(self) -> bool:
        return self.code.severity is Severity.ERROR
