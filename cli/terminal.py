"""What the commands say on the terminal: one-line messages, the error exit, progress bars.

Every command's stderr goes through here, so each line starts `crosscontract: ` and a bad
input ends the same way whatever the command: one line, status 2, and with
`--format json` a JSON answer on stdout that a tool can read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import NoReturn, TypeVar

import click

T = TypeVar("T")

EXIT_INPUT = 2
"""Exit status for bad input, a usage error or a broker fault."""

PROGRESS_FROM = 5
"""Fewer items than this are handled too fast for a progress bar to help."""


def say(message: str) -> None:
    click.echo(f"crosscontract: {message}", err=True)


def fail(message: str, output_format: str) -> NoReturn:
    """Say `message` as an error (also as JSON on stdout for `--format json`) and exit 2."""
    if output_format == "json":
        import orjson

        click.echo(orjson.dumps({"success": False, "error": message}).decode())
    click.echo(f"crosscontract: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


@contextmanager
def progress(items: Sequence[T], label: str) -> Iterator[Iterable[T]]:
    """A progress bar on stderr, only on a terminal and only when there are many items."""
    if len(items) < PROGRESS_FROM or not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar


class Terminal:
    """A verification run's listener: its lines said as they come, its long steps as progress bars."""

    def notice(self, line: str) -> None:
        say(line)

    def progress(self, items: Sequence[T], label: str) -> AbstractContextManager[Iterable[T]]:
        return progress(items, label)
