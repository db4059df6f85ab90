"""schemathesis against the service's own /openapi.json: no server error, no answer that breaks
the document (status codes, content types, bodies), on every route.

Its command line runs in a process of its own (its pytest plugin does not follow pytest 9's
internals), in a temporary folder, where it keeps its cache of the crashes it found."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import schemathesis

from ._service import Server


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    shared: Server, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run", shared.url + "/openapi.json",
            "--header", f"Authorization: Bearer {shared.token('write')}",
            "--max-examples", "25", "--seed", "1",
            # A schema-valid body may still be refused on purpose: a contract that is no OpenAPI
            # document (400), a pact URL off the broker (422). JSON Schema cannot say either.
            "--exclude-checks", "positive_data_acceptance",
        ],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"schemathesis {schemathesis.__version__}:\n" + done.stdout[-4000:] + done.stderr[-2000:]
    )
    generated = re.search(r"(\d+) generated", done.stdout)
    assert generated is not None, done.stdout[-2000:]
    assert int(generated[1]) > 100  # it reached every route, rather than finding nothing to test
