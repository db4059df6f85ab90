"""`--jobs N`: pact files checked by worker processes give the report one process gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _build import OK, openapi3, response3
from click.testing import CliRunner, Result
from crosscontract.cli.main import cli
from crosscontract.cli.parallel import compare as parallel_compare
from crosscontract.engine import InputError, Options, compare, load_spec
from crosscontract.engine.pact.model import InteractionRef
from crosscontract.engine.render.json import report_json

SPEC = openapi3(
    {
        "/pets/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": response3({"type": "object", "properties": {"id": {"type": "integer"}}})
                },
            }
        },
        "/other": {"get": {"responses": {"200": OK}}},
    }
)


def _interaction(index: int, body: Any) -> dict[str, Any]:
    return {
        "description": f"pet {index}",
        "providerState": f"state {index}",
        "request": {"method": "GET", "path": f"/pets/{index}", "body": {"big": "x" * 1000}},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body},
    }


def _pact(consumer: str, bodies: list[Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": "pets"},
        "interactions": [_interaction(i, b) for i, b in enumerate(bodies)],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, list[Path]]:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    pacts = []
    for n in range(4):
        pact = tmp_path / "pacts" / f"{n}.json"
        pact.parent.mkdir(exist_ok=True)
        bodies = [{"id": 1}, {"id": "one"} if n % 2 else {"id": 2}, {"id": 3, "extra": n}]
        pact.write_text(json.dumps(_pact(f"consumer-{n}", bodies)))
        pacts.append(pact)
    return spec, pacts


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("output_format", ["json", "text", "junit", "markdown"])
def test_jobs_give_the_same_report(files: tuple[Path, list[Path]], output_format: str) -> None:
    spec, pacts = files
    folder = str(pacts[0].parent)
    one = _invoke("compare", "--format", output_format, str(spec), folder)
    many = _invoke("compare", "--format", output_format, "--jobs", "3", str(spec), folder)
    assert one.exit_code == many.exit_code == 1
    assert many.stdout == one.stdout
    if output_format == "json":
        mock_files = [f["mockDetails"]["mockFile"] for f in json.loads(many.stdout)["errors"]]
        assert mock_files == sorted(mock_files)  # in the order of the files


def test_jobs_keep_refs_not_bodies(files: tuple[Path, list[Path]]) -> None:
    spec, pacts = files
    report = parallel_compare(load_spec(spec), pacts, Options(), 2)
    assert [p.consumer for p in report.pacts] == [f"consumer-{n}" for n in range(4)]
    result = report.pacts[1].results[1]
    assert type(result.interaction) is InteractionRef  # sent, but not the bodies
    assert result.interaction == InteractionRef(1, None, None, "pet 1", "state 1", "get", "/pets/1", 200)
    assert [f.code.code for f in result.findings] == ["request.body.unknown", "response.body.incompatible"]


def test_bad_input_in_a_worker_is_one_line(files: tuple[Path, list[Path]]) -> None:
    spec, pacts = files
    pacts[2].write_text("{")
    result = _invoke("compare", "--jobs", "2", str(spec), *map(str, pacts))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"crosscontract: error: {pacts[2]}: pact is not valid JSON")


def test_bad_input_in_a_worker_is_an_input_error(files: tuple[Path, list[Path]]) -> None:
    spec, pacts = files
    pacts[3].write_text('{"interactions": 1}')
    with pytest.raises(InputError) as raised:
        parallel_compare(load_spec(spec), pacts, Options(), 2)
    assert (raised.value.source, raised.value.reason) == (str(pacts[3]), "pact 'interactions' must be a list")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(files: tuple[Path, list[Path]], jobs: str) -> None:
    spec, pacts = files
    result = _invoke("compare", "--jobs", jobs, str(spec), str(pacts[0]))
    assert result.exit_code == 2
    assert "--jobs" in result.stderr


def test_no_cache_writes_nothing(
    files: tuple[Path, list[Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, pacts = files
    cache = tmp_path / "cache"
    monkeypatch.setenv("CROSSCONTRACT_CACHE_DIR", str(cache))
    without = _invoke("compare", "--format", "json", "--no-cache", str(spec), str(pacts[0]))
    assert not cache.exists()
    cold = _invoke("compare", "--format", "json", str(spec), str(pacts[0]))
    assert cache.is_dir()
    warm = _invoke("compare", "--format", "json", str(spec), str(pacts[0]))
    assert without.stdout == cold.stdout == warm.stdout


def test_spawned_workers_give_the_same_report_and_keep_off_the_disk(
    files: tuple[Path, list[Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    from crosscontract.engine import EngineConfig

    spec, pacts = files
    one = report_json(compare(spec, pacts))
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    cache = tmp_path / "cache"
    monkeypatch.setenv("CROSSCONTRACT_CACHE_DIR", str(cache))
    assert report_json(parallel_compare(load_spec(spec), pacts, EngineConfig(store=None), 2)) == one
    assert not cache.exists()
