"""`compare`'s report and noise-control options, and how their reports are written.

Several reports in one run (`--report sarif=out.sarif --report junit=junit.xml`, text
still on the terminal), findings left out by code or header (`--ignore`,
`--ignore-header`, also from a settings file: `config.py`), `--fail-on warning`,
`--quiet` and a closing summary line. With none of them given and no settings file,
a run prints exactly what it printed before they existed.

Colour follows https://no-color.org: `--color/--no-color` first, then `FORCE_COLOR`,
then `NO_COLOR`, then whether stdout is a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from crosscontract.engine.render import RENDERERS
from msgspec import Struct, field

from . import terminal
from .config import find_settings
from .terminal import fail, not_empty

if TYPE_CHECKING:
    from crosscontract.engine import Comparator, EngineConfig, Report, Spec
    from crosscontract.engine.check.filters import Noise

F = TypeVar("F", bound=Callable[..., Any])


class ReportTarget(click.ParamType[tuple[str, str], Any]):
    """`FORMAT=FILE`: a report in one of the formats, written to a file."""

    name = "FORMAT=FILE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        format_name, equals, file = str(value).partition("=")
        if not equals or not file:
            self.fail(f"{value!r} is not FORMAT=FILE (e.g. sarif=results.sarif)", param, ctx)
        if format_name not in RENDERERS:
            self.fail(f"unknown format {format_name!r}; choose from {', '.join(RENDERERS)}", param, ctx)
        return format_name, file


_OPTIONS = (
    click.option(
        "--report",
        "reports",
        type=ReportTarget(),
        multiple=True,
        help="Also write a report in FORMAT to FILE (repeatable), e.g. sarif=out.sarif.",
    ),
    click.option(
        "--quiet/--no-quiet",
        "-q",
        default=None,
        help="Text report: only the summary line and errors.",
    ),
    click.option(
        "--summary/--no-summary",
        default=None,
        help="Text report: close with a summary line that counts each code "
        "(default: on with any noise-control setting).",
    ),
    click.option(
        "--ignore",
        "ignore_codes",
        multiple=True,
        metavar="CODE",
        help="Leave out findings with this code (a glob, e.g. 'response.header.*'; repeatable).",
    ),
    click.option(
        "--ignore-header",
        "ignore_headers",
        multiple=True,
        metavar="NAME",
        help="Leave out findings about this request or response header (a glob, any case, e.g. 'sec-*').",
    ),
    click.option(
        "--fail-on",
        type=click.Choice(["error", "warning"]),
        default=None,
        help="Exit 1 on errors (the default), or on warnings too.",
    ),
)

NAMES = ("reports", "quiet", "summary", "ignore_codes", "ignore_headers", "fail_on")
"""The keyword arguments these options give the command."""


# Options that `compare` and `diff` share, declared once (module-level, as pip-tools does).
additional_properties_in_response = click.option(
    "--additional-properties-in-response",
    is_flag=True,
    help="Allow response bodies to hold properties the spec does not declare.",
)
required_properties_in_response = click.option(
    "--required-properties-in-response",
    is_flag=True,
    help="Demand that response bodies carry every property the spec marks required.",
)


def spec_path(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A click callback: a SPEC argument names a file; standard input and URLs are refused, saying why.

    A spec is read more than once (its `$ref`s, its positions for a report) and kept in
    the cache under its path, so it must be a file; fetching one is left to the tools made
    for it, with their own proxy and certificate settings.
    """
    from crosscontract.engine.urls import is_url, redact

    not_empty(ctx, param, value)
    if value == "-":
        raise click.BadParameter(
            "'-' (standard input) is not read: save the document to a file and give its path",
            param=param,
        )
    if is_url(value):
        raise click.BadParameter(
            f"{redact(value)!r} is a URL, and a spec is read from a file: download it first "
            "(e.g. curl -fsSLo openapi.yaml URL) and give its path",
            param=param,
        )
    return value


def pact_paths(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """A click callback: pacts are files, folders or URLs; standard input ('-') is refused, saying why."""
    not_empty(ctx, param, value)
    if "-" in value:
        raise click.BadParameter(
            "'-' (standard input) is not read: save the pact to a file, or give a folder of pacts",
            param=param,
        )
    return value


def ci_options(command: F) -> F:
    """Stack the report and noise-control options on a command."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


class ReportSettings(Struct, frozen=True):
    """The report and noise-control settings of one run: options over the settings file."""

    reports: tuple[tuple[str, str], ...] = ()
    ignore_codes: tuple[str, ...] = ()
    ignore_headers: tuple[str, ...] = ()
    fail_on: str = "error"
    quiet: bool = False
    summary: bool = False
    settings_file: Path | None = field(default=None)

    @classmethod
    def pop_from(cls, options: dict[str, Any]) -> ReportSettings:
        """Take this module's options out of a command's keyword arguments; add the file's."""
        given = {name: options.pop(name) for name in NAMES}
        found = find_settings()
        file = found.values
        ignore_codes = (*file.get("ignore", ()), *given["ignore_codes"])
        ignore_headers = (*file.get("ignore-header", ()), *given["ignore_headers"])
        fail_on = str(given["fail_on"] or file.get("fail-on", "error"))
        quiet = _first(given["quiet"], file.get("quiet"), False)
        noisy = bool(ignore_codes or ignore_headers or quiet or fail_on != "error" or found.path)
        return cls(
            reports=tuple(given["reports"]),
            ignore_codes=tuple(ignore_codes),
            ignore_headers=tuple(ignore_headers),
            fail_on=fail_on,
            quiet=quiet,
            summary=_first(given["summary"], file.get("summary"), noisy),
            settings_file=found.path,
        )

    def noise(self) -> Noise:
        from crosscontract.engine.check.filters import Noise

        return Noise(self.ignore_codes, self.ignore_headers)

    def checker(self, spec: Spec, config: EngineConfig) -> Comparator:
        """The comparator for a broker run: it leaves the noise out before results are published."""
        from crosscontract.engine.check.compare import Comparator
        from crosscontract.engine.check.filters import QuietComparator

        noise = self.noise()
        return QuietComparator(spec, config, noise) if noise else Comparator(spec, config)


def _first(*values: bool | None) -> bool:
    return next(v for v in values if v is not None)


def wants_color(flag: bool | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour the text report (https://no-color.org, FORCE_COLOR)."""
    if flag is not None:
        return flag
    env = os.environ if environ is None else environ
    force = env.get("FORCE_COLOR", "")
    if force:
        return force.lower() not in ("0", "false")
    if env.get("NO_COLOR", ""):
        return False
    return sys.stdout.isatty()


def emit(
    report: Report,
    status: int,
    settings: ReportSettings,
    output_format: str,
    output: str | None,
    color: bool | None,
    checker: Comparator | None = None,
) -> int:
    """Print and write the reports; the exit status, with the noise left out and `--fail-on` applied.

    `checker` is the comparator of a broker run, which left the noise out already.
    """
    from crosscontract.engine.check.filters import QuietComparator, without
    from crosscontract.engine.render import render
    from crosscontract.engine.render.closing import render_text_report

    filtered = without(report, settings.noise())
    report = filtered.report
    dropped = filtered.dropped
    if isinstance(checker, QuietComparator):
        dropped = dropped + checker.dropped
    if status != 2 and filtered.dropped:  # 2: a broker fault, whatever was found
        status = report.exit_code
    if status == 0 and settings.fail_on == "warning" and report.warning_count:
        status = 1
    use_color = wants_color(color)

    def text(colored: bool) -> str:
        return render_text_report(
            report, colored, quiet=settings.quiet, summary=settings.summary, ignored=dropped
        )

    for format_name, file in settings.reports:
        _write(file, text(False) if format_name == "text" else render(report, format_name), output_format)
    if output is None:
        shown = text(use_color) if output_format == "text" else render(report, output_format, color=use_color)
        terminal.write(shown, color=use_color)
        return status
    _write(output, text(False) if output_format == "text" else render(report, output_format), output_format)
    terminal.write(text(use_color), color=use_color)
    return status


def _write(file: str, rendered: str, output_format: str) -> None:
    """A report written to `file`, secrets scrubbed (`terminal.write_file`), or one line and exit 2."""
    problem = terminal.write_file(file, rendered)
    if problem is not None:
        fail(f"{file}: cannot write report: {problem}", output_format)
