"""Warm comparison: the per-interaction cost once every schema a pact uses is compiled.

One round checks all 1,000 interactions of `pact-1000.json`, so the round time in
milliseconds reads as microseconds per interaction (also stored as `extra_info`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from crosscontract.engine import Comparator, Pact


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "jsonschema-only"])
def test_warm_petstore_interaction(
    benchmark: Any, request: pytest.FixtureRequest, petstore_path: Path, pact_1000: Pact, fast: bool
) -> None:
    """Guards: a warm petstore interaction costing more than ~35 us (fast path) / the jsonschema baseline."""
    if not fast:
        request.getfixturevalue("jsonschema_only")
    comparator = Comparator(petstore_path)
    interactions = pact_1000.interactions

    def check_all() -> int:
        return sum(len(comparator.check_interaction(i)) for i in interactions)

    warnings = check_all()  # warm: routes built, schemas converted and (fast path) compiled
    check_all()
    assert benchmark.pedantic(check_all, rounds=10, iterations=1) == warnings
    benchmark.extra_info["us_per_interaction"] = benchmark.stats.stats.mean / len(interactions) * 1e6
