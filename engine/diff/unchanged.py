"""Which operations read the same in both versions, told without reading them.

Between two releases of a large description most operations do not change: GitHub's has
over a thousand, and reading each into `model` values (parameters, bodies, responses) costs
more than comparing them. An operation is the same in both versions when its path item is
equal as written, everything it reaches through `$ref`s is equal as written, and so is
what the whole document says for every operation (servers, base path, security, media
types, security schemes). Such an operation has no change to report, so it is not read.

Equality is the C-level `==` of the parsed values; only the `$ref`s are walked, each
target once. Whether a target is the same is decided over the whole graph it reaches (a
schema that refers to itself through others is the same when every schema on the cycle
is), never by assuming an answer for a target still being looked at.
"""

from __future__ import annotations

from .._types import MISSING, Json, JsonObject
from ..spec.loading import Spec, pointed_at
from ..spec.reader import Declaration

_PER_OPERATION = frozenset(
    {"paths", "components", "definitions", "parameters", "responses", "webhooks", "x-webhooks"}
)
"""Top-level words read only through a path item or a `$ref`: compared where they are reached."""
_DOCUMENTATION = frozenset({"info", "tags", "externalDocs"})
"""Top-level words no operation reads."""


class UnchangedOperations:
    """Tells, for two versions of one spec, whether an operation is written the same in both."""

    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old.document
        self.new = new.document
        # Everything outside the path items that an operation's model is read from.
        self.usable = old.kind == new.kind and _context(self.old) == _context(self.new)
        self._same: dict[str, bool] = {}
        """Local `$ref` -> whether its target, and all it reaches, is equal in both documents."""

    def same(self, old: Declaration, new: Declaration) -> bool:
        """Whether the operation declared at `old` (old spec) and `new` (new spec) reads the same."""
        if not self.usable or old.path_name != new.path_name:
            return False
        if old.item.file or new.item.file or old.item.pointer != new.item.pointer:
            return False  # a path item in another file: its `$ref`s are relative to that file
        if old.item.value != new.item.value:
            return False
        return all(self._ref_same(ref) for ref in _refs(old.item.value))

    def _ref_same(self, ref: str) -> bool:
        known = self._same.get(ref)
        if known is None:
            self._settle(ref)
            known = self._same[ref]
        return known

    def _settle(self, start: str) -> None:
        """Decide every not yet decided `$ref` reachable from `start`."""
        edges: dict[str, tuple[str, ...]] = {}
        differs: list[str] = []
        pending = [start]
        while pending:
            ref = pending.pop()
            if ref in edges or ref in self._same:
                continue
            old, new = _target(self.old, ref), _target(self.new, ref)
            if old is None or new is None or old != new:
                edges[ref] = ()
                differs.append(ref)
                continue
            edges[ref] = tuple(_refs(old))
            for target in edges[ref]:
                if self._same.get(target) is False:
                    differs.append(ref)
                pending.append(target)
        # What reaches a differing target differs too: walk the edges backwards from each.
        reached_by: dict[str, list[str]] = {}
        for ref, targets in edges.items():
            for target in targets:
                reached_by.setdefault(target, []).append(ref)
        different: set[str] = set()
        while differs:
            ref = differs.pop()
            if ref not in different:
                different.add(ref)
                differs.extend(reached_by.get(ref, ()))
        for ref in edges:
            self._same[ref] = ref not in different


def _context(document: JsonObject) -> JsonObject:
    """What a document says for all its operations at once (security schemes included)."""
    context = {
        k: v
        for k, v in document.items()
        if k not in _PER_OPERATION and k not in _DOCUMENTATION and not k.startswith("x-")
    }
    components = document.get("components")
    if isinstance(components, dict):
        context["securitySchemes"] = components.get("securitySchemes")
    return context


def _target(document: JsonObject, ref: str) -> Json | None:
    """The value a `$ref` written in the entry document names there; None for any other `$ref`."""
    if not ref.startswith("#"):
        return None  # another file's, read by its own rules: not shortcut
    value = pointed_at(document, ref[1:])
    return None if value is MISSING else value


def _refs(value: Json) -> list[str]:
    """Every `$ref` written inside `value` (not following them); one not a string as ``.

    A stack, not recursion: a document nested deeper than Python's call stack is still read.
    """
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if ref is not None:
                found.append(ref if isinstance(ref, str) else "")
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))
    return found
