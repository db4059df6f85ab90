"""`crosscontract`: compare consumer pacts with a provider's OpenAPI document.

Only click is imported at start-up; the engine (and its validators) is imported by the
command that needs it, so `--help` and `--version` stay instant.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from . import terminal
from .broker import BrokerSettings, broker_options, secrets_in, wants_broker
from .help import SectionedCommand
from .options import (
    ReportSettings,
    additional_properties_in_response,
    ci_options,
    emit,
    pact_paths,
    required_properties_in_response,
    spec_path,
)
from .terminal import EXIT_INPUT, Terminal, fail, not_empty

if TYPE_CHECKING:
    from crosscontract.engine import Comparator
    from crosscontract.engine.broker.workflow import VerificationRun
    from crosscontract.engine.schema.diskstore import DiskStore

from crosscontract.engine.render import RENDERERS

# Commands whose modules are imported when the command is asked for (its run, its help, or
# the list in `--help`): a `compare` run does not build the options of the others.
_LATER_COMMANDS = {
    "publish-provider-contract": ("contract", "publish_provider_contract"),
    "diff": ("diff", "diff"),
    "serve": ("serve", "serve"),
    "worker": ("serve", "worker"),
    "token": ("serve", "token"),
}


class _OneLineErrors(click.Group):
    """A group whose usage errors are one line (and JSON with `--format json`), exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LATER_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LATER_COMMANDS and cmd_name not in self.commands:
            module, name = _LATER_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"{__package__}.{module}"), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        # Known before a single option is read: a usage error may quote the token back.
        terminal.hide(secrets_in(argv, os.environ))
        try:
            result = super().main(argv, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # a bare `crosscontract`: the help, as click
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            known = argv and (argv[0] in self.commands or argv[0] in _LATER_COMMANDS)
            hint = f" (see 'crosscontract {argv[0]} --help')" if known else ""
            fail(exc.format_message().replace("\n", " ") + hint, _format_in(argv))
        except click.Abort:
            terminal.say("aborted")
            sys.exit(EXIT_INPUT)
        sys.exit(result if isinstance(result, int) else 0)


def _format_in(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg in ("--format", "-o") and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--format="):
            return arg.split("=", 1)[1]
        if arg.startswith("-o") and not arg.startswith("--"):
            return arg[2:]
    return "text"


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", package_name="crosscontract", prog_name="crosscontract")
def cli() -> None:
    """Check that consumer Pact files are compatible with a provider's OpenAPI document.

    \b
    Examples:
      crosscontract compare openapi.yaml pacts/
      crosscontract compare --format json swagger.json consumer-provider.json
      crosscontract explain response.body.incompatible
    """


@cli.command(cls=SectionedCommand)
@click.argument("spec", type=click.Path(dir_okay=False, path_type=str), callback=spec_path)
@click.argument("pacts", nargs=-1, type=click.Path(path_type=str), callback=pact_paths)
@click.option(
    "--format",
    "-o",
    "output_format",
    type=click.Choice(list(RENDERERS)),
    default="text",
    show_default=True,
    help="; ".join(f"{r.name}: {r.summary}" for r in RENDERERS.values()) + ".",
)
@additional_properties_in_response
@required_properties_in_response
@click.option(
    "--matching-rules/--no-matching-rules",
    default=True,
    show_default=True,
    help="Check what the pact's matching rules admit too; warn, with a counterexample, where they differ.",
)
@click.option(
    "--allow-outside-refs", is_flag=True, help="Follow file $refs that point outside the spec's folder."
)
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    callback=not_empty,
    metavar="FILE",
    help="Write the --format report to FILE; the text report still goes to the terminal.",
)
# performance: neither changes the report
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Check pact files in up to N processes.",
)
@click.option(
    "--no-cache", is_flag=True, help="Neither read nor write the cache folder (compiled checks, parsed YAML)."
)
@ci_options
@broker_options
def compare(
    spec: str,
    pacts: tuple[str, ...],
    output_format: str,
    additional_properties_in_response: bool,
    required_properties_in_response: bool,
    matching_rules: bool,
    allow_outside_refs: bool,
    color: bool | None,
    output: str | None,
    jobs: int,
    no_cache: bool,
    **broker: Any,
) -> None:
    """Compare PACTS (files, folders of *.json pacts, or URLs) with the OpenAPI document SPEC.

    With --provider, the pacts come from a Pact Broker instead, and --publish sends the
    verification results back.

    Exit status: 0 compatible (warnings allowed), 1 incompatible, 2 bad input or broker fault.

    \b
    Examples:
      crosscontract compare openapi.yaml pacts/
      crosscontract compare --format json petstore.yaml web-petstore.json
      crosscontract compare openapi.yaml --provider petstore --main-branch --deployed-or-released \\
        --publish --provider-app-version "$GIT_SHA" --provider-branch main
    """
    from crosscontract.engine import EngineConfig, InputError, Options, load_spec
    from crosscontract.engine.errors import BrokerError
    from crosscontract.engine.schema.diskstore import DiskStore

    from . import parallel

    # A run builds hundreds of thousands of long-lived objects (the parsed spec and pacts)
    # and next to no cyclic garbage; at CPython's default threshold (700 allocations) the
    # collector walks them over and over, 20-25% of a 10,000-interaction run
    # (benchmarks/bench_cli.py). Collecting every 200,000 allocations keeps it to a few walks.
    gc.set_threshold(200_000, 30, 30)
    reporting = ReportSettings.pop_from(broker)  # the report and noise-control options
    settings = BrokerSettings.of(broker)
    options = Options(additional_properties_in_response, required_properties_in_response, matching_rules)
    config = EngineConfig(options, store=None if no_cache else _trusted(DiskStore.default()))
    use_broker = wants_broker(settings, pacts)
    checker = None
    try:
        loaded = load_spec(spec, allow_outside_refs=allow_outside_refs, store=config.store)
        if use_broker:
            checker = reporting.checker(loaded, config)  # the noise is left out before publishing
            verified = _compare_with_broker(checker, pacts, settings)
            report, status = verified.report, settings.status_of(verified)
        else:
            report = parallel.compare(loaded, pacts, config, jobs)
            status = report.exit_code
    except (InputError, BrokerError) as exc:
        fail(str(exc), output_format)
    except click.ClickException:
        raise
    except RecursionError:
        fail(f"{spec}: schema nesting is too deep to check", output_format)
    except Exception as exc:
        if os.environ.get("CROSSCONTRACT_DEBUG"):
            raise
        fail(
            f"internal error: {type(exc).__name__}: {exc} (set CROSSCONTRACT_DEBUG=1 for details)",
            output_format,
        )
    sys.exit(emit(report, status, reporting, output_format, output, color, checker))


def _trusted(store: DiskStore | None) -> DiskStore | None:
    """The cache folder, if the user alone may write to it; else a warning and no cache."""
    problem = None if store is None else store.usable()
    if store is not None and problem is not None:
        terminal.say(f"warning: the cache folder {store.directory} is not used: {problem}")
        return None
    return store


def _compare_with_broker(
    checker: Comparator, pacts: tuple[str, ...], settings: BrokerSettings
) -> VerificationRun:
    """Verify with the broker; its notices and progress go to stderr as the run goes."""
    from crosscontract.engine.broker.workflow import verify
    from crosscontract.engine.urls import is_url

    from .broker import open_broker

    with open_broker(settings, pacts) as broker:
        return verify(
            checker,
            broker,
            provider=settings.provider,
            query=settings.query(),
            pact_urls=[p for p in pacts if is_url(p)],
            local_pacts=[p for p in pacts if not is_url(p)],
            publish=settings.publication(),
            listener=Terminal(),
        )


@cli.command()
@click.argument("code", required=False)
def explain(code: str | None) -> None:
    """Explain a result CODE, or list every code."""
    from crosscontract.engine.check.explain import explanation, listing
    from crosscontract.engine.check.findings import CODES

    if code is None:
        terminal.write(listing() + "\n")
        return
    entry = CODES.get(code)
    if entry is None:
        raise click.BadParameter(
            f"unknown code {code!r}; run 'crosscontract explain' for the list", param_hint="CODE"
        )
    terminal.write(explanation(entry) + "\n")


def main() -> None:
    """The `crosscontract` command: run, flush the output, and end the process at once.

    Python would otherwise free every object of the run one by one on the way out: the
    parsed spec and pacts, 80-100 ms for GitHub's 13 MB description (benchmarks/bench_cli.py)
    and nothing anyone waits for. Nothing of ours needs a finalizer; output is flushed here.
    """
    try:
        cli()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int | str | None) else 1
    if isinstance(code, str):
        terminal.say(code)
        code = 1
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as exc:  # a closed pipe, a full disk, a closed stream
        if code != EXIT_INPUT:  # not said yet: a failed write that was said exits 2
            try:
                terminal.unwritable(exc)
            except SystemExit:
                code = EXIT_INPUT
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        code = code or EXIT_INPUT
    os._exit(code or 0)
