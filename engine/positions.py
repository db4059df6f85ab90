"""Line and column of a pointer's value in a spec or pact file, for reports that point at lines.

The engine keeps locations as `Pointer` tuples and never reads a file twice on the hot
path: positions are worked out here, after the comparison, only for the findings of a
report that needs them (GitHub annotations, SARIF, GitLab code quality). A run that
writes none of those reports never imports this module.

A pointer from the entry document's root may pass through `$ref`s (the spec's
`.../schema/properties/id` lives in `components/schemas/Pet`): the walk follows them,
into other files too, as the engine did. Where a pointer's value is not in the file (a
value the engine derived, a pact v4 body wrapper, a header named in another case), the
position is the nearest ancestor that is, marked `exact=False`.

JSON files are not parsed into a tree of positions: each container on the way down is
scanned once for where its members start, skipping every other value with the C
decoder, so a lookup in GitHub's 13 MB description costs a few C-speed passes over the
containers it passes through, whatever the number of findings (memoized per file).
YAML files are composed once with PyYAML (`yaml.compose`), whose nodes carry marks.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

from msgspec import Struct

from ._types import Pointer

_MAX_REFS = 32
"""`$ref`s followed by one lookup: a cycle of references ends here rather than never."""


class Position(Struct, frozen=True):
    """Where a value starts in a file: 1-based line and column (in characters)."""

    file: str
    """The file holding the value: the one asked about, or one a `$ref` led to."""
    line: int
    column: int
    exact: bool = True
    """False when the value itself is not in the file and this is its nearest ancestor."""


class _Tree(Protocol):
    """A parsed file's values, each a handle that knows where it starts."""

    def root(self) -> Any: ...
    def child(self, node: Any, token: str) -> Any: ...
    def ref(self, node: Any) -> str | None: ...
    def position(self, node: Any) -> tuple[int, int]: ...


class Locator:
    """Positions of pointers in files; each file is read and indexed once per locator.

    `read` returns a file's bytes or None (no such file, a URL): tests pass a dict's get.
    """

    def __init__(self, read: Callable[[str], bytes | None] | None = None) -> None:
        self._read = read or _read_file
        self._trees: dict[str, _Tree | None] = {}

    def position(self, file: str, pointer: Pointer | None) -> Position | None:
        """Where `pointer`'s value (or its nearest ancestor) starts; None for an unreadable file."""
        if pointer is None:
            return None
        tree = self._tree(file)
        if tree is None:
            return None
        node = tree.root()
        if node is None:
            return None
        tokens = [str(t) for t in pointer]
        exact = True
        hops = 0
        i = 0
        while i < len(tokens):
            found = tree.child(node, tokens[i])
            if found is None and i > 0 and tokens[i - 1] == "body":
                # a pact v4 body is {"content": ..., "contentType": ...}; pointers address the content
                content = tree.child(node, "content")
                found = None if content is None else tree.child(content, tokens[i])
            if found is None:
                jumped = self._follow(tree, node, file, hops)
                if jumped is not None:
                    file, tree, node = jumped
                    hops += 1
                    continue
                exact = False
                break
            node = found
            i += 1
        line, column = tree.position(node)
        return Position(file, line, column, exact)

    def _follow(self, tree: _Tree, node: Any, file: str, hops: int) -> tuple[str, _Tree, Any] | None:
        """Where the `$ref` at `node` leads: (file, its tree, the value), or None."""
        ref = tree.ref(node)
        if ref is None or hops >= _MAX_REFS:
            return None
        target, _, fragment = ref.partition("#")
        if "://" in target or target.startswith("//"):
            return None  # remote references are never fetched
        if target:
            file = str(Path(file).parent / unquote(target))
            tree_or_none = self._tree(file)
            if tree_or_none is None:
                return None
            tree = tree_or_none
        value = tree.root()
        for token in _fragment_tokens(fragment):
            value = None if value is None else tree.child(value, token)
        return None if value is None else (file, tree, value)

    def _tree(self, file: str) -> _Tree | None:
        if file not in self._trees:
            data = self._read(file)
            self._trees[file] = None if data is None else parse_tree(data)
        return self._trees[file]


def _read_file(file: str) -> bytes | None:
    if "://" in file:
        return None
    try:
        return Path(file).read_bytes()
    except OSError:
        return None


def _fragment_tokens(fragment: str) -> tuple[str, ...]:
    fragment = unquote(fragment)
    if not fragment.startswith("/"):
        return ()
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in fragment[1:].split("/"))


def parse_tree(data: bytes) -> _Tree | None:
    """The position tree of a JSON or YAML file; None when it is neither."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if text[_space_end(text, 0) : _space_end(text, 0) + 1] in ("{", "["):
        tree = JsonTree(text)
        if tree.root() is not None:
            return tree
    return YamlTree.of(text)


_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Members:
    """What is known of one JSON container: the members scanned so far, and where to go on."""

    __slots__ = ("end", "items", "keys", "resume")

    def __init__(self, resume: int) -> None:
        self.keys: dict[str, int] = {}
        self.items: list[int] = []
        self.resume: int | None = resume
        """Where the scan goes on (the next member or the closing bracket); None once done."""
        self.end: int | None = None
        """Just after the closing bracket, once the scan has reached it."""


class JsonTree:
    """JSON text, scanned lazily: a handle is the offset where a value starts.

    A container is scanned only as far as a lookup needs, and once scanned its end is
    known, so its parent skips it for free. Every other value is skipped with the C
    decoder. Each byte is thus decoded about once, however many lookups there are.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._decoder = json.JSONDecoder()
        self._containers: dict[int, _Members] = {}
        # Offsets already placed, sorted, with their line and the offset where it starts.
        self._placed: list[int] = [0]
        self._lines: list[int] = [1]
        self._line_starts: list[int] = [0]

    def root(self) -> int | None:
        start = _space_end(self.text, 0)
        return start if start < len(self.text) else None

    def child(self, node: int, token: str) -> int | None:
        members = self._container(node)
        if members is None:
            return None
        if self.text[node] == "[":
            if not token.isdigit():
                return None
            index = int(token)
            while len(members.items) <= index and members.resume is not None:
                self._advance(node, members, None)
            return members.items[index] if index < len(members.items) else None
        found = members.keys.get(token)
        if found is None and members.resume is not None:
            self._advance(node, members, token)
            found = members.keys.get(token)
        if found is None:  # header names, say, are compared without case
            folded = token.casefold()
            found = next((v for k, v in members.keys.items() if k.casefold() == folded), None)
        return found

    def ref(self, node: int) -> str | None:
        at = self.child(node, "$ref")
        if at is None or self.text[at] != '"':
            return None
        value, _ = _scanstring(self.text, at + 1)
        return str(value)

    def position(self, node: int) -> tuple[int, int]:
        # Lines are counted from the nearest offset already placed, in C (`str.count`): a
        # few lookups cost one pass at most, and a table of every line start (350,000 in
        # GitHub's description) is never built.
        at = bisect.bisect_right(self._placed, node) - 1
        start, line, line_start = self._placed[at], self._lines[at], self._line_starts[at]
        line += self.text.count("\n", start, node)
        newline = self.text.rfind("\n", start, node)
        if newline >= 0:
            line_start = newline + 1
        self._placed.insert(at + 1, node)
        self._lines.insert(at + 1, line)
        self._line_starts.insert(at + 1, line_start)
        return line, node - line_start + 1

    def _container(self, node: int) -> _Members | None:
        members = self._containers.get(node)
        if members is None and self.text[node] in "{[":
            members = _Members(_space_end(self.text, node + 1))
            self._containers[node] = members
        return members

    def _advance(self, node: int, members: _Members, until: str | None) -> None:
        """Scan on: to the end, or (`until`) past that key, or (arrays) past one more item."""
        text = self.text
        is_object = text[node] == "{"
        closer = "}" if is_object else "]"
        try:
            while members.resume is not None:
                at = members.resume
                if text[at] == closer:
                    members.resume, members.end = None, at + 1
                    return
                key = None
                if is_object:
                    if text[at] != '"':
                        raise ValueError("expected a key")
                    key, at = _scanstring(text, at + 1)
                    at = _space_end(text, at)
                    if text[at] != ":":
                        raise ValueError("expected ':'")
                    at = _space_end(text, at + 1)
                    members.keys.setdefault(key, at)
                else:
                    members.items.append(at)
                at = _space_end(text, self._skip(at))
                if text[at] == ",":
                    at = _space_end(text, at + 1)
                elif text[at] != closer:
                    raise ValueError("expected ',' or the end of the container")
                members.resume = at
                if not is_object or (until is not None and key == until):
                    return  # an array goes on one item at a time; an object to the key asked for
        except (ValueError, IndexError):
            members.resume = None  # not JSON from here: what was found stays usable

    def _skip(self, at: int) -> int:
        """Just after the value at `at`."""
        members = self._containers.get(at)
        if members is not None:
            while members.resume is not None:
                self._advance(at, members, None)
            if members.end is None:
                raise ValueError("not JSON")
            return members.end
        _, end = self._decoder.raw_decode(self.text, at)
        return int(end)


def _space_end(text: str, at: int) -> int:
    return _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]


_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class YamlTree:
    """YAML composed into PyYAML nodes, which carry the marks of where each value starts."""

    def __init__(self, node: Any) -> None:
        self._root = node

    @classmethod
    def of(cls, text: str) -> YamlTree | None:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            node = yaml.compose(text, Loader=loader)
        except (yaml.YAMLError, RecursionError, ValueError):
            return None
        return None if node is None else cls(node)

    def root(self) -> Any:
        return self._root

    def child(self, node: Any, token: str) -> Any:
        import yaml

        if isinstance(node, yaml.SequenceNode):
            return node.value[int(token)] if token.isdigit() and int(token) < len(node.value) else None
        if not isinstance(node, yaml.MappingNode):
            return None
        pairs = [(k.value, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        found = next((v for k, v in reversed(pairs) if k == token), None)
        if found is None:
            folded = token.casefold()
            found = next((v for k, v in pairs if str(k).casefold() == folded), None)
        if found is None:  # `<<: *base` merges another mapping's keys
            merged = next((v for k, v in pairs if k == "<<"), None)
            sources = merged.value if isinstance(merged, yaml.SequenceNode) else [merged] if merged else []
            found = next((f for s in sources if (f := self.child(s, token)) is not None), None)
        return found

    def ref(self, node: Any) -> str | None:
        import yaml

        found = self.child(node, "$ref")
        return str(found.value) if isinstance(found, yaml.ScalarNode) else None

    def position(self, node: Any) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line + 1, mark.column + 1
