"""Type aliases shared across the engine.

`Json` is what a parsed JSON or YAML document can hold. `Any` stops here and at the
readers: everything downstream works on these aliases.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Json: TypeAlias = Any
JsonObject: TypeAlias = dict[str, Any]
Path: TypeAlias = tuple[str | int, ...]
"""A location inside a document as a sequence of keys and indexes."""


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
