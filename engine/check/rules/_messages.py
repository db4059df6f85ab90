"""Message parts that say what the spec allows, added after the reference wording.

The reference engine's messages say what is wrong; a user also needs what would be right.
Each rule keeps the reference text as the first part of its message (reports are compared
with it) and adds one of these after it.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from ..._types import Json
from ...schema.validation import SchemaError

LISTED = 10
"""How many allowed values a message names before it only counts the rest."""


def listing(values: Iterable[str]) -> str:
    """`a, b, c`, cut after `LISTED` values (`..., and 4 more`)."""
    names = list(values)
    shown = ", ".join(names[:LISTED])
    return shown if len(names) <= LISTED else f"{shown}, and {len(names) - LISTED} more"


def allowed_values(error: SchemaError) -> str:
    """` (allowed: "a", "b")` for an `enum` failure, else nothing."""
    if error.keyword != "enum" or not isinstance(error.schema_value, list):
        return ""
    return f" (allowed: {listing(_literal(v) for v in error.schema_value)})"


def _literal(value: Json) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # an integer beyond 64 bits, which a YAML spec may hold
        import json

        return json.dumps(value, ensure_ascii=False)
