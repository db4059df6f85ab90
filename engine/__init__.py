"""crosscontract's engine: are consumer pacts compatible with a provider's OpenAPI document?

Data flows one way: `load_spec` -> `OperationIndex` (routing, validators built once)
-> `read_pact` interactions -> rules -> `Finding`s -> `Report`.

    >>> from crosscontract.engine import compare
    >>> report = compare("openapi.yaml", ["pacts/"])
    >>> report.success, report.exit_code
"""

from __future__ import annotations

from .check.compare import Comparator, compare
from .check.findings import CODES, Code, Finding, Severity
from .check.report import InteractionResult, PactReport, Report
from .errors import InputError
from .pact.reader import Interaction, Pact, parse_pact, read_pact
from .spec.index import OperationIndex, Options
from .spec.loading import Spec, load_spec

__all__ = [
    "CODES",
    "Code",
    "Comparator",
    "Finding",
    "InputError",
    "Interaction",
    "InteractionResult",
    "OperationIndex",
    "Options",
    "Pact",
    "PactReport",
    "Report",
    "Severity",
    "Spec",
    "compare",
    "load_spec",
    "parse_pact",
    "read_pact",
]
