"""What changed from one version of a spec to the next, operation by operation.

    >>> for change in spec_changes(load_spec("old.yaml"), load_spec("new.yaml")):
    ...     change.code.code, change.operation, change.message

Both specs are read with each dialect's `Reader` (dialect-neutral values, no validator built), so
a Swagger 2.0 document and its OpenAPI 3 successor compare like two versions of one
dialect. Operations are matched by method and path with the names of path parameters set
aside (`/pets/{id}` and `/pets/{petId}` are one operation: the request on the wire is the
same); their parameters, bodies, responses and security are then compared part by part,
and their schemas by `schemas.py`. Every change carries a pointer into each spec (None on
the side where the thing is absent) so a report can show both versions of the place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from msgspec import Struct

from .._types import Pointer
from ..spec.loading import Spec
from ..spec.model import Body, Operation, Parameter, Response, SecurityRequirement
from ..spec.operations import reader_for
from ..spec.reader import METHODS, Declaration, Reader
from .codes import CHANGE_CODES, ChangeCode, ChangeSeverity, code
from .schemas import SchemaChange, SchemaComparer, Side
from .unchanged import UnchangedOperations

_TEMPLATE = re.compile(r"\{[^}/]*\}")


class Change(Struct, frozen=True):
    """One difference between the two specs that matters to some client, or says why none."""

    code: ChangeCode
    message: str
    method: str
    """Lower-case, as the specs write it."""
    old_path: str | None
    """The operation's path in the old spec (None: the operation is new)."""
    new_path: str | None
    """The operation's path in the new spec (None: the operation is gone)."""
    old: Pointer | None
    """Where the old spec declares what changed (None: absent there)."""
    new: Pointer | None

    @property
    def severity(self) -> ChangeSeverity:
        return self.code.severity

    @property
    def operation(self) -> str:
        """`GET /pets/{id}`, as the new spec writes it when it has the operation."""
        path = self.new_path if self.new_path is not None else self.old_path
        return f"{self.method.upper()} {path}"


def operation_key(operation: Operation) -> tuple[str, str]:
    """What identifies an operation across versions: method, and the path without parameter names."""
    return _key(operation.method, operation.path, operation.base_path)


def _key(method: str, path: str, base_path: tuple[str, ...]) -> tuple[str, str]:
    prefix = "".join(f"/{segment}" for segment in base_path)
    return method, prefix + _TEMPLATE.sub("{}", path)


def _declarations(reader: Reader) -> dict[tuple[str, str], Declaration]:
    """Where each operation is declared, by `operation_key`, in the order the spec declares them."""
    base_path = reader.base_path()
    return {
        _key(method, path_name, base_path): reader.declaration(path_name, method)
        for path_name, item in reader.path_items()
        for method in METHODS
        if method in item
    }


def spec_changes(old: Spec, new: Spec) -> tuple[Change, ...]:
    """Every change from `old` to `new`: removed operations, then each kept one's, then added ones.

    An operation written the same in both versions (`unchanged.py`) is not read at all.
    """
    old_reader, new_reader = reader_for(old), reader_for(new)
    olds, news = _declarations(old_reader), _declarations(new_reader)
    unchanged = UnchangedOperations(old, new)
    comparer = SchemaComparer(old, new)
    changes: list[Change] = []
    for key, declared in olds.items():
        counterpart = news.get(key)
        if counterpart is None:
            changes.append(
                Change(
                    code("change.operation.removed"),
                    "operation removed",
                    declared.method,
                    declared.path_name,
                    None,
                    declared.at,
                    None,
                )
            )
        elif not unchanged.same(declared, counterpart):
            before, after = old_reader.operation(declared), new_reader.operation(counterpart)
            changes.extend(_OperationDiff(before, after, comparer).changes())
    for key, declared in news.items():
        if key not in olds:
            changes.append(
                Change(
                    code("change.operation.added"),
                    "operation added",
                    declared.method,
                    None,
                    declared.path_name,
                    None,
                    declared.at,
                )
            )
    return tuple(changes)


class _OperationDiff:
    """The changes between two versions of one operation."""

    def __init__(self, old: Operation, new: Operation, comparer: SchemaComparer) -> None:
        self.old = old
        self.new = new
        self.comparer = comparer

    def changes(self) -> Iterator[Change]:
        yield from self._parameters()
        yield from self._request_body()
        yield from self._responses()
        yield from self._security()

    def _change(self, name: str, message: str, old: Pointer | None, new: Pointer | None) -> Change:
        return Change(code(name), message, self.old.method, self.old.path, self.new.path, old, new)

    def _schema_changes(
        self, part: str, label: str, found: tuple[SchemaChange, ...], side: Side
    ) -> Iterator[Change]:
        """Changes inside a schema, coded by `part` (`body`, `parameter`, `header`) and depth."""
        for change in found:
            where = part
            if part == "body" and change.path:
                where = "property"
            subject = f"{label}, {change.where}" if change.path else label
            name = f"change.{side}.{where}.{change.problem}"
            if name not in CHANGE_CODES:  # a property inside a parameter's or header's object schema
                name = f"change.{side}.{where}.schema-changed"
            yield self._change(name, f"{subject}: {change.detail}", change.old, change.new)

    # --- parameters ----------------------------------------------------------------------------

    def _parameters(self) -> Iterator[Change]:
        renamed = _path_renames(self.old.path, self.new.path)
        olds = {p.key: p for p in self.old.parameters}
        news = {(renamed.get(p.key, p.key)): p for p in self.new.parameters}
        for key, param in olds.items():
            if key not in news:
                yield self._change(
                    "change.request.parameter.removed", f"{_name(param)} removed", param.at, None
                )
        for key, param in news.items():
            if key in olds:
                yield from self._parameter(olds[key], param)
            elif param.required:
                yield self._change(
                    "change.request.parameter.required-added",
                    f"required {_name(param)} added",
                    None,
                    param.at,
                )
            else:
                yield self._change(
                    "change.request.parameter.added", f"optional {_name(param)} added", None, param.at
                )

    def _parameter(self, old: Parameter, new: Parameter) -> Iterator[Change]:
        label = _name(new)
        if new.required and not old.required:
            yield self._change(
                "change.request.parameter.became-required", f"{label} became required", old.at, new.at
            )
        elif old.required and not new.required:
            yield self._change(
                "change.request.parameter.became-optional", f"{label} became optional", old.at, new.at
            )
        if (old.style, old.explode, old.content_type) != (new.style, new.explode, new.content_type):
            detail = f"{_serialized(old)} -> {_serialized(new)}"
            yield self._change("change.request.parameter.style-changed", f"{label}: {detail}", old.at, new.at)
        if old.schema is not None and new.schema is not None:
            found = self.comparer.compare(old.schema.node, new.schema.node, "request")
            yield from self._schema_changes("parameter", label, found, "request")

    # --- request body --------------------------------------------------------------------------

    def _request_body(self) -> Iterator[Change]:
        old, new = self.old.request_body, self.new.request_body
        if old is None and new is None:
            return
        if old is None:
            assert new is not None
            name = "change.request.body.required-added" if new.required else "change.request.body.added"
            yield self._change(
                name, "request body added" + (" (required)" if new.required else ""), None, new.at
            )
            return
        if new is None:
            yield self._change("change.request.body.removed", "request body removed", old.at, None)
            return
        if new.required and not old.required:
            yield self._change(
                "change.request.body.required-added", "request body became required", old.at, new.at
            )
        yield from self._media_types("request", "request body", old, new)
        yield from self._contents("request", "request body", old, new)

    def _media_types(self, side: Side, label: str, old: Body, new: Body) -> Iterator[Change]:
        for media in old.content:
            if media not in new.content:
                yield self._change(
                    f"change.{side}.media-type.removed",
                    f"{label}: media type {media} removed",
                    old.at,
                    new.at,
                )
        for media in new.content:
            if media not in old.content:
                yield self._change(
                    f"change.{side}.media-type.added", f"{label}: media type {media} added", old.at, new.at
                )

    def _contents(self, side: Side, label: str, old: Body, new: Body) -> Iterator[Change]:
        for media, old_schema in old.content.items():
            new_schema = new.content.get(media, old_schema)
            if media not in new.content or old_schema is None or new_schema is None:
                if old_schema is None and new_schema is not None and media in new.content:
                    yield self._change(
                        f"change.{side}.body.schema-changed",
                        f"{label} ({media}): schema added",
                        old.at,
                        new_schema.at,
                    )
                elif side == "response" and old_schema is not None and new_schema is None:
                    yield self._change(
                        "change.response.body.removed",
                        f"{label} ({media}): schema removed",
                        old_schema.at,
                        new.at,
                    )
                continue
            found = self.comparer.compare(old_schema.node, new_schema.node, side)
            yield from self._schema_changes("body", f"{label} ({media})", found, side)

    # --- responses -----------------------------------------------------------------------------

    def _responses(self) -> Iterator[Change]:
        olds, news = self.old.responses, self.new.responses
        for key, response in olds.items():
            if key not in news:
                name = (
                    "change.response.status.removed"
                    if key.startswith("2")
                    else "change.response.non-success-status.removed"
                )
                yield self._change(name, f"response {key} removed", response.at, None)
        for key, response in news.items():
            if key not in olds:
                name = (
                    "change.response.status.added-over-default"
                    if _covered_before(key, olds)
                    else "change.response.status.added"
                )
                yield self._change(name, f"response {key} added", None, response.at)
            else:
                yield from self._response(olds[key], response)

    def _response(self, old: Response, new: Response) -> Iterator[Change]:
        label = f"response {new.key}"
        old_types, new_types = set(old.media_types.types), set(new.media_types.types)
        for media in old.media_types.types:
            if media not in new_types:
                yield self._change(
                    "change.response.media-type.removed",
                    f"{label}: media type {media} removed",
                    old.at,
                    new.at,
                )
        for media in new.media_types.types:
            if media not in old_types:
                yield self._change(
                    "change.response.media-type.added", f"{label}: media type {media} added", old.at, new.at
                )
        if old.body is not None and new.body is not None:
            yield from self._contents("response", label, old.body, new.body)
        elif old.body is not None and any(s is not None for s in old.body.content.values()):
            yield self._change(
                "change.response.body.removed", f"{label}: body schema removed", old.at, new.at
            )
        yield from self._headers(label, old.headers, new.headers)

    def _headers(
        self, label: str, olds: Mapping[str, Parameter], news: Mapping[str, Parameter]
    ) -> Iterator[Change]:
        for name, header in olds.items():
            if name not in news:
                yield self._change(
                    "change.response.header.removed",
                    f"{label}: header {header.name} removed",
                    header.at,
                    None,
                )
                continue
            new = news[name]
            if header.required and not new.required:
                yield self._change(
                    "change.response.header.became-optional",
                    f"{label}: header {new.name} became optional",
                    header.at,
                    new.at,
                )
            if header.schema is not None and new.schema is not None:
                found = self.comparer.compare(header.schema.node, new.schema.node, "response")
                yield from self._schema_changes("header", f"{label}: header {new.name}", found, "response")
        for name, header in news.items():
            if name not in olds:
                yield self._change(
                    "change.response.header.added", f"{label}: header {header.name} added", None, header.at
                )

    # --- security ------------------------------------------------------------------------------

    def _security(self) -> Iterator[Change]:
        old, new = self.old.security, self.new.security
        if old == new:
            return
        old_at = _security_at(self.old)
        new_at = _security_at(self.new)
        if not _required(old):
            if _required(new):
                yield self._change("change.security.added", "security requirements added", old_at, new_at)
            return
        lost = [alt for alt in old if not any(_suffices(candidate, alt) for candidate in _alternatives(new))]
        if lost:
            shown = "; ".join(" + ".join(sorted(c.scheme for c in alt.credentials)) or "none" for alt in lost)
            yield self._change(
                "change.security.changed", f"security alternative no longer enough: {shown}", old_at, new_at
            )
        else:
            yield self._change("change.security.loosened", "security requirements loosened", old_at, new_at)


def _name(param: Parameter) -> str:
    return f"{param.location} parameter {param.name}"


def _serialized(param: Parameter) -> str:
    """How a parameter's value is written: its style, or the media type of its `content`."""
    if param.content_type is not None:
        return f"content {param.content_type}"
    return f"style {param.style}/explode {param.explode}"


def _path_renames(old_path: str, new_path: str) -> dict[tuple[str, str], tuple[str, str]]:
    """New path parameter key -> old key, for path parameters renamed in place."""
    old_names = [m.group(0)[1:-1] for m in _TEMPLATE.finditer(old_path)]
    new_names = [m.group(0)[1:-1] for m in _TEMPLATE.finditer(new_path)]
    return {("path", n): ("path", o) for o, n in zip(old_names, new_names, strict=False) if o != n}


def _covered_before(key: str, olds: Mapping[str, Response]) -> bool:
    """Whether a new response key takes over statuses that `default` or a range answered."""
    return "default" in olds or (key[:1].isdigit() and f"{key[0]}XX" in {k.upper() for k in olds})


def _alternatives(security: tuple[SecurityRequirement, ...]) -> tuple[SecurityRequirement, ...]:
    return security if security else (SecurityRequirement(()),)


def _required(security: tuple[SecurityRequirement, ...]) -> bool:
    """Whether any credentials are needed at all (an empty alternative needs none)."""
    return bool(security) and all(alt.credentials for alt in security)


def _suffices(candidate: SecurityRequirement, alternative: SecurityRequirement) -> bool:
    """Whether a request satisfying `alternative` also satisfies `candidate`."""
    return set(candidate.credentials) <= set(alternative.credentials)


def _security_at(operation: Operation) -> Pointer:
    if operation.security and operation.security[0].at:
        return operation.security[0].at[:-1]
    return (*operation.at, "security")
