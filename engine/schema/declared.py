"""What a schema's types, names, strings and equal values mean, read alike by every validator.

`additionalProperties` applies to the names neither `properties` nor `patternProperties`
declares; the keys of `patternProperties` are ECMAScript patterns (`patterns.py`).
jsonschema's keywords (`validation`) and the walk that stands in for them (`walk`) read
names through these, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .._types import Json
from .patterns import PatternError, PatternTimeoutError, compile_pattern


def is_number(value: Json) -> bool:
    """jsonschema's `number`: any number but a boolean."""
    kind = type(value)
    if kind is int or kind is float:  # what JSON reads to, first
        return True
    if isinstance(value, bool):
        return False
    import numbers  # here: only a value built in Python, not read from JSON, gets this far

    return isinstance(value, numbers.Number)


def is_integer(value: Json) -> bool:
    """jsonschema's `integer` (2019-09 and later): an integral number, `1.0` too."""
    kind = type(value)
    if kind is int:  # what JSON reads to, first
        return True
    if kind is bool:
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


# `type(...).__instancecheck__` is `isinstance` bound to the type, called without a Python
# frame: a third of the cost of a lambda per value.
TYPE_TESTS: dict[str, Callable[[Json], bool]] = {
    "null": type(None).__instancecheck__,
    "boolean": bool.__instancecheck__,
    "object": dict.__instancecheck__,
    "array": list.__instancecheck__,
    "string": str.__instancecheck__,
    "number": is_number,
    "integer": is_integer,
}
"""The checks of each `type` name."""


class InvalidSchemaError(ValueError):
    """A schema the spec holds says something no value can be checked against."""


def matches_pattern(pattern: str, name: str) -> bool:
    """Whether a property name matches a `patternProperties` key, read as ECMAScript."""
    try:
        return bool(compile_pattern(pattern).search(name))
    except PatternError:
        # Unlike a `pattern` (which then constrains nothing), a key that is no pattern leaves
        # no way to tell which schema a property is held to.
        raise InvalidSchemaError(f"patternProperties key {pattern!r} is not a regular expression") from None
    except PatternTimeoutError:
        return False


def string_matches(pattern: str, text: str) -> bool:
    """Whether `text` passes `pattern` (the keyword): a pattern no engine can read constrains
    nothing, and a match past the time budget counts as no match."""
    try:
        return compile_pattern(pattern).search(text) is not None
    except PatternError:
        return True
    except PatternTimeoutError:
        return False


def json_equal(one: Json, two: Json) -> bool:
    """JSON equality as jsonschema has it (`enum`, `const`, `uniqueItems`): `true` is not
    `1`, `1.0` is `1`, at any depth."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(json_equal(a, b) for a, b in zip(one, two, strict=False))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and json_equal(value, two[key]) for key, value in one.items()
        )
    if isinstance(one, bool) or isinstance(two, bool):
        return False  # two different booleans, or a boolean and a number
    return bool(one == two)


def additional_names(instance: Json, schema: Json) -> list[str]:
    """The names of `instance` that neither `properties` nor `patternProperties` declare."""
    declared = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        name
        for name in instance
        if name not in declared and not any(matches_pattern(p, name) for p in patterns)
    ]
