"""Consumer impact: what a new spec version does to the interactions consumers have recorded.

    >>> report = diff("openapi-main.yaml", "openapi.yaml", ["pacts/"])
    >>> report.compatible, [i.description for i in report.newly_broken]

Every interaction is checked against both specs with one `Comparator` each, so each spec's
schemas are compiled at most once for all pacts, exactly as `compare` does; the outcome
against each spec is therefore the outcome `compare` gives against that spec alone. Each
spec change is then given the consumers whose interactions reach its operation, routed
through the index of the spec the change points into (the old one for what was removed
or changed, the new one for what was added).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from msgspec import Struct

from .._types import JsonObject
from ..check.compare import Comparator, split_pacts
from ..check.report import InteractionResult, PactReport, Report
from ..config import EngineConfig
from ..pact.reader import Pact, read_pact
from ..schema.diskstore import DiskStore
from ..spec.index import OperationIndex, Options
from ..spec.loading import Spec, load_spec
from .changes import Change, spec_changes
from .codes import ChangeSeverity
from .outcomes import Outcome, Outcomes, interaction_key

Status = Literal["still passes", "newly broken", "still broken", "fixed"]


class InteractionImpact(Struct, frozen=True):
    """One interaction's outcome against the old spec and the new one."""

    before_ok: bool
    """Whether it passes against the old spec (its findings there are never reported)."""
    after: InteractionResult
    pact: PactReport
    """The pact's report against the new spec (what the new findings belong to)."""

    @property
    def status(self) -> Status:
        if self.before_ok:
            return "still passes" if self.after.ok else "newly broken"
        return "fixed" if self.after.ok else "still broken"

    @property
    def consumer(self) -> str:
        return consumer_name(self.pact)


class ChangeImpact(Struct, frozen=True):
    """A spec change and the consumers whose interactions use its operation."""

    change: Change
    consumers: tuple[str, ...]

    @property
    def used(self) -> bool:
        return bool(self.consumers)


class DiffReport(Struct, frozen=True):
    """What changed from one spec version to the next, and what it does to the consumers."""

    old_spec: str
    new_spec: str
    interactions: tuple[InteractionImpact, ...]
    changes: tuple[ChangeImpact, ...]
    after: Report
    """The comparison with the new spec, which the findings of `interactions` belong to."""

    @property
    def newly_broken(self) -> tuple[InteractionImpact, ...]:
        return tuple(i for i in self.interactions if i.status == "newly broken")

    @property
    def compatible(self) -> bool:
        """No interaction that passed against the old spec fails against the new one."""
        return not self.newly_broken

    @property
    def used_changes(self) -> tuple[ChangeImpact, ...]:
        return tuple(c for c in self.changes if c.used)

    @property
    def unused_changes(self) -> tuple[ChangeImpact, ...]:
        return tuple(c for c in self.changes if not c.used)

    @property
    def unused_breaking(self) -> tuple[ChangeImpact, ...]:
        return tuple(c for c in self.unused_changes if c.change.severity is ChangeSeverity.ERROR)

    def exit_code(self, *, fail_on_unused_breaking: bool = False) -> int:
        """1 when an interaction is newly broken (or, if asked, an unused change breaks); else 0."""
        if not self.compatible or (fail_on_unused_breaking and self.unused_breaking):
            return 1
        return 0


def consumer_name(pact: PactReport) -> str:
    return pact.consumer or pact.pact_file


def diff(
    old_spec: Spec | str | Path | JsonObject,
    new_spec: Spec | str | Path | JsonObject,
    pacts: Iterable[Pact | str | Path],
    config: EngineConfig | Options | None = None,
) -> DiffReport:
    """Compare two versions of a spec, and check pacts (parsed, files or folders) against both."""
    shared = EngineConfig.of(config)  # one validator memo for both specs, as `compare` would have
    old = Comparator(old_spec, shared)
    new = Comparator(new_spec, shared)
    parsed, files = split_pacts(pacts)
    return impact(old, new, [*parsed, *(read_pact(file) for file in files)])


def impact(
    old: Comparator,
    new: Comparator,
    pacts: Iterable[Pact],
    after: Sequence[PactReport] | None = None,
    old_outcomes: Outcomes | None = None,
    changes: Sequence[Change] | None = None,
) -> DiffReport:
    """The diff of two comparators' specs, with the interactions of `pacts` checked against both.

    `after`: the pacts' reports against the new spec when the caller has them already (a
    broker verification checks them on the way), in the order of `pacts`. `old_outcomes`:
    what earlier runs found against this same old spec (`outcomes.py`; filled in here), so
    that a pact seen before is not checked against the old spec again. `changes`: the
    specs' `spec_changes` when the caller has them already (one pair of specs, many pact sets).
    """
    pacts = list(pacts)
    if after is None:
        after = [new.check_pact(pact) for pact in pacts]
    elif len(after) != len(pacts):
        raise ValueError("give one report against the new spec per pact")
    kept: Outcomes = {} if old_outcomes is None else old_outcomes
    before = [_before(old, pact, kept) for pact in pacts]
    interactions = tuple(
        InteractionImpact(ok, a, pact_after)
        for outcomes, pact_after in zip(before, after, strict=True)
        for (ok, _), a in zip(outcomes, pact_after.results, strict=True)
    )
    users_old: Users = defaultdict(set)
    for outcomes, pact_after in zip(before, after, strict=True):
        for (_, route), result in zip(outcomes, pact_after.results, strict=True):
            if route is not None:
                users_old[(result.interaction.method, route)].add(consumer_name(pact_after))
    users_new = _users(new.index, after)
    listed = spec_changes(old.spec, new.spec) if changes is None else changes
    impacts = tuple(ChangeImpact(change, _consumers_of(change, users_old, users_new)) for change in listed)
    report = Report.of(new.spec.label, after)
    return DiffReport(old.spec.label, new.spec.label, interactions, impacts, report)


def _before(old: Comparator, pact: Pact, kept: Outcomes) -> list[Outcome]:
    """Each interaction's outcome against the old spec: from `kept`, else checked (and kept)."""
    if pact.streamed:  # summaries keep no text to key on, and each pass reads the file again
        return [_outcome(old, result) for result in old.check_pact(pact).results]
    keys = [interaction_key(i) for i in pact.interactions]
    known = [kept.get(key) if key is not None else None for key in keys]
    if all(outcome is not None for outcome in known):
        return [outcome for outcome in known if outcome is not None]
    outcomes = [_outcome(old, result) for result in old.check_pact(pact).results]
    for key, outcome in zip(keys, outcomes, strict=True):
        if key is not None:
            kept[key] = outcome
    return outcomes


def _outcome(old: Comparator, result: InteractionResult) -> Outcome:
    ref = result.interaction
    operation = old.index.route(ref.method, ref.path)  # answered from the index's routes
    return result.ok, None if operation is None else operation.path_name


Users = dict[tuple[str, str], set[str]]
"""(method, path as the spec writes it) -> the consumers whose interactions route there."""


def _users(index: OperationIndex, reports: Sequence[PactReport]) -> Users:
    users: Users = defaultdict(set)
    for report in reports:
        name = consumer_name(report)
        for result in report.results:
            ref = result.interaction
            operation = index.route(ref.method, ref.path)
            if operation is not None:
                users[(operation.method, operation.path_name)].add(name)
    return users


def _consumers_of(change: Change, users_old: Users, users_new: Users) -> tuple[str, ...]:
    found: set[str] = set()
    if change.old_path is not None:
        found |= users_old.get((change.method, change.old_path), set())
    if change.new_path is not None:
        found |= users_new.get((change.method, change.new_path), set())
    return tuple(sorted(found))


def load_both(
    old: str | Path, new: str | Path, *, allow_outside_refs: bool = False, store: DiskStore | None = None
) -> tuple[Spec, Spec]:
    """Both specs read from files, for front ends that report a bad file before any pact is read."""
    return (
        load_spec(old, allow_outside_refs=allow_outside_refs, store=store),
        load_spec(new, allow_outside_refs=allow_outside_refs, store=store),
    )
