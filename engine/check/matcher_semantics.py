"""What a Pact matcher admits: the set M of values a consumer may send or will accept.

`admits` answers for one value at one place: True (the matcher admits it), False (it
rejects it), or None (this engine cannot tell: a kind it does not model, a date format it
cannot read). The counterexample search uses True to say "the consumer may send this"
and False to say "the consumer would reject this", so an answer is given only where the
Pact implementations agree:

- `regex`: pact-rust searches (`is_match`), pact-jvm matches the whole string. A value is
  admitted when it matches whole, rejected when no part of it matches.
- Numbers: `integer` admits JSON integers, `decimal` numbers written with a fraction
  (`1.5`, `2.0`), `number` both. In a header, query or path (text) they read the text.
- `type` admits a value of the example's JSON type (any number for a number); for an
  array, a length within its `min`/`max` (elements are the rules below it).
- `timestamp`, `date`, `time` read their Java `DateTimeFormatter` pattern (the letters
  pact-js, pact-python and pact-jvm write); a pattern with other letters is not decided.
  A value of the wrong shape is rejected; the pattern's renderings of two fixed moments
  (`render_format`) are admitted; another well-shaped value is not decided.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

from .._types import MISSING, Json

if TYPE_CHECKING:  # the matcher model is imported only by pacts that have rules
    from ..pact.matchers import Matcher, Rule

_INTEGER_TEXT = re.compile(r"-?\d+")
_DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")
_NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")

CHECKED_KINDS = frozenset(
    {
        "equality",
        "type",
        "regex",
        "integer",
        "decimal",
        "number",
        "boolean",
        "null",
        "include",
        "timestamp",
        "date",
        "time",
        "eachKey",
        "eachValue",
        "values",
    }
)
"""The matcher kinds `admits` decides; any other (`arrayContains`, `statusCode`,
`contentType`, `notEmpty`, `semver`, a kind from a later Pact version) is not checked."""


def _is_number(value: Json) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _json_type(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if _is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _length_ok(matcher: Matcher, value: Sequence[Json]) -> bool:
    return (matcher.min is None or len(value) >= matcher.min) and (
        matcher.max is None or len(value) <= matcher.max
    )


def admits(matcher: Matcher, example: Json, value: Json, *, text: bool = False) -> bool | None:
    """Whether `matcher`, written with `example`, admits `value` (None: not decided).

    `text`: the value is a header, query or path value, which is always a string.
    """
    kind = matcher.kind
    if kind == "equality":
        return bool(value == example)
    if kind == "type":
        if text:
            return isinstance(value, str)
        if example is MISSING:
            return None
        if _json_type(value) != _json_type(example):
            return False
        if isinstance(value, list):
            return _length_ok(matcher, value)
        return True
    if kind == "regex":
        if matcher.regex is None or _is_number(value):
            return None  # pact-rust matches a number's text, pact-jvm rejects it
        if not isinstance(value, str):
            return False
        try:
            pattern = re.compile(matcher.regex)
        except re.error:
            return None
        if pattern.fullmatch(value):
            return True
        return False if not pattern.search(value) else None
    if kind in ("integer", "decimal", "number"):
        return _numeric(kind, value, text)
    if kind == "boolean":
        return value in ("true", "false") if text else isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "include":
        return isinstance(value, str) and isinstance(matcher.value, str) and matcher.value in value
    if kind in ("timestamp", "date", "time"):
        if not isinstance(value, str):
            return False
        recognizer = _format_regex(matcher.format) if matcher.format else None
        if recognizer is None or matcher.format is None:
            return None
        if value in render_format(matcher.format):
            return True  # formatted from a real moment
        # the shape is checked, not the calendar: a shaped value is not decided
        return None if recognizer.fullmatch(value) else False
    if kind in ("eachKey", "eachValue", "values"):
        return _each(matcher, example, value)
    return None


def _numeric(kind: str, value: Json, text: bool) -> bool:
    if text:
        if not isinstance(value, str):
            return False
        shape = {"integer": _INTEGER_TEXT, "decimal": _DECIMAL_TEXT, "number": _NUMBER_TEXT}[kind]
        return shape.fullmatch(value) is not None
    if not _is_number(value):
        return False
    if kind == "integer":
        return isinstance(value, int)
    if kind == "decimal":
        return isinstance(value, float)
    return True


def _each(matcher: Matcher, example: Json, value: Json) -> bool | None:
    """`eachKey`/`eachValue`/`values`: an object whose keys (values) each pass the rules."""
    if not isinstance(value, dict):
        return False
    if matcher.kind == "values" or not matcher.rules:
        return True
    keys = matcher.kind == "eachKey"
    # a value is compared with the example's first value, as pact-rust does
    first: Json = next(iter(example.values()), MISSING) if isinstance(example, dict) else MISSING
    verdicts = [
        admits(inner, key if keys else first, key if keys else item, text=keys)
        for key, item in value.items()
        for inner in matcher.rules
    ]
    if any(v is False for v in verdicts):
        return False
    return True if all(v is True for v in verdicts) else None


def rule_admits(rule: Rule, example: Json, value: Json, *, text: bool = False) -> bool | None:
    """The rule's matchers combined (`AND`: all must admit; `OR`: one must)."""
    verdicts = [admits(m, example, value, text=text) for m in rule.matchers]
    if not verdicts:
        return None
    if rule.combine == "OR":
        if any(v is True for v in verdicts):
            return True
        return False if all(v is False for v in verdicts) else None
    if any(v is False for v in verdicts):
        return False
    return True if all(v is True for v in verdicts) else None


def checked(rule: Rule) -> bool:
    """Whether every matcher of the rule is of a kind this engine decides."""
    return bool(rule.matchers) and all(m.kind in CHECKED_KINDS for m in rule.matchers)


# --- Java DateTimeFormatter patterns ------------------------------------------------------

# letter run -> (regex recognizing it, strftime-like renderer)
_FIELDS: dict[str, tuple[str, str]] = {
    "yyyy": (r"\d{4}", "%Y"),
    "uuuu": (r"\d{4}", "%Y"),
    "yy": (r"\d{2}", "%y"),
    "MM": (r"\d{2}", "%m"),
    "M": (r"\d{1,2}", "M"),
    "dd": (r"\d{2}", "%d"),
    "d": (r"\d{1,2}", "d"),
    "HH": (r"\d{2}", "%H"),
    "H": (r"\d{1,2}", "H"),
    "hh": (r"\d{2}", "%I"),
    "mm": (r"\d{2}", "%M"),
    "ss": (r"\d{2}", "%S"),
    "a": (r"[AaPp][Mm]", "%p"),
    "XXX": (r"(Z|[+-]\d{2}:\d{2})", "XXX"),
    "XX": (r"(Z|[+-]\d{4})", "XX"),
    "X": (r"(Z|[+-]\d{2}(\d{2})?)", "XX"),
    "xxx": (r"[+-]\d{2}:\d{2}", "xxx"),
    "xx": (r"[+-]\d{4}", "%z"),
    "Z": (r"[+-]\d{4}", "%z"),
    "ZZZ": (r"[+-]\d{4}", "%z"),
}


@lru_cache(maxsize=256)
def _format_parts(pattern: str) -> tuple[tuple[str, str], ...] | None:
    """The pattern as (recognizing regex, renderer) pieces, or None for letters not read here."""
    parts: list[tuple[str, str]] = []
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "'":
            end = pattern.find("'", at + 1)
            if end < 0:
                return None
            literal = pattern[at + 1 : end] or "'"
            parts.append((re.escape(literal), "'" + literal))
            at = end + 1
        elif char.isalpha():
            end = at
            while end < len(pattern) and pattern[end] == char:
                end += 1
            run = pattern[at:end]
            if char == "S":
                parts.append((rf"\d{{{len(run)}}}", f"S{len(run)}"))
            elif run in _FIELDS:
                parts.append(_FIELDS[run])
            else:
                return None
            at = end
        elif char in "[]{}#":
            return None  # optional sections and reserved characters
        else:
            parts.append((re.escape(char), "'" + char))
            at += 1
    return tuple(parts)


@lru_cache(maxsize=256)
def _format_regex(pattern: str) -> re.Pattern[str] | None:
    parts = _format_parts(pattern)
    return None if parts is None else re.compile("".join(p[0] for p in parts))


_MOMENTS = (
    datetime(2024, 1, 31, 13, 45, 30, 123456, tzinfo=timezone(timedelta(hours=1))),
    datetime(2023, 12, 1, 0, 0, 0, tzinfo=UTC),
)


def render_format(pattern: str) -> tuple[str, ...]:
    """Strings the pattern formats (two fixed moments), or () when it is not read here."""
    parts = _format_parts(pattern)
    if parts is None:
        return ()
    return tuple(dict.fromkeys(_render(parts, moment) for moment in _MOMENTS))


def _render(parts: tuple[tuple[str, str], ...], moment: datetime) -> str:
    out: list[str] = []
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    for _regex, renderer in parts:
        if renderer.startswith("'"):
            out.append(renderer[1:])
        elif renderer.startswith("S") and renderer[1:].isdigit():
            out.append(f"{moment.microsecond:06d}000"[: int(renderer[1:])])
        elif renderer in ("M", "d", "H"):
            out.append(str({"M": moment.month, "d": moment.day, "H": moment.hour}[renderer]))
        elif renderer in ("XXX", "XX"):
            colon = ":" if renderer == "XXX" else ""
            out.append("Z" if minutes == 0 else f"{sign}{hours:02d}{colon}{mins:02d}")
        elif renderer == "xxx":
            out.append(f"{sign}{hours:02d}:{mins:02d}")
        else:
            out.append(moment.strftime(renderer))
    return "".join(out)
