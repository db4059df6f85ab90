"""Read a large pact one interaction at a time, so memory does not grow with its size.

`read_pact` parses a whole pact with orjson: fastest, but a pact takes several times its
size in memory once parsed. Past `reader.STREAM_ABOVE` bytes it uses this module instead. A
first pass over the file's tokens (ijson) reads what precedes the interactions in
meaning but not necessarily in the file: the specification version (a v4 body is read
differently), the consumer and provider, and which interactions are not HTTP. Each time
the interactions are iterated, a second pass builds them one by one. Reading this way
takes about three times as long as orjson; it is meant for pacts that would otherwise
not fit comfortably.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

from ..errors import InputError
from .model import Interaction, Pact, Skipped
from .parse import interaction_of, not_http, pact_version

_NAMES = {"consumer.name": "consumer", "provider.name": "provider"}
# Events that start a value: the keys and ends of a map or list under a prefix are not one.
_VALUES = frozenset({"string", "number", "boolean", "null", "start_map", "start_array"})
_VERSIONS = {
    "metadata.pactSpecification.version": "pactSpecification",
    "metadata.pact-specification.version": "pact-specification",
    "metadata.pactSpecificationVersion": "pactSpecificationVersion",
}


def stream_pact(path: Path, label: str) -> Pact:
    """The pact at `path`, whose interactions are read from the file as they are iterated."""
    outline = _outline(path, label)
    version = pact_version({"metadata": outline.metadata})
    return Pact(
        file=label,
        consumer=outline.names.get("consumer"),
        provider=outline.names.get("provider"),
        version=version,
        interactions=_Interactions(path, label, version.startswith("4")),
        skipped=outline.skipped,
        streamed=True,
    )


@dataclass(frozen=True, slots=True)
class _Outline:
    names: dict[str, str]
    metadata: dict[str, Any]
    skipped: list[Skipped]


def _outline(path: Path, label: str) -> _Outline:
    try:
        with path.open("rb") as file:
            return _read_outline(ijson.parse(file, use_float=True), label)
    except OSError as exc:
        raise InputError(label, f"cannot read pact: {exc.strerror or exc}") from None
    except ijson.JSONError as exc:
        raise InputError(label, f"pact is not valid JSON: {exc}") from None


def _read_outline(events: Iterator[tuple[str, str, Any]], label: str) -> _Outline:
    outline = _Outline({}, {}, [])
    first = next(events, None)
    if first is None or first[1] != "start_map":
        raise InputError(label, "pact must be a JSON object")
    has_interactions = False
    index = -1
    kind: Any = None
    description: str | None = None
    for prefix, event, value in events:
        if prefix == "interactions.item":  # an interaction starts or ends
            if event == "start_map":
                index, kind, description = index + 1, None, None
            elif event == "end_map":
                reason = not_http(kind)
                if reason is not None:
                    outline.skipped.append(Skipped(index, description, reason))
            elif event != "map_key":
                raise InputError(label, f"interactions[{index + 1}] must be an object")
        elif prefix == "interactions.item.type" and event in _VALUES:
            # `not_http` names an object or list type "[object]", without its contents
            kind = "[object]" if event in ("start_map", "start_array") else value
        elif prefix == "interactions.item.description":
            description = value if event == "string" else None
        elif prefix == "interactions":
            if event in ("start_map", "string", "number", "boolean"):
                raise InputError(label, "pact 'interactions' must be a list")
            has_interactions |= event == "start_array"
        elif event == "string" and prefix in _NAMES:
            outline.names[_NAMES[prefix]] = value
        elif event == "string" and prefix in _VERSIONS:
            key = _VERSIONS[prefix]
            outline.metadata[key] = value if key == "pactSpecificationVersion" else {"version": value}
    if not has_interactions:
        raise InputError(label, "pact has no 'interactions' list")
    return outline


@dataclass(frozen=True, slots=True)
class _Interactions:
    """The HTTP interactions of a pact file, read anew on each iteration."""

    path: Path
    label: str
    v4: bool

    def __iter__(self) -> Iterator[Interaction]:
        try:
            with self.path.open("rb") as file:
                for index, raw in enumerate(ijson.items(file, "interactions.item", use_float=True)):
                    if not_http(raw.get("type")) is None:
                        yield interaction_of(raw, index, self.label, v4=self.v4)
        except OSError as exc:
            raise InputError(self.label, f"cannot read pact: {exc.strerror or exc}") from None
        except ijson.JSONError as exc:
            raise InputError(self.label, f"pact is not valid JSON: {exc}") from None
