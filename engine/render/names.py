"""How every format names interactions and pacts, and keeps a pact's text harmless."""

from __future__ import annotations

import re

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
    from .json import json_text  # here: the JSON renderer imports this module

    text = json_text(value)
    return f"{finding.message} (sent {text})" if len(text) <= 80 else finding.message
