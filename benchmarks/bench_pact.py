"""Reading pact files (v2, 1,000 and 10,000 interactions)."""

from __future__ import annotations

from typing import Any

from conftest import workload
from crosscontract.engine import read_pact


def test_read_pact_1000(benchmark: Any) -> None:
    """Guards: per-interaction parsing cost (0.4 MB pact) growing."""
    pact = benchmark(read_pact, workload("pact-1000.json"))
    assert len(pact.interactions) == 1000


def test_read_pact_10000(benchmark: Any) -> None:
    """Guards: reading a 4 MB pact going superlinear or leaving the orjson fast path."""
    pact = benchmark.pedantic(read_pact, args=(workload("pact-10000.json"),), rounds=5, iterations=1)
    assert len(pact.interactions) == 10000
