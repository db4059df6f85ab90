"""Uploaded provider contracts: check that they load, name them, and load them for comparing.

A spec is named after its content hash (`<sha256>.yaml` or `.json`), so the reports of two
provider versions that published the same bytes are the same report, and the comparator
compiled for one serves the other. `crosscontract compare --format json <sha256>.yaml <pact
URL>` run on the same bytes prints exactly what the service stores.

YAML aliases are counted before the document is built: an alias "bomb" (a few hundred bytes
whose aliases expand to billions of nodes) is cheap to parse but ruins anything that walks the
result, so it is refused at intake as a spec that does not load.
"""

from __future__ import annotations

import hashlib
from typing import Any

from crosscontract.engine import InputError, Spec, load_spec
from crosscontract.engine.spec.loading import parse_document

MAX_NODES = 1_000_000
"""Most nodes a spec may expand to once its aliases are followed (large real specs stay far below)."""


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def label(content_hash: str, content_type: str) -> str:
    return f"{content_hash}.{'json' if 'json' in content_type else 'yaml'}"


def load(content: bytes, name: str) -> Spec:
    """The spec these bytes hold, or `InputError` with the engine's one-line reason."""
    if content.lstrip()[:1] not in (b"{", b"["):
        _refuse_alias_bombs(content, name)
    document = parse_document(content, name)
    if not isinstance(document, dict):
        raise InputError(name, "not an OpenAPI document: expected a mapping at the top level")
    return load_spec(document, label=name)


def _refuse_alias_bombs(content: bytes, name: str) -> None:
    import yaml

    loader: Any = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
    try:
        root = yaml.compose(content, Loader=loader)
    except yaml.YAMLError as exc:
        reason = str(exc).replace("\n", " ")
        raise InputError(name, f"not valid JSON or YAML: {reason}") from None
    if root is not None and _expanded_size(root) > MAX_NODES:
        raise InputError(name, f"not valid JSON or YAML: its aliases expand to more than {MAX_NODES:,} nodes")


def _expanded_size(root: Any) -> int:
    """Nodes of the document with every alias written out, counted without writing them out.

    A node reached twice (an alias) is counted twice but walked once: sizes are memoised per
    node, so the count costs as many steps as the composed graph has edges.
    """
    import yaml

    sizes: dict[int, int] = {}
    visiting: set[int] = set()  # nodes whose children are being counted: meeting one again is a cycle
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = (
            [part for pair in node.value for part in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if children_done:
            visiting.discard(id(node))
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes.get(id(child), 0) for child in children))
            continue
        if id(node) in visiting:
            return MAX_NODES + 1  # a recursive alias expands without end
        visiting.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]
