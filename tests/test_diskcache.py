"""Compiled checks kept on disk and in memory: reused by later runs, never trusted when damaged."""

from __future__ import annotations

import marshal
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _build import interaction, pact
from crosscontract.engine import Comparator, EngineConfig, parse_pact
from crosscontract.engine.schema import diskstore as diskcache, validation
from crosscontract.engine.schema.compiled import CompileRun, ValidatorCache
from crosscontract.engine.schema.diskstore import DiskStore
from crosscontract.engine.schema.validation import COMPILE_AFTER, Validator
from crosscontract.engine.spec import loading

SCHEMA = {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": False}
_WARM_PACT = (
    '{"interactions": [{"description": "d", "request": {"method": "GET", "path": "/x"}, "response":'
    ' {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1}}}]}'
)
_WARM_SPEC = (
    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n"
    "        '200':\n          description: ok\n          content:\n            application/json:\n"
    "              schema: {type: object, properties: {id: {type: integer}}}\n"
)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """An empty folder for a disk store."""
    return tmp_path


def run(folder: Path | None, **settings: Any) -> CompileRun:
    """A new run as in a new process: its own memo and budget, on the store in `folder`."""
    return ValidatorCache(**settings).start(None if folder is None else DiskStore(folder))


@pytest.fixture
def no_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any use of the full validator fails the test."""

    def refuse(schema: Any, *, draft2020: bool = False) -> Any:
        raise AssertionError("jsonschema was asked")

    monkeypatch.setattr(validation, "jsonschema_validator", refuse)


def _entry(cache_dir: Path, schema: Any = SCHEMA, draft2020: bool = False) -> Path:
    key = DiskStore(cache_dir).check_key(schema, draft2020)
    assert key is not None
    return cache_dir / "checks" / key[:2] / key


def _warm(cache_dir: Path | None, schema: Any = SCHEMA) -> None:
    """One use of `schema` in a run of its own that compiles it at that use."""
    assert Validator(schema, checks=run(cache_dir, compile_after=1)).errors({"a": 1}) == []


def test_a_compiled_check_is_stored(cache_dir: Path, compiles: list[Any]) -> None:
    _warm(cache_dir)
    assert len(compiles) == 1
    assert _entry(cache_dir).is_file()


def test_a_new_cache_folder_is_the_users_alone(tmp_path: Path) -> None:
    _warm(tmp_path / "cache")
    entry = _entry(tmp_path / "cache")
    for folder in (tmp_path / "cache", entry.parent):
        assert folder.stat().st_mode & 0o077 == 0, folder


@pytest.mark.usefixtures("no_jsonschema")
def test_a_later_run_loads_the_check_and_never_asks_jsonschema(cache_dir: Path, compiles: list[Any]) -> None:
    _warm(cache_dir)
    validator = Validator(SCHEMA, checks=run(cache_dir))
    assert validator.is_valid({"a": 1})
    assert validator.errors({"a": 2}) == []
    assert len(compiles) == 1  # the first run's compile only


def test_a_loaded_check_still_leaves_invalid_values_to_jsonschema(cache_dir: Path) -> None:
    _warm(cache_dir)
    errors = Validator(SCHEMA, checks=run(cache_dir)).errors({"a": "x", "b": 1})
    assert [e.message for e in errors] == ["must be integer", "must NOT have additional properties - b"]


def test_a_schema_without_fast_check_is_remembered(cache_dir: Path, compiles: list[Any]) -> None:
    unsupported = {"type": "number", "multipleOf": 0.1}
    Validator(unsupported, checks=run(cache_dir, compile_after=1)).errors(0.3)
    Validator(unsupported, checks=run(cache_dir, compile_after=1)).errors(0.3)
    assert len(compiles) == 1
    assert _entry(cache_dir, unsupported).read_bytes().endswith(b"\n")  # header only: no check


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-3] + bytes(b ^ 0xFF for b in data[-3:]), id="payload-flipped"),
        pytest.param(lambda data: data.replace(b"cache entry", b"cache entri", 1), id="header-changed"),
        pytest.param(lambda data: b"garbage" * 100, id="garbage"),
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(cache_dir: Path, compiles: list[Any], damage: Any) -> None:
    _warm(cache_dir)
    entry = _entry(cache_dir)
    sound = entry.read_bytes()
    entry.write_bytes(damage(sound))
    validator = Validator(SCHEMA, checks=run(cache_dir, compile_after=1))
    assert validator.errors({"a": 1}) == []
    assert not validator.is_valid({"a": "x"})
    assert len(compiles) == 2
    assert entry.read_bytes() == sound


def test_an_entry_whose_code_does_not_run_is_rebuilt(cache_dir: Path, compiles: list[Any]) -> None:
    _warm(cache_dir)
    entry = _entry(cache_dir)
    key = entry.name
    DiskStore(cache_dir).store_check(key, compile("raise RuntimeError('stale')", "<x>", "exec"))
    assert Validator(SCHEMA, checks=run(cache_dir, compile_after=1)).errors({"a": 1}) == []
    assert len(compiles) == 2
    found, code = DiskStore(cache_dir).load_check(key)
    assert found
    assert code is not None
    assert "validate" in code.co_names


def test_an_entry_under_another_name_is_not_used(cache_dir: Path, compiles: list[Any]) -> None:
    _warm(cache_dir)
    other = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    moved = _entry(cache_dir, other)
    moved.parent.mkdir(parents=True, exist_ok=True)
    _entry(cache_dir).rename(moved)
    validator = Validator(other, checks=run(cache_dir, compile_after=1))
    assert validator.is_valid({"a": "x"})
    assert not validator.is_valid({"a": 1})
    assert len(compiles) == 2


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"enum": [1]}, {"enum": [1.0]}),
        ({"enum": [1]}, {"enum": [True]}),
        ({"type": "string"}, {"type": "integer"}),
    ],
)
def test_keys_tell_values_apart(tmp_path: Path, one: Any, other: Any) -> None:
    cache = DiskStore(tmp_path)
    assert cache.check_key(one, False) != cache.check_key(other, False)


def test_keys_tell_dialects_apart_and_ignore_key_order(tmp_path: Path) -> None:
    cache = DiskStore(tmp_path)
    assert cache.check_key(SCHEMA, False) != cache.check_key(SCHEMA, True)
    assert cache.check_key(SCHEMA, False) == cache.check_key(dict(reversed(SCHEMA.items())), False)


def test_keys_depend_on_the_python_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = DiskStore(tmp_path).check_key(SCHEMA, False)
    diskcache._environment.cache_clear()
    monkeypatch.setattr(sys.implementation, "cache_tag", "otherpython-399")
    try:
        assert DiskStore(tmp_path).check_key(SCHEMA, False) != before
    finally:
        diskcache._environment.cache_clear()


@pytest.mark.parametrize(
    ("package", "file", "text"),
    [
        ("fastjsonschema", "version.py", 'VERSION = "0.0.1"'),
        ("jsonschema", "validators.py", "VALIDATORS = {}"),
    ],
    ids=["fastjsonschema-version", "jsonschema-keywords"],
)
def test_keys_depend_on_the_compiling_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package: str, file: str, text: str
) -> None:
    before = DiskStore(tmp_path).check_key(SCHEMA, False)
    fake = tmp_path / package
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / file).write_text(text)
    diskcache._environment.cache_clear()
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, package, raising=False)
    try:
        assert DiskStore(tmp_path).check_key(SCHEMA, False) != before
    finally:
        diskcache._environment.cache_clear()


def test_a_key_does_not_import_the_compiler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    diskcache._environment.cache_clear()
    monkeypatch.delitem(sys.modules, "fastjsonschema", raising=False)
    try:
        assert DiskStore(tmp_path).check_key(SCHEMA, False) is not None
        assert "fastjsonschema" not in sys.modules
    finally:
        diskcache._environment.cache_clear()


@pytest.mark.usefixtures("no_jsonschema")
@pytest.mark.parametrize("with_store", [True, False], ids=["store", "no-store"])
def test_before_the_crossover_values_are_checked_interpreted(
    cache_dir: Path, compiles: list[Any], with_store: bool
) -> None:
    validator = Validator(SCHEMA, checks=run(cache_dir if with_store else None))
    for _ in range(COMPILE_AFTER - 1):
        assert validator.errors({"a": 1}) == []
    assert compiles == []  # and jsonschema was never asked: the interpreted check passed them
    assert not _entry(cache_dir).exists()
    assert validator.errors({"a": 1}) == []
    assert len(compiles) == 1  # at the crossover, compiled (and stored, with a store)
    assert _entry(cache_dir).is_file() == with_store


def test_a_configuration_without_store_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSCONTRACT_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(_WARM_SPEC)
    body = interaction(response_body={"id": 1}, response_headers={"Content-Type": "application/json"})
    pacts = [parse_pact(pact(body), "pact.json")]
    without, default = EngineConfig(store=None), EngineConfig()
    assert without.store is None
    assert Comparator(spec, without).check_pact(pacts[0]).results[0].findings == ()
    assert not (tmp_path / "cache").exists()
    assert default.store == DiskStore(tmp_path / "cache")  # the environment's folder, read when made
    Comparator(spec, default).check_pact(pacts[0])
    # the YAML spec read as JSON; its one schema, checked once, is interpreted, not compiled
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {"documents", "secret"}


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    validator = Validator(SCHEMA, checks=run(blocker / "cache"))
    for _ in range(COMPILE_AFTER):
        assert validator.errors({"a": 1}) == []
    assert not validator.is_valid({"a": "x"})


@pytest.mark.usefixtures("no_jsonschema")
def test_runs_of_one_cache_share_its_memo(cache_dir: Path, compiles: list[Any]) -> None:
    cache = ValidatorCache(compile_after=1)
    assert Validator(SCHEMA, checks=cache.start(DiskStore(cache_dir))).is_valid({"a": 1})
    _entry(cache_dir).unlink()
    later = Validator(SCHEMA, checks=cache.start(None))  # not even a store to load it from
    assert later.is_valid({"a": 2})
    assert len(compiles) == 1


def test_the_memo_keeps_the_most_recently_used(compiles: list[Any]) -> None:
    cache = ValidatorCache(compile_after=1, kept=2)
    schemas = [{"type": "integer", "minimum": n} for n in range(3)]
    for schema in [*schemas, schemas[2], schemas[0]]:
        assert Validator(schema, checks=cache.start(None)).is_valid(5)
    assert len(compiles) == 4  # schemas[0] had made way for schemas[2]: compiled again


def test_a_copied_cache_keeps_its_settings_not_its_checks(compiles: list[Any]) -> None:
    cache = ValidatorCache(compile_after=1, kept=7)
    assert Validator(SCHEMA, checks=cache.start(None)).is_valid({"a": 1})
    copy = pickle.loads(pickle.dumps(cache))
    assert copy == cache
    assert Validator(SCHEMA, checks=copy.start(None)).is_valid({"a": 1})
    assert len(compiles) == 2


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"CROSSCONTRACT_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/c"),
        ({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/x/crosscontract"),
        ({"XDG_CACHE_HOME": "relative", "HOME": "/h"}, "/h/.cache/crosscontract"),
        ({"HOME": "/h"}, "/h/.cache/crosscontract"),
    ],
)
def test_default_directory(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("CROSSCONTRACT_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert diskcache.default_directory() == Path(expected)


def test_entries_hold_marshalled_code(cache_dir: Path) -> None:
    _warm(cache_dir)
    data = _entry(cache_dir).read_bytes()
    header, payload = data.split(b"\n", 2)[:2], data.split(b"\n", 2)[2]
    assert header[0] == b"crosscontract cache entry 3"
    assert marshal.loads(payload).co_filename == "<fast check>"


def test_a_cold_run_imports_no_validator_library_and_a_warm_one_no_yaml(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_WARM_SPEC)
    pact = tmp_path / "pact.json"
    pact.write_text(
        '{"interactions": [{"description": "d", "request": {"method": "GET", "path": "/x"}, "response":'
        ' {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1}}}]}'
    )
    program = (
        "import sys; from crosscontract.engine import compare;"
        f" r = compare({str(spec)!r}, [{str(pact)!r}]);"
        " print(r.exit_code, *(m in sys.modules for m in ('jsonschema', 'fastjsonschema', 'yaml')))"
    )
    environment = {"CROSSCONTRACT_CACHE_DIR": str(tmp_path / "cache"), "PATH": ""}
    runs = [
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=environment)
        for _ in range(2)
    ]
    # Cold: the YAML is parsed; the one value passes the interpreted check, so neither
    # jsonschema nor the compiler is imported.
    expected = [["0", "False", "False", "True"], ["0", "False", "False", "False"]]
    assert [r.stdout.split() for r in runs] == expected, runs[-1].stderr


# --- parsed YAML documents ---------------------------------------------------------------------

YAML = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-flags: [yes, no, 2024-01-01, 1.0, 1]\n"


@pytest.fixture
def yaml_parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The YAML texts parsed from now on."""
    calls: list[bytes] = []
    real = loading._parse_yaml

    def counting(data: bytes, label: str) -> Any:
        calls.append(data)
        return real(data, label)

    monkeypatch.setattr(loading, "_parse_yaml", counting)
    return calls


def test_a_yaml_document_read_before_is_read_back(cache_dir: Path, yaml_parses: list[bytes]) -> None:
    first = loading.parse_document(YAML, "spec.yaml", DiskStore(cache_dir))
    again = loading.parse_document(YAML, "spec.yaml", DiskStore(cache_dir))
    assert again == first
    assert again["x-flags"] == ["yes", "no", "2024-01-01", 1.0, 1]
    assert [type(v) for v in again["x-flags"][3:]] == [float, int]
    assert yaml_parses == [YAML]
    loading.parse_document(YAML + b"x-more: 1\n", "spec.yaml", DiskStore(cache_dir))
    assert len(yaml_parses) == 2  # other bytes, other entry


@pytest.mark.parametrize("text", [b"a: .nan\n", b"a: .inf\n", b"a: 123456789012345678901234567890\n"])
def test_documents_json_cannot_hold_are_not_kept(
    cache_dir: Path, yaml_parses: list[bytes], text: bytes
) -> None:
    first = loading.parse_document(text, "spec.yaml", DiskStore(cache_dir))
    again = loading.parse_document(text, "spec.yaml", DiskStore(cache_dir))
    assert repr(again) == repr(first)
    assert len(yaml_parses) == 2
    assert not (cache_dir / "documents").exists()


def test_a_damaged_document_is_read_again(cache_dir: Path, yaml_parses: list[bytes]) -> None:
    first = loading.parse_document(YAML, "spec.yaml", DiskStore(cache_dir))
    [entry] = (cache_dir / "documents").glob("*/*")
    sound = entry.read_bytes()
    entry.write_bytes(sound.replace(b"yes", b"yup"))
    assert loading.parse_document(YAML, "spec.yaml", DiskStore(cache_dir)) == first
    assert len(yaml_parses) == 2
    assert entry.read_bytes() == sound


# --- the trust model ---------------------------------------------------------------------------


def test_a_folder_others_may_write_to_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    store = DiskStore(shared)
    assert store.usable() == "others may write to it"
    key = store.check_key(SCHEMA, False)
    assert key is not None
    store.store_check(key, compile("x = 1", "<x>", "exec"))
    assert list(shared.iterdir()) == []
    assert store.load_check(key) == (False, None)


def test_the_cli_warns_once_and_runs_without_an_unsafe_folder(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    spec = tmp_path / "spec.yaml"
    spec.write_text(_WARM_SPEC)
    pact = tmp_path / "pact.json"
    pact.write_text(_WARM_PACT)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from crosscontract.cli.main import main; main()",
            "compare",
            str(spec),
            str(pact),
        ],
        capture_output=True,
        text=True,
        env={"CROSSCONTRACT_CACHE_DIR": str(shared), "PATH": ""},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("is not used: others may write to it") == 1
    assert list(shared.iterdir()) == []


def _planted(cache_dir: Path) -> tuple[DiskStore, str, Path]:
    _warm(cache_dir)
    store = DiskStore(cache_dir)
    key = store.check_key(SCHEMA, False)
    assert key is not None
    return store, key, _entry(cache_dir)


def test_a_tampered_entry_with_a_recomputed_digest_is_not_run(cache_dir: Path) -> None:
    import hashlib

    store, key, entry = _planted(cache_dir)
    evil = marshal.dumps(compile("raise SystemExit('planted code ran')", "<x>", "exec"))
    forged = (
        b"crosscontract cache entry 3\n"
        + key.encode()
        + b" "
        + hashlib.blake2b(key.encode() + b"\0" + evil, digest_size=32).hexdigest().encode()
        + b"\n"
    )
    entry.write_bytes(forged + evil)
    assert store.load_check(key) == (False, None)


@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero", "link-to-a-good-entry"])
def test_an_entry_that_is_not_a_plain_file_is_ignored_without_reading(cache_dir: Path, kind: str) -> None:
    store, key, entry = _planted(cache_dir)
    good = entry.read_bytes()
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "link-to-dev-zero":
        entry.symlink_to("/dev/zero")
    else:
        elsewhere = cache_dir.parent / f"elsewhere-{cache_dir.name}"
        elsewhere.write_bytes(good)
        entry.symlink_to(elsewhere)
    assert store.load_check(key) == (False, None)


def test_a_secret_others_may_read_makes_entries_worthless(cache_dir: Path) -> None:
    store, key, _ = _planted(cache_dir)
    assert store.load_check(key)[0]
    (cache_dir / "secret").chmod(0o644)
    assert store.load_check(key) == (False, None)


def test_temporary_files_have_unpredictable_names(cache_dir: Path) -> None:
    """A link planted at `<key>.<pid>.tmp` (the old name) is never written through."""
    store, key, entry = _planted(cache_dir)
    victim = cache_dir.parent / f"victim-{cache_dir.name}"
    victim.write_text("untouched")
    (entry.parent / f"{key}.{os.getpid()}.tmp").symlink_to(victim)
    store.store_check(key, compile("x = 2", "<x>", "exec"))
    assert victim.read_text() == "untouched"
    assert store.load_check(key)[0]
