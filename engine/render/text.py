"""The report for people: a summary line, then findings by pact and interaction, errors first."""

from __future__ import annotations

from collections.abc import Iterator

from ..check.report import Report
from .names import finding_message, interaction_heading, locations, parties, plain

_COLOURS = {"red": 31, "green": 32, "yellow": 33}
_RESET = "\x1b[0m"


def render(report: Report, color: bool = False) -> str:
    return "\n".join(_text_lines(report, color)) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _text_lines(report: Report, color: bool) -> Iterator[str]:
    def style(text: str, fg: str | None = None, bold: bool = False) -> str:
        # ANSI SGR codes, written as terminals (and click.style before) write them
        if not color:
            return text
        codes = (f"\x1b[{_COLOURS[fg]}m" if fg else "") + ("\x1b[1m" if bold else "")
        return f"{codes}{text}{_RESET}"

    verdict = (
        style("compatible", fg="green", bold=True)
        if report.success
        else style("NOT compatible", fg="red", bold=True)
    )
    yield (
        f"{plain(report.spec_file)}: {verdict} — {_plural(len(report.pacts), 'pact')}, "
        f"{_plural(report.interaction_count, 'interaction')}, {_plural(report.error_count, 'error')}, "
        f"{_plural(report.warning_count, 'warning')}"
        + (f", {report.skipped_count} skipped" if report.skipped_count else "")
        + (
            f" (only in {_plural(len(report.pending_failures), 'pending pact')})"
            if _pending_only(report)
            else ""
        )
    )
    for notice in report.notices:
        yield f"  {style(notice.severity.value, fg='yellow')} [{notice.code.code}] {plain(notice.message)}"
    for pact in report.pacts:
        flagged = [r for r in pact.results if r.findings]
        if not flagged and not pact.skipped:
            continue
        who = parties(pact)
        yield ""
        pending = " [pending: its failures do not fail the build]" if pact.pending else ""
        yield style(plain(f"{pact.pact_file}" + (f" ({who})" if who else "")) + pending, bold=True)
        for result in flagged:
            yield f"  {plain(interaction_heading(result.interaction))}"
            ordered = sorted(result.findings, key=lambda f: not f.is_error)
            for finding in ordered:
                level = style("error  ", fg="red") if finding.is_error else style("warning", fg="yellow")
                yield f"    {level} {finding.code.code}: {plain(finding_message(finding))}"
                mock_at, spec_at = locations(finding)
                if spec_at:
                    yield f"            spec: {plain(spec_at)}"
                if mock_at:
                    yield f"            pact: {plain(mock_at)}"
        for skipped in pact.skipped:
            yield plain(f"  [{skipped.index}] {skipped.description or ''} skipped: {skipped.reason}")


def _pending_only(report: Report) -> bool:
    return not report.success and report.exit_code == 0 and bool(report.pending_failures)
