"""Where a spec's paths are served: OpenAPI 3 `servers` (and Swagger 2.0 `basePath`) as path prefixes.

Routing only needs the path part of a server URL: a pact records the path it requested,
which may or may not carry the server's (`/v2/pets` against `https://api.example.com/v2`).
A server URL with variables stands for each value a variable may take, up to
`SERVER_PREFIXES` URLs a server.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from .._types import Json, JsonObject

SERVER_PREFIXES = 1_000
"""How many URLs one server's variables may expand to."""
SERVER_PREFIXES_VARIABLE = "CROSSCONTRACT_MAX_SERVER_PREFIXES"


def split_path(path: str) -> tuple[str, ...]:
    """Path segments, ignoring empty ones (double and trailing slashes)."""
    return tuple(filter(None, path.split("/")))


def server_prefixes(operation: Json, item: JsonObject, document: JsonObject) -> frozenset[tuple[str, ...]]:
    """Path prefixes of the servers that apply to an operation (the most specific level wins).

    Server variables take their default and, when they list them, every enum value.
    """
    for owner in (operation, item, document):
        servers = owner.get("servers") if isinstance(owner, dict) else None
        if isinstance(servers, list) and servers:
            break
    else:
        return frozenset()
    prefixes: set[tuple[str, ...]] = set()
    for server in servers:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        for url in _expand_variables(server["url"], server.get("variables") or {}):
            prefixes.add(split_path(urlsplit(url).path if "://" in url else url.split("?", 1)[0]))
    return frozenset(prefixes)


def _expand_variables(url: str, variables: JsonObject) -> list[str]:
    """Every URL `url` stands for, up to `SERVER_PREFIXES` of them.

    Each variable multiplies the URLs by the values it may take: eight variables of 16 values
    would stand for four billion. A variable whose values would take the count past the bound
    takes only its default (as a server variable must be read when nothing else is known),
    so a pact path using one of its other values is reported as an unknown path.
    """
    if not variables:
        return [url]
    bound = server_prefix_bound()
    urls = [url]
    for name, variable in variables.items():
        if not isinstance(variable, dict):
            continue
        values = [str(variable.get("default", ""))]
        values += [str(v) for v in variable.get("enum") or [] if str(v) not in values]
        if len(urls) * len(values) > bound:
            values = values[:1]
        urls = [u.replace("{" + name + "}", v) for u in urls for v in values]
    return urls


def server_prefix_bound() -> int:
    """`SERVER_PREFIXES`, or the count in the environment variable `SERVER_PREFIXES_VARIABLE`."""
    text = os.environ.get(SERVER_PREFIXES_VARIABLE, "").strip()
    return int(text) if text.isdigit() else SERVER_PREFIXES
