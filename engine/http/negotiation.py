"""HTTP media-type negotiation, matching swagger-mock-validator 14.5.0 exactly.

Why this module exists: the reference's `findMatchingType` decides whether a pact's
`Accept` / `Content-Type` is compatible with the spec's media types, and which spec
media type (so which schema) a body is checked against. Any difference from it changes
which findings we report, so this copies its cascade, quirks included, rather than RFC 9110.
For each stage, the Accept parts are tried in q order and the spec types in list order:

1. exact match, after removing all whitespace and lower-casing;
2. the same with parameters (everything after the first `;`) removed;
3. same type and same subtype after its last `+`, so `application/vnd.x+json`
   ~ `application/json` ~ `application/problem+json`;
4. spec wildcards: `type/*`, then any spec `*/*` (returned as the literal `"*/*"`);
5. request wildcards: `type/*`, then a request `*/*` takes the first spec type.

Quirks kept on purpose (the reference does the same):

* the Accept list is split on every comma, even inside quoted parameter values;
* q is read with the reference's loose pattern `;q=[01].?\\d*`: `q=0` does *not* exclude a
  type (it only sorts last), `q=.5` counts as 1, and the last `;q=` sets the weight while
  only the first one is removed;
* q is not removed from spec types, and only `type/subtype` is compared: `a/b/c` ~ `a/b/d`.

Not mirrored: JavaScript regexes see UTF-16 code units, so an astral character right after
`;q=1` differs there. No real header has one.

Everything is cached: it runs once per interaction over a handful of distinct values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple, TypeAlias

__all__ = ["find_matching_type", "is_json_media_type", "media_type_essence"]

_WILDCARD = "*"
_ANY_TYPE = "*/*"

# ECMAScript `\s`, which the reference strips; Python's `\s` differs (it has \x1c-\x1f and
# \x85, and lacks \ufeff). Deleted with `str.translate`: compiling it as a class at import
# cost 1-2 ms of every run's start-up.
_WHITESPACE = dict.fromkeys(
    map(ord, "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"), None
) | dict.fromkeys(range(0x2000, 0x200B), None)
# The reference's quality patterns, with `\d` made ASCII as in JavaScript. Greedy `.*` makes
# `_LAST_Q` find the last `;q=`; `_FIRST_Q` is used with count=1 to remove the first.
_LAST_Q = re.compile(r".*;q=([01].?[0-9]*)")
_FIRST_Q = re.compile(r";q=[01].?[0-9]*")
# The prefix that JavaScript's parseFloat reads from a string starting with a digit.
_FLOAT_PREFIX = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")


class _Form(NamedTuple):
    """One media type as each negotiation stage compares it."""

    exact: str
    """Whitespace removed, lower-cased (and, for Accept parts, the first q removed)."""
    bare: str
    """`exact` up to the first `;`."""
    main: str
    """`bare` up to the first `/`."""
    sub: str | None
    """The second `/`-segment of `bare` after its last `+`; None without a `/`."""


def _normalize(value: str) -> str:
    return value.translate(_WHITESPACE).lower()


def _form(exact: str) -> _Form:
    bare = exact.split(";", 1)[0]
    segments = bare.split("/", 2)
    sub = segments[1].rsplit("+", 1)[-1] if len(segments) > 1 else None
    return _Form(exact, bare, segments[0], sub)


def _quality(part: str) -> float:
    found = _LAST_Q.match(part)
    if found is None:
        return 1.0
    prefix = _FLOAT_PREFIX.match(found.group(1))
    assert prefix is not None  # group 1 starts with 0 or 1
    return float(prefix.group())


@lru_cache(maxsize=1024)
def _accepted(request_type: str) -> tuple[_Form, ...]:
    """The Accept parts, best q first (stable), as the reference orders them."""
    parts = sorted((_normalize(part) for part in request_type.split(",")), key=lambda p: -_quality(p))
    return tuple(_form(_FIRST_Q.sub("", part, count=1)) for part in parts)


@lru_cache(maxsize=4096)
def _offered(media_type: str) -> _Form:
    return _form(_normalize(media_type))


_Stage: TypeAlias = Callable[[_Form, _Form], bool]
"""One negotiation stage: does Accept part `a` pair with spec type `o`?"""


def _exact(a: _Form, o: _Form) -> bool:
    return a.exact == o.exact


def _bare(a: _Form, o: _Form) -> bool:
    return a.bare == o.bare


def _suffix(a: _Form, o: _Form) -> bool:
    return a.main == o.main and a.sub == o.sub


def _spec_wildcard(a: _Form, o: _Form) -> bool:
    return o.sub == _WILDCARD and o.main == a.main


def _request_wildcard(a: _Form, o: _Form) -> bool:
    return a.sub == _WILDCARD and o.main == a.main


def _first_match(
    accepted: tuple[_Form, ...], offered: Sequence[_Form], supported: Sequence[str], stage: _Stage
) -> str | None:
    """The spec type for the best Accept part that `stage` pairs with any spec type."""
    for a in accepted:
        for index, o in enumerate(offered):
            if stage(a, o):
                return supported[index]
    return None


@lru_cache(maxsize=4096)
def _find(request_type: str, supported: tuple[str, ...]) -> str | None:
    accepted = _accepted(request_type)
    offered = [_offered(media_type) for media_type in supported]
    for stage in (_exact, _bare, _suffix, _spec_wildcard):
        found = _first_match(accepted, offered, supported, stage)
        if found is not None:
            return found
    if any(o.bare == _ANY_TYPE for o in offered):
        return _ANY_TYPE  # the literal, even when the spec wrote `*/*; charset=x`
    found = _first_match(accepted, offered, supported, _request_wildcard)
    if found is not None:
        return found
    if supported and any(a.bare == _ANY_TYPE for a in accepted):
        return supported[0]
    return None


def find_matching_type(request_type: str, supported: Sequence[str]) -> str | None:
    """The entry of `supported` that `request_type` negotiates with, or None.

    `request_type` is a Content-Type or an Accept list (commas, q-values); the result is
    the spec's own string (e.g. its `content` key) so the caller can look the schema up,
    except that a spec `*/*` with parameters comes back as plain `"*/*"`, as in the reference.
    """
    return _find(request_type, tuple(supported))


def is_json_media_type(media_type: str) -> bool:
    """Whether a body of this spec media type is validated as JSON.

    The reference asks whether `application/json` negotiates with the spec's types, so this
    is true for `application/json` (any parameters), `application/<anything>+json`,
    `application/*` and `*/*`. For a set of types, use `any(...)`: it is the same question.
    """
    return _find("application/json", (media_type,)) is not None


@lru_cache(maxsize=1024)
def media_type_essence(value: str) -> str:
    """`type/subtype` lower-cased, without parameters or whitespace: the key to compare on."""
    return _normalize(value.split(";", 1)[0])
