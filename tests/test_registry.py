"""Invariants of the result-code registry (`engine/findings.py`, `engine/codes.py`)."""

from __future__ import annotations

import re
from pathlib import Path

import crosscontract.engine.check.codes as codes
import pytest
from crosscontract.engine.check.findings import CODES, Code, Severity, declare

_TESTS = Path(__file__).resolve().parent
_WORD = r"[a-z]+(?:-[a-z]+)*"
_DOTTED = re.compile(rf"^(?:request|response)\.{_WORD}\.{_WORD}$")
# The reference engine's broker code has no <part>; it is kept verbatim so reports stay comparable.
_VERBATIM = {"pact-broker.no-pacts-found"}

# The reference engine's 23 codes with their fixed severities (peer-engine.md §1).
REFERENCE: dict[str, Severity] = {
    "request.path-or-method.unknown": Severity.ERROR,
    "request.accept.incompatible": Severity.ERROR,
    "request.accept.unknown": Severity.WARNING,
    "request.authorization.missing": Severity.ERROR,
    "request.body.incompatible": Severity.ERROR,
    "request.body.unknown": Severity.WARNING,
    "request.content-type.incompatible": Severity.ERROR,
    "request.content-type.missing": Severity.WARNING,
    "request.content-type.unknown": Severity.WARNING,
    "request.header.incompatible": Severity.ERROR,
    "request.header.unknown": Severity.WARNING,
    "request.query.incompatible": Severity.ERROR,
    "request.query.unknown": Severity.WARNING,
    "response.status.unknown": Severity.ERROR,
    "response.status.default": Severity.WARNING,
    "response.body.incompatible": Severity.ERROR,
    "response.body.unknown": Severity.ERROR,
    "response.content-type.incompatible": Severity.ERROR,
    "response.content-type.unknown": Severity.WARNING,
    "response.header.incompatible": Severity.ERROR,
    "response.header.unknown": Severity.ERROR,
    "response.header.undefined": Severity.WARNING,
    "pact-broker.no-pacts-found": Severity.WARNING,
}

# Checks the reference engine lacks, in its grammar.
OWN = {"request.cookie.incompatible": Severity.ERROR}

# Codes that only a Pact Broker run can report; there is no broker mode to test them through.
BROKER_ONLY = {"pact-broker.no-pacts-found"}


def test_codes_module_declares_every_registered_code() -> None:
    declared = {value.code for value in vars(codes).values() if isinstance(value, Code)}
    assert declared == set(CODES)


def test_codes_and_severities_are_the_reference_engines_plus_our_own() -> None:
    assert {name: code.severity for name, code in CODES.items()} == REFERENCE | OWN


@pytest.mark.parametrize("name", sorted(CODES))
def test_code_is_dotted_side_part_problem(name: str) -> None:
    assert CODES[name].code == name
    if name not in _VERBATIM:
        assert _DOTTED.match(name), name


@pytest.mark.parametrize("name", sorted(CODES))
def test_code_is_documented(name: str) -> None:
    code = CODES[name]
    for text in (code.summary, code.why):
        assert text.strip() == text
        assert len(text) > 20
        assert "\n" not in text
    assert code.summary != code.why


def test_declaring_a_code_twice_raises() -> None:
    original = CODES["request.query.unknown"]
    with pytest.raises(ValueError, match="declared twice"):
        declare("request.query.unknown", Severity.WARNING, "Another summary.", "Another reason.")
    assert CODES["request.query.unknown"] is original
    assert len(CODES) == len(REFERENCE) + len(OWN)


@pytest.mark.parametrize(("summary", "why"), [("", "A reason."), ("A summary.", "")])
def test_declaring_an_undocumented_code_raises(summary: str, why: str) -> None:
    with pytest.raises(ValueError, match="needs a summary and a reason"):
        declare("request.test.undocumented", Severity.ERROR, summary, why)
    assert "request.test.undocumented" not in CODES


def _test_sources() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8")
        for p in sorted(_TESTS.rglob("test_*.py"))
        if p.name != Path(__file__).name
    )


@pytest.mark.parametrize("name", sorted(set(CODES) - BROKER_ONLY))
def test_every_code_is_asserted_by_a_test(name: str) -> None:
    assert f'"{name}"' in _test_sources(), f"no test asserts {name}"
