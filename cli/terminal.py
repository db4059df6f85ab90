"""What the commands say and write: one-line messages, reports, the error exit, progress bars.

Every byte the command line writes goes through here, so that whatever the command:

- each stderr line starts `crosscontract: ` and has its control characters written as
  escapes (`line`): a file name, a spec path or a broker's notice must not colour the
  terminal, move its cursor, or start a line a CI log reads as a command (`::error::`);
- the run's secrets (`hide`) are scrubbed from every line, report and `--output` file;
- a bad input ends the same way: one line, status 2, and with `--format json` a JSON
  answer on stdout that a tool can read;
- output that cannot be written (a closed pipe, a full disk) is said in one line, status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from crosscontract.engine.urls import Secrets

T = TypeVar("T")

EXIT_INPUT = 2
"""Exit status for bad input, a usage error, a broker fault, or output that cannot be written."""

PROGRESS_FROM = 5
"""Fewer items than this are handled too fast for a progress bar to help."""

_hidden: Secrets | None = None
"""This command line's secrets: set once, before its options are read (`hide`)."""


def hide(secrets: Secrets | None) -> None:
    """Scrub `secrets` from everything written from now on (replacing what was hidden before)."""
    global _hidden
    _hidden = secrets


def scrub(text: str) -> str:
    return text if _hidden is None else _hidden.scrub(text)


def line(text: str) -> str:
    """`text` as a terminal line: secrets scrubbed, control characters written as escapes."""
    from crosscontract.engine.render.names import plain

    return plain(scrub(text))


def say(message: str) -> None:
    try:
        click.echo(f"crosscontract: {line(message)}", err=True)
    except (OSError, ValueError):  # nowhere left to say anything
        sys.exit(EXIT_INPUT)


def fail(message: str, output_format: str) -> NoReturn:
    """Say `message` as an error (also as JSON on stdout for `--format json`) and exit 2."""
    if output_format == "json":
        import orjson

        try:
            click.echo(orjson.dumps({"success": False, "error": scrub(message)}).decode())
            sys.stdout.flush()
        except (OSError, ValueError):  # the error line below still says what went wrong
            pass
    say(f"error: {message}")
    sys.exit(EXIT_INPUT)


def write(text: str, *, color: bool | None = None) -> None:
    """Write a report (or a command's answer) to stdout, secrets scrubbed, and flush it.

    Flushed here so that a closed pipe or a full disk is said now, in one line, not found
    on the way out as a bare exit status. `color` True keeps colour codes on a pipe too.
    """
    try:
        click.echo(scrub(text), nl=not text.endswith("\n"), color=color)
        sys.stdout.flush()
    except (OSError, ValueError) as exc:
        unwritable(exc)


def unwritable(exc: BaseException) -> NoReturn:
    """Say that stdout cannot be written, and exit 2."""
    if isinstance(exc, BrokenPipeError):
        reason = "the reader closed the pipe"
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    else:
        reason = "it is closed"
    say(f"error: cannot write to standard output: {reason}")
    sys.exit(EXIT_INPUT)


def write_file(path: str, text: str) -> str | None:
    """Write a report to `path`, secrets scrubbed; the reason it cannot be written, or None."""
    try:
        with open(path, "w", encoding="utf-8") as file:
            file.write(scrub(text if text.endswith("\n") else text + "\n"))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def not_empty(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A click callback: a file argument given as '' names no file (as a folder, '' is the current one)."""
    values = value if isinstance(value, tuple) else (value,)
    if any(v == "" for v in values):
        name = param.human_readable_name if isinstance(param, click.Argument) else f"--{param.name}"
        raise click.BadParameter(f"the {name} argument is empty: give a file", param=param)
    return value


@contextmanager
def progress(items: Sequence[T], label: str) -> Iterator[Iterable[T]]:
    """A progress bar on stderr, only on a terminal and only when there are many items."""
    if len(items) < PROGRESS_FROM or not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(items, label=line(label), file=sys.stderr, show_pos=True) as bar:
        yield bar


class Terminal:
    """A verification run's listener: its lines said as they come, its long steps as progress bars."""

    def notice(self, line: str) -> None:
        say(line)

    def progress(self, items: Sequence[T], label: str) -> AbstractContextManager[Iterable[T]]:
        return progress(items, label)
