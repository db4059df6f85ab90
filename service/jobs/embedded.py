"""The job queue: rows in the service's own database, claimed with a lease.

The same table serves both modes: embedded (SQLite; worker threads in the serving process) and
distributed (PostgreSQL; `crosscontract worker` processes on any number of machines, claiming
with `FOR UPDATE SKIP LOCKED`).

Why not a queue library: in embedded mode the service has no server besides itself, and of the
engines that run without one only durable-workflow frameworks are at-least-once (a job taken
by a worker that dies is not lost). A lease table is small and gives exactly that:

1. `enqueue` inserts in the caller's transaction, with a UNIQUE deduplication key, so "202
   Accepted" is only ever said about a committed job and a repeated webhook finds the first.
2. `claim` takes the oldest job that is due, or whose lease ran out, in one `UPDATE ...
   RETURNING` (SQLite: write transactions begin IMMEDIATE; PostgreSQL: the row is locked and
   skipped by the others), so two workers cannot take one.
3. A worker that finishes, fails or backs off says so against its own lease; a worker that died
   simply never does, and the job is claimed again once the lease expires.
4. While a job runs, its worker's process renews the lease (`renew`, a few times per lease), so a
   job longer than one lease (a slow broker) stays its worker's for as long as that worker lives.

At-least-once execution is safe because a job reads the broker before publishing a second time
(see `worker.py`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..store.database import Sessions
from ..store.models import JobRow

# The statements a job runs through, built once: building and keying a statement costs more
# than SQLite takes to run it, and they run several times per verification.
_JOBS: Table = JobRow.__table__  # type: ignore[assignment]
_C = _JOBS.c
_DUE = or_(
    and_(_C.state == "queued", _C.run_after <= bindparam("now")),
    and_(_C.state == "running", _C.lease_until < bindparam("now")),
)


def _first(*where: ColumnElement[bool]) -> ScalarSelect[int]:
    # PostgreSQL: workers on other machines skip the row this one is taking (SQLite has no FOR
    # UPDATE and needs none: its writers are serialised by BEGIN IMMEDIATE).
    return (
        select(_C.id).where(*where).order_by(_C.id).limit(1).with_for_update(skip_locked=True)
    ).scalar_subquery()


# A job whose lease lapsed first, then the oldest queued one: each a walk of the state index
# in id order that stops at the first row due, where one query for both would sort the backlog.
_NEXT = func.coalesce(
    _first(_C.state == "running", _C.lease_until < bindparam("now")),
    _first(_C.state == "queued", _C.run_after <= bindparam("now")),
)
_CLAIM = (
    update(_JOBS)
    .where(_C.id == _NEXT, _DUE)
    .values(
        state="running",
        lease_owner=bindparam("owner"),
        lease_until=bindparam("until"),
        attempts=_C.attempts + 1,
    )
    .returning(_C.id, _C.kind, _C.payload, _C.attempts, _C.publish_started)
)
_EXISTING = select(_C.id, _C.state).where(_C.dedup_key == bindparam("key"))
_REQUEUE = (
    update(_JOBS)
    .where(_C.id == bindparam("job"))
    .values(state="queued", attempts=0, run_after=bindparam("now"), lease_owner=None, lease_until=None)
)
_INSERTS = {
    dialect.__name__.rpartition(".")[2]: dialect.insert(_JOBS)
    .values(
        kind=bindparam("kind"),
        dedup_key=bindparam("key"),
        payload=bindparam("payload", type_=_C.payload.type),
        state="queued",
        attempts=0,
        run_after=bindparam("now"),
        publish_started=False,
        created=bindparam("now"),
    )
    # A job of that key is there already (SQLite), or another process is inserting it
    # (PostgreSQL waits for that transaction and then does nothing): either way, no new job.
    .on_conflict_do_nothing(index_elements=[_C.dedup_key])
    .returning(_C.id)
    for dialect in (sqlite, postgresql)
}
_MINE = _C.id == bindparam("job"), _C.lease_owner == bindparam("owner"), _C.state == "running"
_COMPLETE = update(_JOBS).where(*_MINE).values(state="done", finished=bindparam("now"), last_error=None)
_PUBLISH_STARTED = update(_JOBS).where(*_MINE).values(publish_started=True)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    publish_started: bool


class JobQueue:
    def __init__(self, sessions: Sessions, lease_seconds: float) -> None:
        self.sessions = sessions
        self.lease_seconds = lease_seconds
        self.wake = threading.Event()
        """Set when a job is enqueued, so idle workers start at once rather than at their next poll."""
        self._insert = _INSERTS[sessions.dialect]

    def enqueue(self, session: Session, kind: str, key: str, payload: dict[str, Any]) -> tuple[int, bool]:
        """Add a job in `session`'s transaction: (its id, whether it is new). The caller commits.

        A job with the same key is that job; if it had failed, it is queued again (a webhook
        delivered again after a fault that needed a person, such as a missing pact).
        """
        now = time.time()
        connection = session.connection()
        added = connection.execute(
            self._insert, {"kind": kind, "key": key, "payload": payload, "now": now}
        ).scalar()
        if added is not None:
            return int(added), True
        existing = connection.execute(_EXISTING, {"key": key}).one()
        if existing.state == "failed":  # asked again after giving up: try again from the start
            connection.execute(_REQUEUE, {"job": existing.id, "now": now})
        return int(existing.id), False

    def claim(self, owner: str) -> Claimed | None:
        now = time.time()
        with self.sessions.begin() as session:
            row = (
                session.connection()
                .execute(_CLAIM, {"now": now, "owner": owner, "until": now + self.lease_seconds})
                .first()
            )
        return (
            None if row is None else Claimed(row.id, row.kind, row.payload, row.attempts, row.publish_started)
        )

    def renew(self, owners: Collection[str]) -> int:
        """Extend the leases of the jobs these workers are running: how many were extended.

        A lease taken over by another worker meanwhile has another owner, and stays as it is.
        """
        if not owners:
            return 0
        with self.sessions.begin() as session:
            done = session.execute(
                update(JobRow)
                .where(JobRow.state == "running", JobRow.lease_owner.in_(list(owners)))
                .values(lease_until=time.time() + self.lease_seconds)
                .execution_options(synchronize_session=False)
            )
            return int(done.rowcount)  # type: ignore[attr-defined]

    def _mine(self, session: Session, job: int, owner: str, **values: Any) -> bool:
        done = session.execute(
            update(JobRow)
            .where(JobRow.id == job, JobRow.lease_owner == owner, JobRow.state == "running")
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def complete(self, session: Session, job: int, owner: str) -> bool:
        done = session.connection().execute(_COMPLETE, {"job": job, "owner": owner, "now": time.time()})
        return bool(done.rowcount)

    def fail(self, job: int, owner: str, error: str) -> None:
        with self.sessions.begin() as session:
            self._mine(session, job, owner, state="failed", finished=time.time(), last_error=error)

    def retry(self, job: int, owner: str, error: str, delay: float) -> None:
        with self.sessions.begin() as session:
            self._mine(
                session,
                job,
                owner,
                state="queued",
                run_after=time.time() + delay,
                lease_owner=None,
                lease_until=None,
                last_error=error,
            )

    def publish_started(self, session: Session, job: int, owner: str) -> bool:
        return bool(session.connection().execute(_PUBLISH_STARTED, {"job": job, "owner": owner}).rowcount)

    def release_leases(self) -> int:
        """Make every running job claimable now: embedded mode has one process per database, so
        after a start nobody else can be running them (their worker died with the last process)."""
        with self.sessions.begin() as session:
            done = session.execute(update(JobRow).where(JobRow.state == "running").values(lease_until=0.0))
            return int(done.rowcount)  # type: ignore[attr-defined]

    def counts(self) -> dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(select(JobRow.state, func.count()).group_by(JobRow.state)).all()
        return {state: count for state, count in rows}
