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
from pathlib import Path
from typing import Any, BinaryIO

import ijson
from msgspec import Struct

from .. import inputs
from ..errors import InputError
from .model import Interaction, Pact, Skipped
from .parse import MESSAGE_REASON, TOO_DEEP, TWO_INTERACTIONS, interaction_of, not_http, pact_version

_NAMES = {"consumer.name": "consumer", "provider.name": "provider"}
# Events that start a value: the keys and ends of a map or list under a prefix are not one.
_VALUES = frozenset({"string", "number", "boolean", "null", "start_map", "start_array"})
_OPENS = frozenset({"start_map", "start_array"})
_CLOSES = frozenset({"end_map", "end_array"})
FIRST_READ = 64 * 2**10
LAST_READ = 64 * 2**20
"""The file goes to the JSON tokenizer (yajl) in pieces of `FIRST_READ` bytes, doubled up to
`LAST_READ` while a piece ends no token. yajl reads a token again from its start for each
piece of it that arrives: in 64 KiB pieces a 100 MiB string took 140 s; doubled, it takes
as long as reading it once. Small pieces otherwise keep the tokens held at a time few."""
_DEEP = "\0deep"
"""The prefix of every value deeper than the outline looks (compared by identity)."""
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
        interactions=_Interactions(path, label, version.startswith("4"), outline.piece),
        skipped=outline.skipped,
        streamed=True,
    )


class _Outline(Struct, frozen=True):
    names: dict[str, str]
    metadata: dict[str, Any]
    skipped: list[Skipped]
    piece: int = FIRST_READ
    """The pieces to read the file in: large enough for its longest token to come in a few."""


def _open(path: Path) -> BinaryIO:
    return inputs.open_input(
        path,
        inputs.limit(inputs.STREAMED_PACT_BYTES_VARIABLE, inputs.STREAMED_PACT_BYTES),
        variable=inputs.STREAMED_PACT_BYTES_VARIABLE,
    )


def _pushed(file: BinaryIO, start: Any, *args: Any, largest: list[int] | None = None) -> Iterator[Any]:
    """What the ijson coroutine `start(target, *args)` makes of `file`, read as `FIRST_READ` says.

    `largest`, when given, gets the largest piece read: enough for any token of the file to
    arrive in a few pieces.
    """
    found = ijson.sendable_list()
    target = start(found, *args, use_float=True)
    size = FIRST_READ
    while chunk := file.read(size):
        target.send(chunk)
        if found:
            yield from found
            del found[:]
            size = FIRST_READ
        else:
            size = min(2 * size, LAST_READ)
            if largest is not None and size > largest[0]:
                largest[0] = size
    target.close()
    yield from found


def _prefixed(events: Iterator[tuple[str, Any]], label: str) -> Iterator[tuple[str, str, Any]]:
    """ijson's `(prefix, event, value)` from its basic `(event, value)`, at most `MAX_DEPTH` deep.

    ijson spells out every prefix, so a value 200,000 levels deep costs a prefix of 200,000
    keys, for each of its events. The outline only reads three levels down: deeper events
    are left out, and past `inputs.MAX_DEPTH` levels the pact is refused.
    """
    opened: list[str] = []  # the prefix of each open container, outermost first
    here = ""  # the prefix of the next value
    in_array: list[bool] = []
    for event, value in events:
        if event == "map_key":
            prefix = opened[-1]
            here = _join(prefix, value, len(opened))
        elif event in _OPENS:
            prefix = here
            opened.append(here)
            in_array.append(event == "start_array")
            if len(opened) > inputs.MAX_DEPTH:
                raise InputError(label, TOO_DEEP)
            if event == "start_array":
                here = _join(here, "item", len(opened))
        elif event in _CLOSES:
            in_array.pop()
            prefix = opened.pop()
            if in_array and in_array[-1]:
                here = _join(opened[-1], "item", len(opened))
        else:
            prefix = here
        if prefix is not _DEEP:  # most events are: the outline has no use for them
            yield prefix, event, value


def _join(prefix: str, key: str, depth: int) -> str:
    if depth > 3 or prefix == _DEEP:
        return _DEEP
    return f"{prefix}.{key}" if prefix else key


def _outline(path: Path, label: str) -> _Outline:
    try:
        with _open(path) as file:
            largest = [FIRST_READ]
            events = _prefixed(_pushed(file, ijson.basic_parse_coro, largest=largest), label)
            outline = _read_outline(events, label)
            return _Outline(outline.names, outline.metadata, outline.skipped, largest[0])
    except OSError as exc:
        raise InputError(label, f"cannot read pact: {exc.strerror or exc}") from None
    except ijson.JSONError as exc:
        raise InputError(label, f"pact is not valid JSON: {_one_line(exc)}") from None


def _read_outline(events: Iterator[tuple[str, str, Any]], label: str) -> _Outline:
    outline = _Outline({}, {}, [])
    first = next(events, None)
    if first is None or first[1] != "start_map":
        raise InputError(label, "pact must be a JSON object")
    has_interactions = False
    messages = -1
    message_skips: list[Skipped] = []
    index = -1
    kind: Any = None
    description: str | None = None
    named_interactions = False
    for prefix, event, value in events:
        if not prefix and event == "map_key" and value == "interactions":
            if named_interactions:
                raise InputError(label, TWO_INTERACTIONS)
            named_interactions = True
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
        elif prefix == "messages.item" and event in ("start_map", "end_map"):
            # A Pact v3 message pact: each message is skipped, as `parse_pact` does.
            if event == "start_map":
                messages, description = messages + 1, None
            else:
                message_skips.append(Skipped(messages, description, MESSAGE_REASON))
        elif prefix == "messages.item.description":
            description = value if event == "string" else None
        elif event == "string" and prefix in _NAMES:
            outline.names[_NAMES[prefix]] = value
        elif event == "string" and prefix in _VERSIONS:
            key = _VERSIONS[prefix]
            outline.metadata[key] = value if key == "pactSpecificationVersion" else {"version": value}
    if not has_interactions and messages < 0:
        raise InputError(label, "pact has no 'interactions' list")
    if not has_interactions:
        outline.skipped.extend(message_skips)
    return outline


class _Interactions(Struct, frozen=True):
    """The HTTP interactions of a pact file, read anew on each iteration."""

    path: Path
    label: str
    v4: bool
    piece: int = FIRST_READ
    """Bytes ijson reads at a time (`_Outline.piece`)."""

    def __iter__(self) -> Iterator[Interaction]:
        try:
            with _open(self.path) as file:
                # ijson's own reading (twice as fast as pushing pieces), in pieces as large as the
                # outline found the longest token needs; the outline also refused deep nesting
                items = ijson.items(file, "interactions.item", use_float=True, buf_size=self.piece)
                for index, raw in enumerate(items):
                    if not_http(raw.get("type")) is None:
                        yield interaction_of(raw, index, self.label, v4=self.v4)
        except OSError as exc:
            raise InputError(self.label, f"cannot read pact: {exc.strerror or exc}") from None
        except ijson.JSONError as exc:
            raise InputError(self.label, f"pact is not valid JSON: {_one_line(exc)}") from None


def _one_line(error: Exception) -> str:
    """yajl's message without the lines that point at the place (an error is one line)."""
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__
