"""The installed `crosscontract` command ends the process itself: output complete, status kept."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "example"


@pytest.fixture(scope="module")
def command() -> str:
    found = shutil.which("crosscontract", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the crosscontract command is not installed next to this Python")
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def test_a_long_report_is_written_whole(command: str, tmp_path: Path) -> None:
    pact = json.loads((EXAMPLE / "pacts" / "petstore-web-petstore-api.json").read_text())
    pact["interactions"] = [
        {**pact["interactions"][0], "request": {"method": "GET", "path": f"/nowhere/{i}"}}
        for i in range(2000)
    ]
    path = tmp_path / "pact.json"
    path.write_text(json.dumps(pact))
    done = _run(command, "compare", "--format", "json", str(EXAMPLE / "openapi.yaml"), str(path))
    assert done.returncode == 1
    assert len(json.loads(done.stdout)["errors"]) == 2000


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["compare", str(EXAMPLE / "openapi.yaml"), str(EXAMPLE / "pacts")], 0),
        (["compare", str(EXAMPLE / "openapi.yaml"), "missing.json"], 2),
        (["--help"], 0),
        (["no-such-command"], 2),
    ],
)
def test_exit_status(command: str, args: list[str], status: int) -> None:
    done = _run(command, *args)
    assert done.returncode == status
    assert done.stdout or done.stderr
    if status == 2:
        assert done.stderr.count("\n") == 1
