"""Where a spec's files come from: a folder on disk, or file names mapped to bytes.

A spec may be several files that refer to each other by relative `$ref`s. Loading asks a
source for the entry file and then for each file a `$ref` names, by a relative POSIX name
(`schemas/pet.yaml`), and never touches the disk or the network itself. That keeps one
resolution path for a spec in a folder (the CLI), a multi-file spec held in memory (an
upload, a database row) and any store a service adds later: it implements `SpecSource`.

A source refuses names that leave it (`OutsideSourceError`): a `$ref` to `../../etc/passwd` must
not read whatever the process can read. A name it does not hold is an `OSError`, as a
missing file is.
"""

from __future__ import annotations

import errno
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..inputs import read_input


class OutsideSourceError(Exception):
    """A file name that points outside the source."""

    def __init__(self, name: str, scope: str) -> None:
        super().__init__(f"{name!r} points outside {scope}")
        self.name = name
        self.scope = scope
        """What the name leaves, as reports say it: `the spec's folder`."""


class SpecSource(Protocol):
    """The files of one spec."""

    @property
    def name(self) -> str:
        """How reports name the spec."""
        ...

    @property
    def entry(self) -> str:
        """The name of the entry document (the one with `openapi` or `swagger`)."""
        ...

    def read(self, file: str) -> bytes:
        """The bytes of `file`, a normalized POSIX name relative to the source's root.

        Raises `OutsideSourceError` for a name outside the source and `OSError` for one it
        cannot read.
        """
        ...


def is_remote(target: str) -> bool:
    """Whether a `$ref`'s file part is a URL (`https://...`, `//host/...`), not a file name."""
    return "://" in target or target.startswith("//")


def leaves(name: str) -> bool:
    """Whether a normalized POSIX name points above its root (or is absolute)."""
    return name == ".." or name.startswith(("../", "/"))


@dataclass(frozen=True, slots=True)
class FolderSource:
    """A spec file on disk; the files it refers to are read from its folder.

    `path` is the entry document. Other files are read only from its folder (symbolic
    links followed, so a link cannot lead out), unless `allow_outside_refs`. Every file is
    read through `inputs.read_input`: regular files only, of a bounded size.
    """

    path: Path
    allow_outside_refs: bool = False
    label: str = ""
    """How reports name the spec; by default, `path` as given."""

    def __init__(self, path: str | Path, allow_outside_refs: bool = False, label: str | None = None) -> None:
        # A hand-written `__init__`: `path` may be given as text, and the label defaults to it.
        object.__setattr__(self, "path", Path(path))
        object.__setattr__(self, "allow_outside_refs", allow_outside_refs)
        object.__setattr__(self, "label", str(path) if label is None else label)

    @property
    def name(self) -> str:
        return self.label

    @property
    def entry(self) -> str:
        return self.path.name

    def read(self, file: str) -> bytes:
        if file == self.entry:
            return read_input(self.path)
        folder = self.path.parent
        target = folder / file
        if not self.allow_outside_refs and not target.resolve().is_relative_to(folder.resolve()):
            raise OutsideSourceError(file, "the spec's folder")
        return read_input(target)


@dataclass(frozen=True, slots=True)
class MappingSource:
    """A multi-file spec held in memory: file names (relative, POSIX) to their bytes.

    MappingSource({"openapi.yaml": b"...", "schemas/pet.yaml": b"..."}, entry="openapi.yaml")
    """

    files: Mapping[str, bytes] = field(hash=False)
    entry: str = "openapi.yaml"
    label: str | None = None
    """How reports name the spec; by default, the entry's name."""

    def __post_init__(self) -> None:
        names = {posixpath.normpath(name): data for name, data in self.files.items()}
        outside = sorted(name for name in names if leaves(name))
        if outside:
            raise ValueError(f"file names must stay inside the spec, not {outside[0]!r}")
        object.__setattr__(self, "files", names)
        object.__setattr__(self, "entry", posixpath.normpath(self.entry))

    @property
    def name(self) -> str:
        return self.label if self.label is not None else self.entry

    def read(self, file: str) -> bytes:
        if leaves(file):
            raise OutsideSourceError(file, "the spec's files")
        try:
            return self.files[file]
        except KeyError:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), file) from None
