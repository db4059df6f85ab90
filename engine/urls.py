"""Telling a pact URL from a pact file, and showing a URL without its credentials.

Below the broker client on purpose: reports (which link a broker's pacts) and front ends
(which route URLs to the broker) ask these questions without loading the client.
"""

from __future__ import annotations

import re

__all__ = ["is_url", "redact"]

_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def is_url(text: str) -> bool:
    """Whether `text` names an http(s) URL rather than a file."""
    return text[:8].lower().startswith(("http://", "https://"))  # schemes are case-insensitive


def redact(url: str) -> str:
    """`url` without user information (`https://user:secret@host` -> `https://host`).

    A regular expression rather than a URL parser: it must work on malformed URLs too.
    """
    return _USERINFO.sub(r"\1", url)
