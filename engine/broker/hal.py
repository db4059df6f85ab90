"""Reading the broker's HAL answers: links, link templates, and the pact lists it returns.

Pure functions of parsed JSON, apart from the HTTP client, so what the broker says can be
checked without a broker. HAL allows relative hrefs and a list where one link is expected;
both are read here, in one place. An answer that lacks what the API documents is a
`BrokerProtocolError` naming the request it answered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urljoin

from msgspec import Struct

from .._types import Json
from ..errors import BrokerProtocolError
from ..urls import redact

__all__ = [
    "FOR_VERIFICATION",
    "Notice",
    "VerifiablePact",
    "consumer_version",
    "expand",
    "latest_pacts",
    "link",
    "link_name",
    "resolve",
    "verifiable_pacts",
]

FOR_VERIFICATION = "pb:provider-pacts-for-verification"

_PACT_NAME = re.compile(r"^Pact between .+? \((?P<version>[^()]+)\) and ")
"""How the broker names a pact it lists: `Pact between Foo (1.0.0) and Bar`."""


class Notice(Struct, frozen=True):
    """A message the broker attaches to a pact (why it is verified, whether it is pending)."""

    when: str
    text: str


class VerifiablePact(Struct, frozen=True):
    """A pact the broker asks the provider to verify."""

    url: str
    """The pact's URL as the broker gave it, `/metadata/...` segment included."""
    description: str = ""
    pending: bool = False
    wip: bool = False
    notices: tuple[Notice, ...] = ()
    consumer_version: str | None = None
    """The consumer version the broker names the pact by in its list, if it does."""


def consumer_version(name: str | None) -> str | None:
    """The consumer version in a broker's name for a pact (`Pact between Foo (1.0.0) and Bar`), or None."""
    found = _PACT_NAME.match(name or "")
    if found is None:
        return None
    return found.group("version").strip() or None


def expand(template: str, **values: str) -> str:
    """Fill a HAL link template's `{name}` placeholders with URL-quoted values."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(value, safe=""))
    return template


def link(resource: Json, relation: str) -> str | None:
    """The href of `relation` in a HAL resource's `_links`, or None."""
    return _link_field(resource, relation, "href")


def link_name(resource: Json, relation: str) -> str | None:
    """The `name` of `relation` in a HAL resource's `_links` (e.g. a pact's consumer version), or None."""
    return _link_field(resource, relation, "name")


def _link_field(resource: Json, relation: str, field: str) -> str | None:
    """`field` of the (first) link `relation` in a HAL resource's `_links`: a non-empty string, or None."""
    links = resource.get("_links") if isinstance(resource, dict) else None
    found = links.get(relation) if isinstance(links, dict) else None
    if isinstance(found, list):
        found = found[0] if found else None
    value = found.get(field) if isinstance(found, dict) else None
    return value if isinstance(value, str) and value else None


def resolve(index: Json, relation: str, base_url: str, fallback: str | None = None, **values: str) -> str:
    """The absolute, expanded href of an index relation, or of the documented route `fallback`.

    Without a fallback, a missing relation means the broker lacks the feature (e.g. a Pact
    Broker asked for PactFlow's provider contracts).
    """
    href = link(index, relation)
    if href is None:
        if fallback is None:
            raise BrokerProtocolError(f"{redact(base_url)}: the broker's index has no {relation!r} relation")
        href = base_url + fallback
    return expand(urljoin(base_url + "/", href), **values)


def verifiable_pacts(answer: Json, url: str) -> tuple[VerifiablePact, ...]:
    """The pacts of a `pb:provider-pacts-for-verification` answer (POSTed to `url`)."""
    embedded = answer.get("_embedded") if isinstance(answer, dict) else None
    pacts = embedded.get("pacts") if isinstance(embedded, dict) else None
    if not isinstance(pacts, list):
        raise BrokerProtocolError(f"POST {redact(url)}: the answer has no '_embedded.pacts' list")
    found: list[VerifiablePact] = []
    for entry in pacts:
        href = link(entry, "self")
        if href is None:
            continue
        href = urljoin(url, href)  # HAL allows relative hrefs
        properties = entry.get("verificationProperties")
        properties = properties if isinstance(properties, dict) else {}
        notices = properties.get("notices")
        wip = properties.get("wip") is True
        name = _name(entry)
        found.append(
            VerifiablePact(
                href,
                str(entry.get("shortDescription") or name or ""),
                # Work-in-progress pacts are pending by definition: nobody has verified them yet.
                pending=properties.get("pending") is True or wip,
                wip=wip,
                notices=tuple(_notices(notices if isinstance(notices, list) else [])),
                consumer_version=consumer_version(name),
            )
        )
    return tuple(found)


def latest_pacts(answer: Json, url: str) -> tuple[VerifiablePact, ...]:
    """The pacts of a `pb:latest-provider-pacts` answer (older brokers), read from `url`."""
    links = answer.get("_links") if isinstance(answer, dict) else None
    pacts = links.get("pb:pacts", links.get("pacts")) if isinstance(links, dict) else None
    found: list[VerifiablePact] = []
    for entry in pacts if isinstance(pacts, list) else []:
        href = entry.get("href") if isinstance(entry, dict) else None
        if isinstance(href, str) and href:
            title = str(entry.get("title") or entry.get("name") or "")
            version = consumer_version(entry.get("title") if isinstance(entry.get("title"), str) else None)
            found.append(VerifiablePact(urljoin(url, href), title, consumer_version=version))
    return tuple(found)


def _name(entry: Mapping[str, Any]) -> str | None:
    links = entry.get("_links")
    self_link = links.get("self") if isinstance(links, dict) else None
    name = self_link.get("name") if isinstance(self_link, dict) else None
    return name if isinstance(name, str) else None


def _notices(raw: list[Any]) -> Iterable[Notice]:
    for notice in raw:
        if isinstance(notice, dict) and isinstance(notice.get("text"), str):
            yield Notice(str(notice.get("when") or ""), notice["text"])
