"""Pact matching rules and generators, read into frozen values per part of a message.

A pact's example values say what one request or response looked like; its matching
rules say what else the consumer may send or will accept (pact-js `like(1)`: any number),
and its generators what a mock server or a verifier puts in place of the example. The
versions keep them in different shapes, all read here into one model:

- v2: `request.matchingRules` / `response.matchingRules`, one flat map keyed by a path
  from the message: `$.body.items[*].id`, `$.headers.Accept` (`$.header.Accept` from
  older pact-jvm and pact-rust), `$.query.q`, `$.path`; each value one matcher
  (`{"match": "type", "min": 1}`, or `{"regex": ...}` with no `match`).
- v3 and v4: the same two places, one map per part: `{"body": {"$.items[*].id":
  {"matchers": [...], "combine": "AND"}}, "header": {"Accept": {...}}, "query":
  {"q": {...}}, "path": {"matchers": [...]}}`; body paths start at the body (`$.items`),
  header and query keys are names; v4 adds `status`.
- generators (v3 and v4): `{"body": {"$.id": {"type": "RandomInt", "min": 1, "max": 9}},
  "header": {...}, "query": {...}, "path": {"type": ...}, "status": {"type": ...}}`.

A v2 map is told from a v3 one by its keys (a v2 key starts with `$`), as pact-rust does:
the version a pact declares does not always match the shape its writer used.

A path expression is read into tokens (field names, indexes, the `*` and `[*]`
wildcards, bracket-quoted names such as `$['a.b']`) and matched against a pointer into
the part: a tuple of keys and indexes (RFC 6901 segments; an index may be an int or its
digits). A rule cascades to everything below its path; of the rules that reach a pointer,
the most specific applies, weighed as the Pact specification weighs paths: `$` and each
segment named exactly weigh 2, a wildcard 1, the weights multiplied. Equal weights go to
the longer path, then to the rule written first. Header names compare case-insensitively.

`Request.matching_rules` and `Response.matching_rules` (and `generators`) hold what is
read here, or None when the pact gives none; this module is imported only when a pact
does. Nothing checks values against these yet. A matcher or generator kind this module does
not know is kept as written (later Pact versions add kinds); categories that are no part
of an HTTP message (`metadata`) are left out. A rule that cannot be read is an
`InputError` naming the pact file and where in it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeAlias, TypeVar

from msgspec import Struct

from .._types import MISSING, Json, JsonObject
from ..errors import InputError

Part = Literal["body", "header", "query", "path", "status"]
PARTS: tuple[Part, ...] = ("body", "header", "query", "path", "status")
Combine = Literal["AND", "OR"]

_CATEGORIES: dict[str, Part] = {
    "body": "body",
    "header": "header",
    "headers": "header",
    "query": "query",
    "path": "path",
    "status": "status",
}
_SINGLE: frozenset[Part] = frozenset({"path", "status"})
"""Parts that are one value: a v3 category holds a rule (or generator) rather than a map."""


class Wildcard(enum.Enum):
    FIELD = "*"
    """`.*`: any key or index."""
    INDEX = "[*]"
    """`[*]`: any array index."""


Token: TypeAlias = str | int | Wildcard
"""A field name, an array index, or a wildcard."""


@dataclass(frozen=True, slots=True)
class PathExpression:
    """A Pact path expression, read into the tokens that follow its `$`."""

    tokens: tuple[Token, ...]
    text: str = field(default="$", compare=False)
    """As the pact wrote it (a v2 path still starts with `$.body`), for messages."""

    def weight(self, pointer: Sequence[str | int]) -> int:
        """How specifically this path names `pointer` or a parent of it; 0 when it does not."""
        if len(self.tokens) > len(pointer):
            return 0
        weight = 2  # `$` names the part itself
        for token, segment in zip(self.tokens, pointer, strict=False):
            if token is Wildcard.FIELD:
                continue
            if token is Wildcard.INDEX:
                if _index_of(segment) is None:
                    return 0
            elif isinstance(token, int):
                if _index_of(segment) != token:
                    return 0
                weight *= 2
            elif token == (segment if isinstance(segment, str) else str(segment)):
                weight *= 2
            else:
                return 0
        return weight


ROOT = PathExpression(())


def _index_of(segment: str | int) -> int | None:
    if isinstance(segment, int):
        return segment
    return int(segment) if segment.isascii() and segment.isdigit() else None


@dataclass(frozen=True, slots=True)
class Matcher:
    """One matcher: `kind` is Pact's `match` value; the other fields are those it uses.

    Spellings are made one: `datetime` is read as `timestamp`, the kebab-case names
    (`content-type`, `array-contains`, ...) as their camel-case ones, and a v2 matcher
    without `match` as `regex` or `type` by the fields it has.
    """

    kind: str
    regex: str | None = None
    min: int | None = None
    max: int | None = None
    format: str | None = None
    """`timestamp`, `date`, `time`: the Java DateTimeFormatter pattern."""
    value: Json = field(default=MISSING, hash=False)
    """`include`: the text; `contentType`: the media type; `eachKey`/`eachValue`: the example."""
    status: str | tuple[int, ...] | None = None
    """`statusCode`: a class of statuses (`success`, `clientError`, ...) or the codes."""
    rules: tuple[Matcher, ...] = ()
    """`eachKey`, `eachValue`: the matchers each key or value must pass."""
    variants: tuple[Variant, ...] = ()
    """`arrayContains`: what the array must contain."""


class Variant(Struct, frozen=True):
    """One thing an `arrayContains` array holds: its example's index, its rules and generators."""

    index: int
    rules: tuple[Rule, ...] = ()
    """Rules for the element, with paths from it (`$.id`)."""
    generators: tuple[Generated, ...] = ()


class Rule(Struct, frozen=True):
    """The matchers declared at one path of a part."""

    path: PathExpression
    matchers: tuple[Matcher, ...]
    combine: Combine = "AND"


class Generator(Struct, frozen=True):
    """One generator: `kind` is Pact's `type` (`RandomInt`, `Uuid`, `ProviderState`, ...)."""

    kind: str
    min: int | None = None
    max: int | None = None
    digits: int | None = None
    size: int | None = None
    regex: str | None = None
    format: str | None = None
    expression: str | None = None
    """`ProviderState`, `Date`, `Time`, `DateTime`: the expression evaluated."""
    example: str | None = None
    """`MockServerURL`: the URL the example was written with."""


class Generated(Struct, frozen=True):
    """A generator declared at one path of a part."""

    path: PathExpression
    generator: Generator


class _AtPath(Protocol):
    @property
    def path(self) -> PathExpression: ...


_Entry = TypeVar("_Entry", bound=_AtPath)


def _best(entries: tuple[_Entry, ...], pointer: Sequence[str | int], *, exact: bool) -> _Entry | None:
    best: _Entry | None = None
    best_rank = (0, 0)
    for entry in entries:
        length = len(entry.path.tokens)
        if exact and length != len(pointer):
            continue
        rank = (entry.path.weight(pointer), length)
        if rank[0] and rank > best_rank:
            best, best_rank = entry, rank
    return best


def _lookup(part: Part, pointer: Sequence[str | int]) -> Sequence[str | int]:
    if part not in PARTS:
        raise ValueError(f"{part!r} is not a part of a message: {', '.join(PARTS)}")
    if part == "header" and pointer and isinstance(pointer[0], str):
        return (pointer[0].lower(), *pointer[1:])  # header rules are kept lower-cased
    return pointer


class MatchingRules(Struct, frozen=True):
    """The matching rules of one request or response, per part."""

    body: tuple[Rule, ...] = ()
    header: tuple[Rule, ...] = ()
    query: tuple[Rule, ...] = ()
    path: tuple[Rule, ...] = ()
    status: tuple[Rule, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.body or self.header or self.query or self.path or self.status)

    def rules_for(self, part: Part, pointer: Sequence[str | int] = ()) -> Rule | None:
        """The rule that applies at `pointer` in `part`, or None.

        The pointer is into the body for `body`; `(name,)` or `(name, index)` for a header
        or a query parameter; `()` for the path and the status.
        """
        pointer = _lookup(part, pointer)
        rules: tuple[Rule, ...] = getattr(self, part)
        return _best(rules, pointer, exact=False)


class Generators(Struct, frozen=True):
    """The generators of one request or response, per part."""

    body: tuple[Generated, ...] = ()
    header: tuple[Generated, ...] = ()
    query: tuple[Generated, ...] = ()
    path: tuple[Generated, ...] = ()
    status: tuple[Generated, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.body or self.header or self.query or self.path or self.status)

    def generator_for(self, part: Part, pointer: Sequence[str | int] = ()) -> Generator | None:
        """The generator of the value at `pointer` in `part`, or None.

        A generator replaces one value: unlike a rule, it does not cascade to the values
        below its path, so only paths as long as the pointer apply.
        """
        pointer = _lookup(part, pointer)
        generated: tuple[Generated, ...] = getattr(self, part)
        found = _best(generated, pointer, exact=True)
        return None if found is None else found.generator


# --- reading -------------------------------------------------------------------------------


class _RuleError(Exception):
    """A rule that cannot be read; where it is grows as the error leaves each level."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.inner: list[str] = []

    def inside(self, segment: str) -> _RuleError:
        self.inner.append(segment)
        return self

    def error(self, label: str, where: str) -> InputError:
        return InputError(label, f"{where}{''.join(reversed(self.inner))} {self.problem}")


def _key(name: str) -> str:
    return f"[{json.dumps(name, ensure_ascii=False)}]"


def read_matching_rules(raw: Json, label: str, where: str) -> MatchingRules:
    """The `matchingRules` of one request or response, found at `where` in the pact `label`."""
    try:
        if not isinstance(raw, dict):
            raise _RuleError("must be an object")
        if any(key.startswith("$") for key in raw):
            return _v2_rules(raw)
        return _v3_rules(raw)
    except _RuleError as bad:
        raise bad.error(label, where) from None


def read_generators(raw: Json, label: str, where: str) -> Generators:
    """The `generators` of one request or response, found at `where` in the pact `label`."""
    try:
        if not isinstance(raw, dict):
            raise _RuleError("must be an object")
        found: dict[Part, list[Generated]] = {}
        for category, entries in raw.items():
            part = _CATEGORIES.get(category)
            if part is None:
                continue
            try:
                found[part] = _generators_of(part, entries)
            except _RuleError as bad:
                raise bad.inside(f".{category}") from None
        return Generators(**{part: tuple(entries) for part, entries in found.items()})
    except _RuleError as bad:
        raise bad.error(label, where) from None


def _v2_rules(raw: JsonObject) -> MatchingRules:
    found: dict[Part, list[Rule]] = {}
    for key, value in raw.items():
        try:
            if not key.startswith("$"):
                raise _RuleError("is not a path: a v2 map is keyed by paths such as '$.body.id'")
            part, tokens = _v2_part(_path(key).tokens)
            matcher = _matcher(value)
        except _RuleError as bad:
            raise bad.inside(_key(key)) from None
        found.setdefault(part, []).append(Rule(_in_part(part, tokens, key), (matcher,)))
    return MatchingRules(**{part: tuple(rules) for part, rules in found.items()})


def _path(text: str) -> PathExpression:
    try:
        return parse_path(text)
    except ValueError as exc:
        raise _RuleError(f"is not a path: {exc}") from None


def _v2_part(tokens: tuple[Token, ...]) -> tuple[Part, tuple[Token, ...]]:
    """The part a v2 path names (`$.body...`, `$.headers.X`, ...) and the path within it."""
    first = tokens[0] if tokens else None
    part = _CATEGORIES.get(first) if isinstance(first, str) else None
    if part is None or part == "status":
        raise _RuleError("names no part of a message: body, headers, query or path")
    if part == "path" and len(tokens) > 1:
        raise _RuleError("goes below the path, which is one value")
    return part, tokens[1:]


def _in_part(part: Part, tokens: tuple[Token, ...], text: str) -> PathExpression:
    if part == "header" and tokens and isinstance(tokens[0], str):
        tokens = (tokens[0].lower(), *tokens[1:])
    return PathExpression(tokens, text)


def _v3_rules(raw: JsonObject) -> MatchingRules:
    found: dict[Part, list[Rule]] = {}
    for category, rules in raw.items():
        part = _CATEGORIES.get(category)
        if part is None:
            continue
        try:
            found[part] = _rules_of(part, rules)
        except _RuleError as bad:
            raise bad.inside(f".{category}") from None
    return MatchingRules(**{part: tuple(rules) for part, rules in found.items()})


def _rules_of(part: Part, rules: Json) -> list[Rule]:
    if not isinstance(rules, dict):
        raise _RuleError("must be an object")
    if part in _SINGLE and "matchers" in rules:
        return [Rule(ROOT, *_rule_list(rules))]
    found = []
    for key, value in rules.items():
        try:
            found.append(Rule(_v3_path(part, key), *_rule_list(value)))
        except _RuleError as bad:
            raise bad.inside(_key(key)) from None
    return found


def _generators_of(part: Part, entries: Json) -> list[Generated]:
    if not isinstance(entries, dict):
        raise _RuleError("must be an object")
    if part in _SINGLE and "type" in entries:
        return [Generated(ROOT, _generator(entries))]
    found = []
    for key, value in entries.items():
        try:
            found.append(Generated(_v3_path(part, key), _generator(value)))
        except _RuleError as bad:
            raise bad.inside(_key(key)) from None
    return found


def _v3_path(part: Part, key: str) -> PathExpression:
    """A v3 key: a path into the body; a name (or a path) for a header or query parameter."""
    if key.startswith("$"):
        return _in_part(part, _path(key).tokens, key)
    if part == "body":
        raise _RuleError("is not a path: body rules are keyed by paths such as '$.id'")
    if part in _SINGLE:
        if key:
            raise _RuleError(f"is not a path: the {part} is one value, keyed '$' if at all")
        return ROOT
    return _in_part(part, (key,), key)


def _rule_list(value: Json) -> tuple[tuple[Matcher, ...], Combine]:
    if not isinstance(value, dict):
        raise _RuleError("must be an object")
    if "matchers" not in value:
        raise _RuleError("has no 'matchers' list")
    matchers = value["matchers"]
    if not isinstance(matchers, list):
        raise _RuleError("must be a list").inside(".matchers")
    combine = value.get("combine", "AND")
    if combine not in ("AND", "OR"):
        raise _RuleError('must be "AND" or "OR"').inside(".combine")
    return _matchers(matchers, ".matchers"), combine


def _matchers(items: list[Json], at: str) -> tuple[Matcher, ...]:
    found = []
    for number, item in enumerate(items):
        try:
            found.append(_matcher(item))
        except _RuleError as bad:
            raise bad.inside(f"{at}[{number}]") from None
    return tuple(found)


_KINDS = {
    "datetime": "timestamp",
    "content-type": "contentType",
    "array-contains": "arrayContains",
    "status-code": "statusCode",
    "not-empty": "notEmpty",
    "each-key": "eachKey",
    "each-value": "eachValue",
    "min": "type",  # pact-rust reads `{"match": "min", "min": 1}` as a minimum-length `type`
    "max": "type",
}
_FORMATTED = frozenset({"timestamp", "date", "time"})
_STATUS_CLASSES = frozenset(
    {"info", "success", "redirect", "clientError", "serverError", "nonError", "error"}
)


def _matcher(raw: Json) -> Matcher:
    if not isinstance(raw, dict):
        raise _RuleError("must be an object")
    match = raw.get("match", MISSING)
    if match is MISSING:
        kind = _implied_kind(raw)
    elif isinstance(match, str):
        kind = _KINDS.get(match, match)
    else:
        raise _RuleError("must be a string").inside(".match")
    regex = _text(raw, "regex")
    if kind == "regex" and regex is None:
        raise _RuleError("has no 'regex' (the regex matcher needs one)")
    value = raw.get("value", MISSING)
    if kind in ("include", "contentType"):
        if value is MISSING:
            raise _RuleError(f"has no 'value' (the {kind} matcher needs one)")
        if not isinstance(value, str):
            raise _RuleError("must be a string").inside(".value")
    return Matcher(
        kind,
        regex=regex,
        min=_count(raw, "min"),
        max=_count(raw, "max"),
        format=_format(raw, match, kind),
        value=value,
        status=_status(raw) if kind == "statusCode" else None,
        rules=_matchers(_list(raw, "rules"), ".rules") if kind in ("eachKey", "eachValue") else (),
        variants=_variants(_list(raw, "variants")) if kind == "arrayContains" else (),
    )


def _format(raw: JsonObject, match: Json, kind: str) -> str | None:
    found = _text(raw, "format")
    if found is None and kind in _FORMATTED:
        # pact-jvm writes it under the kind's name: {"match": "date", "date": "yyyy-MM-dd"}
        found = _text(raw, match if isinstance(match, str) else kind)
    return found


def _implied_kind(raw: JsonObject) -> str:
    """The kind of a v2 matcher written without `match`, by the fields it has."""
    if "regex" in raw:
        return "regex"
    if "min" in raw or "max" in raw:
        return "type"
    for kind in ("timestamp", "date", "time"):
        if kind in raw:
            return kind
    raise _RuleError("has no 'match' and no field that implies one (regex, min, max)")


def _text(raw: JsonObject, name: Json) -> str | None:
    if not isinstance(name, str):
        return None
    value = raw.get(name)
    if value is None or isinstance(value, str):
        return value
    raise _RuleError("must be a string").inside(f".{name}")


def _count(raw: JsonObject, name: str) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _RuleError("must be a whole number, 0 or more").inside(f".{name}")
    return value


def _number(raw: JsonObject, name: str) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _RuleError("must be a whole number").inside(f".{name}")
    return value


def _list(raw: JsonObject, name: str) -> list[Json]:
    value = raw.get(name, [])
    if not isinstance(value, list):
        raise _RuleError("must be a list").inside(f".{name}")
    return value


def _status(raw: JsonObject) -> str | tuple[int, ...]:
    status = raw.get("status")
    if isinstance(status, str) and status in _STATUS_CLASSES:
        return status
    if isinstance(status, list) and all(isinstance(s, int) and not isinstance(s, bool) for s in status):
        return tuple(status)
    raise _RuleError(f"must be a list of status codes or one of {', '.join(sorted(_STATUS_CLASSES))}").inside(
        ".status"
    )


def _variants(items: list[Json]) -> tuple[Variant, ...]:
    found = []
    for number, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise _RuleError("must be an object")
            index = _count(item, "index")
            found.append(
                Variant(
                    0 if index is None else index,
                    tuple(_inside(".rules", _rules_of, item.get("rules", {}))),
                    tuple(_inside(".generators", _generators_of, item.get("generators", {}))),
                )
            )
        except _RuleError as bad:
            raise bad.inside(f".variants[{number}]") from None
    return tuple(found)


_Read = TypeVar("_Read")


def _inside(segment: str, read: Callable[[Part, Json], list[_Read]], value: Json) -> list[_Read]:
    """The body rules or generators `value` of an `arrayContains` variant."""
    try:
        return read("body", value)
    except _RuleError as bad:
        raise bad.inside(segment) from None


def _generator(raw: Json) -> Generator:
    if not isinstance(raw, dict):
        raise _RuleError("must be an object")
    if "type" not in raw:
        raise _RuleError("has no 'type'")
    kind = raw["type"]
    if not isinstance(kind, str):
        raise _RuleError("must be a string").inside(".type")
    return Generator(
        kind,
        min=_number(raw, "min"),
        max=_number(raw, "max"),
        digits=_count(raw, "digits"),
        size=_count(raw, "size"),
        regex=_text(raw, "regex"),
        format=_text(raw, "format"),
        expression=_text(raw, "expression"),
        example=_text(raw, "example"),
    )


# --- path expressions ----------------------------------------------------------------------


def parse_path(text: str) -> PathExpression:
    """Read a Pact path expression (`$.items[*].id`, `$['a.b']`, `$.*`), or raise `ValueError`."""
    if not text.startswith("$"):
        raise ValueError("it must start with '$'")
    tokens: list[Token] = []
    at, end = 1, len(text)
    while at < end:
        if text[at] == ".":
            stop = at + 1
            while stop < end and text[stop] not in ".[]'\"":
                stop += 1
            name = text[at + 1 : stop]
            if not name:
                raise ValueError(f"a name must follow the '.' at {at}")
            tokens.append(Wildcard.FIELD if name == "*" else name)
            at = stop
        elif text[at] == "[":
            token, at = _bracket(text, at)
            tokens.append(token)
        else:
            raise ValueError(f"{text[at]!r} at {at} where '.' or '[' should be")
    return PathExpression(tuple(tokens), text)


def _bracket(text: str, start: int) -> tuple[Token, int]:
    """The token of the `[...]` at `start`, and where the text goes on after it."""
    quote = text[start + 1 : start + 2]
    if quote in ("'", '"'):
        name: list[str] = []
        at = start + 2
        while at < len(text) and text[at] != quote:
            if text[at] == "\\" and at + 1 < len(text):
                at += 1
            name.append(text[at])
            at += 1
        if text[at + 1 : at + 2] != "]":
            raise ValueError(f"the name quoted at {start + 1} is not closed by {quote}]")
        return "".join(name), at + 2
    close = text.find("]", start)
    if close < 0:
        raise ValueError(f"the '[' at {start} has no ']'")
    inside = text[start + 1 : close]
    if inside == "*":
        return Wildcard.INDEX, close + 1
    if inside.isascii() and inside.isdigit():
        return int(inside), close + 1
    raise ValueError(f"[{inside}] at {start} is neither an index, '*' nor a quoted name")
