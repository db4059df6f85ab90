"""Schema `pattern`s read as ECMAScript reads them, which is how OpenAPI means them.

OpenAPI takes `pattern` from JSON Schema, which takes it from ECMAScript: `\\d` and `\\w`
are ASCII classes there, Unicode classes in Python. Both validators (jsonschema through
`validation.py`, the compiled check through `fastpath.py`) read patterns here, so they
agree on what a pattern means.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex


_ASCII_CLASSES = {"d": "0-9", "w": "A-Za-z0-9_"}


def ecmascript_to_python(pattern: str) -> str:
    """Rewrite `\\d` and `\\w` to the ASCII classes ECMAScript means by them.

    Python reads them as Unicode classes; a blanket ASCII flag would also turn off
    `\\p{..}` Unicode property escapes, which ECMAScript patterns may use.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            ascii_class = _ASCII_CLASSES.get(escaped.lower())
            if ascii_class and (escaped.islower() or not in_class):
                if in_class:
                    out.append(ascii_class)
                else:
                    out.append(f"[{'^' if escaped.isupper() else ''}{ascii_class}]")
            else:
                out.append(char + escaped)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """A schema `pattern` read as ECMAScript reads it."""
    import regex  # here: only a schema with a pattern pays for the import (10 ms)

    return regex.compile(ecmascript_to_python(pattern), regex.V0)
