"""Findings with the lines they point at, for the formats CI shows next to the code.

GitHub annotations, SARIF and GitLab code quality all need a file and a line. Positions
are looked up here, once per report and only for its findings (`engine.positions`), so
the text, JSON, JUnit and Markdown reports never read a file again.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from ..check.findings import Finding
from ..check.report import InteractionResult, PactReport, Report
from ..positions import Locator, Position


class Placed(Struct, frozen=True):
    """A finding, where it came from, and its positions in the spec and in the pact."""

    finding: Finding
    pact: PactReport | None
    """None for a notice about the run."""
    result: InteractionResult | None
    spec: Position | None
    mock: Position | None

    @property
    def blocking(self) -> bool:
        """An error that fails the build (a pending pact's errors do not)."""
        return self.finding.is_error and not (self.pact is not None and self.pact.pending)


def placed_findings(report: Report, locator: Locator | None = None) -> Iterator[Placed]:
    """Every notice and finding of `report`, in report order, with its positions."""
    locator = locator or Locator()
    for notice in report.notices:
        yield Placed(notice, None, None, None, None)
    for pact in report.pacts:
        for result in pact.results:
            for finding in result.findings:
                yield Placed(
                    finding,
                    pact,
                    result,
                    locator.position(report.spec_file, finding.spec.at),
                    locator.position(pact.pact_file, finding.at),
                )
