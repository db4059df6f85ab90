"""Reading input files and documents safely, and bounding what is built from them."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import ijson
import pytest
from crosscontract.engine import InputError, load_spec, read_pact
from crosscontract.engine.check.compare import DECLARED_PATHS_BYTES, Comparator
from crosscontract.engine.inputs import (
    MAX_DEPTH,
    UnreadableFileError,
    open_input,
    read_input,
    read_open,
    unreadable_entry,
)
from crosscontract.engine.pact.reader import iter_pact_files
from crosscontract.engine.pact.stream import _prefixed, _pushed
from crosscontract.engine.render.json import DEEPER, json_text
from crosscontract.engine.spec.servers import _expand_variables
from crosscontract.engine.spec.yamltext import expanded_size, parse_yaml

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"


# --- opening files ----------------------------------------------------------------------------


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"{}")
    assert read_input(tmp_path / "a.json") == b"{}"


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: os.mkfifo(p), "a FIFO"),
        (lambda p: p.mkdir(), "a directory"),
    ],
    ids=["fifo", "directory"],
)
def test_what_is_not_a_regular_file_is_refused_without_blocking(tmp_path: Path, make: Any, said: str) -> None:
    make(tmp_path / "x.json")
    with pytest.raises(UnreadableFileError, match=said):
        open_input(tmp_path / "x.json")


def test_a_device_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="a character device"):
        read_input("/dev/zero")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_bytes(b"x" * 1000)
    assert read_input(tmp_path / "big.json", 1000) == b"x" * 1000
    with pytest.raises(UnreadableFileError, match="larger than the limit of 999 bytes"):
        read_input(tmp_path / "big.json", 999)


def test_a_file_that_grows_after_it_is_opened_is_read_to_the_limit_and_no_further(tmp_path: Path) -> None:
    # The read asks for the size the file had when opened; what was appended since is read
    # too, within the limit, and past the limit the file is refused.
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * 10)
    with open_input(path, 100) as file:
        path.write_bytes(b"x" * 60)
        assert read_open(file, path, 100) == b"x" * 60
    with open_input(path, 100) as file:
        path.write_bytes(b"x" * 150)
        with pytest.raises(UnreadableFileError, match="larger than the limit of 100 bytes"):
            read_open(file, path, 100)


def test_the_limit_is_raised_through_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "spec.yaml").write_text(HEAD + "paths: {}\n")
    monkeypatch.setenv("CROSSCONTRACT_MAX_FILE_BYTES", "10")
    with pytest.raises(InputError, match="CROSSCONTRACT_MAX_FILE_BYTES"):
        load_spec(tmp_path / "spec.yaml")
    monkeypatch.setenv("CROSSCONTRACT_MAX_FILE_BYTES", "1000")
    assert load_spec(tmp_path / "spec.yaml").kind == "openapi3"


def test_a_nul_byte_in_a_name_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="NUL"):
        read_input("a\0b.json")


def test_folder_entries_that_cannot_be_read_are_named(tmp_path: Path) -> None:
    (tmp_path / "good.json").write_text("{}")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "missing.json")
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    os.mkfifo(tmp_path / "pipe.json")
    assert unreadable_entry(tmp_path / "good.json") is None
    with pytest.raises(InputError) as raised:
        list(iter_pact_files([tmp_path]))
    message = str(raised.value)
    assert "dangling.json (a symbolic link to nothing)" in message
    assert "loop.json (a symbolic link that loops)" in message
    assert "pipe.json (a FIFO" in message
    assert "good.json" not in message


# --- pacts: one verdict whole and streamed ------------------------------------------------------


def _pact_text(body: str = '"x"') -> str:
    return (
        '{"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": [{"description": "d", '
        '"request": {"method": "GET", "path": "/x"}, "response": {"status": 200, "body": ' + body + "}}]}"
    )


@pytest.fixture(params=["whole", "streamed"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "streamed":
        monkeypatch.setenv("CROSSCONTRACT_STREAM_PACTS_ABOVE", "0")
    return str(request.param)


@pytest.mark.parametrize("depth", [MAX_DEPTH - 4, MAX_DEPTH - 3])
def test_depth_has_one_bound_whole_and_streamed(tmp_path: Path, reading: str, depth: int) -> None:
    # the body sits 4 levels down (root, interactions, item, response)
    (tmp_path / "p.json").write_text(_pact_text("[" * depth + "]" * depth))
    if depth + 4 <= MAX_DEPTH:
        pact = read_pact(tmp_path / "p.json")
        assert pact.streamed is (reading == "streamed")
        assert len(list(pact.interactions)) == 1
    else:
        with pytest.raises(InputError, match="deeper than 1024 levels"):
            list(read_pact(tmp_path / "p.json").interactions)


@pytest.mark.parametrize(
    "key",
    ['"interactions"', '"interaction\\u0073"', '"\\u0069nteractions"'],
    ids=["plain", "escaped", "first"],
)
def test_two_interactions_keys_are_refused_whole_and_streamed(tmp_path: Path, reading: str, key: str) -> None:
    (tmp_path / "p.json").write_text('{"interactions": [], ' + key + ": []}")
    with pytest.raises(InputError, match="more than one 'interactions' key"):
        list(read_pact(tmp_path / "p.json").interactions)


def test_interactions_in_a_body_are_no_second_key(tmp_path: Path, reading: str) -> None:
    (tmp_path / "p.json").write_text(_pact_text('{"interactions": [1], "\\u0061": 2}'))
    assert len(list(read_pact(tmp_path / "p.json").interactions)) == 1


def test_the_outline_sees_the_prefixes_ijson_gives(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "consumer": {"name": "c"},
            "interactions": [{"type": "x", "a": [[1], {"b": 2}]}, {"description": "d"}],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    ).encode()
    shallow = list(_prefixed(_pushed(io.BytesIO(text), ijson.basic_parse_coro), "p"))
    every = ijson.parse(io.BytesIO(text), use_float=True)
    expected = [(p, e, v) for p, e, v in every if p.count(".") < 3]  # deeper events are left out
    assert shallow == expected


def test_a_long_string_is_read_in_growing_pieces() -> None:
    text = b'["' + b"x" * (3 * 2**20) + b'", 1]'
    events = list(_pushed(io.BytesIO(text), ijson.basic_parse_coro))
    assert events == [
        ("start_array", None),
        ("string", "x" * (3 * 2**20)),
        ("number", 1),
        ("end_array", None),
    ]


# --- YAML ---------------------------------------------------------------------------------------


def test_yaml_values_json_has_no_type_for_are_read_as_written() -> None:
    document = parse_yaml(
        b"b: !!binary aGVsbG8=\ns: !!set {a, b}\nt: !!timestamp 2024-01-01\no: !!omap [{x: 1}, {y: 2}]\n", "s"
    )
    assert document == {
        "b": "aGVsbG8=",
        "s": {"a": None, "b": None},
        "t": "2024-01-01",
        "o": [{"x": 1}, {"y": 2}],
    }
    json.dumps(document)


def test_an_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    with pytest.raises(InputError, match="aliases expand to more than 10,000,000 values"):
        parse_yaml("\n".join(lines).encode(), "bomb.yaml")


def test_aliases_within_the_budget_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = b"base: &b {type: string}\nuse: [*b, *b, *b]\n"
    assert parse_yaml(text, "s")["use"] == [{"type": "string"}] * 3
    monkeypatch.setenv("CROSSCONTRACT_YAML_ALIAS_BUDGET", "5")
    with pytest.raises(InputError, match="more than 5 values"):
        parse_yaml(text, "s")


def test_an_alias_inside_itself_is_refused() -> None:
    for text in (b"a: &a [1, *a]\n", b"a: &a {b: *a}\n"):
        with pytest.raises(InputError, match=r"contain themselves|recursive"):
            parse_yaml(text, "s")


def test_expanded_size_counts_shared_values_at_each_use() -> None:
    shared: list[Any] = [1, 2]
    assert expanded_size({"a": shared, "b": shared}, 100) == 1 + 3 + 3
    assert expanded_size({"a": shared, "b": shared}, 6) is None


# --- what is built from a spec ------------------------------------------------------------------


def test_server_variables_expand_to_a_bounded_number_of_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    variables = {f"v{i}": {"default": "d", "enum": [f"e{j}" for j in range(9)]} for i in range(4)}
    url = "/{v0}/{v1}/{v2}/{v3}"
    assert len(_expand_variables(url, variables)) == 1000  # 10 * 10 * 10, then the default
    assert "/d/d/d/d" in _expand_variables(url, variables)
    monkeypatch.setenv("CROSSCONTRACT_MAX_SERVER_PREFIXES", "20000")
    assert len(_expand_variables(url, variables)) == 10_000


def _paths(count: int) -> dict[str, Any]:
    return {f"/p{i}": {"get": {"responses": {"200": {"description": "ok"}}}} for i in range(count)}


@pytest.mark.parametrize(
    ("count", "expected"),
    [(2, "paths"), (200, "names"), (2000, "nothing")],
)
def test_an_unknown_path_carries_the_paths_only_when_small(count: int, expected: str) -> None:
    paths = _paths(count)
    comparator = Comparator({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    value = comparator._declared_paths()
    if expected == "paths":
        assert value == paths
    elif expected == "names":
        assert value == list(paths)
    else:
        assert value is None
    assert len(json.dumps(value)) <= DECLARED_PATHS_BYTES


# --- rendering ------------------------------------------------------------------------------------


def test_json_text_is_orjsons_when_orjson_can() -> None:
    assert json_text({"a": [1, "é"]}) == '{"a":[1,"é"]}'
    assert json_text({"a": [1]}, indent=True) == '{\n  "a": [\n    1\n  ]\n}'


def test_json_text_holds_any_integer_and_any_depth() -> None:
    assert json_text([2**70, float("nan")]) == f"[{2**70},null]"
    deep: Any = 1
    for _ in range(5000):
        deep = [deep]
    text = json_text(deep)
    assert DEEPER in text
    json.loads(text)
