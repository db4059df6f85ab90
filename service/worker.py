"""Jobs, run: verify one pact against a provider version's spec, or fan a publish out into those.

A `verify` job is what `crosscontract compare --format json <spec> <pact URL> --publish` does,
as steps that each survive a crash:

1. read the pact from the broker (its URL was checked against the broker's origin at intake);
2. compare it with the spec (a comparator cached per spec hash) and store the report;
3. mark the job "publish started", then publish the result through the pact's
   `pb:publish-verification-results` link;
4. mark the result published and the job done, in one transaction.

A job that runs again after step 3 (its worker died, or the broker's answer was lost) reads the
pact's latest verification result first and publishes only if ours is not there: the broker
keeps every result it is sent, so sending blindly could count one verification twice.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from crosscontract.engine import Comparator, InputError, parse_pact
from crosscontract.engine.broker.client import Broker, VerificationQuery, link, redact
from crosscontract.engine.broker.payloads import IMPLEMENTATION, verification_result
from crosscontract.engine.check.report import Report
from crosscontract.engine.errors import BrokerError
from crosscontract.engine.render import render
from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import faults, specs
from .comparators import ComparatorCache
from .jobs.embedded import Claimed, JobQueue
from .metrics import Metrics
from .settings import Settings
from .store.database import Sessions
from .store.models import ProviderVersionRow, ResultRow, SpecRow
from .webhooks import same_origin, verify_job_key

log = logging.getLogger("crosscontract.service")

# Statements of every verification, built once (see `jobs/embedded.py`).
_VERSIONS: Table = ProviderVersionRow.__table__  # type: ignore[assignment]
_RESULTS: Table = ResultRow.__table__  # type: ignore[assignment]
_VERSION = select(_VERSIONS.c.spec_hash, _VERSIONS.c.build_url, _VERSIONS.c.branch, _VERSIONS.c.tags).where(
    _VERSIONS.c.provider == bindparam("provider"), _VERSIONS.c.number == bindparam("number")
)
_STORE_RESULT = {
    dialect.__name__.rpartition(".")[2]: dialect.insert(_RESULTS).on_conflict_do_nothing(
        index_elements=[_RESULTS.c.job_id]
    )
    for dialect in (sqlite, postgresql)
}
_PUBLISHED = update(_RESULTS).where(_RESULTS.c.job_id == bindparam("job")).values(published=True)


class TransientError(Exception):
    """A fault that may pass (the broker is down, slow, overloaded): run the job again later."""


class PermanentError(Exception):
    """A fault that another attempt cannot mend (no spec for the version, a pact that does not parse)."""


@dataclass
class Worker:
    """One worker thread's state: its lease name, its broker connection, its comparators."""

    settings: Settings
    sessions: Sessions
    queue: JobQueue
    metrics: Metrics

    def __post_init__(self) -> None:
        self.owner = uuid.uuid4().hex
        self.comparators = ComparatorCache(self.settings.comparators)
        self._broker: Broker | None = None
        self._tagged: set[tuple[str, str, str | None, tuple[str, ...]]] = set()
        """Provider versions whose branch and tags this worker has set already (idempotent PUTs)."""
        self.busy = False
        """Whether a job is running: the pool's heartbeat renews the lease of busy workers only."""
        self._store_result = _STORE_RESULT[self.sessions.dialect]

    @property
    def broker(self) -> Broker:
        if self.settings.broker_url is None:
            raise PermanentError("no Pact Broker is configured (PACT_BROKER_BASE_URL)")
        if self._broker is None:
            # One attempt per call: retries are the job's, with back-off measured in seconds
            # and surviving restarts, rather than a thread sleeping inside the client.
            self._broker = Broker(
                self.settings.broker_url,
                self.settings.broker_auth,
                timeout=self.settings.broker_timeout,
                attempts=1,
            )
        return self._broker

    def close(self) -> None:
        if self._broker is not None:
            self._broker.close()

    def run_once(self) -> bool:
        """Claim and run one job; False when none was due."""
        self.busy = True  # before the claim: a job is never this worker's without being renewed
        try:
            job = self.queue.claim(self.owner)
            if job is None:
                return False
            self._run(job)
        finally:
            self.busy = False
        return True

    def _run(self, job: Claimed) -> None:
        started = time.perf_counter()
        try:
            if job.kind == "verify":
                self.verify(job)
            elif job.kind == "provider":
                self.fan_out(job)
            else:
                raise PermanentError(f"unknown job kind {job.kind!r}")
        except TransientError as exc:
            if job.attempts >= self.settings.max_attempts:
                self._finish_failed(job, f"gave up after {job.attempts} attempts: {exc}")
            else:
                delay = min(
                    self.settings.backoff_seconds * 2 ** (job.attempts - 1), self.settings.max_backoff_seconds
                )
                log.info("job %s: %s; again in %.1f s", job.id, exc, delay)
                self.queue.retry(job.id, self.owner, str(exc), delay)
                self.metrics.jobs.labels(job.kind, "retried").inc()
        except PermanentError as exc:
            self._finish_failed(job, str(exc))
        except Exception as exc:  # a bug must not kill the worker thread; the job says what it was
            log.exception("job %s failed", job.id)
            self._finish_failed(job, f"internal error: {type(exc).__name__}")
        else:
            self.metrics.jobs.labels(job.kind, "done").inc()
            self.metrics.job_seconds.labels(job.kind).observe(time.perf_counter() - started)

    def _finish_failed(self, job: Claimed, reason: str) -> None:
        log.warning("job %s failed: %s", job.id, reason)
        self.queue.fail(job.id, self.owner, reason)
        self.metrics.jobs.labels(job.kind, "failed").inc()

    def _broker_call(self, what: str, call: Any, *args: Any, read_back: bool = False) -> Any:
        """Call the broker; a fault that may pass becomes `TransientError`, any other `PermanentError`.

        With `read_back`, a write whose answer was lost is transient too: the next attempt reads
        the broker's results before it writes again.
        """
        try:
            return call(*args)
        except BrokerError as exc:
            if faults.retryable(exc) or (read_back and faults.unsure(exc)):
                raise TransientError(f"{what}: {exc}") from None
            raise PermanentError(f"{what}: {exc}") from None

    # --- a publish: ask the broker which pacts the new version must verify ---------------

    def fan_out(self, job: Claimed) -> None:
        provider, number = job.payload["provider"], job.payload["version"]
        with self.sessions() as session:
            version = _version(session, provider, number)
        if version is None:
            raise PermanentError(f"no provider contract for {provider} {number}")
        selectors: list[dict[str, Any]] = [{"mainBranch": True}, {"deployedOrReleased": True}]
        if version.branch:
            selectors.append({"matchingBranch": True})
        query = VerificationQuery(tuple(selectors), provider_version_branch=version.branch)
        pacts = self._broker_call(
            "pacts for verification", self.broker.pacts_for_verification, provider, query
        )
        with self.sessions.begin() as session:
            for pact in pacts:
                payload = {"pactUrl": pact.url, "provider": provider, "providerVersion": number}
                self.queue.enqueue(session, "verify", verify_job_key(pact.url, provider, number), payload)
            self.queue.complete(session, job.id, self.owner)
        self.queue.wake.set()

    # --- one pact against one provider version ---------------------------------------------

    def verify(self, job: Claimed) -> None:
        payload = job.payload
        provider, number, url = payload["provider"], payload["providerVersion"], payload["pactUrl"]
        with self.sessions() as session:
            version = session.connection().execute(_VERSION, {"provider": provider, "number": number}).first()
        if version is None:
            raise PermanentError(f"no provider contract for {provider} {number}")
        if not same_origin(url, self.settings.broker_url or ""):  # a fan-out's URL comes from the broker
            raise PermanentError(f"{redact(url)} is not on the configured Pact Broker; not fetched")
        document = self._broker_call("fetch pact", self.broker.request, "GET", url)
        if not isinstance(document, dict):
            raise PermanentError(f"GET {redact(url)}: the answer is not a pact")
        publish_url = link(document, "pb:publish-verification-results")
        if publish_url is None:
            raise PermanentError(f"{redact(url)}: the pact has no 'pb:publish-verification-results' link")
        publish_url = urljoin(url, publish_url)
        consumer_version = payload.get("consumerVersion") or _link_name(document, "pb:consumer-version")
        pact_document = {k: v for k, v in document.items() if k not in ("_links", "_embedded")}
        try:
            pact = parse_pact(pact_document, redact(url))
        except InputError as exc:
            raise PermanentError(str(exc)) from None

        comparator = self.comparators.get(version.spec_hash, lambda: self._comparator(version.spec_hash))
        pact_report = comparator.check_pact(pact)
        report = Report.of(comparator.spec.label, [pact_report])
        body = verification_result(pact_report, number, version.build_url)

        with self.sessions.begin() as session:
            # An attempt after a crash keeps the result the first one stored (the one it may
            # have published already).
            session.connection().execute(
                self._store_result,
                {
                    "job_id": job.id,
                    "provider": provider,
                    "provider_version": number,
                    "consumer": pact.consumer or payload.get("consumer") or "",
                    "consumer_version": consumer_version,
                    "pact_url": redact(url),
                    "spec_hash": version.spec_hash,
                    "success": pact_report.success,
                    "report": render(report, "json"),
                    "published": False,
                    "verified": time.time(),
                },
            )
            if not self.queue.publish_started(session, job.id, self.owner):
                raise TransientError("lost the job's lease")  # another worker has it now

        if job.publish_started and self._already_published(document, url, number, pact_report.success):
            log.info("job %s: the broker already has this result; not sent again", job.id)
        else:
            tagging = (provider, number, version.branch, tuple(version.tags))
            if (version.branch or version.tags) and tagging not in self._tagged:
                self._broker_call("tag provider version", self.broker.tag_provider_version, *tagging)
                self._tagged.add(tagging)
            self._broker_call(
                "publish verification", self.broker.request, "POST", publish_url, body, read_back=True
            )
            self.metrics.published.labels(str(pact_report.success).lower()).inc()
        with self.sessions.begin() as session:
            session.connection().execute(_PUBLISHED, {"job": job.id})
            self.queue.complete(session, job.id, self.owner)

    def _comparator(self, spec_hash: str) -> Comparator:
        with self.sessions() as session:
            spec = session.get(SpecRow, spec_hash)
        if spec is None:
            raise PermanentError(f"spec {spec_hash} is missing from the store")
        try:
            return Comparator(specs.load(spec.content, specs.label(spec.hash, spec.content_type)))
        except InputError as exc:
            raise PermanentError(str(exc)) from None

    def _already_published(self, pact: dict[str, Any], url: str, number: str, success: bool) -> bool:
        """Whether the pact's latest verification is ours for this provider version."""
        latest = link(pact, "pb:latest-verification-results")
        if latest is None:
            return False
        try:
            answer = self.broker.request("GET", urljoin(url, latest))
        except BrokerError as exc:
            if faults.status(exc) == 404:  # never verified
                return False
            raise TransientError(f"read verification results: {exc}") from None
        if not isinstance(answer, dict):
            return False
        verified_by = answer.get("verifiedBy")
        implementation = verified_by.get("implementation") if isinstance(verified_by, dict) else None
        return (
            answer.get("providerApplicationVersion") == number
            and answer.get("success") is success
            and implementation == IMPLEMENTATION
        )


def _version(session: Session, provider: str, number: str) -> ProviderVersionRow | None:
    return session.execute(
        select(ProviderVersionRow).where(
            ProviderVersionRow.provider == provider, ProviderVersionRow.number == number
        )
    ).scalar()


def _link_name(resource: dict[str, Any], relation: str) -> str | None:
    links = resource.get("_links")
    found = links.get(relation) if isinstance(links, dict) else None
    name = found.get("name") if isinstance(found, dict) else None
    return name if isinstance(name, str) else None


class WorkerPool:
    """The embedded runner: worker threads in the serving process, polling the job table."""

    def __init__(self, settings: Settings, sessions: Sessions, queue: JobQueue, metrics: Metrics) -> None:
        self.settings = settings
        self.sessions = sessions
        self.workers = [Worker(settings, sessions, queue, metrics) for _ in range(max(0, settings.workers))]
        self.queue = queue
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        heartbeat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        heartbeat.start()
        self._threads.append(heartbeat)
        if self.settings.reconcile_seconds > 0:
            reconciler = threading.Thread(target=self._reconcile, name="reconciler", daemon=True)
            reconciler.start()
            self._threads.append(reconciler)
        for number, worker in enumerate(self.workers):
            thread = threading.Thread(target=self._loop, args=(worker,), name=f"worker-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _loop(self, worker: Worker) -> None:
        while not self._stop.is_set():
            try:
                ran = worker.run_once()
            except Exception:  # the database went away for a moment: wait, then carry on
                log.exception("worker: cannot claim a job")
                ran = False
            if not ran:
                self.queue.wake.wait(0.25)
                self.queue.wake.clear()
        worker.close()

    def _heartbeat(self) -> None:
        """Renew the leases of the running jobs three times per lease, while this process lives.

        A job may outlast its lease (a slow broker, each call up to its timeout); were the lease
        not renewed, another worker would take the job from a worker still running it, and the
        two would take it from each other for as long as each attempt outlasts a lease. A worker
        that dies stops renewing with its process, and its job is taken once the lease lapses.
        """
        while not self._stop.wait(self.settings.lease_seconds / 3):
            try:
                self.queue.renew([worker.owner for worker in self.workers if worker.busy])
            except Exception:  # the database went away for a moment: two more tries before it lapses
                log.exception("heartbeat: cannot renew the leases")

    def _reconcile(self) -> None:
        """Every `reconcile_seconds`, ask the broker again which pacts each provider must verify.

        The broker keeps its webhooks in memory and loses those in flight when it restarts, so
        webhooks alone can leave a pact unverified for good. Each round enqueues one fan-out job
        per provider (its latest version on the main branch); the pacts it finds that were
        verified already meet their deduplication keys and add nothing.
        """
        while not self._stop.wait(self.settings.reconcile_seconds):
            try:
                reconcile(self.sessions, self.queue, self.settings, time.time())
            except Exception:  # the database went away for a moment: the next round tries again
                log.exception("reconciler: cannot enqueue")

    def stop(self) -> None:
        self._stop.set()
        self.queue.wake.set()
        for thread in self._threads:
            thread.join(timeout=10)


def reconcile(sessions: Sessions, queue: JobQueue, settings: Settings, now: float) -> int:
    """Enqueue this round's fan-out job for each provider's latest main-branch version."""
    round_number = int(now // max(settings.reconcile_seconds, 1e-3))
    added = 0
    with sessions.begin() as session:
        latest = (
            select(ProviderVersionRow.provider, func.max(ProviderVersionRow.id).label("id"))
            .where(ProviderVersionRow.branch == settings.main_branch)
            .group_by(ProviderVersionRow.provider)
            .subquery()
        )
        rows = session.execute(
            select(ProviderVersionRow.provider, ProviderVersionRow.number).join(
                latest, ProviderVersionRow.id == latest.c.id
            )
        ).all()
        for provider, number in rows:
            key = f"reconcile|{provider}|{number}|{round_number}"
            _, new = queue.enqueue(session, "provider", key, {"provider": provider, "version": number})
            added += new
    if added:
        queue.wake.set()
    return added


def run_workers(settings: Settings) -> None:
    """`crosscontract worker`: run the job workers (no HTTP) until SIGTERM or SIGINT."""
    import signal

    from .store.database import migrate, open_engine, sessions as make_sessions

    engine = open_engine(settings.database_url, synchronous=settings.sqlite_synchronous)
    migrate(engine)
    store = make_sessions(engine)
    queue = JobQueue(store, settings.lease_seconds)
    pool = WorkerPool(settings, store, queue, Metrics())
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    pool.start()
    log.info("%d workers running", len(pool.workers))
    stopping.wait()
    pool.stop()
    engine.dispose()
