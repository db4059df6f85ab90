"""Findings: what the engine says about an interaction, and the codes it says it with.

Codes are the reference engine's dotted codes (`<side>.<part>.<problem>`) so reports,
dashboards and habits carry over. Each code is declared once here with its severity
and its user documentation; the registry refuses duplicates and undocumented codes.
"""

from __future__ import annotations

import enum

from msgspec import Struct

from .._types import MISSING, Json, Pointer


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Code(Struct, frozen=True):
    code: str
    severity: Severity
    summary: str
    """One line: when the code is reported."""
    why: str
    """Why it matters to a provider or consumer."""
    source: str = "spec-mock-validation"
    """What found it, as the reference engine's reports say: `spec-mock-validation`, `pact-broker`."""
    about_value: bool = False
    """Whether it says that a value the pact holds fails the spec (reports then show the value)."""


CODES: dict[str, Code] = {}


def declare(
    code: str,
    severity: Severity,
    summary: str,
    why: str,
    *,
    source: str = "spec-mock-validation",
    about_value: bool = False,
) -> Code:
    if code in CODES:
        raise ValueError(f"code {code!r} is declared twice")
    if not summary or not why:
        raise ValueError(f"code {code!r} needs a summary and a reason")
    declared = Code(code, severity, summary, why, source, about_value)
    CODES[code] = declared
    return declared


class SpecPlace(Struct, frozen=True):
    """Where in the spec a finding points, and what the spec says there."""

    at: Pointer | None
    """From the spec's root (entry document); None for a finding about the run."""
    value: Json = None
    path_name: str | None = None
    path_method: str | None = None


class Finding(Struct, frozen=True):
    """One incompatibility or caution about one interaction."""

    code: Code
    message: str
    at: Pointer | None
    """Where in the pact, from its root: `("interactions", 0, "request", "body", "a.b")`."""
    spec: SpecPlace
    mock_value: Json = MISSING

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def is_error(self) -> bool:
        return self.code.severity is Severity.ERROR
