"""Verifying a provider with a Pact Broker: choose, fetch, compare, mark pending, tag, publish.

What `crosscontract compare --provider ... --publish` runs, and what a service's worker
runs for a broker's webhook: the same steps, returning a `VerificationRun` and printing
nothing. The steps, in order:

1. Choose the pacts: the broker's choice for the provider (`pb:provider-pacts-for-verification`;
   an older broker without it: the latest pact of each consumer, said in a warning when
   the query asked for more) and any pact URLs given; each pact once.
2. Fetch each one, with the link its verification result goes to. The broker's choices are
   labelled by consumer and consumer version (`web 1.4.2`), as the broker names them; a
   pact URL given is labelled by that URL, as a file is by its path (and so is a choice
   whose version the broker does not say, or whose label another pact has).
3. Compare them, and any local pact files, with the spec; mark the broker's pending pacts.
4. With publish settings: set the provider version's branch and tags, then publish one
   result per pact. If the branch or tags cannot be set, no result is published: it would
   count for the wrong branch, and count twice once published again.

Fetches and publishes go `CONCURRENCY` at a time (a run is bound by round trips to the
broker, not by the comparison: 300 pacts at 50 ms a request are 15 s one by one); their
outcomes are taken in order, so lines, reports and faults are those of a serial run.

A fault in steps 1-3 stops the run and is raised (`BrokerError` of its kind, `InputError`).
A fault in step 4 does not: each result the broker does not have is named in the run with
its reason, and none is ever sent twice. What a person is told along the way (the broker's
notices, what was not published) is the run's `lines`, also handed to a `Listener` as it
happens, so that a terminal shows a notice before the fault that follows it and a progress
bar over the long steps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Protocol, TypeVar

from msgspec import Struct
from msgspec.structs import replace

from ..check import codes
from ..check.compare import Comparator
from ..check.findings import Finding, SpecPlace
from ..check.report import PactReport, Report
from ..config import EngineConfig
from ..errors import BrokerError
from ..pact.reader import iter_pact_files, read_pact
from ..spec.index import Options
from ..spec.loading import Spec
from ..urls import Secrets
from .client import Broker, FetchedPact, VerificationQuery
from .hal import FOR_VERIFICATION, VerifiablePact
from .payloads import verification_result

__all__ = ["Listener", "PublishSettings", "Quiet", "Unpublished", "VerificationRun", "verify"]

T = TypeVar("T")
R = TypeVar("R")

CONCURRENCY = 8
"""Broker requests in flight at once while fetching pacts or publishing results."""

NO_PACTS_FOUND = "No consumer pacts found in Pact Broker"
"""The reference engine's words for a provider without pacts (a warning, not a failure)."""


class Listener(Protocol):
    """What a front end is shown while a run goes: each line as it comes, and the long steps."""

    def notice(self, line: str) -> None:
        """One of the run's `lines`, as soon as it is known."""

    def progress(self, items: Sequence[T], label: str) -> AbstractContextManager[Iterable[T]]:
        """`items`, one at a time, as the step called `label` (fetching, publishing) works through them."""


class Quiet:
    """A listener that shows nothing: the run's `lines` still hold every line."""

    def notice(self, line: str) -> None:
        pass

    def progress(self, items: Sequence[T], label: str) -> AbstractContextManager[Iterable[T]]:
        return nullcontext(items)


class PublishSettings(Struct, frozen=True):
    """What the verification results are published for: the provider version verified."""

    provider_version: str
    branch: str | None = None
    """Set as the provider version's branch before any result is published."""
    tags: tuple[str, ...] = ()
    """Set as the provider version's tags before any result is published."""
    build_url: str | None = None
    """The CI build that verified, linked from each result."""


class Unpublished(Struct, frozen=True):
    """A pact whose verification result the broker does not have, and why."""

    pact: str
    """The pact's label in the report (its consumer and version, or its URL)."""
    reason: str
    status: int | None = None
    retryable: bool = False
    """Whether publishing it again later may succeed (never when it may have been stored)."""

    @classmethod
    def of(cls, pact: str, error: BrokerError, reason: str | None = None) -> Unpublished:
        return cls(pact, reason or str(error), error.status, error.retryable)


class VerificationRun(Struct, frozen=True):
    """The outcome of one verification: the report and what the broker was told."""

    report: Report
    pacts: tuple[FetchedPact, ...] = ()
    """The pacts fetched from the broker, each once."""
    published: tuple[str, ...] = ()
    """The pacts (their labels) whose verification result was published."""
    unpublished: tuple[Unpublished, ...] = ()
    """The pacts whose result was to be published and was not."""
    lines: tuple[str, ...] = ()
    """What a person is told, in order: the broker's notices, warnings, what was (not) published."""

    @property
    def pending_failures(self) -> tuple[PactReport, ...]:
        """Failing pacts the broker marks pending: reported, but failing no build."""
        return self.report.pending_failures

    @property
    def exit_code(self) -> int:
        """The report's exit code, or 2 when a result was not published: it must not pass unseen."""
        return 2 if self.unpublished else self.report.exit_code

    @property
    def found_no_pacts(self) -> bool:
        """Whether there was nothing to verify: the broker chose no pact and none was given."""
        return not self.report.pacts and any(n.code == codes.NO_PACTS_FOUND for n in self.report.notices)


def verify(
    checker: Spec | Comparator,
    broker: Broker,
    *,
    provider: str | None = None,
    query: VerificationQuery | None = None,
    pact_urls: Sequence[str] = (),
    local_pacts: Sequence[str | Path] = (),
    options: Options | EngineConfig | None = None,
    publish: PublishSettings | None = None,
    listener: Listener | None = None,
    concurrency: int = CONCURRENCY,
) -> VerificationRun:
    """Verify the broker's pacts for `provider` (chosen by `query`) and `pact_urls` against a spec.

    `checker` is the spec, or a `Comparator` already built for it (a long-running caller
    keeps one per spec; `options`, or a whole `EngineConfig`, then go with it, not here).
    `local_pacts` (files or folders) are compared alongside; they have nowhere to be
    published to. Without `publish` nothing is written to the broker. At most `concurrency`
    requests are in flight at once. The caller owns `broker` and closes it.
    """
    if options is not None and isinstance(checker, Comparator):
        raise ValueError("options go with a Spec; a Comparator was built with its own")
    if concurrency < 1:
        raise ValueError(f"concurrency: {concurrency} is not a positive number of requests")
    log = _Log(listener or Quiet(), broker.secrets, concurrency)
    chosen = _choose(broker, log, provider, query or VerificationQuery(), pact_urls)
    fetched = _named(_each(log, "Fetching pacts", broker.fetch_pact, chosen), set(pact_urls), broker.secrets)
    local = list(iter_pact_files(list(local_pacts)))
    if not fetched and not local:
        label = checker.spec.label if isinstance(checker, Comparator) else checker.label
        notice = Finding(codes.NO_PACTS_FOUND, NO_PACTS_FOUND, None, SpecPlace(None))
        return VerificationRun(Report.of(label, [], [notice]), lines=log.lines())
    comparator = checker if isinstance(checker, Comparator) else Comparator(checker, options)
    reports = [comparator.check_pact(f.pact) for f in fetched]
    reports += (comparator.check_pact(read_pact(file)) for file in local)
    report = _mark_pending(Report.of(comparator.spec.label, reports), fetched)
    published: list[str] = []
    unpublished: list[Unpublished] = []
    if publish is None:
        outcome = {p.pact_file: p.success for p in report.pacts}
        for pact in fetched:
            log.say(*_after_verification(pact, outcome[pact.pact.file], published=False))
    else:
        published, unpublished = _publish(broker, log, provider, publish, report, fetched)
    if report.pending_failures:
        log.say(
            f"{len(report.pending_failures)} pending pact(s) failed: reported, but pending pacts "
            "do not fail the build until the provider has verified them once"
        )
    return VerificationRun(report, tuple(fetched), tuple(published), tuple(unpublished), log.lines())


class _Log:
    """One run's lines: kept for the run, and shown to its listener as they come.

    The broker's secrets are hidden from each: its notices are its own text, and a broker
    may quote the request it was sent.
    """

    def __init__(self, listener: Listener, secrets: Secrets, concurrency: int = CONCURRENCY) -> None:
        self.listener = listener
        self.secrets = secrets
        self.concurrency = concurrency
        self._lines: list[str] = []

    def say(self, *lines: str) -> None:
        for line in map(self.secrets.scrub, lines):
            self._lines.append(line)
            self.listener.notice(line)

    def lines(self) -> tuple[str, ...]:
        return tuple(self._lines)


def _choose(
    broker: Broker, log: _Log, provider: str | None, query: VerificationQuery, pact_urls: Sequence[str]
) -> list[VerifiablePact]:
    """The pacts to verify, each once: the broker's choice for the provider, then the URLs given."""
    chosen: list[VerifiablePact] = []
    if provider:
        asked = query.selectors or query.include_pending or query.include_wip_pacts_since
        if asked and not broker.supports(FOR_VERIFICATION):
            log.say(
                f"warning: the broker has no {FOR_VERIFICATION!r} relation, so it cannot choose pacts: "
                "selectors, pending and WIP options are ignored and the latest pact of each consumer "
                "is verified"
            )
        chosen += broker.pacts_for_verification(provider, query)
    chosen += (VerifiablePact(url) for url in pact_urls)
    unique = list({source.url: source for source in chosen}.values())  # two selectors, one pact
    for source in unique:
        log.say(*(f"broker: {n.text}" for n in source.notices if n.when.startswith("before_verification")))
    return unique


def _each(log: _Log, label: str, work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`work` on each item, `log.concurrency` at a time; the outcomes (or the first fault) in order.

    The progress bar moves as the outcomes are taken. Once one fails, the items not yet
    started are dropped and the fault is raised as a serial run would have raised it.
    """
    if len(items) <= 1 or log.concurrency == 1:
        with log.listener.progress(items, label) as bar:
            return [work(item) for item in bar]
    with ThreadPoolExecutor(max_workers=min(log.concurrency, len(items))) as pool:
        futures: list[Future[R]] = [pool.submit(work, item) for item in items]
        try:
            with log.listener.progress(futures, label) as bar:
                return [future.result() for future in bar]
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _named(fetched: list[FetchedPact], given: set[str], secrets: Secrets) -> list[FetchedPact]:
    """The broker's choices labelled `consumer version`; the URLs given, and any clash, by URL."""

    def name(pact: FetchedPact) -> str | None:
        if pact.source.url in given or not (pact.pact.consumer and pact.consumer_version):
            return None
        return secrets.scrub(f"{pact.pact.consumer} {pact.consumer_version}")

    names = [name(f) for f in fetched]
    kept = (f.pact.file for f, n in zip(fetched, names, strict=True) if n is None)
    taken = Counter([*names, *kept])
    return [
        replace(f, pact=replace(f.pact, file=n)) if n is not None and taken[n] == 1 else f
        for f, n in zip(fetched, names, strict=True)
    ]


def _mark_pending(report: Report, fetched: Sequence[FetchedPact]) -> Report:
    """The report with the broker's pending pacts marked as such."""
    pending = {f.pact.file for f in fetched if f.source.pending}
    if not pending:
        return report
    return replace(report, pacts=tuple(replace(p, pending=p.pact_file in pending) for p in report.pacts))


def _after_verification(pact: FetchedPact, success: bool, published: bool) -> list[str]:
    """The broker's notices for this outcome (e.g. what a failure of a pending pact means)."""
    when = f"after_verification:success_{str(success).lower()}_published_{str(published).lower()}"
    # These notices do not say which pact they are about.
    return [
        f"broker: {pact.pact.consumer or pact.pact.file}: {notice.text}"
        for notice in pact.source.notices
        if notice.when == when
    ]


def _publish(
    broker: Broker,
    log: _Log,
    provider: str | None,
    settings: PublishSettings,
    report: Report,
    fetched: Sequence[FetchedPact],
) -> tuple[list[str], list[Unpublished]]:
    """Tag the provider version, then publish one result per pact: (published, unpublished)."""
    provider = provider or next((f.pact.provider for f in fetched if f.pact.provider), None)
    if provider and (settings.branch or settings.tags):
        try:
            broker.tag_provider_version(provider, settings.provider_version, settings.branch, settings.tags)
        except BrokerError as exc:
            log.say(f"error: provider version branch/tags not set, so no result is published: {exc}")
            reason = f"provider version branch/tags not set: {exc}"
            unpublished = [Unpublished.of(f.pact.file, exc, reason) for f in fetched]
            log.say(*_not_published(unpublished))
            return [], unpublished
    by_label = {p.pact_file: p for p in report.pacts}
    # Two pact URLs (metadata aside) can share one result link: it gets one result, once.
    first: dict[str | int, FetchedPact] = {}
    for pact in fetched:
        first.setdefault(pact.publish_url or id(pact), pact)
    sending = list(first.values())

    def send(pact: FetchedPact) -> BrokerError | None:
        body = verification_result(by_label[pact.pact.file], settings.provider_version, settings.build_url)
        try:
            broker.publish_verification(pact, body)
        except BrokerError as exc:
            return exc
        return None

    faults = dict(zip(map(id, sending), _each(log, "Publishing results", send, sending), strict=True))
    sent_to = {str(p.publish_url) for p in sending if faults[id(p)] is None}
    published: list[str] = []
    failed: list[Unpublished] = []
    lines: list[str] = []  # said after the progress bar, not across it
    for pact in sending:
        fault = faults[id(pact)]
        if fault is None:
            published.append(pact.pact.file)
        else:
            lines.append(f"error: verification result not published for {pact.pact.file}: {fault}")
            failed.append(Unpublished.of(pact.pact.file, fault))
        lines += _after_verification(pact, by_label[pact.pact.file].success, pact.publish_url in sent_to)
    log.say(*lines)
    if published:
        log.say(f"published {len(published)} verification result{'s' if len(published) != 1 else ''}")
    log.say(*_not_published(failed))
    return published, failed


def _not_published(unpublished: Sequence[Unpublished]) -> list[str]:
    if not unpublished:
        return []
    return [
        f"error: {len(unpublished)} verification result(s) not published: "
        + ", ".join(u.pact for u in unpublished)
    ]
