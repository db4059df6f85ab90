"""What a run keeps on disk for later runs, like Python keeps `.pyc` files.

Two kinds of entries. Compiled fast checks (`fastpath.py`): compiling costs about a
millisecond per 400 bytes of schema, loading the compiled code back a fraction of that,
and a run whose values all pass their cached checks never imports jsonschema (70 ms of
start-up). Parsed YAML documents: a YAML spec read before is read back as JSON.

An entry is named by a hash of everything its content depends on. For a check: the
converted schema's exact JSON, its dialect, the source of the modules that rewrite and
compile it, the fastjsonschema version, jsonschema's keyword table and the Python version
(`marshal` data is version specific). For a document: the file's bytes, our YAML reading
rules and the PyYAML version. The entry repeats that key and a digest of its payload; an
entry that does not match, does not load or does not run is ignored and rebuilt, never
trusted. Writes go to a temporary file that replaces the entry in one step, so a reader
never sees half an entry, and any failure to write only costs the time saved next run.

A store is a value naming one folder, handed in with the engine's configuration
(`engine.config.EngineConfig`), never chosen by the process: two comparisons running at
once may keep their entries in two folders. By default (`DiskStore.default()`) the folder
is `$CROSSCONTRACT_CACHE_DIR`, else `$XDG_CACHE_HOME/crosscontract`, else
`~/.cache/crosscontract`; the CLI's `--no-cache` builds a configuration without a store.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import CodeType

import orjson

from .._types import MISSING, Json

_MAGIC = b"crosscontract cache entry 1\n"
# The modules whose source decides what code a schema compiles to.
_SOURCES = ("fastpath.py", "validation.py", "formats.py", "compiled.py", "diskstore.py")


def default_directory() -> Path | None:
    """Where the cache lives unless told otherwise (None: no home folder to put it in)."""
    explicit = os.environ.get("CROSSCONTRACT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "crosscontract"
    try:
        return Path.home() / ".cache" / "crosscontract"
    except RuntimeError:
        return None


@cache
def _environment() -> bytes | None:
    """What every key shares: the code that compiles, and Python's version.

    That code is ours, fastjsonschema (its `version.py`) and jsonschema, whose list of
    known keywords the rewrite follows (its `validators.py`). Their files are hashed rather
    than their versions read or the packages imported: a run whose checks are all on disk
    imports neither, and reading package versions costs more start-up than the lookup.
    """
    from importlib.util import find_spec

    digest = hashlib.sha256(f"{sys.implementation.cache_tag}\0".encode())
    fastjsonschema = find_spec("fastjsonschema")
    jsonschema = find_spec("jsonschema")
    if fastjsonschema is None or fastjsonschema.origin is None:
        return None
    if jsonschema is None or jsonschema.origin is None:
        return None
    sources = [Path(__file__).parent / name for name in _SOURCES]
    sources.append(Path(fastjsonschema.origin).parent / "version.py")
    sources.append(Path(jsonschema.origin).parent / "validators.py")
    try:
        for source in sources:
            digest.update(source.read_bytes())
    except OSError:
        return None  # installed without sources: nothing safe to key on, so no cache
    return digest.digest()


@cache
def _yaml_environment() -> bytes | None:
    """What every document key shares: the code that turns YAML into our JSON model."""
    from importlib.util import find_spec

    yaml = find_spec("yaml")
    if yaml is None or yaml.origin is None:
        return None
    digest = hashlib.sha256(b"yaml document\0")
    try:
        yaml_rules = Path(__file__).parent.parent / "spec" / "loading.py"
        for source in (yaml_rules, Path(yaml.origin)):  # our YAML rules, PyYAML's version
            digest.update(source.read_bytes())
    except OSError:
        return None
    return digest.digest()


def schema_text(schema: Json) -> bytes | None:
    """`schema`'s exact JSON with sorted keys (what a check is keyed on), or None."""
    try:
        return orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None


@dataclass(frozen=True, slots=True)
class DiskStore:
    """Entries in one folder: compiled checks (`checks/`) and parsed YAML (`documents/`)."""

    directory: Path

    @classmethod
    def default(cls) -> DiskStore | None:
        """The store in the folder the environment names (`default_directory`), if any."""
        directory = default_directory()
        return None if directory is None else cls(directory)

    # --- compiled checks ---------------------------------------------------------------------

    def check_key(self, schema: Json, draft2020: bool) -> str | None:
        """The entry name for `schema`'s check, or None when it cannot be keyed."""
        text = schema_text(schema)
        return None if text is None else self.check_key_of(text, draft2020)

    def check_key_of(self, text: bytes, draft2020: bool) -> str | None:
        """`check_key` for a schema already written as `schema_text`."""
        environment = _environment()
        if environment is None:
            return None
        dialect = b"2020-12" if draft2020 else b"2019-09"
        return hashlib.sha256(environment + dialect + b"\0" + text).hexdigest()

    def load_check(self, key: str) -> tuple[bool, CodeType | None]:
        """`(True, code)` for a sound entry (code None: the schema has no fast check),
        `(False, None)` when there is none or it cannot be trusted."""
        payload = self._read("checks", key)
        if payload is None:
            return False, None
        if not payload:
            return True, None
        try:
            code = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return False, None
        return (True, code) if isinstance(code, CodeType) else (False, None)

    def store_check(self, key: str, code: CodeType | None) -> None:
        """Keep `code` (None: no fast check) as the entry for `key`, if the disk allows."""
        self._write("checks", key, b"" if code is None else marshal.dumps(code))

    # --- parsed YAML -------------------------------------------------------------------------
    # Even PyYAML's C loader reads YAML about fifty times slower than orjson reads the same
    # document as JSON (7.6 MB of YAML: 6.3 s against 0.1 s), and a small YAML spec costs
    # the PyYAML import (12 ms). A YAML file read before is read back as JSON.

    def document_key(self, text: bytes) -> str | None:
        """The entry name for the YAML file `text`, or None when it cannot be keyed."""
        environment = _yaml_environment()
        return None if environment is None else hashlib.sha256(environment + text).hexdigest()

    def load_document(self, key: str) -> Json:
        """The document stored under `key`, or MISSING."""
        payload = self._read("documents", key)
        if payload:
            try:
                return orjson.loads(payload)
            except orjson.JSONDecodeError:
                pass
        return MISSING

    def store_document(self, key: str, document: Json) -> None:
        """Keep `document` as the entry for `key`, if JSON holds it exactly."""
        try:
            payload = orjson.dumps(document)
        except (TypeError, orjson.JSONEncodeError):
            return  # e.g. integers beyond 64 bits
        if orjson.loads(payload) == document:  # NaN and infinities would come back as null
            self._write("documents", key, payload)

    # --- entries -----------------------------------------------------------------------------

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key[:2] / key

    def _read(self, kind: str, key: str) -> bytes | None:
        """The payload of a sound entry, else None."""
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            return None
        size = _header_size(key)
        payload = data[size:]
        return payload if data[:size] == _header(key, payload) else None

    def _write(self, kind: str, key: str, payload: bytes) -> None:
        path = self._path(kind, key)
        temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
        try:
            # Entries are code this process runs: only the user may write them.
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary.write_bytes(_header(key, payload) + payload)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _header(key: str, payload: bytes) -> bytes:
    return _MAGIC + key.encode() + b" " + hashlib.sha256(payload).hexdigest().encode() + b"\n"


def _header_size(key: str) -> int:
    return len(_header(key, b""))  # fixed: the digest is always 64 hex digits
