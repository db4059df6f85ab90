"""Telling a pact URL from a pact file, and showing text without credentials.

Below the broker client on purpose: reports (which link a broker's pacts) and front ends
(which route URLs to the broker, and print what it said) ask these questions without
loading the client.

`Secrets` is the one place that knows how a credential can show up in text and takes it
out: the broker client scrubs every message and label it makes with it, and the command
line scrubs every line and report it writes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote

import orjson
from msgspec import Struct

__all__ = ["Secrets", "credentials_in", "is_url", "markdown_safe", "redact"]

_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
_CREDENTIALS_IN_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#@:]*):([^/?#@]*)@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
"""What starts an HTML tag, comment, declaration or autolink in Markdown (`<=` does not)."""
_ENTITY_START = re.compile(r"&(?=[#A-Za-z0-9])")

HIDDEN = "***"
"""What a secret is replaced with."""

PREFIX = 8
"""Characters of a secret's start that are taken out on their own: what is left of a secret
when a message is cut in the middle of it (a broker's answer cut to one line's length)."""


def is_url(text: str) -> bool:
    """Whether `text` names an http(s) URL rather than a file."""
    return text[:8].lower().startswith(("http://", "https://"))  # schemes are case-insensitive


def redact(url: str) -> str:
    """`url` without user information (`https://user:secret@host` -> `https://host`).

    A regular expression rather than a URL parser: it must work on malformed URLs too.
    """
    return _USERINFO.sub(r"\1", url)


def credentials_in(url: str) -> tuple[str, str] | None:
    """The (user, password) written in a URL's user information (`https://user:secret@host`), if any.

    Sent as basic auth by the HTTP client, so they are secrets like the configured ones.
    """
    found = _CREDENTIALS_IN_URL.match(url)
    if not found or not found.group(2):
        return None
    return unquote(found.group(1)), unquote(found.group(2))


def repr_hiding(value: Struct, hidden: Iterable[str]) -> str:
    """`value`'s repr without the fields named in `hidden`: a repr must never show a secret."""
    left_out = set(hidden)
    shown = (f"{name}={getattr(value, name)!r}" for name in value.__struct_fields__ if name not in left_out)
    return f"{type(value).__name__}({', '.join(shown)})"


class Secrets(Struct, frozen=True):
    """The credentials of a run, in every spelling they could be printed in.

    A secret is taken out as given, URL-encoded (a token in a pact URL's query), as the
    base64 of a basic-auth pair (what the `Authorization` header carries and a broker may
    echo), and as each report format writes text (JSON, XML and Markdown escapes, control
    characters written as `\\xNN`). Any start of one of those spellings that is `PREFIX`
    characters or longer is taken out too, wherever it stands, so a message cut inside a
    secret keeps none of it.
    """

    forms: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Secrets(<{len(self.forms)} hidden>)"  # a repr must never show one

    @classmethod
    def of(cls, *secrets: str | None, basic: Iterable[tuple[str | None, str | None]] = ()) -> Secrets:
        """The spellings of `secrets` (tokens, passwords) and of each basic-auth (user, password) pair."""
        raw = [s for s in secrets if s]
        for user, password in basic:
            if user is not None or password:
                pair = f"{user or ''}:{password or ''}".encode()
                raw.append(base64.b64encode(pair).decode("ascii"))
        encoded = {
            form
            for secret in raw
            for form in (secret, quote(secret, safe=""), quote(secret), quote_plus(secret))
        }
        forms = {spelled for form in encoded for spelled in _spellings(form)}
        # Longest first: where one spelling starts another, the longer is the one taken out.
        return cls(tuple(sorted((f for f in forms if f), key=lambda f: (-len(f), f))))

    def __bool__(self) -> bool:
        return bool(self.forms)

    def __add__(self, other: Secrets) -> Secrets:
        return Secrets(tuple(sorted(set(self.forms) | set(other.forms), key=lambda f: (-len(f), f))))

    def scrub(self, text: str) -> str:
        """`text` with every spelling of every secret, and every long enough start of one, hidden."""
        if not self.forms:
            return text
        spans: list[tuple[int, int]] = []
        for form in self.forms:
            head = form[:PREFIX]
            start = text.find(head)
            while start >= 0:
                end = start + len(head)
                longest = min(len(form), len(text) - start)
                while end - start < longest and text[end] == form[end - start]:
                    end += 1
                spans.append((start, end))
                start = text.find(head, end)
        if not spans:
            return text
        spans.sort()
        pieces: list[str] = []
        done = 0
        for start, end in spans:
            if end <= done:
                continue  # inside a span already hidden
            if start >= done:
                pieces.append(text[done:start])
                pieces.append(HIDDEN)
            done = end
        pieces.append(text[done:])
        return "".join(pieces)


def _spellings(text: str) -> tuple[str, ...]:
    """`text` as each report format writes it: as is, JSON, XML, Markdown, control characters escaped."""
    import json  # only a run with secrets to hide needs it (1-2 ms of start-up)

    json_string = orjson.dumps(text).decode()[1:-1]
    ascii_json_string = json.dumps(text)[1:-1]  # `\u00f6`: how other JSON writers spell non-ASCII
    xml_text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    xml_attribute = (
        xml_text.replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#09;")
    )
    markdown = markdown_safe(text.replace("\\", "\\\\").replace("|", "\\|"))
    escaped = _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)
    return (text, json_string, ascii_json_string, xml_text, xml_attribute, markdown, escaped)


def markdown_safe(text: str) -> str:
    """`text` for a Markdown document, with nothing in it that starts HTML or an entity.

    Defined here, beside `Secrets`, because it is one of the spellings a secret is looked
    for in; the Markdown report writes a pact's text through it.
    """
    return _HTML_START.sub("&lt;", _ENTITY_START.sub("&amp;", text))
