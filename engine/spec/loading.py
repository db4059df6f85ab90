"""Read an OpenAPI or Swagger document and resolve its `$ref`s lazily.

The document is parsed once and never fully dereferenced: GitHub's 13 MB description
holds over ten thousand `$ref`s, and a pact touches a handful of operations. A `Spec`
follows a `$ref` only when the index asks for it. The spec comes from a `SpecSource`
(`source.py`: a folder, or file names mapped to bytes); the other files its `$ref`s name
are read from that source on first use, through a `referencing.Registry` (`files.py`),
and never from outside it unless a folder allows it. Remote references are never fetched.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

import orjson
from msgspec import Struct

from .._types import MISSING, Json, JsonObject
from ..errors import InputError
from ..inputs import read_input
from .source import FolderSource, SpecSource, is_remote

if TYPE_CHECKING:
    from ..schema.diskstore import DiskStore
    from .files import Files

Kind = Literal["swagger2", "openapi3", "openapi31"]


class Node(Struct, frozen=True):
    """A value inside one of the spec's files, with where it was found.

    `file` is the key of the file in the `Spec`; `pointer` is the RFC 6901 tokens from
    that file's root. Locations in reports are built from the tokens of the entry
    point, so a resolved `$ref` keeps the tokens of the place that referred to it in
    `at` while `pointer` tells where the value really lives.
    """

    value: Json
    file: str
    pointer: tuple[str, ...]


def parse_document(data: bytes, label: str, store: DiskStore | None = None) -> Json:
    """Parse JSON (fast path) or YAML text; YAML read before is read back from `store`."""
    stripped = data.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # YAML is a superset of JSON; let the YAML parser report the error
    key = store.document_key(data) if store is not None else None
    if store is not None and key is not None:
        document = store.load_document(key)
        if document is not MISSING:
            return document
    document = _parse_yaml(data, label)
    if store is not None and key is not None:
        store.store_document(key, document)
    return document


def read_document(path: Path, label: str) -> Json:
    """Read and parse one file on disk (a spec's bundler reads the files it folds in)."""
    try:
        data = read_input(path)
    except OSError as exc:
        raise InputError(label, f"cannot read file: {exc.strerror or exc}") from None
    return parse_document(data, label)


def _parse_yaml(data: bytes, label: str) -> Json:
    from .yamltext import parse_yaml  # here: PyYAML costs 10 ms to import, and a JSON spec never needs it

    return parse_yaml(data, label)


@lru_cache(maxsize=4096)
def split_pointer(fragment: str) -> tuple[str, ...]:
    """RFC 6901 JSON pointer (as found after `#` in a `$ref`) to its tokens."""
    fragment = unquote(fragment)
    if fragment in ("", "/"):
        return () if fragment == "" else ("",)
    if not fragment.startswith("/"):
        raise ValueError(f"not a JSON pointer: {fragment!r}")
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in fragment[1:].split("/"))


def pointed_at(document: Json, fragment: str) -> Json:
    """The value the JSON pointer `fragment` (a local `$ref` after `#`) names in `document`,
    or `MISSING` when it names nothing there (or is no pointer). No `$ref` is followed."""
    try:
        tokens = split_pointer(fragment)
    except ValueError:
        return MISSING
    return walk(document, tokens)


def walk(document: Json, tokens: tuple[str, ...]) -> Json:
    """The value at `tokens` (a split JSON pointer) in `document`, or `MISSING`."""
    value = document
    for token in tokens:
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return MISSING
    return value


def join_pointer(tokens: tuple[str, ...]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


class Spec(Struct):
    """A parsed spec: its entry document, its dialect, and lazy `$ref` resolution."""

    label: str
    """How reports name the spec file."""
    document: JsonObject
    kind: Kind
    source: SpecSource | None = None
    """Where the files its `$ref`s name are read (None: a document given already parsed)."""
    store: DiskStore | None = None
    """Where those files, if YAML read before, are read back from."""
    _files: Files | None = None
    """The other files, read on first use (`files.py`); never given."""

    @property
    def version(self) -> str:
        return str(self.document.get("openapi") or self.document.get("swagger"))

    def root(self) -> Node:
        return Node(self.document, "", ())

    def at(self, node: Node, *tokens: str | int) -> Node:
        """The child of `node` at `tokens`, without following `$ref`s."""
        value = node.value
        for token in tokens:
            value = value[token]
        return Node(value, node.file, node.pointer + tuple(str(t) for t in tokens))

    def deref(self, node: Node) -> Node:
        """Follow `$ref`s from `node` until a value that is not a reference."""
        # a set: a chain of 40,000 `$ref`s is followed in linear time
        seen: set[tuple[str, tuple[str, ...]]] = set()
        while isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str):
            key = (node.file, node.pointer)
            if key in seen:
                raise InputError(self.label, f"circular $ref at {_describe(node)}")
            seen.add(key)
            node = self.resolve(node.value["$ref"], node.file)
        return node

    def resolve(self, ref: str, from_file: str) -> Node:
        """The value a `$ref` written in `from_file` refers to."""
        target, _, fragment = ref.partition("#")
        file = self._file_for(target, from_file) if target else from_file
        document = self._document(file, target) if file else self.document
        try:
            tokens = split_pointer(fragment)
        except ValueError:
            raise InputError(self.label, f"unsupported $ref {ref!r}") from None
        value = walk(document, tokens)
        if value is MISSING:
            raise InputError(self.label, f"cannot resolve $ref {ref!r}")
        return Node(value, file, tokens)

    def _file_for(self, target: str, from_file: str) -> str:
        """The source's name for the file `target` (written in `from_file`) names; "" for the entry.

        A remote URI is kept as it is: `Files` refuses to fetch it.
        """
        if is_remote(target):
            return target
        if self.source is None:
            raise InputError(self.label, f"cannot resolve file $ref {target!r} without a spec folder")
        entry = self.source.entry
        base = posixpath.dirname(from_file or entry)
        name = posixpath.normpath(posixpath.join(base, unquote(target)))
        if "\0" in name:  # `%00`: no file name holds one, and the OS would refuse it
            raise InputError(self.label, f"$ref {target!r}: a file name cannot hold a NUL byte")
        return "" if name == entry else name

    def _document(self, file: str, target: str) -> Json:
        if self._files is None:
            # here, not at the top: `referencing` costs 25-50 ms to import, and most specs are one file
            from .files import Files

            self._files = Files(self.source, self.label, partial(parse_document, store=self.store))
        return self._files.document(file, target)


def _describe(node: Node) -> str:
    return f"{node.file}#{join_pointer(node.pointer)}" if node.file else f"#{join_pointer(node.pointer)}"


def detect_kind(document: Json, label: str) -> Kind:
    if not isinstance(document, dict):
        raise InputError(label, "not an OpenAPI document: expected a mapping at the top level")
    swagger = document.get("swagger")
    openapi = document.get("openapi")
    if swagger is not None:
        if str(swagger) != "2.0":
            raise InputError(label, f"unsupported Swagger version {swagger!r}; supported: 2.0")
        kind: Kind = "swagger2"
    elif openapi is not None:
        version = str(openapi)
        if not version.startswith("3."):
            raise InputError(label, f"unsupported OpenAPI version {openapi!r}; supported: 2.0, 3.0, 3.1")
        kind = "openapi31" if version.startswith(("3.1", "3.2")) else "openapi3"
    else:
        raise InputError(label, "not a Swagger 2.0 or OpenAPI 3.x document (no 'swagger' or 'openapi' field)")
    paths = document.get("paths", {})
    if not isinstance(paths, dict):
        raise InputError(label, "'paths' must be a mapping")
    dialect = document.get("jsonSchemaDialect")
    if kind == "openapi31" and dialect is not None and str(dialect).rstrip("#") not in _DIALECTS:
        raise InputError(
            label,
            f"unsupported jsonSchemaDialect {dialect!r}; supported: the OpenAPI 3.1 base dialect, "
            "JSON Schema 2020-12",
        )
    return kind


# What an OpenAPI 3.1 document may name as its `jsonSchemaDialect`: schemas are read as the
# OAS base dialect, i.e. JSON Schema 2020-12 plus annotations.
_DIALECTS = frozenset(
    {
        "https://spec.openapis.org/oas/3.1/dialect/base",
        "https://spec.openapis.org/oas/3.1/dialect/2024-10-25",
        "https://json-schema.org/draft/2020-12/schema",
    }
)


def load_spec(
    source: str | Path | JsonObject | SpecSource,
    *,
    label: str | None = None,
    allow_outside_refs: bool = False,
    store: DiskStore | None = None,
) -> Spec:
    """Read and identify a spec from a path or a `SpecSource`, or wrap an already parsed document.

    A path is a `FolderSource`: the files its `$ref`s name are read from its folder, and
    from outside it only with `allow_outside_refs`. YAML files read before are read back
    from `store` (an `EngineConfig`'s), if given.
    """
    if isinstance(source, dict):
        name = label or "spec"
        return Spec(name, source, detect_kind(source, name), store=store)
    if isinstance(source, (str, Path)):
        source = FolderSource(source, allow_outside_refs, label)
    name = label or source.name
    try:
        data = source.read(source.entry)
    except OSError as exc:
        raise InputError(name, f"cannot read file: {exc.strerror or exc}") from None
    document = parse_document(data, name, store)
    return Spec(name, document, detect_kind(document, name), source, store)
