"""Results against the old spec, kept between runs: the old spec rarely changes, its pacts neither.

A CI job diffs each branch's spec against the one on `main`, and a service diffs each newly
published version against the one before: the old side of the comparison is the same run
after run. Whether an interaction passes it depends only on the old spec's content, the
options, the interaction as written, and the engine's code, so it is kept under a key made
of exactly those. A run that finds every interaction of a pact under its key does not check
that pact against the old spec at all; only the new spec's findings are ever reported, and
they are always computed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import MutableMapping
from functools import cache
from pathlib import Path

import orjson

from ..pact.reader import Interaction
from ..spec.index import Options
from ..spec.loading import Spec

Outcome = tuple[bool, str | None]
"""Whether an interaction passes against the old spec, and the path (as the spec writes it)
of the operation it routes to there (None: none). The route is kept too: routing a request
costs as much as checking it, and the consumers of each change are found through it."""

Outcomes = MutableMapping[str, Outcome]
"""Interaction key (`interaction_key`) -> its outcome against one old spec."""


@cache
def _engine_digest() -> bytes:
    """The engine's source: a changed rule must not be answered by a result of the old one."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for source in sorted(root.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.digest()


def spec_digest(spec: Spec, options: Options) -> str:
    """Names the old spec's outcomes: its content, the options and the engine's code."""
    digest = hashlib.sha256(_engine_digest())
    digest.update(orjson.dumps(spec.document, option=orjson.OPT_SORT_KEYS))
    digest.update(repr(options).encode())
    return digest.hexdigest()


def interaction_key(interaction: Interaction) -> str | None:
    """The interaction as written; None for a streamed summary, which keeps no text to key on."""
    if not interaction.raw:
        return None
    return hashlib.sha256(orjson.dumps(interaction.raw, option=orjson.OPT_SORT_KEYS)).hexdigest()


def load(directory: Path, digest: str) -> dict[str, Outcome]:
    """The outcomes kept for `digest` in `directory`; none when absent or unreadable."""
    try:
        kept = orjson.loads((directory / f"{digest}.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {
        str(key): (value[0], value[1])
        for key, value in kept.items()
        if isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], bool)
        and (value[1] is None or isinstance(value[1], str))
    }


def store(directory: Path, digest: str, outcomes: Outcomes) -> None:
    """Write the outcomes in one step (a reader never sees half a file); a failure only costs time."""
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{digest}.{os.getpid()}.tmp"
        temporary.write_bytes(orjson.dumps(dict(outcomes)))
        temporary.replace(directory / f"{digest}.json")
