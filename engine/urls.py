"""Whether an argument names an HTTP(S) resource rather than a local file."""

from __future__ import annotations


def is_url(text: str) -> bool:
    return text[:8].lower().startswith(("http://", "https://"))  # schemes are case-insensitive
