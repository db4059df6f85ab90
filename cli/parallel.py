"""Many pact files over worker processes (`--jobs N`).

Process pools belong to the short-lived CLI process, never to the library: a library
call that forked would be unsafe inside a threaded server.

Each worker process builds one `Comparator` for the spec and checks whole pact files
with it. Where processes can fork, the workers start from the process that has already
parsed the spec, so the document is shared rather than read and parsed again; elsewhere
each worker gets the parsed document once. Compiled checks are shared through the disk
cache (`diskcache.py`). Reports come back in the order of the files as they are: their
results hold `InteractionRef`s and findings, never interactions, so what crosses between
processes is about the size of the findings.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crosscontract.engine.check.compare import Comparator, compare as compare_in_process, split_pacts
from crosscontract.engine.check.report import PactReport, Report
from crosscontract.engine.pact.reader import Pact, read_pact
from crosscontract.engine.schema import diskstore as diskcache
from crosscontract.engine.spec.index import Options
from crosscontract.engine.spec.loading import Spec

_comparator: list[Comparator] = []
"""The worker's comparator, set once by `_start`."""


def compare(spec: Spec, pacts: Sequence[Pact | str | Path], options: Options, jobs: int) -> Report:
    """`engine.compare` with pact files checked by up to `jobs` processes; the same report."""
    parsed, files = split_pacts(pacts)
    if jobs < 2 or len(files) < 2:
        return compare_in_process(spec, pacts, options)
    comparator = Comparator(spec, options)
    reports = [comparator.check_pact(p) for p in parsed] + check_files(spec, options, files, jobs)
    return Report.of(spec.label, reports)


def check_files(spec: Spec, options: Options, files: Sequence[Path], jobs: int) -> list[PactReport]:
    """Reports for `files`, in order, checked by up to `jobs` processes."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(files)),
        mp_context=context,
        initializer=_start,
        initargs=(spec, options, diskcache.active()),
    ) as pool:
        return list(pool.map(_check_file, files))


def _start(spec: Spec, options: Options, cache: diskcache.DiskCache | None) -> None:
    # A spawned worker starts from scratch: it must use the cache folder its parent uses.
    diskcache.use_directory(None if cache is None else cache.directory)
    _comparator[:] = [Comparator(spec, options)]


def _check_file(file: Path) -> PactReport:
    return _comparator[0].check_pact(read_pact(file))
