"""Schema `pattern`s read as ECMAScript reads them, matched in bounded time.

OpenAPI takes `pattern` from JSON Schema, which takes it from ECMAScript. Python's engines
read the same text differently, and a spec is other people's input:

- `\\d` and `\\w` are ASCII classes in ECMAScript, Unicode classes in Python;
- `$` is the end of the input in ECMAScript; Python's also matches before a final newline;
- `.` stops at every line terminator in ECMAScript (`\\n`, `\\r`, U+2028, U+2029);
- `{` that does not start a quantifier is a literal in ECMAScript; the `regex` module reads
  `c{e<=1}` as fuzzy matching;
- `[^]` is any character and `[]` no character in ECMAScript; Python refuses both;
- a pattern such as `^(a+)+$` takes exponential time in a backtracking engine.

So a pattern is translated token by token (`translate`) and run by RE2, whose time is
linear in the input; only what RE2 cannot run (back-references, lookaround) goes to the
`regex` module, with a time budget per match (`MATCH_SECONDS`). A match that exceeds it
counts as no match (`PatternTimeoutError` says so to those who ask). A pattern neither engine
can read constrains nothing, as before. Every validator (jsonschema through
`validation.py`, the compiled check through `fastpath.py`) matches through `compile_pattern`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from msgspec import Struct

MATCH_SECONDS = 0.05
"""Time one match may take in the backtracking fallback before it counts as no match."""

MAX_REPEAT = 1000
"""The largest repeat count run by the fallback; RE2 has the same bound. A larger count
(`a{100000}`) makes the pattern unreadable (it constrains nothing) rather than slow to build."""

_ASCII_CLASSES = {"d": "0-9", "w": "A-Za-z0-9_"}
_PROPERTY = re.compile(r"[pP]\{[A-Za-z_=]+\}")
_NAMED_REFERENCE = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")


class PatternError(ValueError):
    """A pattern no engine here can read."""


class PatternTimeoutError(Exception):
    """A match took longer than `MATCH_SECONDS` (only in the backtracking fallback)."""


def translate(pattern: str, *, for_re2: bool, clamp: bool = False) -> str:
    """`pattern` (ECMAScript) in the syntax of RE2 or of the `regex` module, same meaning.

    With `clamp`, every repeat count is lowered to at most 2: a syntax check need not build
    `(a{1000}){1000}` (two seconds in the `regex` module).
    """
    out: list[str] = []
    in_class = False
    i, n = 0, len(pattern)
    end = "\\z" if for_re2 else "\\Z"
    while i < n:
        char = pattern[i]
        if char == "\\" and i + 1 < n:
            escaped = pattern[i + 1]
            ascii_class = _ASCII_CLASSES.get(escaped.lower())
            if ascii_class and (escaped.islower() or not in_class):
                out.append(ascii_class if in_class else f"[{'^' if escaped.isupper() else ''}{ascii_class}]")
                i += 2
            elif _PROPERTY.match(pattern, i + 1):  # `\p{Lu}`: a Unicode property, one token
                found = _PROPERTY.match(pattern, i + 1)
                assert found is not None
                out.append("\\" + found[0])
                i = found.end()
            elif escaped == "k" and _NAMED_REFERENCE.match(pattern, i + 2):  # `\k<name>`
                found = _NAMED_REFERENCE.match(pattern, i + 2)
                assert found is not None
                out.append(f"(?P={found[1]})")
                i = found.end()
            elif escaped == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", pattern[i + 2 : i + 6]):
                code = pattern[i + 2 : i + 6]
                out.append(f"\\x{{{code}}}" if for_re2 else f"\\u{code}")
                i += 6
            else:
                out.append(char + escaped)
                i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            elif char == "[":
                char = "\\["  # a literal in an ECMAScript class; a nested set in `regex`
            out.append(char)
            i += 1
            continue
        if char == "[":
            if pattern.startswith("[^]", i):
                out.append("[\\s\\S]")
                i += 3
                continue
            if pattern.startswith("[]", i):
                out.append("[^\\s\\S]")
                i += 2
                continue
            in_class = True
            out.append(char)
            if pattern.startswith("[^", i):
                out.append("^")
                i += 1
            i += 1
            continue
        if char == "{":
            quantifier = _QUANTIFIER.match(pattern, i)
            if quantifier is None:
                out.append("\\{")
                i += 1
                continue
            counts = [int(c) for c in (quantifier[1], quantifier[3]) if c]
            if clamp:  # the syntax does not depend on the counts: build it small
                if len(counts) == 2 and counts[0] > counts[1]:
                    raise PatternError(f"numbers out of order in {quantifier[0]} in {pattern!r}")
                comma = "," if quantifier[2] else ""
                out.append(
                    "{"
                    + ",".join(str(min(c, 2)) for c in counts)
                    + ("," if comma and len(counts) == 1 else "")
                    + "}"
                )
                i = quantifier.end()
                continue
            if any(c > MAX_REPEAT for c in counts):
                raise PatternError(f"repeat count above {MAX_REPEAT} in {pattern!r}")
            out.append(quantifier[0])
            i = quantifier.end()
            continue
        if char == "}":
            out.append("\\}")
        elif char == "$":
            out.append(end)
        elif char == ".":  # not a line terminator: \n, \r, U+2028, U+2029
            out.append("[^\\n\\r\\x{2028}\\x{2029}]" if for_re2 else "[^\\n\\r\\u2028\\u2029]")
        elif pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


def ecmascript_to_python(pattern: str) -> str:
    """`pattern` in the `regex` module's syntax (the fallback engine's)."""
    return translate(pattern, for_re2=False)


class Pattern(Struct, frozen=True):
    """A compiled pattern: `search` and `match` as `re` has them, in bounded time."""

    source: str
    _compiled: Any
    _linear: bool

    def search(self, text: str, pos: int = 0) -> Any:
        if self._linear:
            return self._compiled.search(text, pos)
        try:
            return self._compiled.search(text, pos, timeout=MATCH_SECONDS)
        except TimeoutError:
            raise PatternTimeoutError(self.source) from None

    def match(self, text: str, pos: int = 0) -> Any:
        if self._linear:
            return self._compiled.match(text, pos)
        try:
            return self._compiled.match(text, pos, timeout=MATCH_SECONDS)
        except TimeoutError:
            raise PatternTimeoutError(self.source) from None


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> Pattern:
    """A schema `pattern` read as ECMAScript reads it; raises `PatternError` if none can read it."""
    linear = _re2(translate(pattern, for_re2=True))
    if linear is not None:
        return Pattern(pattern, linear, True)
    import regex  # here: only a pattern RE2 cannot run pays for the import (10 ms)

    try:
        return Pattern(pattern, regex.compile(translate(pattern, for_re2=False), regex.V0), False)
    except regex.error as exc:
        raise PatternError(f"{pattern!r}: {exc}") from None


def valid_syntax(pattern: str) -> bool:
    """Whether `pattern` is a pattern at all, without building it for its real repeat counts."""
    if _re2(translate(pattern, for_re2=True, clamp=True)) is not None:
        return True
    import regex

    try:
        regex.compile(translate(pattern, for_re2=False, clamp=True), regex.V0)
    except regex.error:
        return False
    return True


def _re2(translated: str) -> Any:
    import re2  # here: only schemas with patterns pay for the import

    options = re2.Options()
    options.log_errors = False  # RE2 would log a refusal on stderr; refusals are expected here
    try:
        return re2.compile(translated, options)
    except re2.error:
        return None
