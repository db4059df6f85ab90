"""Candidate values for the counterexample search: from a schema, and from a matcher.

Neither list is trusted: the matching rule keeps a candidate only once the compiled
validator (for the spec) and `matcher_semantics.admits` (for the matcher) have both
said what they say of it. So the lists aim, they do not decide: a schema hint read
loosely (every branch of an `anyOf`, every member of an `allOf`) only costs a check.

Candidates come by construction first (enum and const values, bounds and the values just
past them, `null`, `1.5` against integers, one string per `format`, lengths just past
`minLength`/`maxLength`/`maxItems`), then by sampling: strings drawn from the matcher's
regex (request) or the schema's `pattern` (response), `SAMPLES` of each, seeded.
At most `BUDGET` candidates are tried per value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct, field

from .._types import Json, JsonObject
from ..schema.sampling import strings_from_regex
from .matcher_semantics import render_format

if TYPE_CHECKING:  # the matcher model is imported only by pacts that have rules
    from ..pact.matchers import Matcher

SAMPLES = 16
"""Strings drawn from one regex (a matcher's or a schema pattern's)."""
BUDGET = 48
"""Candidates tried per value (each costs one validation)."""
SEED = 13

_FORMAT_SAMPLES: dict[str, tuple[str, ...]] = {
    "date-time": ("2024-01-31T13:45:30Z", "2024-01-31T13:45:30.123+01:00", "2024-01-31T13:45:30+01:00"),
    "date": ("2024-01-31",),
    "time": ("13:45:30", "13:45:30.123Z"),
    "uuid": ("123e4567-e89b-12d3-a456-426614174000",),
    "email": ("a@example.com",),
    "uri": ("https://example.com/a",),
    "url": ("https://example.com/a",),
    "hostname": ("example.com",),
    "ipv4": ("192.0.2.1",),
    "ipv6": ("2001:db8::1",),
    "byte": ("QQ==",),
}


class Hints(Struct):
    """What the schemas that may apply at one place say, gathered loosely."""

    types: set[str] = field(default_factory=set)
    typed: bool = False
    """Whether some schema there declares a `type` (else any type may be allowed)."""
    values: list[Json] = field(default_factory=list)
    """`enum` and `const` values."""
    numbers: list[float | int] = field(default_factory=list)
    """Bounds and `multipleOf`."""
    lengths: list[int] = field(default_factory=list)
    """`minLength`, `maxLength`."""
    max_items: list[int] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)


def _expand(schema: Json, root: JsonObject, out: list[JsonObject], depth: int = 0) -> None:
    """`schema` and the schemas it is made of (`$ref`, `allOf`, `anyOf`, `oneOf`)."""
    if not isinstance(schema, dict) or depth > 16 or any(s is schema for s in out):
        return
    out.append(schema)
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        definitions = root.get("definitions")
        if isinstance(definitions, dict):
            _expand(definitions.get(ref.rsplit("/", 1)[1]), root, out, depth + 1)
    for keyword in ("allOf", "anyOf", "oneOf"):
        members = schema.get(keyword)
        if isinstance(members, list):
            for member in members:
                _expand(member, root, out, depth + 1)
    selector = schema.get("discriminator")
    if isinstance(selector, dict):
        for target in (selector.get("mapping") or {}, selector.get("subtypes") or {}):
            if isinstance(target, dict):
                for sub in target.values():
                    if isinstance(sub, dict):
                        _expand(sub, root, out, depth + 1)


def schemas_at(root: Json, pointer: Sequence[str | int]) -> list[JsonObject]:
    """Every schema of the bundle `root` that may apply to the value at `pointer`."""
    if not isinstance(root, dict):
        return []
    current: list[JsonObject] = []
    _expand(root, root, current)
    for segment in pointer:
        following: list[Json] = []
        for schema in current:
            if isinstance(segment, int):
                prefix = schema.get("prefixItems")
                if isinstance(prefix, list) and segment < len(prefix):
                    following.append(prefix[segment])
                else:
                    following.append(schema.get("items"))
            else:
                properties = schema.get("properties")
                if isinstance(properties, dict) and segment in properties:
                    following.append(properties[segment])
                else:
                    following.append(schema.get("additionalProperties"))
        current = []
        for sub in following:
            _expand(sub, root, current)
    return current


def hints_of(schemas: Sequence[JsonObject]) -> Hints:
    hints = Hints()
    for schema in schemas:
        kind = schema.get("type")
        if isinstance(kind, str):
            hints.types.add(kind)
            hints.typed = True
        elif isinstance(kind, list):
            hints.types.update(k for k in kind if isinstance(k, str))
            hints.typed = True
        if isinstance(schema.get("enum"), list):
            hints.values.extend(schema["enum"])
        if "const" in schema:
            hints.values.append(schema["const"])
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
            bound = schema.get(keyword)
            if isinstance(bound, (int, float)) and not isinstance(bound, bool):
                hints.numbers.append(bound)
        for keyword in ("minLength", "maxLength"):
            if isinstance(schema.get(keyword), int):
                hints.lengths.append(schema[keyword])
        if isinstance(schema.get("maxItems"), int):
            hints.max_items.append(schema["maxItems"])
        if isinstance(schema.get("format"), str):
            hints.formats.append(schema["format"])
        if isinstance(schema.get("pattern"), str):
            hints.patterns.append(schema["pattern"])
    return hints


def _numbers_near(hints: Hints) -> list[float | int]:
    """Each bound, one past it each way, and a few usual suspects."""
    found: list[float | int] = []
    for bound in hints.numbers:
        if isinstance(bound, int):
            found += [bound, bound + 1, bound - 1]
        found += [bound + 0.5, bound - 0.5]
    found += [0, 1, -1, 1.5, 2**31, -(2**31) - 1, 2**63]
    for value in hints.values:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            found += [value + 1, value - 1]
    return found


def _strings_near(hints: Hints, example: Json) -> list[str]:
    found = [""]
    for length in hints.lengths:
        found += ["a" * length, "a" * (length + 1)]
        if length:
            found.append("a" * (length - 1))
    for name in hints.formats:
        found += list(_FORMAT_SAMPLES.get(name, ()))
    found += ["a", "~", "0"]
    if isinstance(example, str):
        found.append(example + "~")
    for value in hints.values:
        if isinstance(value, str):
            found += [value + "~", value.lower(), value.upper()]
    return found


def _unique(values: Iterator[Json]) -> Iterator[Json]:
    seen: list[Json] = []
    for value in values:
        if not any(value == s and type(value) is type(s) for s in seen):
            seen.append(value)
            yield value


def request_candidates(matcher: Matcher, example: Json, hints: Hints) -> Iterator[Json]:
    """Values the matcher admits, aimed at what the schema forbids (the judge checks both)."""
    return _unique(_bounded(_request(matcher, example, hints)))


def _request(matcher: Matcher, example: Json, hints: Hints) -> Iterator[Json]:
    kind = matcher.kind
    if kind == "type":
        if isinstance(example, str):
            yield from _strings_near(hints, example)
        elif isinstance(example, bool):
            yield from (True, False)
        elif isinstance(example, (int, float)):
            yield from _numbers_near(hints)
        elif isinstance(example, list):
            yield from _arrays(matcher, example, hints)
        elif isinstance(example, dict):
            yield {}
    elif kind in ("integer", "decimal", "number"):
        for number in _numbers_near(hints):
            if kind == "integer" and isinstance(number, int):
                yield number
            elif kind == "decimal":
                yield float(number)
            elif kind == "number":
                yield number
    elif kind == "boolean":
        yield from (True, False)
    elif kind == "regex" and matcher.regex is not None:
        yield from strings_from_regex(matcher.regex, count=SAMPLES, seed=SEED)
    elif kind == "include" and isinstance(matcher.value, str):
        text = matcher.value
        yield from (text, "~" + text, text + "~")
        for length in hints.lengths:
            yield text + "a" * max(length + 1 - len(text), 0)
    elif kind in ("timestamp", "date", "time") and matcher.format:
        yield from render_format(matcher.format)
    elif kind in ("values", "eachValue", "eachKey") and isinstance(example, dict):
        yield {}
        if example and kind != "eachKey":
            yield {**example, "~": next(iter(example.values()))}


def _arrays(matcher: Matcher, example: list[Json], hints: Hints) -> Iterator[Json]:
    """Arrays of copies of the example's first element: lengths at and past the limits."""
    if not example:
        return
    low = matcher.min or 0
    lengths = [low] + [n + 1 for n in hints.max_items]
    for length in lengths:
        if length >= low and (matcher.max is None or length <= matcher.max):
            yield [example[0]] * length


def _bounded(values: Iterator[Json]) -> Iterator[Json]:
    for count, value in enumerate(values):
        if count >= BUDGET:
            return
        yield value


def response_candidates(hints: Hints, example: Json, matcher: Matcher | None) -> Iterator[Json]:
    """Values the schema may allow (the judge checks), to find one the matcher rejects.

    Arrays shorter than a matcher's minimum are not tried: an `eachLike` minimum
    describes one provider state, not every response. Objects are not tried: the
    response policy drops `required`, so an emptied object would say nothing of the
    provider.
    """
    return _unique(_bounded(_response(hints, example, matcher)))


def _response(hints: Hints, example: Json, matcher: Matcher | None) -> Iterator[Json]:
    yield from hints.values
    allowed = hints.types if hints.typed else {"null", "boolean", "integer", "number", "string"}
    if "null" in allowed:
        yield None
    if "string" in allowed:
        for name in hints.formats:
            yield from _FORMAT_SAMPLES.get(name, ())
        for pattern in hints.patterns:
            yield from strings_from_regex(pattern, count=SAMPLES, seed=SEED)
        yield from ("", "a")
        for length in hints.lengths:
            yield "a" * length
    if "number" in allowed:
        yield 1.5
    if "integer" in allowed or "number" in allowed:
        yield from (0, 1, -1)
        for bound in hints.numbers:
            yield bound
            if isinstance(bound, int):
                yield from (bound + 1, bound - 1)
    if "boolean" in allowed:
        yield from (True, False)
    if isinstance(example, list) and example and matcher is not None and matcher.max is not None:
        yield [example[0]] * (matcher.max + 1)
    if hints.typed and "array" in allowed and not isinstance(example, list):
        yield []
    if hints.typed and "object" in allowed and not isinstance(example, dict):
        yield {}
