"""Read consumer Pact files (specification v1 to v4) into `Interaction` values.

Pact files differ by version in where they keep the same facts: the query is a string
(v1/v2) or a map of lists (v3+), a v4 body is wrapped in `{content, contentType,
encoded}`, the provider state is `providerState` (v2), `provider_state` (v1) or a list
of `providerStates` (v3+). This module and `parse.py` hide those differences; the rules
only see `Interaction` (`model.py`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson

from .._types import Json
from ..errors import InputError
from .model import Headers, Interaction, InteractionRef, Pact, Request, Response, Skipped
from .parse import as_text, description_of, interaction_of, not_http, pact_version

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

    Files above `STREAM_ABOVE` bytes are streamed (`stream.py`) rather than read whole.
    """
    label = name if name is not None else str(path)
    try:
        if Path(path).stat().st_size > STREAM_ABOVE:
            from .stream import stream_pact  # here: only large pacts need ijson

            return stream_pact(Path(path), label)
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(label, f"cannot read pact: {exc.strerror or exc}") from None
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(label, f"pact is not valid JSON: {exc}") from None
    return parse_pact(document, label)


def parse_pact(document: Json, label: str) -> Pact:
    """Turn a parsed pact document into a `Pact`, or raise `InputError`."""
    if not isinstance(document, dict):
        raise InputError(label, "pact must be a JSON object")
    raw_interactions = document.get("interactions")
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


def _name_of(party: Json) -> str | None:
    if isinstance(party, dict) and isinstance(party.get("name"), str):
        return str(party["name"])
    return None


def iter_pact_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Expand folders to the `*.json` pacts they hold, in a stable order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise InputError(str(given), "folder holds no *.json pact files")
            yield from found
        else:
            yield path
