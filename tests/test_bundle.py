"""A split spec published as one document, and the opt-in check that it is valid OpenAPI."""

from __future__ import annotations

import base64
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import prance.util.url
import pytest
from _broker import FakeBroker, running
from click.testing import CliRunner, Result
from crosscontract.cli.main import cli
from crosscontract.engine import InputError, Options, compare, load_spec
from crosscontract.engine.render import render
from crosscontract.engine.spec.bundle import bundle_spec, refs
from crosscontract.engine.spec.validity import check_validity

SPLIT = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / "split-file-ref"
INFO = "info: {title: t, version: '1'}\n"
OK = "{description: ok}"


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder / next(iter(files))


def _schema_spec(schema_ref: str) -> str:
    """An OpenAPI 3 spec whose one response body is `$ref: schema_ref`."""
    return (
        f"openapi: 3.0.3\n{INFO}paths:\n  /x:\n    get:\n      responses:\n        '200':\n"
        f"          description: ok\n          content:\n            application/json:\n"
        f"              schema: {{$ref: '{schema_ref}'}}\n"
    )


# --- bundling --------------------------------------------------------------------------------


def test_a_split_spec_becomes_one_document_that_compares_the_same() -> None:
    bundle = bundle_spec(SPLIT / "spec.yaml")
    assert bundle.files == ("schemas/billing.yaml",)
    assert list(refs(bundle.document)) == []
    assert orjson.loads(bundle.content) == bundle.document
    options = Options(**json.loads((SPLIT / "options.json").read_text()))
    split = compare(SPLIT / "spec.yaml", [SPLIT / "pact.json"], options)
    whole = compare(
        load_spec(bundle.document, label=str(SPLIT / "spec.yaml")), [SPLIT / "pact.json"], options
    )
    assert render(whole, "json") == render(split, "json")
    assert not split.success  # the case has findings: the comparison above compares something


def test_a_spec_in_one_file_is_left_byte_for_byte(tmp_path: Path) -> None:
    text = "# kept as written\n" + _schema_spec("#/components/schemas/A") + "components: {schemas: {A: {}}}\n"
    spec = _write(tmp_path, {"spec.yaml": text})
    bundle = bundle_spec(spec)
    assert (bundle.content, bundle.files) == (text.encode(), ())


def test_files_are_read_as_the_engine_reads_them_and_prance_reads_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _write(
        tmp_path,
        {
            "spec.yaml": _schema_spec("common/types.yaml#/Day"),
            "common/types.yaml": "Day: {type: string, enum: [yes, no], example: 2024-01-01}\n",
        },
    )

    def no_reading(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("prance read a file itself")

    monkeypatch.setattr(prance.util.url, "fetch_url_text", no_reading)
    bundle = bundle_spec(spec)
    schema = bundle.document["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema == {
        "type": "string",
        "enum": ["yes", "no"],
        "example": "2024-01-01",
    }  # YAML 1.2, dates as text


def test_references_between_other_files_are_followed_from_where_they_are_written(tmp_path: Path) -> None:
    spec = _write(
        tmp_path,
        {
            "spec.yaml": _schema_spec("a/one.yaml#/One"),
            "a/one.yaml": "One: {$ref: '../b/two.yaml#/Two'}\n",
            "b/two.yaml": "Two: {type: object, properties: {n: {$ref: '#/N'}}}\nN: {type: integer}\n",
        },
    )
    bundle = bundle_spec(spec)
    assert bundle.files == ("a/one.yaml", "b/two.yaml")
    schema = bundle.document["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema == {"type": "object", "properties": {"n": {"type": "integer"}}}


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        pytest.param("../outside.yaml#/A", "points outside the spec's folder", id="parent-folder"),
        pytest.param("link.yaml#/A", "points outside the spec's folder", id="symlink-out"),
        pytest.param("file:///etc/hosts#/A", "points outside the spec's folder", id="file-url"),
        pytest.param("//example.com/a.yaml#/A", "only relative file references", id="network-path"),
        pytest.param("python://os/a.yaml#/A", "only relative file references", id="python-package"),
    ],
)
def test_references_that_leave_the_folder_are_refused(tmp_path: Path, ref: str, reason: str) -> None:
    folder = tmp_path / "spec"
    spec = _write(folder, {"spec.yaml": _schema_spec(ref)})
    (tmp_path / "outside.yaml").write_text("A: {type: string}\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(InputError, match=reason):
        bundle_spec(spec)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
def test_a_remote_reference_is_kept_as_written_and_never_fetched(tmp_path: Path) -> None:
    spec = _write(
        tmp_path,
        {
            "spec.yaml": _schema_spec("local.yaml#/A"),
            "local.yaml": "A: {type: object, properties: {b: {$ref: 'https://example.com/b.json'}}}\n",
        },
    )
    [(at, ref)] = refs(bundle_spec(spec).document)
    assert ref == "https://example.com/b.json"
    assert at[-3:] == ("schema", "properties", "b")


def test_recursion_in_the_entry_file_is_kept_and_recursion_elsewhere_is_refused(tmp_path: Path) -> None:
    tree = "components:\n  schemas:\n    Tree: {type: object, properties: {kids: {type: array, items: {$ref: '#/components/schemas/Tree'}}, leaf: {$ref: 'leaf.yaml#/Leaf'}}}\n"  # noqa: E501
    spec = _write(tmp_path, {"spec.yaml": _schema_spec("#/components/schemas/Tree") + tree})
    _write(tmp_path, {"leaf.yaml": "Leaf: {type: string}\n"})
    assert {ref for _, ref in refs(bundle_spec(spec).document)} == {"#/components/schemas/Tree"}

    _write(tmp_path, {"leaf.yaml": "Leaf: {type: object, properties: {next: {$ref: '#/Leaf'}}}\n"})
    with pytest.raises(InputError, match=r"cannot bundle leaf\.yaml#/Leaf: a recursive"):
        bundle_spec(spec)


def test_a_reference_to_nothing_in_another_file_is_one_error(tmp_path: Path) -> None:
    spec = _write(tmp_path, {"spec.yaml": _schema_spec("other.yaml#/Nope"), "other.yaml": "A: {}\n"})
    with pytest.raises(InputError, match=r"cannot bundle: .*Nope"):
        bundle_spec(spec)


# --- validity --------------------------------------------------------------------------------


def _openapi(operation: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": operation}}}


def test_a_valid_document_passes() -> None:
    check_validity(bundle_spec(SPLIT / "spec.yaml").document, "spec.yaml")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(
            _openapi({"responses": {"200": {"content": {}}}}),
            "spec.yaml: not valid OpenAPI 3.0.3: at #/paths/~1x/get/responses/200: ",
            id="response-without-description",
        ),
        pytest.param(
            {"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}},
            "spec.yaml: not valid OpenAPI 3.0.3: at #/info: 'version' is a required property",
            id="info-without-version",
        ),
        pytest.param(
            {
                "swagger": "2.0",
                "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"get": {"responses": {}}}},
            },
            "spec.yaml: not valid Swagger 2.0: at #/paths/~1x/get/responses: {} should be non-empty",
            id="swagger-without-responses",
        ),
        pytest.param(
            _openapi({"responses": {"200": {"$ref": "#/components/responses/Gone"}}}),
            "spec.yaml: $ref '#/components/responses/Gone' at #/paths/~1x/get/responses/200 points to",
            id="dangling-ref",
        ),
        pytest.param(
            {"openapi": "3.9.0", "info": {"title": "t", "version": "1"}, "paths": {}},
            "spec.yaml: not valid OpenAPI 3.9.0: openapi-spec-validator knows no such version",
            id="unknown-version",
        ),
        pytest.param(
            _openapi({"responses": {"200": {"$ref": "other.yaml#/R"}}}),
            "spec.yaml: $ref 'other.yaml#/R' at #/paths/~1x/get/responses/200 names another file",
            id="file-ref",
        ),
        pytest.param(
            _openapi({"responses": {"200": {"$ref": "https://example.com/r.json"}}}),
            "spec.yaml: $ref 'https://example.com/r.json' at #/paths/~1x/get/responses/200 is not fetched",
            id="remote-ref",
        ),
    ],
)
@pytest.mark.usefixtures("no_network")
def test_an_invalid_document_is_one_line_naming_where(document: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as raised:
        check_validity(document, "spec.yaml")
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
    assert len(str(raised.value)) < 300


def test_without_the_extra_the_check_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openapi_spec_validator", None)  # as if not installed
    with pytest.raises(InputError, match=r"pip install 'crosscontract\[validate\]'"):
        check_validity(_openapi({"responses": {"200": {"description": "ok"}}}), "spec.yaml")


# --- publish-provider-contract ---------------------------------------------------------------


@pytest.fixture
def broker() -> Iterator[FakeBroker]:
    with running(FakeBroker()) as started:
        yield started


def _publish(broker: FakeBroker, spec: Path | str, *args: str) -> Result:
    command = ["publish-provider-contract", str(spec), "--provider", "things", "--provider-app-version", "1"]
    return CliRunner().invoke(cli, [*command, *args, "--broker-url", broker.base])


def test_a_split_spec_is_published_as_one_json_document(broker: FakeBroker) -> None:
    result = _publish(broker, SPLIT / "spec.yaml")
    assert result.exit_code == 0, result.output
    assert f"bundled {SPLIT / 'spec.yaml'} with schemas/billing.yaml into one document" in result.stderr
    contract = broker.sent("POST")[0].body["contract"]
    assert contract["contentType"] == "application/json"
    assert json.loads(base64.b64decode(contract["content"])) == bundle_spec(SPLIT / "spec.yaml").document


def test_validate_spec_publishes_a_valid_spec(broker: FakeBroker) -> None:
    result = _publish(broker, SPLIT / "spec.yaml", "--validate-spec")
    assert result.exit_code == 0, result.output
    assert len(broker.sent("POST")) == 1


def test_validate_spec_stops_an_invalid_spec_with_one_line(broker: FakeBroker, tmp_path: Path) -> None:
    undeclared = f"openapi: 3.0.3\n{INFO}paths:\n  /x/{{id}}:\n    get: {{responses: {{'200': {OK}}}}}\n"
    spec = _write(tmp_path, {"spec.yaml": undeclared})
    assert _publish(broker, spec).exit_code == 0  # published without the check
    result = _publish(broker, spec, "--validate-spec")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"crosscontract: error: {spec}: not valid OpenAPI 3.0.3: at #: "
        "Path parameter 'id' for 'get' operation in '/x/{id}' was not resolved"
    ]
    assert len(broker.sent("POST")) == 1
