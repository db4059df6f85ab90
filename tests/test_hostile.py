"""Hostile input through the command line: no hang, no traceback, no escape, nothing lost.

Each case runs the real `crosscontract` process with a wall-clock bound and an address-space
limit. Bad input ends with exit status 2 and one line on stderr that names the file and the
problem; input that is valid but odd gives findings, never an internal error.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from _broker import FakeBroker, dripping, running

MEMORY_LIMIT = 2 * 2**30
"""Address space a case may use: a run that reads a huge file whole fails here, not the machine."""

WALL_LIMIT = 10.0
"""Seconds a case may take; a hang fails the test instead of the suite."""

OPENAPI_HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def crosscontract(*args: str, cwd: Path, env: dict[str, str] | None = None, stdout: Any = None) -> Run:
    command = [sys.executable, "-c", "from crosscontract.cli.main import main; main()", *args]
    environment = {**os.environ, "CROSSCONTRACT_CACHE_DIR": str(cwd / ".cache"), **(env or {})}
    environment.pop("CROSSCONTRACT_DEBUG", None)
    started = time.monotonic()
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=environment,
            stdout=stdout if stdout is not None else subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=WALL_LIMIT + 5,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Run(-1, "", "(still running: killed)", time.monotonic() - started)
    return Run(done.returncode, done.stdout or "", done.stderr, time.monotonic() - started)


def assert_bad_input(run: Run, *names: str) -> None:
    """Exit 2, one line on stderr naming each of `names`, no traceback, in bounded time."""
    assert run.seconds < WALL_LIMIT, f"took {run.seconds:.1f} s"
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    for name in names:
        assert name in lines[0], lines[0]
    assert run.code == 2, (run.code, run.stderr)


def assert_no_internal_error(run: Run) -> None:
    """A verdict, or bad input said in one line: anything but a crash, in bounded time."""
    assert run.seconds < WALL_LIMIT, f"took {run.seconds:.1f} s"
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr
    assert run.code in (1, 2), (run.code, run.stderr)


def assert_checked(run: Run) -> None:
    """A verdict (0 or 1) in bounded time, no traceback."""
    assert run.seconds < WALL_LIMIT, f"took {run.seconds:.1f} s"
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr
    assert run.code in (0, 1), (run.code, run.stderr, run.stdout[-2000:])


def _pact(*interactions: dict[str, Any]) -> str:
    return json.dumps(
        {
            "consumer": {"name": "web"},
            "provider": {"name": "things"},
            "interactions": list(interactions),
            "metadata": {"pactSpecification": {"version": "2.0.0"}},
        }
    )


def _get(path: str = "/x", status: int = 200, body: Any = None, **request: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"status": status}
    if body is not None:
        response["headers"] = {"Content-Type": "application/json"}
        response["body"] = body
    return {"description": "d", "request": {"method": "GET", "path": path, **request}, "response": response}


def _spec_with_response_schema(schema: str, extra: str = "") -> str:
    return (
        OPENAPI_HEAD
        + "paths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        + "          content:\n            application/json:\n"
        + f"              schema: {schema}\n"
        + extra
    )


# Defects found by these cases and not yet mended; each entry goes when its case passes.
# Strict: a case that starts passing while listed fails the run.
OPEN_DEFECTS: frozenset[str] = frozenset()


@pytest.fixture(autouse=True)
def _open_defect(request: pytest.FixtureRequest) -> None:
    if request.node.name in OPEN_DEFECTS:
        request.applymarker(pytest.mark.xfail(strict=True, reason="open defect: see OPEN_DEFECTS"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "pact.json").write_text(_pact(_get()))
    (tmp_path / "spec.yaml").write_text(_spec_with_response_schema("{type: object}"))
    return tmp_path


# --- files that are not files --------------------------------------------------------------


def test_a_fifo_as_spec(folder: Path) -> None:
    os.mkfifo(folder / "fifo.yaml")
    assert_bad_input(crosscontract("compare", "fifo.yaml", "pact.json", cwd=folder), "fifo.yaml")


def test_a_fifo_as_pact(folder: Path) -> None:
    os.mkfifo(folder / "fifo.json")
    assert_bad_input(crosscontract("compare", "spec.yaml", "fifo.json", cwd=folder), "fifo.json")


def test_dev_zero_as_spec(folder: Path) -> None:
    assert_bad_input(crosscontract("compare", "/dev/zero", "pact.json", cwd=folder), "/dev/zero")


def test_dev_zero_as_pact(folder: Path) -> None:
    assert_bad_input(crosscontract("compare", "spec.yaml", "/dev/zero", cwd=folder), "/dev/zero")


def test_a_huge_spec(folder: Path) -> None:
    with open(folder / "huge.json", "wb") as file:
        file.truncate(6 * 2**30)  # sparse: costs no disk
    assert_bad_input(crosscontract("compare", "huge.json", "pact.json", cwd=folder), "huge.json")


def test_a_huge_pact(folder: Path) -> None:
    with open(folder / "huge.json", "wb") as file:
        file.truncate(6 * 2**30)
    assert_bad_input(crosscontract("compare", "spec.yaml", "huge.json", cwd=folder), "huge.json")


def test_an_empty_spec_argument(folder: Path) -> None:
    run = crosscontract("compare", "", "pact.json", cwd=folder)
    assert_bad_input(run)
    assert "SPEC" in run.stderr or "spec" in run.stderr


def test_a_fifo_as_a_ref(folder: Path) -> None:
    os.mkfifo(folder / "part.yaml")
    (folder / "spec.yaml").write_text(_spec_with_response_schema("{$ref: 'part.yaml'}"))
    # a body, so that the schema is needed: a `$ref` is followed only when it is needed
    (folder / "pact.json").write_text(_pact(_get(body={"a": 1})))
    assert_bad_input(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder), "part.yaml")


# --- documents made to be slow ----------------------------------------------------------------


def test_a_yaml_alias_bomb(folder: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (folder / "bomb.yaml").write_text(
        OPENAPI_HEAD + "paths: {}\nx-bomb:\n" + "".join(f"  {line}\n" for line in lines)
    )
    run = crosscontract("compare", "bomb.yaml", "pact.json", cwd=folder)
    assert_bad_input(run, "bomb.yaml")
    assert run.seconds < 2


def test_a_long_ref_chain(folder: Path) -> None:
    count = 40_000
    schemas = "".join(f"    S{i}: {{$ref: '#/components/schemas/S{i + 1}'}}\n" for i in range(count))
    schemas += f"    S{count}: {{type: object}}\n"
    spec = _spec_with_response_schema(
        "{$ref: '#/components/schemas/S0'}", "components:\n  schemas:\n" + schemas
    )
    (folder / "chain.yaml").write_text(spec)
    run = crosscontract("compare", "chain.yaml", "pact.json", cwd=folder)
    assert run.seconds < WALL_LIMIT
    assert "Traceback" not in run.stderr
    assert run.code in (0, 1, 2)


def test_server_variables_that_multiply(folder: Path) -> None:
    variables = ", ".join(
        f"v{i}: {{default: a, enum: [{', '.join(f'e{j}' for j in range(16))}]}}" for i in range(8)
    )
    url = "/" + "/".join(f"{{v{i}}}" for i in range(8))
    spec = (
        OPENAPI_HEAD
        + f"servers: [{{url: '{url}', variables: {{{variables}}}}}]\n"
        + "paths:\n  /x:\n    get:\n      responses: {'200': {description: ok}}\n"
    )
    (folder / "servers.yaml").write_text(spec)
    run = crosscontract("compare", "servers.yaml", "pact.json", cwd=folder)
    assert_checked(run)


# --- regular expressions from a spec -----------------------------------------------------------

EVIL = "^(a+)+$"


def _path_param_spec(pattern: str) -> str:
    return (
        OPENAPI_HEAD
        + "paths:\n  /x/{id}:\n    get:\n      parameters:\n"
        + "        - {name: id, in: path, required: true, "
        + f"schema: {{type: string, pattern: '{pattern}'}}}}\n"
        + "      responses: {'200': {description: ok}}\n"
    )


def test_a_catastrophic_pattern_while_routing(folder: Path) -> None:
    (folder / "spec.yaml").write_text(_path_param_spec(EVIL))
    (folder / "pact.json").write_text(_pact(_get("/x/" + "a" * 40 + "!")))
    assert_checked(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder))


def test_a_catastrophic_pattern_in_a_body(folder: Path) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema(
            f"{{type: object, properties: {{s: {{type: string, pattern: '{EVIL}'}}}}}}"
        )
    )
    (folder / "pact.json").write_text(_pact(_get(body={"s": "a" * 40 + "!"})))
    assert_checked(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder))


def test_a_catastrophic_pattern_in_pattern_properties(folder: Path) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema(f"{{type: object, patternProperties: {{'{EVIL}': {{type: string}}}}}}")
    )
    (folder / "pact.json").write_text(_pact(_get(body={"a" * 40 + "!": "x"})))
    assert_checked(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder))


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        ("^abc{e<=1}$", "abd"),  # fuzzy matching is the regex module's, not ECMAScript's
        ("^[A-Z0-9]+$", "AB12\n"),  # `$` is the end of input in ECMAScript
    ],
    ids=["fuzzy-syntax", "final-newline"],
)
def test_patterns_are_read_as_ecmascript(folder: Path, pattern: str, value: str) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema(
            f"{{type: object, properties: {{s: {{type: string, pattern: '{pattern}'}}}}}}"
        )
    )
    (folder / "pact.json").write_text(_pact(_get(body={"s": value})))
    run = crosscontract("compare", "spec.yaml", "pact.json", "--format", "json", cwd=folder)
    assert run.code == 1, run.stdout


@pytest.mark.parametrize(
    "value", ["2024-01-01\n", "\uff12\uff10\uff12\uff14-01-01"], ids=["final-newline", "fullwidth-digits"]
)
def test_dates_are_ascii_and_whole(folder: Path, value: str) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema("{type: object, properties: {d: {type: string, format: date}}}")
    )
    (folder / "pact.json").write_text(_pact(_get(body={"d": value})))
    run = crosscontract("compare", "spec.yaml", "pact.json", "--format", "json", cwd=folder)
    assert run.code == 1, run.stdout


def test_an_invalid_pattern_in_pattern_properties(folder: Path) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema("{type: object, patternProperties: {'([': {type: string}}}")
    )
    (folder / "pact.json").write_text(_pact(_get(body={"a": "x"})))
    assert_bad_input(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder), "spec.yaml")


def test_a_regex_format_value_with_a_huge_repeat(folder: Path) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema("{type: object, properties: {r: {type: string, format: regex}}}")
    )
    (folder / "pact.json").write_text(_pact(_get(body={"r": "(a{1000000}){1000000}"})))
    assert_checked(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder))


# --- values that are valid but odd --------------------------------------------------------------


def test_multiple_of_zero(folder: Path) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema("{type: object, properties: {n: {type: number, multipleOf: 0}}}")
    )
    (folder / "pact.json").write_text(_pact(_get(body={"n": 3})))
    assert_bad_input(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder), "spec.yaml")


def test_a_status_that_is_not_a_number(folder: Path) -> None:
    spec = (
        OPENAPI_HEAD
        + "paths:\n  /x:\n    get:\n      responses: {'²': {description: odd}, '200': {description: ok}}\n"
    )
    (folder / "spec.yaml").write_text(spec)
    (folder / "pact.json").write_text(_pact(_get(status=201)))
    run = crosscontract("compare", "spec.yaml", "pact.json", cwd=folder)
    assert_no_internal_error(run)


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!set {a, b}"])
def test_yaml_values_json_cannot_hold(folder: Path, tag: str) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema(
            f"{{type: string, enum: [{tag}]}}".replace("[!!set {a, b}]", "[!!set {a, b}]")
        )
    )
    (folder / "pact.json").write_text(_pact(_get(body="x")))
    run = crosscontract("compare", "spec.yaml", "pact.json", "--format", "json", cwd=folder)
    assert_no_internal_error(run)


def test_integers_beyond_64_bits(folder: Path) -> None:
    big = 2**70
    (folder / "spec.yaml").write_text(_spec_with_response_schema(f"{{type: integer, enum: [{big}]}}"))
    (folder / "pact.json").write_text(_pact(_get(body=1)))
    run = crosscontract("compare", "spec.yaml", "pact.json", "--format", "json", cwd=folder)
    assert run.code == 1, run.stderr
    json.loads(run.stdout)


@pytest.mark.parametrize("output_format", ["text", "json", "junit", "markdown"])
def test_a_body_nested_deeper_than_the_renderers_recurse(folder: Path, output_format: str) -> None:
    body: Any = "x"
    for _ in range(600):
        body = {"a": body}
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema("{type: object, additionalProperties: false}")
    )
    (folder / "pact.json").write_text(_pact(_get(body=body)))
    run = crosscontract("compare", "spec.yaml", "pact.json", "--format", output_format, cwd=folder)
    assert_no_internal_error(run)


def test_a_percent_zero_in_a_ref(folder: Path) -> None:
    (folder / "spec.yaml").write_text(_spec_with_response_schema("{$ref: 'part%00.yaml'}"))
    (folder / "pact.json").write_text(_pact(_get(body={"a": 1})))  # the schema is needed
    assert_bad_input(crosscontract("compare", "spec.yaml", "pact.json", cwd=folder), "spec.yaml")


# --- what is never fetched -----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://127.0.0.1:9/x.json"])
def test_a_remote_ref_in_list_items_is_never_fetched(folder: Path, target: str) -> None:
    (folder / "spec.yaml").write_text(
        _spec_with_response_schema(f"{{type: array, items: [{{$ref: '{target}'}}]}}")
    )
    (folder / "pact.json").write_text(_pact(_get(body=["x"])))
    run = crosscontract("compare", "spec.yaml", "pact.json", cwd=folder)
    assert_bad_input(run, "spec.yaml")
    assert "root:" not in run.stderr + run.stdout


def test_a_dynamic_ref_to_a_url_is_never_fetched(folder: Path) -> None:
    spec = _spec_with_response_schema("{$dynamicRef: 'http://127.0.0.1:9/x.json'}").replace("3.0.3", "3.1.0")
    (folder / "spec.yaml").write_text(spec)
    (folder / "pact.json").write_text(_pact(_get(body={"a": 1})))
    run = crosscontract("compare", "spec.yaml", "pact.json", cwd=folder)
    assert_no_internal_error(run)


# --- nothing lost ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dangling", "loop", "fifo"])
def test_a_pact_folder_entry_that_cannot_be_read_is_reported(folder: Path, kind: str) -> None:
    pacts = folder / "pacts"
    pacts.mkdir()
    (pacts / "good.json").write_text(_pact(_get()))
    bad = pacts / "bad.json"
    if kind == "dangling":
        bad.symlink_to(pacts / "missing.json")
    elif kind == "loop":
        bad.symlink_to(bad)
    else:
        os.mkfifo(bad)
    run = crosscontract("compare", "spec.yaml", "pacts", cwd=folder)
    assert run.seconds < WALL_LIMIT
    assert "bad.json" in run.stderr + run.stdout
    assert run.code == 2


def test_a_pact_with_two_interactions_keys_is_refused_whole_and_streamed(folder: Path) -> None:
    text = (
        '{"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": [], "interactions": ['
        + json.dumps(_get(path="/nope"))
        + "]}"
    )
    (folder / "twice.json").write_text(text)
    run = crosscontract("compare", "spec.yaml", "twice.json", cwd=folder)
    assert_bad_input(run, "twice.json")


# --- output that can be abused -----------------------------------------------------------------


def test_control_characters_in_file_names_are_escaped(folder: Path) -> None:
    name = "evil\n::error::owned.yaml"
    (folder / name).write_text("not: [valid")
    run = crosscontract("compare", name, "pact.json", cwd=folder)
    assert run.code == 2
    assert "\n::error::" not in run.stderr


def test_html_in_a_consumer_name_is_escaped_in_markdown(folder: Path) -> None:
    pact = json.loads(_pact(_get(path="/nope")))
    pact["consumer"]["name"] = "<img src=x onerror=alert(1)>"
    (folder / "pact.json").write_text(json.dumps(pact))
    run = crosscontract("compare", "spec.yaml", "pact.json", "--format", "markdown", cwd=folder)
    assert run.code == 1
    assert "<img" not in run.stdout


def test_a_json_report_does_not_repeat_a_large_spec_per_finding(folder: Path) -> None:
    paths = "".join(
        f"  /p{i}:\n    get:\n      description: '{'x' * 200}'\n"
        "      responses: {'200': {description: ok}}\n"
        for i in range(2000)
    )
    (folder / "spec.yaml").write_text(OPENAPI_HEAD + "paths:\n" + paths)
    (folder / "pact.json").write_text(_pact(*[_get(path=f"/unknown{i}") for i in range(300)]))
    run = crosscontract("compare", "spec.yaml", "pact.json", "--format", "json", cwd=folder)
    assert run.code == 1
    assert len(run.stdout) < 20 * 2**20, len(run.stdout)


def test_a_closed_stdout_pipe(folder: Path) -> None:
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "w") as closed:
        run = crosscontract("compare", "spec.yaml", "pact.json", cwd=folder, stdout=closed)
    assert run.code != 0
    assert "Traceback" not in run.stderr
    assert run.stderr.strip(), "no word about the closed output"


def test_a_full_disk_for_stdout(folder: Path) -> None:
    with open("/dev/full", "w") as full:
        run = crosscontract("compare", "spec.yaml", "pact.json", cwd=folder, stdout=full)
    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.strip()


# --- flags ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_a_broker_timeout_that_is_not_a_duration(folder: Path, value: str) -> None:
    run = crosscontract(
        "compare",
        "spec.yaml",
        "--provider",
        "p",
        "--broker-url",
        "http://127.0.0.1:9",
        "--broker-timeout",
        value,
        cwd=folder,
    )
    assert_bad_input(run, "--broker-timeout")


def test_a_non_ascii_token(folder: Path) -> None:
    run = crosscontract(
        "compare",
        "spec.yaml",
        "--provider",
        "p",
        "--broker-url",
        "http://127.0.0.1:9",
        cwd=folder,
        env={"PACT_BROKER_TOKEN": "tøken"},
    )
    assert_bad_input(run)
    assert "tøken" not in run.stderr


def test_a_token_with_a_line_break_is_never_printed(folder: Path) -> None:
    run = crosscontract(
        "compare",
        "spec.yaml",
        "--provider",
        "p",
        "--broker-url",
        "http://127.0.0.1:9",
        cwd=folder,
        env={"PACT_BROKER_TOKEN": "secret-part\r\nX-Evil: 1"},
    )
    assert run.code == 2
    assert "secret-part" not in run.stderr + run.stdout


# --- the broker ----------------------------------------------------------------------------------


def test_a_broker_that_drips_is_cut_at_the_deadline(folder: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    with dripping(head, b"{" + b" " * 99_998 + b"}", interval=0.1) as base:  # each read in time
        run = crosscontract(
            "compare",
            "spec.yaml",
            "--provider",
            "p",
            "--broker-url",
            base,
            "--broker-timeout",
            "0.5",
            cwd=folder,
        )
    assert_bad_input(run, "did not answer in time")
    assert run.seconds < 6  # three attempts of 0.5 s and the waits between them; the answer takes hours


def test_a_pact_on_a_metadata_address_is_never_asked(folder: Path) -> None:
    with running(FakeBroker(token="s3cret-token")) as broker:
        broker.add(json.loads(_pact(_get())), elsewhere="http://169.254.169.254")
        run = crosscontract(
            "compare",
            "spec.yaml",
            "--provider",
            "things",
            "--broker-url",
            broker.base,
            "--allow-pact-host",
            "169.254.169.254",
            cwd=folder,
            env={"PACT_BROKER_TOKEN": "s3cret-token"},
        )
    assert_bad_input(run, "169.254.169.254", "link-local")
    assert "s3cret" not in run.stderr


# --- pacts read one interaction at a time ------------------------------------------------------

STREAM_ALL = {"CROSSCONTRACT_STREAM_PACTS_ABOVE": "0"}
"""Streams every pact, so a case need not write 64 MiB to reach the streaming reader."""


def test_a_streamed_pact_with_two_interactions_keys_is_refused(folder: Path) -> None:
    text = '{"interactions": [], "interactions": [' + json.dumps(_get(path="/nope")) + "]}"
    (folder / "twice.json").write_text(text)
    run = crosscontract("compare", "spec.yaml", "twice.json", cwd=folder, env=STREAM_ALL)
    assert_bad_input(run, "twice.json", "'interactions'")


def test_a_streamed_pact_nested_200000_levels_deep(folder: Path) -> None:
    depth = 200_000
    body = '{"a":' * depth + "1" + "}" * depth
    text = _pact(_get(body="BODY")).replace('"BODY"', body)
    (folder / "deep.json").write_text(text)
    for env in (STREAM_ALL, {}):  # the same verdict read whole
        run = crosscontract("compare", "spec.yaml", "deep.json", cwd=folder, env=env)
        assert_bad_input(run, "deep.json", "deeper than 1024 levels")


def test_a_streamed_pact_holding_one_100_mib_string(folder: Path) -> None:
    head, tail = _pact(_get(body={"s": "TEXT"})).split("TEXT")
    with open(folder / "long.json", "w") as file:
        file.write(head)
        chunk = "x" * 2**20
        for _ in range(100):
            file.write(chunk)
        file.write(tail)
    run = crosscontract("compare", "spec.yaml", "long.json", cwd=folder, env=STREAM_ALL)
    assert_checked(run)
    assert run.seconds < 6, f"took {run.seconds:.1f} s: reading a long string grows with its square"
