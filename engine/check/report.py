"""The outcome of a comparison: findings per pact and interaction, counts, exit code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from msgspec import Struct, field

from ..pact.model import InteractionRef, Skipped
from .findings import Finding


class InteractionResult(Struct, frozen=True):
    """What the engine found about one interaction (empty when compatible)."""

    interaction: InteractionRef
    """Which interaction: its identity and what reports show, never its bodies."""
    findings: tuple[Finding, ...]

    def __reduce__(self) -> tuple[type[InteractionResult], tuple[InteractionRef, tuple[Finding, ...]]]:
        # `--jobs` workers send results back: this pickles in a fraction of the time the
        # dataclass default takes (its `__getstate__` and `__setstate__` are Python loops).
        return (InteractionResult, (self.interaction, self.findings))

    @property
    def ok(self) -> bool:
        # Asked of every interaction several times per report; most have no findings.
        return not self.findings or not any(f.is_error for f in self.findings)


class PactReport(Struct, frozen=True):
    """All interactions of one pact file against the spec."""

    pact_file: str
    consumer: str | None
    provider: str | None
    results: tuple[InteractionResult, ...]
    skipped: tuple[Skipped, ...] = ()
    pending: bool = False
    """A pact the broker marks pending: its failures are reported but fail no build."""

    @property
    def errors(self) -> Iterator[tuple[InteractionResult, Finding]]:
        return ((r, f) for r in self.results for f in r.findings if f.is_error)

    @property
    def warnings(self) -> Iterator[tuple[InteractionResult, Finding]]:
        return ((r, f) for r in self.results for f in r.findings if not f.is_error)

    @property
    def success(self) -> bool:
        return all(r.ok for r in self.results)


class Report(Struct, frozen=True):
    """The outcome of comparing one spec with any number of pacts."""

    spec_file: str
    pacts: tuple[PactReport, ...]
    notices: tuple[Finding, ...] = field(default=())
    """Findings about the run rather than an interaction (e.g. no pacts found)."""

    @classmethod
    def of(cls, spec_file: str, pacts: Iterable[PactReport], notices: Sequence[Finding] = ()) -> Report:
        return cls(spec_file, tuple(pacts), tuple(notices))

    @property
    def success(self) -> bool:
        return all(p.success for p in self.pacts) and not any(n.is_error for n in self.notices)

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.pacts for _ in p.errors)

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.pacts for _ in p.warnings) + sum(1 for n in self.notices if not n.is_error)

    @property
    def interaction_count(self) -> int:
        return sum(len(p.results) for p in self.pacts)

    @property
    def skipped_count(self) -> int:
        return sum(len(p.skipped) for p in self.pacts)

    @property
    def pending_failures(self) -> tuple[PactReport, ...]:
        return tuple(p for p in self.pacts if p.pending and not p.success)

    @property
    def exit_code(self) -> int:
        """0 when compatible (warnings and failing pending pacts allowed), 1 when any other error."""
        blocking = any(not p.success and not p.pending for p in self.pacts)
        return 1 if blocking or any(n.is_error for n in self.notices) else 0

    @property
    def failure_reason(self) -> str | None:
        if self.success:
            return None
        return ", ".join(
            f'Mock file "{p.pact_file}" is not compatible with spec file "{self.spec_file}"'
            for p in self.pacts
            if not p.success
        )
