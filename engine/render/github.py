"""GitHub Actions workflow commands: each finding an annotation on the line it is about.

`::error file=F,line=L,col=C,title=CODE::message`, escaped as GitHub documents
(https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts): in the
message `%`, CR and LF; in a property also `:` and `,`. A pact's own text goes through
`plain` first, so no string from a pact can end the line and start a command of its own.

The annotation sits on the spec when its line is known (the provider's file, in the
provider's build), else on the pact; the message names the other place. A pending
pact's errors are warnings: they fail no build. The last line is the text report's
summary line, for the log.
"""

from __future__ import annotations

from ..check.report import Report
from ..positions import Position
from .names import interaction_heading, locations, plain
from .placed import Placed, placed_findings
from .text import render as render_text


def escape_data(text: str) -> str:
    """A workflow command's message, escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (`file=...`, `title=...`), escaped."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, color: bool = False) -> str:
    lines = [_command(placed) for placed in placed_findings(report)]
    lines.append(render_text(report, False).split("\n", 1)[0])
    return "\n".join(lines) + "\n"


def _command(placed: Placed) -> str:
    finding = placed.finding
    where = placed.spec or placed.mock
    properties: list[tuple[str, str]] = []
    if where is not None:
        properties += [("file", where.file), ("line", str(where.line)), ("col", str(where.column))]
    properties.append(("title", finding.code.code))
    message = [plain(finding.message)]
    if placed.pact is not None and placed.result is not None:
        message.append(plain(f"{interaction_heading(placed.result.interaction)} in {placed.pact.pact_file}"))
    mock_at, spec_at = locations(finding)
    if spec_at:
        message.append(plain(f"spec: {spec_at}{_at(placed.spec)}"))
    if mock_at:
        message.append(plain(f"pact: {mock_at}{_at(placed.mock)}"))
    level = "error" if placed.blocking else "warning"
    props = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{level} {props}::{escape_data(chr(10).join(message))}"


def _at(position: Position | None) -> str:
    return f" ({position.file}:{position.line}:{position.column})" if position else ""
