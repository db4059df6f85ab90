"""YAML read into JSON's data model, with a budget for aliases.

A spec in YAML must read to what the same spec in JSON reads to, since schemas are JSON
Schema and reports are JSON:
- YAML 1.2 core schema scalars (which OpenAPI recommends, as js-yaml reads them): `yes`,
  `no`, `on`, `off` stay strings, `010` is ten, `9:30` and `1_000` are strings.
- Keys are strings (`200:` is the key `"200"`).
- Tags of YAML's type repository that JSON has no type for are read as what they are
  written as, never as Python objects a JSON encoder or validator cannot take:
  `!!timestamp` and `!!binary` as their text (the base64 text `format: byte` expects),
  `!!set` as the mapping it is written as (each member a key with a null value),
  `!!omap` and `!!pairs` as the list of one-key mappings they are written as.
  Implicit timestamps (`2024-01-01`) stay text too. Other tags are refused, as before.
- Aliases (`*name`) share the value of their anchor. A document of a few kilobytes can
  stand for billions of values that way (the "billion laughs"), which every later walk
  over the document (the cache's copy, a report's value) would expand. Reading counts
  the anchors used again; only when there are some does it count the values the document
  stands for, once for each distinct value, and refuses it past `ALIAS_BUDGET` values or
  when an alias contains itself.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any

from .._types import Json, JsonObject
from ..errors import InputError

ALIAS_BUDGET = 10_000_000
"""How many values a YAML document that uses aliases may stand for once they are expanded."""
ALIAS_BUDGET_VARIABLE = "CROSSCONTRACT_YAML_ALIAS_BUDGET"

# YAML 1.2's core schema (which OpenAPI recommends, and js-yaml reads) where PyYAML reads
# YAML 1.1: `yes`, `no`, `on`, `off` are strings; `010` is ten, not octal eight; `9:30` is
# a string, not the base-60 number 570; `1_000` and `0b101` are strings.
_BOOL_12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_12 = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_12 = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_RESOLVED_12 = {
    "tag:yaml.org,2002:bool": _BOOL_12,
    "tag:yaml.org,2002:int": _INT_12,
    "tag:yaml.org,2002:float": _FLOAT_12,
}
_FIRST_CHARACTERS = {
    "tag:yaml.org,2002:int": "-+0123456789",
    "tag:yaml.org,2002:float": "-+.0123456789",
}
_AS_TEXT = ("binary", "timestamp")
_AS_LIST = ("omap", "pairs")


def parse_yaml(data: bytes, label: str) -> Json:
    """The document `data` (YAML text) in JSON's data model, or `InputError` naming `label`."""
    import yaml

    loader = _loader()(data)
    try:
        document: Json = loader.get_single_data()
        reused: int = loader.reused
    except yaml.YAMLError as exc:
        reason = str(exc).replace("\n", " ")
        raise InputError(label, f"not valid JSON or YAML: {reason}") from None
    except RecursionError:
        raise InputError(label, "not readable: values nested too deeply") from None
    except (ValueError, TypeError) as exc:
        raise InputError(label, f"not valid JSON or YAML: {exc}") from None
    finally:
        loader.dispose()
    if reused:
        budget = alias_budget()
        if expanded_size(document, budget) is None:
            raise InputError(
                label,
                f"its aliases expand to more than {budget:,} values or contain themselves "
                f"(set {ALIAS_BUDGET_VARIABLE} to allow more)",
            )
    return document


def alias_budget() -> int:
    text = os.environ.get(ALIAS_BUDGET_VARIABLE, "").strip()
    return int(text) if text.isdigit() else ALIAS_BUDGET


def expanded_size(document: Json, budget: int) -> int | None:
    """How many values `document` stands for with shared values counted at each use.

    None past `budget`, or when a value contains itself. Each distinct list or mapping is
    walked once (its size is kept by identity), so the count costs the size of the
    document as read, not as expanded.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        value, children_done = stack.pop()
        key = id(value)
        children = value.values() if isinstance(value, dict) else value
        if children_done:
            open_.discard(key)
            total = 1 + sum(sizes.get(id(c), 1) if isinstance(c, dict | list) else 1 for c in children)
            if total > budget:
                return None
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_:
            return None  # a value inside itself: infinitely large
        open_.add(key)
        stack.append((value, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list) and id(c) not in sizes)
    return sizes.get(id(document), 1)


@cache
def _loader() -> Any:
    """The loader class, built on first use: a JSON spec never pays for importing PyYAML (10 ms)."""
    import yaml

    base = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader

    class Loader(base):  # type: ignore[misc,valid-type]
        def __init__(self, stream: bytes) -> None:
            super().__init__(stream)
            self.reused = 0
            """How many times a value already read was used again: an alias."""

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                self.reused += 1
            return super().construct_object(node, deep)

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> JsonObject:
        loader.flatten_mapping(node)
        return {
            _json_key(loader.construct_object(k, deep=True)): loader.construct_object(v, deep=True)
            for k, v in node.value
        }

    def construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        return str(loader.construct_scalar(node))

    def construct_list(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> list[Any]:
        return loader.construct_sequence(node, deep=True)

    kept = ("tag:yaml.org,2002:timestamp", *_FIRST_CHARACTERS)
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {
        first: [(tag, _RESOLVED_12.get(tag, regexp)) for tag, regexp in found if tag not in kept]
        for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for tag, firsts in _FIRST_CHARACTERS.items():  # int before float: `10` is an int
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, _RESOLVED_12[tag]))
    Loader.yaml_implicit_resolvers = resolvers

    def construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
        return _int_12(str(loader.construct_scalar(node)))

    def construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
        return _float_12(str(loader.construct_scalar(node)))

    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:set", construct_mapping)
    for name in _AS_TEXT:
        Loader.add_constructor(f"tag:yaml.org,2002:{name}", construct_text)
    for name in _AS_LIST:
        Loader.add_constructor(f"tag:yaml.org,2002:{name}", construct_list)
    return Loader


def _int_12(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _float_12(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


def _json_key(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)
