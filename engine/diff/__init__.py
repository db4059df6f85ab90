"""What a new version of a spec breaks, seen from the consumers' side.

    >>> from crosscontract.engine.diff import diff
    >>> report = diff("openapi-main.yaml", "openapi.yaml", ["pacts/"])
    >>> report.compatible, report.exit_code()

`changes.py` lists the spec-vs-spec changes, each with a code from `codes.py` and a severity
for a client of the old spec; `impact.py` checks every interaction against both versions
and names the consumers each change reaches; `render.py` writes the result.
"""

from __future__ import annotations

from .changes import Change, spec_changes
from .codes import CHANGE_CODES, ChangeCode, ChangeSeverity
from .impact import ChangeImpact, DiffReport, InteractionImpact, diff, impact

__all__ = [
    "CHANGE_CODES",
    "Change",
    "ChangeCode",
    "ChangeImpact",
    "ChangeSeverity",
    "DiffReport",
    "InteractionImpact",
    "diff",
    "impact",
    "spec_changes",
]
