"""`crosscontract diff`: which consumers does a new version of the spec break, and where?

The engine does the work (`engine.diff`): both specs are read, every interaction is checked
against each, and the spec changes are listed with the consumers they reach. The pacts come
from files and folders, or from a Pact Broker with the options of `compare` (nothing is
ever published: a diff verifies no provider version).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from .broker import BrokerSettings, broker_options, wants_broker
from .options import additional_properties_in_response, pact_paths, required_properties_in_response, spec_path
from .terminal import Terminal, fail

if TYPE_CHECKING:
    from crosscontract.engine import Comparator
    from crosscontract.engine.diff import DiffReport

FORMATS = ("text", "json", "markdown")


@click.command()
@click.argument("old_spec", type=click.Path(dir_okay=False, path_type=str), callback=spec_path)
@click.argument("new_spec", type=click.Path(dir_okay=False, path_type=str), callback=spec_path)
@click.argument("pacts", nargs=-1, type=click.Path(path_type=str), callback=pact_paths)
@click.option(
    "--format",
    "-o",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: for people; json: for tools; markdown: a pull-request comment.",
)
@click.option(
    "--fail-on-unused-breaking",
    is_flag=True,
    help="Also exit 1 when a breaking change (error) reaches no consumer.",
)
@additional_properties_in_response
@required_properties_in_response
@click.option(
    "--allow-outside-refs", is_flag=True, help="Follow file $refs that point outside the specs' folders."
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the cache folder (compiled checks, results against OLD_SPEC).",
)
@broker_options
def diff(
    old_spec: str,
    new_spec: str,
    pacts: tuple[str, ...],
    output_format: str,
    fail_on_unused_breaking: bool,
    additional_properties_in_response: bool,
    required_properties_in_response: bool,
    allow_outside_refs: bool,
    no_cache: bool,
    **broker: Any,
) -> None:
    """Compare the spec OLD_SPEC with its new version NEW_SPEC, from the consumers' side.

    Every interaction of PACTS (files, folders of *.json pacts, or URLs) is checked against
    both versions; with --provider the pacts come from a Pact Broker instead. The spec
    changes are listed with the consumers whose interactions use each changed operation.

    Exit status: 0 no interaction newly broken, 1 some interaction newly broken (or, with
    --fail-on-unused-breaking, a breaking change no consumer uses), 2 bad input or broker fault.

    \b
    Examples:
      crosscontract diff main/openapi.yaml openapi.yaml pacts/
      crosscontract diff --format markdown old.yaml new.yaml --provider petstore \\
        --main-branch --deployed-or-released
    """
    from crosscontract.engine import Comparator, EngineConfig, InputError, Options
    from crosscontract.engine.diff import impact, outcomes
    from crosscontract.engine.diff.impact import load_both
    from crosscontract.engine.diff.render import render
    from crosscontract.engine.errors import BrokerError
    from crosscontract.engine.schema.diskstore import DiskStore

    # Two parsed specs are millions of long-lived objects and next to no cyclic garbage: at
    # CPython's default threshold the collector walks them again and again (a third of a
    # GitHub-sized diff). The same setting as `compare`, for the same reason.
    gc.set_threshold(200_000, 30, 30)
    settings = BrokerSettings.of(broker)
    if settings.publish:
        raise click.UsageError("a diff publishes no verification results: drop --publish")
    use_broker = wants_broker(settings, pacts)
    options = Options(additional_properties_in_response, required_properties_in_response)
    config = EngineConfig(options, store=None if no_cache else DiskStore.default())
    try:
        old, new = load_both(old_spec, new_spec, allow_outside_refs=allow_outside_refs, store=config.store)
        before, after = Comparator(old, config), Comparator(new, config)
        folder = config.store.directory / "diff-outcomes" if config.store is not None else None
        digest = outcomes.spec_digest(old, options) if folder is not None else ""
        kept = outcomes.load(folder, digest) if folder is not None else {}
        known = len(kept)
        status = None
        if use_broker:
            report, status = _with_broker(before, after, pacts, settings, kept)
        else:
            from crosscontract.engine.check.compare import split_pacts
            from crosscontract.engine.pact.reader import read_pact

            parsed, files = split_pacts(pacts)
            report = impact(before, after, [*parsed, *(read_pact(f) for f in files)], old_outcomes=kept)
        if folder is not None and len(kept) != known:
            outcomes.store(folder, digest, kept)
    except (InputError, BrokerError) as exc:
        fail(str(exc), output_format)
    except RecursionError:
        fail("schema nesting is too deep to check", output_format)
    except Exception as exc:
        if os.environ.get("CROSSCONTRACT_DEBUG"):
            raise
        fail(
            f"internal error: {type(exc).__name__}: {exc} (set CROSSCONTRACT_DEBUG=1 for details)",
            output_format,
        )
    rendered = render(report, output_format)
    click.echo(rendered, nl=not rendered.endswith("\n"))
    sys.exit(status or report.exit_code(fail_on_unused_breaking=fail_on_unused_breaking))


def _with_broker(
    before: Comparator,
    after: Comparator,
    pacts: tuple[str, ...],
    settings: BrokerSettings,
    kept: dict[str, tuple[bool, str | None]],
) -> tuple[DiffReport, int | None]:
    """The broker's pacts (checked against the new spec on the way), then against the old one too.

    With them, 1 when the broker had no pacts (and --no-fail-if-no-pacts-found was not
    given: nothing was diffed), else None.
    """
    from crosscontract.engine.broker.workflow import verify
    from crosscontract.engine.diff import impact
    from crosscontract.engine.pact.reader import iter_pact_files, read_pact
    from crosscontract.engine.urls import is_url

    from .broker import open_broker

    local = [p for p in pacts if not is_url(p)]
    with open_broker(settings, pacts) as broker:
        run = verify(
            after,
            broker,
            provider=settings.provider,
            query=settings.query(),
            pact_urls=[p for p in pacts if is_url(p)],
            local_pacts=local,
            listener=Terminal(),
        )
    # The run's reports are of the fetched pacts, then of the local ones, in that order.
    fetched = [f.pact for f in run.pacts] + [read_pact(f) for f in iter_pact_files(local)]
    report = impact(before, after, fetched, after=run.report.pacts, old_outcomes=kept)
    failed = run.found_no_pacts and settings.status_of(run) != 0  # says why
    return report, 1 if failed else None
