"""Many pact files over worker processes (`--jobs N`).

Process pools belong to the short-lived CLI process, never to the library: a library
call that forked would be unsafe inside a threaded server.

Each worker process builds one `Comparator` for the spec and checks whole pact files
with it. Where processes can fork, the workers start from the process that has already
parsed the spec, so the document is shared rather than read and parsed again; elsewhere
each worker gets the parsed document once. A worker builds its own `EngineConfig` from
the parent's options and disk store folder, so compiled checks are shared through that
folder. Reports come back in the order
of the files as they are: their results hold `InteractionRef`s and findings, never
interactions, so what crosses between processes is about the size of the findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from crosscontract.engine.check.compare import Comparator, compare as compare_in_process, split_pacts
from crosscontract.engine.check.report import PactReport, Report
from crosscontract.engine.config import EngineConfig
from crosscontract.engine.pact.reader import Pact, read_pact
from crosscontract.engine.schema.compiled import ValidatorCache
from crosscontract.engine.schema.diskstore import DiskStore
from crosscontract.engine.spec.index import Options
from crosscontract.engine.spec.loading import Spec

_comparator: list[Comparator] = []
"""The worker process's comparator, set once by `_start` (an initializer has nowhere
else to leave it for the tasks that follow)."""


def compare(
    spec: Spec, pacts: Sequence[Pact | str | Path], config: EngineConfig | Options, jobs: int
) -> Report:
    """`engine.compare` with pact files checked by up to `jobs` processes; the same report."""
    config = EngineConfig.of(config)
    parsed, files = split_pacts(pacts)
    if jobs < 2 or len(files) < 2:
        return compare_in_process(spec, pacts, config)
    comparator = Comparator(spec, config)
    reports = [comparator.check_pact(p) for p in parsed] + check_files(spec, config, files, jobs)
    return Report.of(spec.label, reports)


def check_files(spec: Spec, config: EngineConfig, files: Sequence[Path], jobs: int) -> list[PactReport]:
    """Reports for `files`, in order, checked by up to `jobs` processes."""
    # Imported here: only a run with several jobs and files needs them (17 ms of start-up).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    folder = None if config.store is None else config.store.directory
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(files)),
        mp_context=context,
        initializer=_start,
        initargs=(spec, config.options, folder, config.validators),
    ) as pool:
        return list(pool.map(_check_file, files))


def _start(spec: Spec, options: Options, folder: Path | None, validators: ValidatorCache) -> None:
    # Spawned or forked, a worker builds its own configuration on the folder its parent
    # uses: the parent's validator cache only lends its settings (a forked copy of its
    # memo could hold a lock some other thread of the parent had taken).
    store = None if folder is None else DiskStore(folder)
    _comparator[:] = [Comparator(spec, EngineConfig(options, store, replace(validators)))]


def _check_file(file: Path) -> PactReport:
    return _comparator[0].check_pact(read_pact(file))
