"""The comparison loop: route each interaction, run the rules, collect the findings.

A `Comparator` holds one spec's operation index, so one loaded spec can check any
number of pacts and every schema is compiled at most once across them. It is configured
by the `EngineConfig` it is given (`Options` alone: the defaults for the rest), and it is
one run: its validators share one view of the memo and the disk store (`compiled.CompileRun`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

import orjson

from .._types import MISSING, Json, JsonObject, Pointer
from ..config import EngineConfig
from ..errors import InputError
from ..pact.reader import Interaction, Pact, iter_pact_files, read_pact
from ..schema.validation import InvalidSchemaError, RemoteReferenceError
from ..spec.index import Operation, OperationIndex, Options, parse_template
from ..spec.loading import Spec, load_spec
from ..spec.servers import split_path
from . import codes
from .findings import Finding, SpecPlace
from .report import InteractionResult, PactReport, Report
from .rules import Context, Plans
from .rules._messages import listing

DECLARED_PATHS_BYTES = 8 * 2**10
"""How large (compact JSON) the `paths` object may be for an unknown-path finding to carry it."""


class Comparator:
    """Compares pacts with one spec."""

    def __init__(
        self, spec: Spec | str | Path | JsonObject, config: EngineConfig | Options | None = None
    ) -> None:
        self.config = EngineConfig.of(config)
        self.options = self.config.options
        self.spec = spec if isinstance(spec, Spec) else load_spec(spec, store=self.config.store)
        self.index = OperationIndex(self.spec, self.options, self.config.start())
        self._plans = Plans(self.options.matching_rules)
        self._paths_value: Json = MISSING
        """What an unknown-path finding says the spec declares (`_declared_paths`), once measured."""

    def check_interaction(self, interaction: Interaction) -> tuple[Finding, ...]:
        # One frame, not a wrapper around the loop: this runs once per interaction. Routing is
        # inside the `try`: a path parameter's schema is checked while routing.
        try:
            request = interaction.request
            operation = self.index.route(request.method, request.path)
            if operation is None:
                return (self._unknown_path(interaction),)
            context = Context.of(operation, interaction)
            findings = [finding for rule in self._plans.of(context) for finding in rule.check(context)]
        except (RemoteReferenceError, InvalidSchemaError) as exc:  # bad input: one line naming the spec
            raise InputError(self.spec.label, str(exc)) from None
        return tuple(findings) if len(findings) < 2 else _once_each(findings)

    def _unknown_path(self, interaction: Interaction) -> Finding:
        request = interaction.request
        return Finding(
            codes.PATH_OR_METHOD_UNKNOWN,
            f"Path or method not defined in spec file: {request.method.upper()} {request.path}"
            + self._why_unknown(request.method, request.path),
            ("interactions", interaction.index, "request", "path"),
            SpecPlace(("paths",), self._declared_paths()),
            mock_value=request.path,
        )

    def _declared_paths(self) -> Json:
        """The spec value of an unknown-path finding: the `paths` object, when it is small.

        Every such finding carries it, so a large spec would be repeated in full per
        finding (300 findings against a 370 KB spec made a 197 MB JSON report). Up to
        `DECLARED_PATHS_BYTES` of compact JSON it is the `paths` object, as the reference
        engine reports it; past that, the list of the declared path names when that fits,
        else null.
        """
        if self._paths_value is MISSING:
            paths = self.spec.document.get("paths")
            value: Json = None
            for candidate in (paths, list(paths) if isinstance(paths, dict) else None):
                try:
                    if len(orjson.dumps(candidate)) <= DECLARED_PATHS_BYTES:
                        value = candidate
                        break
                except TypeError:  # beyond what orjson writes (a huge integer, deep nesting): large
                    continue
            self._paths_value = value
        return self._paths_value

    def _why_unknown(self, method: str, path: str) -> str:
        """What is wrong with an unknown request: the method, a path parameter, or the path.

        Only unknown requests get here, so scanning every operation costs nothing on the
        routed ones.
        """
        segments = split_path(path.split("?", 1)[0])
        tries = [segments] + [segments[len(p) :] for p in self.index.prefixes if segments[: len(p)] == p]
        shaped = [op for op in self.index.operations if any(_same_shape(op.segments, t) for t in tries)]
        same_method = [op for op in shaped if op.method == method]
        for operation in same_method:
            for actual in tries:
                reason = _failing_parameter(operation, actual)
                if reason is not None:
                    return f" ({path} matches {operation.path_name}, but {reason})"
        if shaped:
            paths = sorted({op.path_name for op in shaped})
            declared = [op for op in self.index.operations if op.path_name in paths]
            if len(paths) == 1:
                methods = sorted({op.method.upper() for op in declared})
                return f" (no {method.upper()} on {paths[0]}; declared: {', '.join(methods)})"
            # Several spellings fit (`/users` and `/users/`, a literal and a template): each
            # declares its own methods, so name them with their path.
            where = " or ".join(paths) if len(paths) <= 3 else listing(paths)
            pairs = listing(f"{op.method.upper()} {op.path_name}" for op in declared)
            return f" (no {method.upper()} on {where}; declared: {pairs})"
        names = sorted({op.path_name for op in self.index.operations})
        import difflib  # only unknown requests get here

        close = difflib.get_close_matches(path.split("?", 1)[0], names, n=1, cutoff=0.7)
        return f" (closest declared path: {close[0]})" if close else ""

    def check_pact(self, pact: Pact) -> PactReport:
        # Results keep refs, not interactions: a report holds its findings, not every body.
        # A list built and then made a tuple: a generator would be resumed once per interaction.
        check = self.check_interaction
        results = tuple([InteractionResult(i.ref, check(i)) for i in pact.interactions])
        return PactReport(pact.file, pact.consumer, pact.provider, results, tuple(pact.skipped))


def _same_shape(template: tuple[str, ...], actual: tuple[str, ...]) -> bool:
    """Whether `actual` has `template`'s literal segments (its parameters not checked)."""
    return len(template) == len(actual) and all(
        t == a or (len(t) > 2 and t[0] == "{" and t[-1] == "}") for t, a in zip(template, actual, strict=True)
    )


def _failing_parameter(operation: Operation, actual: tuple[str, ...]) -> str | None:
    """Which path parameter of `operation` the concrete `actual` segments fail, and why."""
    if not _same_shape(operation.segments, actual):
        return None
    for template, value in zip(operation.segments, actual, strict=True):
        if template == value or not template.startswith("{"):
            continue
        parsed = parse_template(template)
        name = parsed.name if parsed else template[1:-1]
        param = operation.path_parameters.get(name)
        errors = param.check([unquote(value)]) if param is not None else []
        if errors:
            return f"{name} {unquote(value)!r} {errors[0].message}"
    return None


def _once_each(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Identical findings (two rules may report the same problem) are reported once."""
    seen: set[tuple[str, str, Pointer | None, Pointer | None]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.code.code, finding.message, finding.at, finding.spec.at)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return tuple(unique)


def compare(
    spec: Spec | str | Path | JsonObject,
    pacts: Iterable[Pact | str | Path],
    config: EngineConfig | Options | None = None,
) -> Report:
    """Compare pacts (parsed, or paths to files or folders) with a spec."""
    comparator = Comparator(spec, config)
    parsed, files = split_pacts(pacts)
    reports = [comparator.check_pact(p) for p in parsed]
    reports += (comparator.check_pact(read_pact(file)) for file in files)
    return Report.of(comparator.spec.label, reports)


def split_pacts(pacts: Iterable[Pact | str | Path]) -> tuple[list[Pact], list[Path]]:
    """Parsed pacts, and the pact files that the given paths (files or folders) name."""
    given = list(pacts)
    parsed = [p for p in given if isinstance(p, Pact)]
    return parsed, list(iter_pact_files([p for p in given if not isinstance(p, Pact)]))
