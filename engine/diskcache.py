"""Compiled fast checks kept on disk between runs, like Python keeps `.pyc` files.

Compiling a schema's fast check (`fastpath.py`) costs about a millisecond per 400 bytes
of schema; loading the compiled code back costs a fraction of that, and a run whose
values all pass their cached checks never imports jsonschema (70 ms of start-up).

An entry is named by a hash of everything the compiled code depends on: the converted
schema's exact JSON, its dialect, the source of the modules that rewrite and compile it,
the fastjsonschema version, jsonschema's keyword table and the Python version (`marshal`
data is version specific).
The entry repeats that key and a digest of its payload; an entry that does not match,
does not unmarshal or does not run is ignored and rebuilt, never trusted. Writes go to
a temporary file that replaces the entry in one step, so a reader never sees half an
entry, and any failure to write only costs the time saved next run.

The cache lives in `$CROSSCONTRACT_CACHE_DIR`, else `$XDG_CACHE_HOME/crosscontract`,
else `~/.cache/crosscontract`. `use_directory(None)` (the CLI's `--no-cache`) turns it
off for the process.
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

from ._types import Json

_MAGIC = b"crosscontract fast check 1\n"
# The modules whose source decides what code a schema compiles to.
_SOURCES = ("fastpath.py", "validation.py", "formats.py", "diskcache.py")


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

    That code is ours, fastjsonschema (its version) and jsonschema, whose list of known
    keywords the rewrite follows: its `validators.py` is hashed rather than its version
    read, because reading package versions costs more start-up than the whole lookup.
    """
    from importlib.util import find_spec

    from fastjsonschema import VERSION

    digest = hashlib.sha256(f"{sys.implementation.cache_tag}\0{VERSION}\0".encode())
    jsonschema = find_spec("jsonschema")
    if jsonschema is None or jsonschema.origin is None:
        return None
    sources = [Path(__file__).parent / name for name in _SOURCES]
    sources.append(Path(jsonschema.origin).parent / "validators.py")
    try:
        for source in sources:
            digest.update(source.read_bytes())
    except OSError:
        return None  # installed without sources: nothing safe to key on, so no cache
    return digest.digest()


@dataclass(frozen=True, slots=True)
class CheckCache:
    """Compiled checks in one folder, one file per schema."""

    directory: Path

    def key(self, schema: Json, draft2020: bool) -> str | None:
        """The entry name for `schema`, or None when it cannot be keyed."""
        environment = _environment()
        if environment is None:
            return None
        try:
            text = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
        except (TypeError, orjson.JSONEncodeError):
            return None
        dialect = b"2020-12" if draft2020 else b"2019-09"
        return hashlib.sha256(environment + dialect + b"\0" + text).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / "checks" / key[:2] / key

    def load(self, key: str) -> tuple[bool, CodeType | None]:
        """`(True, code)` for a sound entry (code None: the schema has no fast check),
        `(False, None)` when there is none or it cannot be trusted."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return False, None
        size = _header_size(key)
        payload = data[size:]
        if data[:size] != _header(key, payload):
            return False, None
        if not payload:
            return True, None
        try:
            code = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return False, None
        return (True, code) if isinstance(code, CodeType) else (False, None)

    def store(self, key: str, code: CodeType | None) -> None:
        """Keep `code` (None: no fast check) as the entry for `key`, if the disk allows."""
        payload = b"" if code is None else marshal.dumps(code)
        path = self._path(key)
        temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(_header(key, payload) + payload)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _header(key: str, payload: bytes) -> bytes:
    return _MAGIC + key.encode() + b" " + hashlib.sha256(payload).hexdigest().encode() + b"\n"


def _header_size(key: str) -> int:
    return len(_header(key, b""))  # fixed: the digest is always 64 hex digits


_directory: list[Path | None] = []


def use_directory(directory: Path | None) -> None:
    """Keep compiled checks in `directory` from now on; None: not on disk at all."""
    _directory[:] = [directory]


def active() -> CheckCache | None:
    """The cache in use: the one set by `use_directory`, else the default one."""
    directory = _directory[0] if _directory else default_directory()
    return None if directory is None else CheckCache(directory)
