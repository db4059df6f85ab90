"""`compare --help` in sections: thirty options in one flat list hide the two that matter.

click lists a command's options in one block; `SectionedCommand` writes one block per
section instead. An option's section comes from its name (the broker's options from
`broker_options` itself, so a new broker option lands in its section unasked); one not
named here (`--help`) goes to "Other options".
"""

from __future__ import annotations

from functools import cache

import click

from .broker import broker_options

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Report", ("output_format", "output", "reports", "color", "quiet", "summary")),
    ("Noise control", ("ignore_codes", "ignore_headers", "fail_on")),
    (
        "Comparison",
        (
            "additional_properties_in_response",
            "required_properties_in_response",
            "matching_rules",
            "allow_outside_refs",
        ),
    ),
    ("Performance", ("jobs", "no_cache")),
)
BROKER_SECTION = "Pact Broker"
OTHER_SECTION = "Other options"


@cache
def _broker_names() -> frozenset[str]:
    def probe() -> None: ...

    params: list[click.Parameter] = getattr(broker_options(probe), "__click_params__", [])
    return frozenset(p.name for p in params if p.name)


def section_of(name: str | None) -> str:
    for title, names in SECTIONS:
        if name in names:
            return title
    return BROKER_SECTION if name in _broker_names() else OTHER_SECTION


class SectionedCommand(click.Command):
    """A command whose `--help` lists its options by section."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            if not isinstance(param, click.Option):  # arguments are in the usage line
                continue
            record = param.get_help_record(ctx)
            if record is not None:
                rows.setdefault(section_of(param.name), []).append(record)
        order = [title for title, _ in SECTIONS] + [BROKER_SECTION, OTHER_SECTION]
        for title in order:
            if title in rows:
                with formatter.section(title):
                    formatter.write_dl(rows[title])
