"""Reports as text for people, the reference engine's JSON, JUnit XML, Markdown and CI formats.

`RENDERERS` is the one list of formats: the CLI's `--format` choices come from it, and a
new format is a module here plus one entry. Each renderer's module is imported when a
report is first written in its format, so a text run never loads `xml.etree`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from msgspec import Struct

if TYPE_CHECKING:  # the registry itself stays light: `--help` lists the formats without the engine
    from ..check.report import Report

RenderFunction = Callable[["Report", bool], str]
"""(report, colour) -> the whole report as text; formats without colour ignore the flag."""


class Renderer(Struct, frozen=True):
    name: str
    summary: str
    """For `--help`: who reads this format."""
    module: str
    """The module under `engine.render` whose `render(report, color)` writes it."""

    def render(self, report: Report, *, color: bool = False) -> str:
        function = cast(RenderFunction, importlib.import_module(f"{__name__}.{self.module}").render)
        return function(report, color)


RENDERERS: dict[str, Renderer] = {
    renderer.name: renderer
    for renderer in (
        Renderer("text", "for people", "text"),
        Renderer("json", "for tools: the reference engine's report shape", "json"),
        Renderer("junit", "JUnit XML for CI test reporters", "junit"),
        Renderer("markdown", "a table for a pull-request comment", "markdown"),
        Renderer("github", "GitHub Actions annotations on the spec's lines", "github"),
        Renderer("sarif", "SARIF 2.1.0 for code scanning", "sarif"),
        Renderer("gitlab", "GitLab code-quality JSON", "gitlab"),
    )
}


def render(report: Report, format_name: str, *, color: bool = False) -> str:
    """`report` in the format named `format_name` (a key of `RENDERERS`)."""
    return RENDERERS[format_name].render(report, color=color)


__all__ = ["RENDERERS", "Renderer", "render"]
