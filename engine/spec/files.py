"""The other files of a multi-file spec, held in a `referencing.Registry`.

A `$ref` to another file (`schemas/pet.yaml#/Pet`) names a resource; the registry's
`retrieve` reads it from the spec's `SpecSource` and parses it the first time it is named,
and keeps it for every later `$ref`. A remote URI is never fetched: `retrieve` refuses it,
whatever the source.

This is the one module that imports `referencing` (25 to 50 ms, paid only by specs that
refer to other files). It supplies documents only: the JSON pointer after `#` is walked
by `loading.Spec.resolve` for every `$ref`, in-document or not, because
`referencing.Resolver.lookup` costs 8 to 13 us a `$ref` against under 1 us for the walk
(5,444 `$ref`s to build every operation of GitHub's description: +65 ms), and reads `-1`
as the last item of a list where a JSON pointer has no such token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from referencing import Registry, Resource, Specification
from referencing.exceptions import Unretrievable

from .._types import Json
from ..errors import InputError
from .source import OutsideSourceError, SpecSource, is_remote

Parse = Callable[[bytes, str], Json]
"""Bytes of a file, and how errors name it, to its parsed document."""


class Files:
    """The documents a spec's `$ref`s name, other than the entry, read on first use."""

    __slots__ = ("_label", "_parse", "_registry", "_source")

    def __init__(
        self, source: SpecSource | None, label: str, parse: Parse, documents: Iterable[tuple[str, Json]] = ()
    ) -> None:
        self._source = source
        self._label = label
        self._parse = parse
        # Opaque resources: an OpenAPI document is no JSON Schema, so nothing inside it
        # (`$id`, `$anchor`) moves the base URI or names a resource of its own.
        # (mypy's attrs plugin misses the `retrieve` alias of the private `_retrieve` field)
        registry: Registry[Json] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self._registry = registry.with_resources(
            (name, Specification.OPAQUE.create_resource(document)) for name, document in documents
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # A spawned worker gets the files read so far; the registry itself (whose opaque
        # specification holds lambdas) is built again.
        documents = tuple((name, self._registry[name].contents) for name in self._registry)
        return (Files, (self._source, self._label, self._parse, documents))

    def document(self, name: str, target: str) -> Json:
        """The parsed file `name` (a source's file name, or a remote URI), `target` as the `$ref` wrote it."""
        try:
            retrieved = self._registry.get_or_retrieve(name)
        except Unretrievable as error:
            cause = error.__cause__
            if isinstance(cause, OutsideSourceError):
                raise InputError(self._label, f"$ref {target!r} points outside {cause.scope}") from None
            if isinstance(cause, InputError):
                raise cause from None
            raise
        self._registry = retrieved.registry
        return retrieved.value.contents

    def _retrieve(self, name: str) -> Resource[Json]:
        if is_remote(name):
            raise InputError(self._label, f"remote $ref {name!r} is not fetched")
        assert self._source is not None
        label = f"{self._label} -> {name}"
        try:
            data = self._source.read(name)
        except OSError as exc:
            raise InputError(label, f"cannot read file: {exc.strerror or exc}") from None
        return Specification.OPAQUE.create_resource(self._parse(data, label))
