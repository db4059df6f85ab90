"""One document from a spec split over several files, for a broker that stores one file.

PactFlow's `publish-provider-contract` takes a single document: published as it is, a spec
whose `$ref`s name `schemas/billing.yaml` reaches the broker with references to a file it
never sees. `bundle_spec` folds every file the spec refers to into the entry document, and
leaves a spec that refers to no other file byte for byte as it is.

prance does the folding: it inlines `$ref`s across files, follows the references inside
each file relative to that file, and unrolls recursion once. Around it, this module keeps
what the engine promises about reading specs:
- Files are read here, not by prance: through `loading.read_document` (the engine's YAML
  rules: YAML 1.2 booleans, dates as text, string keys), and only from inside the spec's
  folder, symlinks resolved. prance gets them as its reference cache, so a spec bundles to
  what the engine reads from the same files.
- Remote references are never fetched: an `http(s)` `$ref` stays in the bundle as it is
  written; every other scheme or host (`file://`, `//host/...`, prance's `python://`) is
  refused.
- prance inlines internal `$ref`s too, so the bundle has no `$ref` left but remote ones and
  recursive ones into the entry document, which still resolve there. A recursion through
  another file cannot be inlined, and is refused with the file named.

Inlining repeats every part used in several places: GitHub's description split into paths
and schemas (12 MB of JSON) bundles in about 3 s to 30 MB. A spec in one file costs one walk
over its parsed document (0.1 s for GitHub's 13 MB) and is not handed to prance at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import ParseResult, urlsplit

import orjson
from msgspec import Struct
from prance.util.resolver import KEEP_REF, RESOLVE_FILES, RESOLVE_INTERNAL, RefResolver
from prance.util.url import ResolutionError, absurl, split_url_reference, urlresource

from .._types import MISSING, Json, JsonObject
from ..errors import InputError
from ..inputs import read_input
from .loading import detect_kind, join_pointer, parse_document, pointed_at, read_document


class Bundle(Struct, frozen=True):
    """A spec as one document."""

    document: JsonObject
    """The bundled document. Parts used in several places are one shared object: read it,
    do not change it."""
    content: bytes
    """What to publish: the entry file's own bytes when it refers to no other file, else
    the bundle as compact JSON (indented, the 30 MB bundle of GitHub's split description is 75 MB)."""
    files: tuple[str, ...]
    """The other files folded in, relative to the spec's folder, in the order met."""


def refs(document: Json) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every `$ref` string in `document` with the RFC 6901 tokens of the object holding it."""
    stack: list[tuple[tuple[str, ...], Json]] = [((), document)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                yield at, ref
            children: Iterator[tuple[str | int, Json]] = iter(value.items())
        elif isinstance(value, list):
            children = enumerate(value)
        else:
            continue
        # reversed onto the stack, so that they come off it in the document's order
        stack.extend(reversed([((*at, str(k)), v) for k, v in children if isinstance(v, dict | list)]))


def is_remote(ref: str) -> bool:
    """Whether `ref` names an http(s) resource: never fetched, left as it is written."""
    return urlsplit(ref).scheme in ("http", "https")


def bundle_spec(path: str | Path, *, label: str | None = None) -> Bundle:
    """The spec at `path` with every file it refers to folded into one document."""
    path = Path(path)
    name = label or str(path)
    try:
        content = read_input(path)
    except OSError as exc:
        raise InputError(name, f"cannot read file: {exc.strerror or exc}") from None
    document = parse_document(content, name)
    detect_kind(document, name)
    assert isinstance(document, dict)  # detect_kind refuses anything else
    entry = absurl(str(path.resolve()))
    folder = path.parent.resolve()
    cache, files = _read_referred_files(entry, document, folder, name)
    if not files:
        return Bundle(document, content, ())

    def refuse_recursion(limit: int, target: ParseResult, recursions: Any = ()) -> object:
        if urlresource(target) == urlresource(entry):
            return KEEP_REF  # it still resolves: the entry document is the bundle's root
        file = Path(target.path).resolve().relative_to(folder).as_posix()
        raise InputError(
            name, f"cannot bundle {file}#{target.fragment}: a recursive $ref inside another file"
        )

    resolver = RefResolver(
        document,
        str(path.resolve()),
        resolve_types=RESOLVE_FILES | RESOLVE_INTERNAL,  # never RESOLVE_HTTP
        reference_cache=cache,
        recursion_limit_handler=refuse_recursion,
    )
    try:
        resolver.resolve_references()
    except (ResolutionError, ValueError) as exc:
        raise InputError(name, f"cannot bundle: {str(exc).splitlines()[0]}") from None
    bundled: JsonObject = resolver.specs
    _check_self_contained(bundled, name)
    return Bundle(bundled, orjson.dumps(bundled), tuple(files))


def _read_referred_files(
    entry: ParseResult, document: JsonObject, folder: Path, label: str
) -> tuple[dict[tuple[str, bool], Json], list[str]]:
    """Every file the spec refers to, directly or through other files, read by the engine.

    Keys are prance's reference cache keys, computed by prance's own reading of each `$ref`
    so that prance finds every file here and reads none itself.
    """
    cache: dict[tuple[str, bool], Json] = {(urlresource(entry), True): document}
    files: list[str] = []
    pending: list[tuple[ParseResult, Json]] = [(entry, document)]
    while pending:
        base, value = pending.pop(0)
        for _, ref in refs(value):
            if ref.startswith("#") or is_remote(ref):
                continue
            url, _ = split_url_reference(base, ref)
            if url.scheme != "file" or url.netloc:
                raise InputError(label, f"$ref {ref!r}: only relative file references are bundled")
            key = (urlresource(url), True)
            if key in cache:
                continue
            file = Path(url.path).resolve()
            if not file.is_relative_to(folder):
                raise InputError(label, f"$ref {ref!r} points outside the spec's folder")
            name = file.relative_to(folder).as_posix()
            cache[key] = read_document(file, f"{label} -> {name}")
            files.append(name)
            pending.append((url, cache[key]))
    return cache, files


def _check_self_contained(document: JsonObject, label: str) -> None:
    """Every `$ref` left in the bundle is remote or resolves inside it."""
    for at, ref in refs(document):
        if is_remote(ref):
            continue
        target, _, fragment = ref.partition("#")
        if target or not resolves(document, fragment):
            where = join_pointer(at)
            raise InputError(label, f"cannot bundle: $ref {ref!r} at #{where} would not resolve in one file")


def resolves(document: JsonObject, fragment: str) -> bool:
    """Whether the JSON pointer `fragment` (a local `$ref` after `#`) names a value in `document`."""
    return pointed_at(document, fragment) is not MISSING
