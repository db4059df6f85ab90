"""The text report's noise-control variants: errors only (`--quiet`), and a closing summary.

In a run with thousands of warnings the first summary line scrolls off long before the
end; the closing line repeats the verdict after the findings, with the count of each
code, and says how many findings were ignored. Both build on the plain text report, so
the default text report stays exactly what it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ..check.filters import only_errors
from ..check.report import Report
from .text import render as render_text

_RESET = "\x1b[0m"


def render_text_report(
    report: Report,
    color: bool = False,
    *,
    quiet: bool = False,
    summary: bool = False,
    ignored: Mapping[str, int] | None = None,
) -> str:
    """The text report; `quiet`: its summary line and errors only; `summary`: a closing line too."""
    text = render_text(report, color)
    if quiet:
        first, _, _ = text.partition("\n")
        _, _, errors = render_text(only_errors(report), color).partition("\n")
        text = f"{first}\n{errors}"
    if summary:
        text += closing_line(report, color, ignored or {}) + "\n"
    return text


def closing_line(report: Report, color: bool = False, ignored: Mapping[str, int] | None = None) -> str:
    """`summary: NOT compatible — 2 errors (code 2), 5 warnings (code 3, code 2), 40 ignored (code 40)`."""
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    for pact in report.pacts:
        errors.update(f.code.code for _, f in pact.errors)
        warnings.update(f.code.code for _, f in pact.warnings)
    warnings.update(n.code.code for n in report.notices if not n.is_error)
    verdict = "compatible" if report.success else "NOT compatible"
    if color:
        verdict = f"\x1b[{32 if report.success else 31}m\x1b[1m{verdict}{_RESET}"
    parts = [_counted(errors, "error"), _counted(warnings, "warning")]
    if ignored and sum(ignored.values()):
        parts.append(_counted(Counter(ignored), "ignored", plural=""))
    return f"summary: {verdict} — " + ", ".join(parts)


def _counted(counts: Counter[str], word: str, plural: str = "s") -> str:
    total = sum(counts.values())
    head = f"{total} {word}{'' if total == 1 else plural}"
    if not total:
        return head
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return head + " (" + ", ".join(f"{code} {count}" for code, count in ordered) + ")"
