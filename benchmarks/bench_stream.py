"""Peak memory of reading a large pact whole (orjson) and streamed (ijson).

The pact is `pact-10000.json` five times over (20 MB, 50,000 interactions). The figures
are the peak resident size of a process that reads and checks it (`extra_info`, MB).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import workload

PROGRAM = """
import sys
from crosscontract.engine import compare
from crosscontract.engine.pact import reader as pact
pact.STREAM_ABOVE = int(sys.argv[3])
sys.exit(compare(sys.argv[1], [sys.argv[2]]).exit_code)
"""


@pytest.fixture(scope="module")
def large_pact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    document = orjson.loads(workload("pact-10000.json").read_bytes())
    document["interactions"] *= 5
    path = tmp_path_factory.mktemp("stream") / "pact-50000.json"
    path.write_bytes(orjson.dumps(document))
    return path


def _peak_mb(spec: Path, pact: Path, stream_above: int) -> float:
    """Peak RSS of a fresh process checking `pact`, as reported by its parent."""
    command = [sys.executable, "-c", PROGRAM, str(spec), str(pact), str(stream_above)]
    reporter = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True);"
        " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", reporter, *command], capture_output=True, text=True, check=True
    )
    return int(done.stdout.split()[-1]) / 1024


def test_large_pact_memory(benchmark: Any, large_pact: Path) -> None:
    """Guards: streaming a large pact no longer keeping memory well below reading it whole."""
    spec = workload("petstore3.yaml")
    streamed = benchmark.pedantic(_peak_mb, args=(spec, large_pact, 0), rounds=1, iterations=1)
    whole = _peak_mb(spec, large_pact, 10**12)
    benchmark.extra_info.update(streamed_peak_mb=round(streamed), whole_peak_mb=round(whole))
    assert streamed < whole / 2
