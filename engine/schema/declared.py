"""What a schema declares about names and strings, read alike by both validators.

`additionalProperties` applies to the names neither `properties` nor `patternProperties`
declares; the keys of `patternProperties` are ECMAScript patterns (`patterns.py`).
jsonschema's keywords (`validation`) and the walk that stands in for them (`walk`) read
names through these, so the two cannot drift apart.
"""

from __future__ import annotations

from .._types import Json
from .patterns import PatternError, PatternTimeoutError, compile_pattern


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


def additional_names(instance: Json, schema: Json) -> list[str]:
    """The names of `instance` that neither `properties` nor `patternProperties` declare."""
    declared = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        name
        for name in instance
        if name not in declared and not any(matches_pattern(p, name) for p in patterns)
    ]
