"""Read consumer Pact files (specification v1 to v4) into `Interaction` values.

Pact files differ by version in where they keep the same facts: the query is a string
(v1/v2) or a map of lists (v3+), a v4 body is wrapped in `{content, contentType,
encoded}`, the provider state is `providerState` (v2), `provider_state` (v1) or a list
of `providerStates` (v3+). This module and `parse.py` hide those differences; the rules
only see `Interaction` (`model.py`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson

from .. import inputs
from .._types import Json, JsonObject
from ..errors import InputError
from .model import Headers, Interaction, InteractionRef, Pact, Request, Response, Skipped
from .parse import (
    MESSAGE_REASON,
    TOO_DEEP,
    TWO_INTERACTIONS,
    as_text,
    description_of,
    interaction_of,
    not_http,
    pact_version,
)

__all__ = [
    "STREAM_ABOVE",
    "Headers",
    "Interaction",
    "InteractionRef",
    "Pact",
    "Request",
    "Response",
    "Skipped",
    "as_text",
    "iter_pact_files",
    "parse_pact",
    "read_pact",
]
# The model and `as_text` are offered here too: this is where their callers first found them.

STREAM_ABOVE = 64 * 2**20
"""Pacts larger than this many bytes are streamed (`stream.py`)."""


def read_pact(path: str | Path, *, name: str | None = None) -> Pact:
    """Read a pact file; `name` is how the report refers to it (default: the path).

    Files above `STREAM_ABOVE` bytes (or `CROSSCONTRACT_STREAM_PACTS_ABOVE`) are streamed
    (`stream.py`) rather than read whole. Either way the file is opened by
    `inputs.open_input`: a regular file, of a bounded size.
    """
    label = name if name is not None else str(path)
    try:
        with inputs.open_input(
            path,
            inputs.limit(inputs.STREAMED_PACT_BYTES_VARIABLE, inputs.STREAMED_PACT_BYTES),
            variable=inputs.STREAMED_PACT_BYTES_VARIABLE,
        ) as file:
            size = os.fstat(file.fileno()).st_size
            streamed = size > inputs.limit(inputs.STREAM_ABOVE_VARIABLE, STREAM_ABOVE)
            data = b"" if streamed else inputs.read_open(file, path)
        if streamed:
            from .stream import stream_pact  # here: only large pacts need ijson

            return stream_pact(Path(path), label)
    except OSError as exc:
        raise InputError(label, f"cannot read pact: {exc.strerror or exc}") from None
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if exc.msg.startswith("depth limit"):
            raise InputError(label, TOO_DEEP) from None
        raise InputError(label, f"pact is not valid JSON: {exc}") from None
    if _may_repeat_interactions(data) and _repeats_interactions(data):
        raise InputError(label, TWO_INTERACTIONS)
    return parse_pact(document, label)


# A lower-case ASCII letter written as a `\u00XX` escape: the only other spelling of the key.
_ESCAPED_LETTER = re.compile(rb"\\u00(?:6[1-9a-fA-F]|7[0-9aA])")


def _may_repeat_interactions(data: bytes) -> bool:
    """Whether the text might hold two `interactions` keys: a byte scan, no parse.

    orjson keeps the last of two equal keys without a word, where the streaming reader would
    read both lists; both readers refuse such a pact instead. The scan costs a few
    milliseconds for a large pact; the exact check (`_repeats_interactions`) runs only when it
    finds the key twice or a letter spelled as an escape.
    """
    return data.count(b'"interactions"') > 1 or _ESCAPED_LETTER.search(data) is not None


def _repeats_interactions(data: bytes) -> bool:
    import io

    import ijson

    events = ijson.parse(io.BytesIO(data))
    keys = (value for prefix, event, value in events if not prefix and event == "map_key")
    return sum(1 for key in keys if key == "interactions") > 1


def parse_pact(document: Json, label: str) -> Pact:
    """Turn a parsed pact document into a `Pact`, or raise `InputError`."""
    if not isinstance(document, dict):
        raise InputError(label, "pact must be a JSON object")
    raw_interactions = document.get("interactions")
    if raw_interactions is None and isinstance(document.get("messages"), list):
        return _message_pact(document, label)
    if raw_interactions is None:
        raise InputError(label, "pact has no 'interactions' list")
    if not isinstance(raw_interactions, list):
        raise InputError(label, "pact 'interactions' must be a list")
    version = pact_version(document)
    v4 = version.startswith("4")
    interactions: list[Interaction] = []
    skipped: list[Skipped] = []
    for index, raw in enumerate(raw_interactions):
        if not isinstance(raw, dict):
            raise InputError(label, f"interactions[{index}] must be an object")
        kind = raw.get("type")
        if kind is not None:
            reason = not_http(kind)
            if reason is not None:
                skipped.append(Skipped(index, description_of(raw), reason))
                continue
        interactions.append(interaction_of(raw, index, label, v4=v4))
    return Pact(
        file=label,
        consumer=_name_of(document.get("consumer")),
        provider=_name_of(document.get("provider")),
        version=version,
        interactions=interactions,
        skipped=skipped,
    )


def _message_pact(document: JsonObject, label: str) -> Pact:
    """A Pact v3 message pact (`messages`, no `interactions`): every message is skipped."""
    messages = document["messages"]
    assert isinstance(messages, list)
    skipped = [
        Skipped(index, description_of(raw) if isinstance(raw, dict) else None, MESSAGE_REASON)
        for index, raw in enumerate(messages)
    ]
    return Pact(
        file=label,
        consumer=_name_of(document.get("consumer")),
        provider=_name_of(document.get("provider")),
        version=pact_version(document),
        interactions=[],
        skipped=skipped,
    )


def _name_of(party: Json) -> str | None:
    if isinstance(party, dict) and isinstance(party.get("name"), str):
        return str(party["name"])
    return None


def iter_pact_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Expand folders to the `*.json` pacts they hold, in a stable order.

    An entry named `*.json` that cannot be read (a dangling or looping symbolic link, a FIFO,
    a directory, no permission) is never skipped: the folder is refused, naming each one.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            unreadable = [(p.name, why) for p in found if (why := inputs.unreadable_entry(p)) is not None]
            if unreadable:
                names = "; ".join(f"{name} ({why})" for name, why in unreadable)
                raise InputError(str(given), f"cannot read {names}")
            if not found:
                raise InputError(str(given), "folder holds no *.json pact files")
            yield from found
        else:
            yield path
