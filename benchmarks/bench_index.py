"""Building the operation index: routing tables only, no schema work."""

from __future__ import annotations

from typing import Any

from crosscontract.engine import OperationIndex, Spec


def test_index_petstore(benchmark: Any, petstore: Spec) -> None:
    """Guards: index construction doing per-operation work (conversion, compilation) up front."""
    index = benchmark(OperationIndex, petstore)
    assert len(index.operations) == 19


def test_index_github(benchmark: Any, github: Spec) -> None:
    """Guards: the 1,223-operation index dereferencing or converting schemas eagerly."""
    index = benchmark.pedantic(OperationIndex, args=(github,), rounds=5, iterations=1, warmup_rounds=1)
    assert len(index.operations) > 1000
