"""`diff` of two versions of GitHub's description with a 200-interaction pact: parse, classify, impact.

The new version is the shared workload (`github/api.github.com.json`). The old one is a real
earlier release when `CROSSCONTRACT_BENCH_OLD_SPEC` names one (e.g. `api.github.com.json` of
`@octokit/openapi` 22.0.0); otherwise it is made from the new one by `older()`, a scripted
set of the edits releases make (endpoints added, a required parameter, properties removed and
added, a type and an enum changed), so the diff has real work on both sides.

Targets: the whole diff under 3 s on a 2-core machine, and the impact part (both specs'
comparators checking every interaction) under 2x one `compare` of the same pact. The run is
timed with the interpreter's default garbage collector settings (the CLI raises the
threshold, which only makes it faster); the load average is recorded with each result,
since the machine is shared.
"""

from __future__ import annotations

import copy
import gc
import os
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import workload
from crosscontract.engine import Comparator, load_spec, read_pact
from crosscontract.engine.diff import impact, spec_changes


def older(document: dict[str, Any]) -> dict[str, Any]:
    """The document as an earlier release could have had it: the edits undone one by one."""
    old = copy.deepcopy(document)
    paths = old["paths"]
    schemas = old["components"]["schemas"]
    # 1. Ten endpoints the new release added did not exist.
    for name in sorted(paths)[5::80][:10]:
        del paths[name]
    # 2. An optional query parameter the new release made required.
    for name in sorted(paths)[::150]:
        for operation in paths[name].values():
            if isinstance(operation, dict) and "responses" in operation:
                operation.setdefault("parameters", []).append(
                    {"name": "bench_flag", "in": "query", "required": False, "schema": {"type": "string"}}
                )
    # 3. Component schemas that had a property since removed, and lacked one since added.
    for name in sorted(schemas)[::40]:
        schema = schemas[name]
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            schema["properties"]["bench_legacy"] = {"type": "string"}
            first = sorted(schema["properties"])[0]
            if first != "bench_legacy":
                del schema["properties"][first]
    # 4. A property whose type and an enum whose values changed.
    for name in sorted(schemas)[7::60]:
        for prop in (schemas[name].get("properties") or {}).values():
            if isinstance(prop, dict) and prop.get("type") == "string" and "enum" not in prop:
                prop["type"] = "integer"
                break
            if isinstance(prop, dict) and isinstance(prop.get("enum"), list) and len(prop["enum"]) > 1:
                prop["enum"] = prop["enum"][:-1]
                break
    return old


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    new = workload("github", "api.github.com.json")
    given = os.environ.get("CROSSCONTRACT_BENCH_OLD_SPEC")
    if given:
        return Path(given), new, "real release"
    old = tmp_path_factory.mktemp("diff") / "api.github.com.old.json"
    old.write_bytes(orjson.dumps(older(orjson.loads(new.read_bytes()))))
    return old, new, "scripted edits"


def test_parse_both(benchmark: Any, versions: tuple[Path, Path, str]) -> None:
    old, new, how = versions
    benchmark.extra_info["old_spec"] = how
    benchmark.pedantic(lambda: (load_spec(old), load_spec(new)), rounds=3, iterations=1)


def test_classify(benchmark: Any, versions: tuple[Path, Path, str]) -> None:
    old, new, how = versions
    specs = load_spec(old), load_spec(new)
    changes = benchmark.pedantic(lambda: spec_changes(*specs), rounds=3, iterations=1)
    benchmark.extra_info["old_spec"] = how
    benchmark.extra_info["changes"] = len(changes)
    assert changes


def test_impact_against_one_compare(benchmark: Any, versions: tuple[Path, Path, str]) -> None:
    """Guards: the impact (every interaction against both specs) under 2x one `compare` of the pact.

    Rounds are a CI run after the first: the old spec's outcomes are kept (`outcomes.py`), so
    the old side only routes. The first run's ratio, both sides checked, is `cold_ratio`.
    """
    old, new, how = versions
    pact = read_pact(workload("github", "github-200.json"))
    specs = load_spec(old), load_spec(new)
    changes = spec_changes(*specs)

    def one_compare() -> float:
        start = time.perf_counter()
        Comparator(specs[1]).check_pact(pact)
        return time.perf_counter() - start

    def run(kept: dict[str, tuple[bool, str | None]]) -> int:
        before, after = Comparator(specs[0]), Comparator(specs[1])
        return len(impact(before, after, [pact], old_outcomes=kept, changes=changes).interactions)

    one_compare()  # the compiled checks reach the disk cache, as they would after a first run
    run({})
    single = min(one_compare() for _ in range(3))
    cold: list[float] = []
    for _ in range(2):
        start = time.perf_counter()
        run({})
        cold.append(time.perf_counter() - start)
    kept: dict[str, tuple[bool, str | None]] = {}
    run(kept)
    assert benchmark.pedantic(run, args=(kept,), rounds=3, iterations=1) == 200
    ratio = benchmark.stats.stats.min / single
    benchmark.extra_info.update(
        old_spec=how,
        one_compare_s=single,
        ratio=ratio,
        cold_ratio=min(cold) / single,
        load_average=os.getloadavg(),
    )
    assert ratio < 2.0


def test_whole_diff(benchmark: Any, versions: tuple[Path, Path, str]) -> None:
    """Parse, classify and impact together (first run: nothing kept); the target is under 3 s."""
    old, new, how = versions
    pact_file = workload("github", "github-200.json")

    def whole() -> int:
        before, after = Comparator(load_spec(old)), Comparator(load_spec(new))
        return len(impact(before, after, [read_pact(pact_file)]).interactions)

    whole()
    assert benchmark.pedantic(whole, rounds=3, iterations=1) == 200
    benchmark.extra_info.update(
        old_spec=how, under_3_s=benchmark.stats.stats.min < 3.0, load_average=os.getloadavg()
    )


def test_whole_diff_as_the_cli_collects(benchmark: Any, versions: tuple[Path, Path, str]) -> None:
    """The same run with the garbage collector set as `crosscontract diff` sets it (`cli/diff.py`).

    Two parsed 13 MB documents are millions of long-lived objects; at the default threshold
    the collector walks them again and again, which is most of the difference to the run above.
    """
    old, new, how = versions
    pact_file = workload("github", "github-200.json")

    def whole() -> int:
        before, after = Comparator(load_spec(old)), Comparator(load_spec(new))
        return len(impact(before, after, [read_pact(pact_file)]).interactions)

    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        whole()
        assert benchmark.pedantic(whole, rounds=3, iterations=1) == 200
    finally:
        gc.set_threshold(*thresholds)
    benchmark.extra_info.update(
        old_spec=how, under_3_s=benchmark.stats.stats.min < 3.0, load_average=os.getloadavg()
    )
