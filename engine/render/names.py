"""How every format names interactions and pacts, and keeps a pact's text harmless."""

from __future__ import annotations

import re
from typing import Any

import orjson

from .._types import MISSING
from ..check.findings import Finding
from ..check.report import PactReport
from ..locations import mock_location, spec_location
from ..pact.model import InteractionRef

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """`text` with control characters written as escapes.

    A pact's strings must not colour the terminal, move its cursor, or start a new line that
    a CI log reads as a command (`::error::...`).
    """
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def interaction_title(interaction: InteractionRef) -> str:
    """`[index] description (given state)`: an interaction as people name it."""
    name = interaction.description or f"{interaction.method.upper()} {interaction.path}"
    state = f" (given {interaction.state})" if interaction.state != "[none]" else ""
    return f"[{interaction.index}] {name}{state}"


def interaction_heading(interaction: InteractionRef) -> str:
    """The title and what was exchanged: descriptions alone are often generated ids."""
    return (
        f"{interaction_title(interaction)}: {interaction.method.upper()} {interaction.path}"
        f" -> {interaction.status}"
    )


def parties(pact: PactReport) -> str:
    """`consumer -> provider`, or whichever of them the pact names."""
    return " -> ".join(n for n in (pact.consumer, pact.provider) if n)


def suite_name(pact: PactReport) -> str:
    who = parties(pact)
    return f"{who} ({pact.pact_file})" if who else pact.pact_file


def locations(finding: Finding) -> tuple[str | None, str | None]:
    """(pact location, spec location) of a finding in the reference engine's dotted form."""
    return mock_location(finding.at), spec_location(finding.spec.at)


def finding_message(finding: Finding) -> str:
    """The message every format shows: the finding's own, then the value that fails.

    ` (sent "x")` is added when the value is short enough to read in a line; the message
    itself (the reference wording first) is never changed.
    """
    value = finding.mock_value
    if value is MISSING or isinstance(value, dict) or not finding.code.about_value:
        return finding.message
    text = json_text(value)
    return f"{finding.message} (sent {text})" if len(text) <= 80 else finding.message


RENDER_DEPTH = 200
"""Levels of a value a report writes out in full; deeper parts are written as `DEEPER`."""
DEEPER = f"[nested deeper than {RENDER_DEPTH} levels]"


def json_text(value: Any, *, indent: bool = False) -> str:
    """`value` as JSON text (orjson's compact or two-space form), whatever it holds.

    orjson refuses integers beyond 64 bits (a YAML spec may hold them) and values nested
    more than 255 levels (a pact body may, up to the readers' 1,024): then, and only then,
    the value is written by the `json` module, which holds any integer, with the parts
    deeper than `RENDER_DEPTH` levels replaced by `DEEPER`. The same text as orjson's
    otherwise; NaN and infinities are null, as orjson writes them.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0).decode()
    except TypeError:  # orjson.JSONEncodeError: too deep, an integer too large
        import json

        bounded = _bounded(value, RENDER_DEPTH)
        if indent:
            return json.dumps(bounded, indent=2, ensure_ascii=False)
        return json.dumps(bounded, separators=(",", ":"), ensure_ascii=False)


def _bounded(value: Any, levels: int) -> Any:
    """A copy of `value` that the `json` module writes as orjson would, `levels` deep at most."""
    if isinstance(value, dict | list | tuple):
        if levels <= 0:
            return DEEPER
        if isinstance(value, dict):
            return {str(k): _bounded(v, levels - 1) for k, v in value.items()}
        return [_bounded(v, levels - 1) for v in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)
