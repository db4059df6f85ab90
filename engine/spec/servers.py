"""Where a spec's paths are served: OpenAPI 3 `servers` (and Swagger 2.0 `basePath`) as path prefixes.

Routing only needs the path part of a server URL: a pact records the path it requested,
which may or may not carry the server's (`/v2/pets` against `https://api.example.com/v2`).
A server URL with variables stands for each value a variable may take.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .._types import Json, JsonObject


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
    urls = [url]
    for name, variable in variables.items():
        if not isinstance(variable, dict):
            continue
        values = [str(variable.get("default", ""))]
        values += [str(v) for v in variable.get("enum") or [] if str(v) not in values]
        urls = [u.replace("{" + name + "}", v) for u in urls for v in values]
    return urls
