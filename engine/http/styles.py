"""OpenAPI 3 parameter serialization: from the text a request carries to its parts.

A parameter's `style` and `explode` say how an array or object is written into a path
segment, a query string, a header or a cookie (OpenAPI 3.x, "Style Values" and "Style
Examples"). For `id = [3, 4]` and `color = {R: 100, G: 200}`:

| style          | explode | array         | object                |
|----------------|---------|---------------|-----------------------|
| simple         | false   | `3,4`         | `R,100,G,200`         |
| simple         | true    | `3,4`         | `R=100,G=200`         |
| label          | false   | `.3,4`        | `.R,100,G,200`        |
| label          | true    | `.3.4`        | `.R=100.G=200`        |
| matrix         | false   | `;id=3,4`     | `;color=R,100,G,200`  |
| matrix         | true    | `;id=3;id=4`  | `;R=100;G=200`        |
| form           | false   | `id=3,4`      | `color=R,100,G,200`   |
| form           | true    | `id=3&id=4`   | `R=100&G=200`         |
| spaceDelimited | false   | `id=3%204`    | `color=R%20100%20G%20200` |
| pipeDelimited  | false   | `id=3|4`      | `color=R|100|G|200`   |
| deepObject     | true    | n/a           | `color[R]=100&color[G]=200` |

The functions here only split text; typing the parts is the caller's business. Text
that does not follow the declared style raises `StyleError`, so a value in the wrong
serialization is reported rather than read as a plain string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct

Shape = str
"""`scalar`, `array` or `object`: what the parameter's schema describes."""
Parts = str | list[str] | dict[str, str]
Deep = dict[str, "str | Deep"]
"""The properties of an object sent as several query names; `deepObject` nests them
(`p[a][n]=abc` is `{"a": {"n": "abc"}}`)."""
"""A scalar's text, an array's items or an object's properties, still as text."""

_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


class StyleError(ValueError):
    """The text does not follow the parameter's serialization."""


class Serialization(Struct, frozen=True):
    """How one OpenAPI 3 parameter is written."""

    name: str
    style: str
    explode: bool

    def example(self, shape: Shape) -> str:
        """A short example of the expected form, for messages."""
        samples = {
            "label": {"scalar": ".5", "array": ".3.4" if self.explode else ".3,4"},
            "matrix": {
                "scalar": f";{self.name}=5",
                "array": f";{self.name}=3;{self.name}=4" if self.explode else f";{self.name}=3,4",
            },
        }
        shapes = samples.get(self.style, {})
        return shapes.get(shape, f"{self.style} style")


def default_style(location: str) -> str:
    """The style a parameter has when it names none."""
    return "form" if location in ("query", "cookie") else "simple"


def split_path_value(text: str, how: Serialization, shape: Shape) -> Parts:
    """One path segment (already percent-decoded) as `shape` serialized `how`."""
    if how.style == "label":
        if not text.startswith("."):
            raise StyleError(f"must be written in label style, e.g. {how.example(shape)!r}")
        body = text[1:]
        separator = "." if how.explode else ","
        return _parts(body, shape, separator, pairs_joined=how.explode)
    if how.style == "matrix":
        return _split_matrix(text, how, shape)
    return split_simple(text, how, shape)


def split_simple(text: str, how: Serialization, shape: Shape) -> Parts:
    """A path segment or header value in `simple` style."""
    return _parts(text, shape, ",", pairs_joined=how.explode)


def split_query_value(values: Sequence[str], how: Serialization, shape: Shape) -> Parts:
    """The values of one query (or cookie) name as `shape`.

    Exploded `form` objects and `deepObject`s use several names; `gather_query` collects
    them first.
    """
    if shape == "scalar":
        return values[-1] if values else ""
    if how.style == "deepObject":
        raise StyleError(f"must be written as {how.name}[property]=value (deepObject style)")
    if how.explode:
        if shape == "array":
            return list(values)
        raise StyleError(
            f"must be written as one query parameter per property ({how.style} style, explode: true)"
        )
    if len(values) > 1:
        raise StyleError(f"must be written once, not repeated ({how.style} style, explode: false)")
    text = values[0] if values else ""
    delimiter = _DELIMITERS.get(how.style, ",")
    if delimiter == " " and " " not in text and "%20" in text:
        delimiter = "%20"  # a pact may keep the percent-encoded form of a space
    return _parts(text, shape, delimiter, pairs_joined=False)


def gather_query(
    query: Mapping[str, Sequence[str]], how: Serialization, properties: frozenset[str]
) -> Deep | None:
    """The properties of an object sent as several query names, or None when none is sent.

    Exploded `form`: each declared property is its own name (`R=100&G=200`).
    `deepObject`: `color[R]=100&color[G]=200`, nested objects one bracket deeper
    (`p[a][n]=abc`), as qs and most servers read them.
    """
    found: Deep = {}
    if how.style == "deepObject":
        for key, values in query.items():
            path = _deep_path(key, how.name)
            if path is not None and values:
                _put(found, path, values[-1])
    else:
        for key in properties:
            sent = query.get(key)
            if sent:
                found[key] = sent[-1]
    return found or None


def _put(into: Deep, path: tuple[str, ...], value: str) -> None:
    """Set `value` at `path`; a name sent both as a value and as an object keeps the first."""
    *parents, last = path
    for segment in parents:
        child = into.setdefault(segment, {})
        if not isinstance(child, dict):
            return
        into = child
    into.setdefault(last, value)


def query_names(
    query: Mapping[str, Sequence[str]], how: Serialization, properties: frozenset[str]
) -> set[str]:
    """The query names an object parameter sent as several names occupies."""
    if how.style == "deepObject":
        return {key for key in query if _deep_path(key, how.name) is not None}
    return set(properties & query.keys())


def deep_name(name: str, path: Sequence[str | int]) -> str:
    """The `deepObject` query name that carries the property at `path` (`p[a][n]`)."""
    return name + "".join(f"[{segment}]" for segment in path)


def _deep_path(key: str, name: str) -> tuple[str, ...] | None:
    """The properties the `deepObject` query name `key` carries for `name`.

    `color[R]`: `("R",)`; `p[a][n]`: `("a", "n")`. None when it carries none: another
    name, or an empty or unbalanced bracket (`color[]`, `color[R`), which names no property.
    """
    prefix = name + "["
    if not (key.startswith(prefix) and key.endswith("]")):
        return None
    segments = key[len(prefix) : -1].split("][")
    if not all(segments) or any("[" in s or "]" in s for s in segments):
        return None
    return tuple(segments)


def _split_matrix(text: str, how: Serialization, shape: Shape) -> Parts:
    if not text.startswith(";"):
        raise StyleError(f"must be written in matrix style, e.g. {how.example(shape)!r}")
    fields = text[1:].split(";")
    if shape == "object" and how.explode:
        return dict(_pair(field, "=") for field in fields)
    own = f"{how.name}="
    if any(not f.startswith(own) and f != how.name for f in fields):
        raise StyleError(f"must be written in matrix style, e.g. {how.example(shape)!r}")
    values = [f[len(own) :] for f in fields]
    if shape == "array" and how.explode:
        return values
    if len(values) != 1:
        raise StyleError(f"must name {how.name!r} once in matrix style, e.g. {how.example(shape)!r}")
    return _parts(values[0], shape, ",", pairs_joined=False)


def _parts(text: str, shape: Shape, separator: str, *, pairs_joined: bool) -> Parts:
    """`text` as a scalar, items split on `separator`, or properties.

    Properties are `k=v` items when `pairs_joined`, else alternating keys and values.
    """
    if shape == "scalar":
        return text
    items = text.split(separator) if text else []
    if shape == "array":
        return items
    if pairs_joined:
        return dict(_pair(item, "=") for item in items)
    if len(items) % 2 or not all(items[::2]):
        raise StyleError("must list keys and values in pairs")
    return dict(zip(items[::2], items[1::2], strict=True))


def _pair(item: str, sign: str) -> tuple[str, str]:
    key, found, value = item.partition(sign)
    if not found or not key:  # `=5` names no property
        raise StyleError(f"must write each property as key{sign}value")
    return key, value
