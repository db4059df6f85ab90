"""Noise control: findings a team has chosen not to see, taken out of a report.

A filter is a pure function over a `Report`: the renderers never filter, so every format
(and the exit code) agrees on what was dropped. Codes and header names are `fnmatch`
globs (`response.header.*`, `sec-*`); header names are compared without case, as HTTP
compares them. A header finding is one whose pact location is a request or response
header (`interactions/N/request/headers/NAME`), or a required request header the
interaction does not send.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from fnmatch import fnmatchcase

from msgspec import Struct, field
from msgspec.structs import replace

from ..config import EngineConfig
from ..pact.reader import Pact
from ..spec.index import Options
from ..spec.loading import Spec
from . import codes
from .compare import Comparator
from .findings import Finding
from .report import InteractionResult, PactReport, Report


class Noise(Struct, frozen=True):
    """What to leave out: codes and header names, as globs."""

    codes: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.codes or self.headers)

    def drops(self, finding: Finding) -> bool:
        if any(fnmatchcase(finding.code.code, glob) for glob in self.codes):
            return True
        header = header_of(finding)
        return header is not None and any(fnmatchcase(header, glob.lower()) for glob in self.headers)


class Filtered(Struct, frozen=True):
    """A report without the noise, and how many findings of each code were left out."""

    report: Report
    dropped: Counter[str] = field(default_factory=Counter)


def header_of(finding: Finding) -> str | None:
    """The header a finding is about (lower case), from its pact location; None for others."""
    at = finding.at
    if at is None or len(at) < 2 or at[0] != "interactions":
        return None
    if len(at) == 2:
        return _missing_header(finding)
    if len(at) < 5 or at[3] != "headers" or at[2] not in ("request", "response"):
        return None
    return str(at[4]).lower()


def _missing_header(finding: Finding) -> str | None:
    """The required request header an interaction does not send.

    As in the reference engine, that finding points at the whole interaction (there is no
    header to point at), so its name is the one of the parameter the spec declares.
    """
    if finding.code is not codes.REQUEST_HEADER_INCOMPATIBLE:
        return None
    declared = finding.spec.value
    name = declared.get("name") if isinstance(declared, dict) else None
    return name.lower() if isinstance(name, str) else None


def without(report: Report, noise: Noise) -> Filtered:
    """`report` without the findings and notices that `noise` drops."""
    if not noise:
        return Filtered(report)
    dropped: Counter[str] = Counter()

    def keep(finding: Finding) -> bool:
        if noise.drops(finding):
            dropped[finding.code.code] += 1
            return False
        return True

    pacts = tuple(_pact_without(pact, keep) for pact in report.pacts)
    notices = tuple(n for n in report.notices if keep(n))
    return Filtered(replace(report, pacts=pacts, notices=notices), dropped)


class QuietComparator(Comparator):
    """A comparator whose pact reports leave the noise out.

    For a broker run: the workflow publishes each pact's outcome as it checks it, so the
    broker must be told the outcome without the noise, as the team sees it. `dropped`
    counts what was left out, for the closing summary.
    """

    def __init__(self, spec: Spec, config: EngineConfig | Options | None, noise: Noise) -> None:
        super().__init__(spec, config)
        self.noise = noise
        self.dropped: Counter[str] = Counter()

    def check_pact(self, pact: Pact) -> PactReport:
        filtered = without(Report.of("", [super().check_pact(pact)]), self.noise)
        self.dropped.update(filtered.dropped)
        return filtered.report.pacts[0]


def only_errors(report: Report) -> Report:
    """`report` without its warnings: what `--quiet` shows."""
    pacts = tuple(_pact_without(pact, lambda f: f.is_error) for pact in report.pacts)
    return replace(report, pacts=pacts, notices=tuple(n for n in report.notices if n.is_error))


def _pact_without(pact: PactReport, keep: Callable[[Finding], bool]) -> PactReport:
    return replace(pact, results=tuple(_result_without(result, keep) for result in pact.results))


def _result_without(result: InteractionResult, keep: Callable[[Finding], bool]) -> InteractionResult:
    if not result.findings:  # most interactions: nothing to copy
        return result
    kept = tuple(f for f in result.findings if keep(f))
    return result if len(kept) == len(result.findings) else replace(result, findings=kept)
