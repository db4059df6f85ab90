"""The `crosscontract` command line: help, version, `explain`, and bad input.

Bad input of any kind (unreadable, unparsable or meaningless specs and pacts, broken
`$ref`s) must end with exit status 2, one line on stderr naming the file and the
problem, no traceback, and with `--format json` a JSON object with an `error` field on
stdout, so CI logs and tools can both tell "incompatible" (1) from "could not check" (2).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from _build import THINGS_REF_SPEC
from click.testing import CliRunner, Result
from crosscontract.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "example"

OK_SPEC = THINGS_REF_SPEC


def _pact(*interactions: dict[str, Any], version: str = "2.0.0") -> str:
    return json.dumps(
        {
            "consumer": {"name": "web"},
            "provider": {"name": "things"},
            "interactions": list(interactions),
            "metadata": {"pactSpecification": {"version": version}},
        }
    )


def _get_things(body: Any = None, *, status: int = 200, **extra: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"status": status, "headers": {"Content-Type": "application/json"}}
    response["body"] = {"id": 1} if body is None else body
    return {
        "description": "a request for things",
        "request": {"method": "GET", "path": "/things"},
        "response": response,
        **extra,
    }


OK_PACT = _pact(_get_things())


def _spec_with_schema(schema: str, components: str = "") -> str:
    """OK_SPEC with another response schema for GET /things (YAML flow style)."""
    text = OK_SPEC.replace('{$ref: "#/components/schemas/Thing"}', schema)
    return text + textwrap.indent(textwrap.dedent(components), "    ") if components else text


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- help, version, explain -----------------------------------------------------------------


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"crosscontract, version {version('crosscontract')}"


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_help_shows_examples(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "crosscontract compare openapi.yaml pacts/" in result.stdout
    assert "crosscontract explain" in result.stdout
    for command in ("compare", "explain"):
        assert command in result.stdout


def test_compare_help_shows_examples_and_exit_codes() -> None:
    result = invoke("compare", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "crosscontract compare openapi.yaml pacts/" in result.stdout
    assert "2 bad input" in result.stdout
    for flag in ("--format", "--additional-properties-in-response", "--required-properties-in-response"):
        assert flag in result.stdout


def test_explain_lists_every_code() -> None:
    from crosscontract.engine import CODES

    result = invoke("explain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(CODES)
    for code, entry in CODES.items():
        assert any(line.startswith(code) and entry.severity.value in line for line in lines), code


def test_explain_one_code() -> None:
    result = invoke("explain", "response.body.incompatible")
    assert result.exit_code == 0
    assert result.stdout.startswith("response.body.incompatible (error)")
    assert "Why it matters:" in result.stdout


def test_explain_unknown_code_is_a_usage_error() -> None:
    result = invoke("explain", "response.body.nonsense")
    assert result.exit_code == 2
    assert "unknown code 'response.body.nonsense'" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


# --- the installed console script ------------------------------------------------------------


def _console_script() -> Path:
    script = Path(sys.executable).with_name("crosscontract")
    if not script.is_file():
        pytest.skip(f"no console script next to {sys.executable}; install the package")
    return script


def test_console_script_compares_the_bundled_example() -> None:
    """The README's first command: the example is compatible and the summary reads well."""
    completed = subprocess.run(
        [str(_console_script()), "compare", "fixtures/example/openapi.yaml", "fixtures/example/pacts/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stderr == ""
    summary = completed.stdout.splitlines()[0]
    assert summary.startswith("fixtures/example/openapi.yaml: compatible — 2 pacts, 9 interactions, 0 errors")
    assert "\x1b[" not in completed.stdout  # no colour when not on a terminal
    assert "Traceback" not in completed.stdout


def test_example_json_report_is_compatible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    result = invoke("compare", "--format", "json", "openapi.yaml", "pacts/")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["success"] is True
    assert report["errors"] == []
    # a standard header the spec leaves out, and what the mobile pact's matchers would reject
    assert sorted(w["code"] for w in report["warnings"]) == [
        "response.body.spec-exceeds-matcher",
        "response.header.spec-exceeds-matcher",
        "response.header.undefined",
    ]


def test_help_does_not_import_jsonschema() -> None:
    """`--help` must stay instant: the engine and its validators load only for `compare`."""
    code = textwrap.dedent(
        """
        import sys
        from crosscontract.cli.main import cli
        cli.main(["--help"], prog_name="crosscontract", standalone_mode=False)
        assert "jsonschema" not in sys.modules, "jsonschema imported by --help"
        loaded = {m for m in sys.modules if m.startswith("crosscontract.engine")}
        # the engine's package and its list of formats, nothing that reads or checks
        assert loaded <= {"crosscontract.engine", "crosscontract.engine.render"}, loaded
        print("lazy-ok")
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.rstrip().endswith("lazy-ok")


# --- bad input -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    """Files to write, the arguments after `compare`, and what the one error line must say."""

    files: dict[str, str]
    args: tuple[str, ...]
    names: str
    """The file the error line must name."""
    problem: str
    """A fragment of the reason."""


BAD_INPUTS: dict[str, BadInput] = {
    "missing-spec": BadInput(
        {"pact.json": OK_PACT}, ("missing.yaml", "pact.json"), "missing.yaml", "cannot read"
    ),
    "invalid-json-spec": BadInput(
        {"spec.json": '{"openapi": "3.0.3", "paths": {"/things": }', "pact.json": OK_PACT},
        ("spec.json", "pact.json"),
        "spec.json",
        "not valid JSON",
    ),
    "invalid-yaml-spec": BadInput(
        {"spec.yaml": "openapi: 3.0.3\ninfo: {title: x\n  version: 1\npaths: {}\n", "pact.json": OK_PACT},
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "not valid JSON or YAML",
    ),
    "neither-swagger-nor-openapi": BadInput(
        {"spec.yaml": "name: things-service\nversion: 1.2.0\nowners: [team-a]\n", "pact.json": OK_PACT},
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "not a Swagger 2.0 or OpenAPI 3.x document",
    ),
    "scalar-document": BadInput(
        {"spec.yaml": "just a sentence\n", "pact.json": OK_PACT},
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "expected a mapping",
    ),
    "swagger-1.2": BadInput(
        {"spec.json": '{"swaggerVersion": "1.2", "swagger": "1.2", "apis": []}', "pact.json": OK_PACT},
        ("spec.json", "pact.json"),
        "spec.json",
        "unsupported Swagger version '1.2'",
    ),
    "unsupported-json-schema-dialect": BadInput(
        {
            "spec.yaml": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\n"
            "jsonSchemaDialect: https://json-schema.org/draft-04/schema#\npaths: {}\n",
            "pact.json": OK_PACT,
        },
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "unsupported jsonSchemaDialect 'https://json-schema.org/draft-04/schema#'",
    ),
    "swagger-1.2-resource-listing": BadInput(
        {
            "spec.json": '{"swaggerVersion": "1.2", "apiVersion": "1.0", "apis": [{"path": "/things"}]}',
            "pact.json": OK_PACT,
        },
        ("spec.json", "pact.json"),
        "spec.json",
        "not a Swagger 2.0 or OpenAPI 3.x document",
    ),
    "openapi-4.0": BadInput(
        {"spec.yaml": OK_SPEC.replace("openapi: 3.0.3", "openapi: 4.0.0"), "pact.json": OK_PACT},
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "unsupported OpenAPI version '4.0.0'",
    ),
    "pact-not-json": BadInput(
        {"spec.yaml": OK_SPEC, "pact.json": "consumer: web\ninteractions: []\n"},
        ("spec.yaml", "pact.json"),
        "pact.json",
        "not valid JSON",
    ),
    "missing-pact": BadInput({"spec.yaml": OK_SPEC}, ("spec.yaml", "gone.json"), "gone.json", "cannot read"),
    "pact-without-interactions": BadInput(
        {"spec.yaml": OK_SPEC, "pact.json": '{"consumer": {"name": "web"}, "provider": {"name": "things"}}'},
        ("spec.yaml", "pact.json"),
        "pact.json",
        "interactions",
    ),
    "pact-interactions-not-a-list": BadInput(
        {"spec.yaml": OK_SPEC, "pact.json": '{"interactions": {"0": {}}}'},
        ("spec.yaml", "pact.json"),
        "pact.json",
        "interactions",
    ),
    "pact-method-is-a-number": BadInput(
        {
            "spec.yaml": OK_SPEC,
            "pact.json": _pact({"request": {"method": 1, "path": "/things"}, "response": {"status": 200}}),
        },
        ("spec.yaml", "pact.json"),
        "pact.json",
        "method",
    ),
    "pact-status-is-not-a-number": BadInput(
        {
            "spec.yaml": OK_SPEC,
            "pact.json": _pact(
                {"request": {"method": "GET", "path": "/things"}, "response": {"status": "abc"}}
            ),
        },
        ("spec.yaml", "pact.json"),
        "pact.json",
        "status",
    ),
    "pact-in-folder-is-broken": BadInput(
        {"spec.yaml": OK_SPEC, "pacts/a-good.json": OK_PACT, "pacts/b-broken.json": '{"interactions": ['},
        ("spec.yaml", "pacts"),
        "b-broken.json",
        "not valid JSON",
    ),
    "unresolvable-ref": BadInput(
        {"spec.yaml": _spec_with_schema('{$ref: "#/components/schemas/Missing"}'), "pact.json": OK_PACT},
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "#/components/schemas/Missing",
    ),
    "circular-ref-chain": BadInput(
        {
            "spec.yaml": _spec_with_schema(
                '{$ref: "#/components/schemas/A"}',
                """\
            A: {$ref: "#/components/schemas/B"}
            B: {$ref: "#/components/schemas/A"}
            """,
            ),
            "pact.json": OK_PACT,
        },
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "circular $ref",
    ),
    "ref-outside-spec-folder": BadInput(
        {
            "api/spec.yaml": _spec_with_schema('{$ref: "../shared/thing.yaml#/Thing"}'),
            "shared/thing.yaml": "Thing: {type: object}\n",
            "pact.json": OK_PACT,
        },
        ("api/spec.yaml", "pact.json"),
        "api/spec.yaml",
        "outside the spec's folder",
    ),
    "remote-ref": BadInput(
        {
            "spec.yaml": _spec_with_schema('{$ref: "http://127.0.0.1:9/schemas/thing.yaml#/Thing"}'),
            "pact.json": OK_PACT,
        },
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "remote $ref",
    ),
    "one-of-not-a-list": BadInput(
        {"spec.yaml": _spec_with_schema("{oneOf: {type: object}}"), "pact.json": OK_PACT},
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "'oneOf' must be a list, found dict",
    ),
    "properties-not-an-object": BadInput(
        {"spec.yaml": _spec_with_schema("{type: object, properties: [id]}"), "pact.json": OK_PACT},
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "'properties' must be an object, found list",
    ),
    "undefined-security-scheme": BadInput(
        {
            "spec.yaml": OK_SPEC.replace("paths:\n", "security:\n  - oauth: [read]\npaths:\n", 1),
            "pact.json": OK_PACT,
        },
        ("spec.yaml", "pact.json"),
        "spec.yaml",
        "'oauth'",
    ),
}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _assert_one_line_error(result: Result, case: BadInput) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert case.names in lines[0]
    assert case.problem in lines[0]


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_text(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network: list[object]
) -> None:
    case = BAD_INPUTS[name]
    for file, text in case.files.items():
        write(tmp_path, file, text)
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", *case.args)
    _assert_one_line_error(result, case)
    assert result.stdout == ""
    assert no_network == []


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_json(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network: list[object]
) -> None:
    case = BAD_INPUTS[name]
    for file, text in case.files.items():
        write(tmp_path, file, text)
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "--format", "json", *case.args)
    _assert_one_line_error(result, case)
    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    assert report["success"] is False
    assert case.names in report["error"]
    assert case.problem in report["error"]
    assert no_network == []


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--no-such-flag", "spec.yaml", "pact.json"], "--no-such-flag"),
        (["spec.yaml"], "PACTS"),
        (["specs", "pact.json"], "specs"),
    ],
    ids=["unknown-flag", "missing-pact-argument", "spec-is-a-directory"],
)
def test_usage_errors_are_one_line_exit_2(
    args: list[str], problem: str, output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "spec.yaml", OK_SPEC)
    write(tmp_path, "pact.json", OK_PACT)
    (tmp_path / "specs").mkdir()
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "--format", output_format, *args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert problem in result.stderr
    assert "Traceback" not in result.output
    if output_format == "json":
        assert "error" in json.loads(result.stdout)
    else:
        assert result.stdout == ""


# --- not bad input ---------------------------------------------------------------------------

RECURSIVE_SPEC = _spec_with_schema(
    '{$ref: "#/components/schemas/Node"}',
    """\
    Node:
      type: object
      required: [name, children]
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: "#/components/schemas/Node"}
    """,
)


def _tree(depth: int, leaf_name: Any = "leaf") -> dict[str, Any]:
    if depth == 0:
        return {"name": leaf_name, "children": []}
    return {
        "name": f"level-{depth}",
        "children": [_tree(depth - 1, leaf_name), {"name": "x", "children": []}],
    }


def test_recursive_schema_is_not_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "spec.yaml", RECURSIVE_SPEC)
    write(tmp_path, "pact.json", _pact(_get_things(_tree(6))))
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "spec.yaml", "pact.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("spec.yaml: compatible — 1 pact, 1 interaction, 0 errors, 0 warnings")


def test_recursive_schema_finds_a_deep_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "spec.yaml", RECURSIVE_SPEC)
    write(tmp_path, "pact.json", _pact(_get_things(_tree(4, leaf_name=7))))
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "--format", "json", "spec.yaml", "pact.json")
    assert result.exit_code == 1, result.output
    errors = json.loads(result.stdout)["errors"]
    assert [(e["code"], e["mockDetails"]["location"]) for e in errors] == [
        ("response.body.incompatible", "[root].interactions[0].response.body" + ".children.0" * 4 + ".name"),
    ]


# --- behaviour the reference engines get right and a naive port gets wrong ---------------------


def test_empty_provider_state_reads_as_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "spec.yaml", OK_SPEC)
    write(tmp_path, "pact.json", _pact(_get_things(body={"id": "one"}, providerState="")))
    monkeypatch.chdir(tmp_path)
    text = invoke("compare", "spec.yaml", "pact.json")
    assert "(given )" not in text.stdout
    report = json.loads(invoke("compare", "--format", "json", "spec.yaml", "pact.json").stdout)
    assert report["errors"][0]["mockDetails"]["interactionState"] == "[none]"


@pytest.mark.parametrize(
    ("schema", "body", "exit_code"),
    [
        # YAML 1.2, as OpenAPI recommends: yes/no/on are strings, not booleans.
        (
            "{type: object, properties: {answer: {type: string, enum: [yes, no]}, "
            "country: {type: string, enum: [SE, NO]}, on: {type: boolean}}}",
            {"answer": "no", "country": "NO", "on": True},
            0,
        ),
        # ECMAScript patterns: Unicode property escapes work...
        (
            '{type: object, properties: {name: {type: string, pattern: "^\\\\p{Lu}\\\\p{Ll}+$"}}}',
            {"name": "Åsa"},
            0,
        ),
        # ...and \\d means 0-9 only.
        (
            '{type: object, properties: {code: {type: string, pattern: "^[A-Z]{2}\\\\d{3}$"}}}',
            {"code": "AB\u0661\u0662\u0663"},
            1,
        ),
    ],
    ids=["yaml-1.2-booleans", "unicode-property-escape", "ascii-digit-class"],
)
def test_schema_text_is_read_as_the_spec_means_it(
    schema: str, body: dict[str, object], exit_code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "spec.yaml", _spec_with_schema(schema))
    write(tmp_path, "pact.json", _pact(_get_things(body=body)))
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "spec.yaml", "pact.json")
    assert result.exit_code == exit_code, result.output


def test_failing_all_of_member_does_not_flag_declared_properties(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        "spec.yaml",
        _spec_with_schema(
            "{allOf: [{type: object, properties: {id: {type: integer}}}, "
            "{type: object, properties: {name: {type: string}, size: {type: integer}}}]}"
        ),
    )
    write(tmp_path, "pact.json", _pact(_get_things(body={"id": 1, "name": "box", "size": "large"})))
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "--format", "json", "spec.yaml", "pact.json")
    messages = [e["message"].split(": ", 1)[1] for e in json.loads(result.stdout)["errors"]]
    assert messages == ['must be integer (sent "large")']
