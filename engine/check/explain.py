"""What `explain` says about a code: when it is reported, why it matters, which check reports it."""

from __future__ import annotations

from . import codes
from .findings import CODES, Code
from .rules import RULES

# Codes reported outside the rules: by routing, before any rule runs, and by a broker run.
_OUTSIDE_RULES = {
    codes.PATH_OR_METHOD_UNKNOWN.code: "Each interaction is routed by method and path before any rule runs.",
    codes.NO_PACTS_FOUND.code: "A run against a Pact Broker says so when the broker has no pacts to verify.",
}


def checked_by(code: Code) -> tuple[str, ...]:
    """What reports `code`: the rules that declare it, or where the comparison reports it itself."""
    found = tuple(r.doc for r in RULES if code in r.codes)
    outside = _OUTSIDE_RULES.get(code.code)
    return found + ((outside,) if outside else ())


def explanation(code: Code) -> str:
    checks = "\n".join(f"- {doc}" for doc in checked_by(code))
    return (
        f"{code.code} ({code.severity.value})\n\n{code.summary}\n\n"
        f"Why it matters: {code.why}\n\nChecked:\n{checks}"
    )


def listing() -> str:
    """Every code, one line each: code, severity, summary."""
    return "\n".join(f"{c.code:38} {c.severity.value:8} {c.summary}" for c in CODES.values())
