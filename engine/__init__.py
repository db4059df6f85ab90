"""crosscontract's engine: are consumer pacts compatible with a provider's OpenAPI document?

Data flows one way: `load_spec` -> `OperationIndex` (routing, validators built once)
-> `read_pact` interactions -> rules -> `Finding`s -> `Report`.

    >>> from crosscontract.engine import compare
    >>> report = compare("openapi.yaml", ["pacts/"])
    >>> report.success, report.exit_code
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .check.compare import Comparator, compare
    from .check.findings import CODES, Code, Finding, Severity
    from .check.report import InteractionResult, PactReport, Report
    from .config import EngineConfig
    from .errors import InputError
    from .pact.reader import Interaction, Pact, parse_pact, read_pact
    from .spec.index import OperationIndex, Options
    from .spec.loading import Spec, load_spec
    from .spec.operations import read_operations
    from .spec.source import FolderSource, MappingSource, SpecSource

# Where each public name lives. They are imported on first use (PEP 562), so a front end
# can import one light module of the engine (the list of report formats for `--help`)
# without loading the validators.
_HOMES = {
    "Comparator": "check.compare",
    "compare": "check.compare",
    "CODES": "check.findings",
    "Code": "check.findings",
    "Finding": "check.findings",
    "Severity": "check.findings",
    "InteractionResult": "check.report",
    "PactReport": "check.report",
    "Report": "check.report",
    "EngineConfig": "config",
    "InputError": "errors",
    "Interaction": "pact.reader",
    "Pact": "pact.reader",
    "parse_pact": "pact.reader",
    "read_pact": "pact.reader",
    "OperationIndex": "spec.index",
    "Options": "spec.index",
    "Spec": "spec.loading",
    "load_spec": "spec.loading",
    "read_operations": "spec.operations",
    "FolderSource": "spec.source",
    "MappingSource": "spec.source",
    "SpecSource": "spec.source",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CODES",
    "Code",
    "Comparator",
    "EngineConfig",
    "Finding",
    "FolderSource",
    "InputError",
    "Interaction",
    "InteractionResult",
    "MappingSource",
    "OperationIndex",
    "Options",
    "Pact",
    "PactReport",
    "Report",
    "Severity",
    "Spec",
    "SpecSource",
    "compare",
    "load_spec",
    "parse_pact",
    "read_operations",
    "read_pact",
]
