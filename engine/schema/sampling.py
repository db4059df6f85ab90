"""Strings drawn from a regular expression, deterministically, to look for counterexamples.

Pact `regex` matchers and schema `pattern`s say which strings are allowed; checking that
two such sets agree is not decidable cheaply, but a handful of strings drawn from one and
checked against the other finds most disagreements. The draw is seeded, so a run always
reports the same counterexample. Python's own parser (`re._parser`) reads the pattern, so
the syntax is exactly the `re` module's, which covers what Pact matchers use (classes,
`\\d \\w \\s`, quantifiers, groups, alternation, anchors). Lookarounds are skipped and
every drawn string is kept only if it fully matches, so a string returned is always in
the pattern's language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Protocol

_PRINTABLE = tuple(chr(c) for c in range(32, 127))
_CATEGORIES = {
    "CATEGORY_DIGIT": "0123456789",
    "CATEGORY_WORD": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
    "CATEGORY_SPACE": " ",
}
_OPEN_REPEAT = 4
"""How far past its minimum an unbounded repeat (`*`, `+`, `{2,}`) may go."""


class _UnsupportedError(Exception):
    """A construct the sampler does not draw from (a lookbehind-only pattern, say)."""


@lru_cache(maxsize=256)
def _parsed(pattern: str) -> Any:
    from re import _parser  # type: ignore[attr-defined]

    return _parser.parse(pattern)


def _category_chars(name: str) -> tuple[str, ...]:
    negated = name.startswith("CATEGORY_NOT_")
    base = _CATEGORIES.get(name.replace("NOT_", ""), "")
    if negated:
        return tuple(c for c in _PRINTABLE if c not in base)
    return tuple(base)


def _class_chars(items: Any) -> tuple[str, ...]:
    chosen: set[str] = set()
    negate = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chosen.add(chr(arg))
        elif name == "RANGE":
            low, high = arg
            chosen.update(chr(c) for c in range(low, min(high, low + 400) + 1))
        elif name == "CATEGORY":
            chosen.update(_category_chars(str(arg)))
        else:
            raise _UnsupportedError(name)
    if negate:
        return tuple(c for c in _PRINTABLE if c not in chosen)
    return tuple(sorted(chosen))


def _draw(items: Any, rng: _Choices, groups: dict[int, str], out: list[str]) -> None:
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append(rng.choice([c for c in _PRINTABLE if c != chr(arg)]))
        elif name == "ANY":
            out.append(rng.choice(_CATEGORIES["CATEGORY_WORD"]))
        elif name == "IN":
            chars = _class_chars(arg)
            if not chars:
                raise _UnsupportedError("empty class")
            out.append(rng.choice(chars))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = arg
            top = low + _OPEN_REPEAT if high > low + _OPEN_REPEAT else high
            for _ in range(rng.randint(low, top)):
                _draw(body, rng, groups, out)
        elif name == "SUBPATTERN":
            group, _add, _remove, body = arg
            start = len(out)
            _draw(body, rng, groups, out)
            if group is not None:
                groups[group] = "".join(out[start:])
        elif name == "ATOMIC_GROUP":
            _draw(arg, rng, groups, out)
        elif name == "BRANCH":
            _draw(rng.choice(arg[1]), rng, groups, out)
        elif name == "GROUPREF":
            out.append(groups.get(arg, ""))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # anchors and lookarounds: the full match below decides
        else:
            raise _UnsupportedError(name)


@lru_cache(maxsize=1024)
def strings_from_regex(pattern: str, *, count: int, seed: int = 0) -> tuple[str, ...]:
    """Up to `count` distinct strings that fully match `pattern`, the same ones on every call.

    The first draw keeps every repeat at its minimum (the shortest strings are the likeliest
    to break a `minLength` or an `enum`); the others are random. An unreadable pattern, or
    one the sampler cannot draw from, gives none. Cached: every interaction written with
    the same matcher asks for the same strings.
    """
    try:
        compiled = re.compile(pattern)
        tree = _parsed(pattern)
    except (re.error, RecursionError, OverflowError):
        return ()
    import random  # here: only pacts with regex matchers draw strings (1-2 ms of start-up)

    rng = random.Random(seed)
    found: list[str] = []
    for attempt in range(count * 3):
        if len(found) >= count:
            break
        out: list[str] = []
        try:
            _draw(tree, _Shortest() if attempt == 0 else rng, {}, out)
        except (_UnsupportedError, IndexError, ValueError):
            if attempt == 0:
                continue
            return tuple(found)
        text = "".join(out)
        if text not in found and compiled.fullmatch(text):
            found.append(text)
    return tuple(found)


class _Choices(Protocol):
    """What a draw asks of its source of choices: `random.Random`, or `_Shortest`."""

    def randint(self, a: int, b: int) -> int: ...

    def choice(self, seq: Any) -> Any: ...


class _Shortest:
    """A draw with every repeat at its minimum and the first choice everywhere."""

    def randint(self, a: int, b: int) -> int:
        return a

    def choice(self, seq: Any) -> Any:
        return seq[0]
