"""Type aliases and values shared across the engine.

`Json` is what a parsed JSON or YAML document can hold. `Any` stops here and at the
readers: everything downstream works on these aliases.

`Pointer` is how the engine says where something is, in a pact or in a spec: the tokens
of an RFC 6901 JSON pointer from the document's root, an `int` for an array index. A
tuple cannot be misread: `{"a.b": 1}` and `{"a": {"b": 1}}` give `("a.b",)` and
`("a", "b")`, where a dotted string would give `a.b` twice.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Json: TypeAlias = Any
JsonObject: TypeAlias = dict[str, Any]
Pointer: TypeAlias = tuple[str | int, ...]
"""A location inside a document: its keys and array indexes from the root (RFC 6901 tokens)."""
Path: TypeAlias = Pointer
"""A location relative to a value (a body, a schema) rather than to a document's root."""


def to_json_pointer(pointer: Pointer) -> str:
    """The RFC 6901 string of `pointer`: `("a/b", 0)` -> `/a~1b/0`."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in pointer)


def from_json_pointer(text: str) -> tuple[str, ...]:
    """The tokens of an RFC 6901 string; every token is a string (a document decides what is an index).

    Raises ValueError for text that is not a JSON pointer.
    """
    if text == "":
        return ()
    if not text.startswith("/"):
        raise ValueError(f"not a JSON pointer: {text!r}")
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in text[1:].split("/"))


class _Missing:
    """The absence of a value, distinct from JSON null."""

    __slots__ = ()
    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""Sentinel for a body or value that is absent (as opposed to `null`)."""
