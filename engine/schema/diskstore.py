"""What a run keeps on disk for later runs, like Python keeps `.pyc` files.

Two kinds of entries. Compiled fast checks (`fastpath.py`): compiling costs about a
millisecond per 400 bytes of schema, loading the compiled code back a fraction of that,
and a run whose values all pass their cached checks never imports jsonschema (70 ms of
start-up). Parsed YAML documents: a YAML spec read before is read back as JSON.

An entry is named by a hash of everything its content depends on. For a check: the
converted schema's exact JSON, its dialect, the source of the modules that rewrite and
compile it, the fastjsonschema version, jsonschema's keyword table and the Python version
(`marshal` data is version specific). For a document: the file's bytes, our YAML reading
rules and the PyYAML version.

Entries are code the process runs, so the store trusts nothing it did not write itself,
as Python's bytecode cache and pip's cache do:
- the folder is used only when it belongs to the user running the process and nobody
  else may write to it (`usable`); otherwise the run goes without it;
- an entry is opened without following links, only as a regular file of the user's, at
  most `MAX_ENTRY` bytes (a FIFO, a device or a link to one is no entry);
- an entry carries a MAC (keyed BLAKE2b, `digests.py`) of its key and payload under a
  random key kept in the folder (`secret`, 0600, made on first use): a stray, copied or
  tampered file is ignored and rebuilt, never executed;
- writes go to a freshly created file (`_fresh_file`) in the entry's folder that replaces
  the entry in one step: a reader never sees half an entry, no one can plant a link at a
  name the writer will use, and any failure to write only costs the time saved next run.

A store is a value naming one folder, handed in with the engine's configuration
(`engine.config.EngineConfig`), never chosen by the process: two comparisons running at
once may keep their entries in two folders. By default (`DiskStore.default()`) the folder
is `$CROSSCONTRACT_CACHE_DIR`, else `$XDG_CACHE_HOME/crosscontract`, else
`~/.cache/crosscontract`; the CLI's `--no-cache` builds a configuration without a store.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import sys
from functools import cache
from pathlib import Path
from types import CodeType

import orjson
from msgspec import Struct

from .._types import MISSING, Json
from . import digests

_MAGIC = b"crosscontract cache entry 3\n"
MAX_ENTRY = 64 * 2**20
"""The largest entry read back (GitHub's whole description as parsed YAML is 13 MB)."""
_SECRET = "secret"
_SECRET_SIZE = 32
# The modules whose source decides what code a schema compiles to.
_SOURCES = ("fastpath.py", "validation.py", "formats.py", "compiled.py", "diskstore.py", "digests.py")


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

    parts = [f"{sys.implementation.cache_tag}\0".encode()]
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
        parts.extend(source.read_bytes() for source in sources)
    except OSError:
        return None  # installed without sources: nothing safe to key on, so no cache
    return digests.digest(b"".join(parts))


@cache
def _yaml_environment() -> bytes | None:
    """What every document key shares: the code that turns YAML into our JSON model."""
    from importlib.util import find_spec

    yaml = find_spec("yaml")
    if yaml is None or yaml.origin is None:
        return None
    parts = [b"yaml document\0"]
    try:
        spec = Path(__file__).parent.parent / "spec"
        # our YAML rules (the scalars, tags and alias budget of yamltext.py), PyYAML's version
        sources = (spec / "loading.py", spec / "yamltext.py", Path(yaml.origin))
        parts.extend(source.read_bytes() for source in sources)
    except OSError:
        return None
    return digests.digest(b"".join(parts))


def schema_text(schema: Json) -> bytes | None:
    """`schema`'s exact JSON with sorted keys (what a check is keyed on), or None."""
    try:
        return orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None


class DiskStore(Struct, frozen=True):
    """Entries in one folder: compiled checks (`checks/`) and parsed YAML (`documents/`)."""

    directory: Path

    @classmethod
    def default(cls) -> DiskStore | None:
        """The store in the folder the environment names (`default_directory`), if any."""
        directory = default_directory()
        return None if directory is None else cls(directory)

    def usable(self) -> str | None:
        """None when the folder may be used; else why not (another owner, writable by others)."""
        return _folder_problem(str(self.directory))

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
        return digests.hex_digest(environment + dialect + b"\0" + text)

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
        return None if environment is None else digests.hex_digest(environment + text)

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
        secret = _secret(str(self.directory), create=False)
        if secret is None:
            return None
        data = _read_own_file(self._path(kind, key), MAX_ENTRY)
        if data is None:
            return None
        size = _header_size(key)
        payload = data[size:]
        return payload if digests.same_digest(data[:size], _header(secret, key, payload)) else None

    def _write(self, kind: str, key: str, payload: bytes) -> None:
        path = self._path(kind, key)
        secret = _secret(str(self.directory), create=True)
        if secret is None or not _own_folder(path.parent):
            return
        created = _fresh_file(path.parent, f".{key[:16]}.")
        if created is None:
            return
        descriptor, temporary = created
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(_header(secret, key, payload) + payload)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


_FRESH = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _fresh_file(folder: Path, prefix: str) -> tuple[int, str] | None:
    """A new file of the user's alone in `folder`, open for writing, under a name no one
    could guess: what `tempfile.mkstemp` makes, without importing `tempfile` (and with it
    `shutil` and `random`: 3-4 ms of a cold run's start-up)."""
    for _ in range(8):
        name = os.path.join(folder, f"{prefix}{os.urandom(8).hex()}.tmp")
        try:
            return os.open(name, _FRESH, 0o600), name
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def _header(secret: bytes, key: str, payload: bytes) -> bytes:
    digest = digests.signature(secret, key.encode() + b"\0" + payload)
    return _MAGIC + key.encode() + b" " + digest.encode() + b"\n"


def _header_size(key: str) -> int:
    return len(_MAGIC) + len(key) + 1 + 64 + 1  # the digest is always 64 hex digits


def _folder_problem(directory: str) -> str | None:
    """Why `directory` cannot hold entries, or None (made for the user alone if absent)."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        info = os.stat(directory)
    except OSError as exc:
        return f"cannot use it: {exc.strerror or exc}"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid != os.geteuid():
        return "it belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "others may write to it"
    return None


def _own_folder(path: Path) -> bool:
    """Make `path` (below a usable store folder) for the user alone, or check it is so."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _read_own_file(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of the user's, no link, at most `limit`."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > limit:
            return None
        try:
            data = file.read(limit + 1)
        except OSError:
            return None
        return data if len(data) <= limit else None


def _secret(directory: str, *, create: bool) -> bytes | None:
    """The folder's MAC key (made on first write), or None when the folder cannot be trusted."""
    if _folder_problem(directory) is not None:
        return None
    path = os.path.join(directory, _SECRET)
    found = _read_own_file(Path(path), _SECRET_SIZE)
    if found is not None and len(found) == _SECRET_SIZE and _private(path):
        return found
    if found is not None or not create:
        return None  # a key someone else could read or made: entries under it prove nothing
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return _secret(directory, create=False)  # another process made it just now
    except OSError:
        return None
    secret = os.urandom(_SECRET_SIZE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secret)
    return secret


def _private(path: str) -> bool:
    try:
        return not os.lstat(path).st_mode & 0o077
    except OSError:
        return False
