"""Read consumer Pact files (specification v1 to v4) into `Interaction` values.

Pact files differ by version in where they keep the same facts: the query is a string
(v1/v2) or a map of lists (v3+), a v4 body is wrapped in `{content, contentType,
encoded}`, the provider state is `providerState` (v2), `provider_state` (v1) or a list
of `providerStates` (v3+). This module hides those differences; the rules only see
`Interaction`.
"""

from __future__ import annotations

import base64
import binascii
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

import orjson

from .._types import MISSING, Json, JsonObject
from ..errors import InputError

NO_STATE = "[none]"
STREAM_ABOVE = 64 * 2**20
"""Pacts larger than this many bytes are streamed (`pactstream.py`)."""

# `Interaction` and its parts are values: nothing assigns to them once read. They are not
# `frozen=True` because a frozen dataclass sets each field through `object.__setattr__`:
# for the 18 fields read per interaction, that was 8% of a 10,000-interaction run.


@dataclass(slots=True)
class Headers:
    """HTTP headers as the pact wrote them, looked up case-insensitively."""

    original: Mapping[str, str]
    """Header name as written in the pact (used in locations) -> value."""
    by_lower: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Lower-cased name -> (name as written, value)."""

    @classmethod
    def of(cls, raw: Mapping[str, str]) -> Headers:
        return cls(raw, {name.lower(): (name, value) for name, value in raw.items()})

    def get(self, name: str) -> str | None:
        """Value of the header `name` (any case), or None."""
        found = self.by_lower.get(name.lower())
        return None if found is None else found[1]

    def name_of(self, name: str) -> str:
        """The spelling the pact used for header `name`."""
        found = self.by_lower.get(name.lower())
        return name if found is None else found[0]


@dataclass(slots=True)
class Request:
    method: str
    """Lower-case HTTP method."""
    path: str
    query: Mapping[str, tuple[str, ...]]
    headers: Headers
    body: Json = MISSING

    @property
    def cookies(self) -> dict[str, tuple[str, ...]]:
        """Cookie name -> values, from the `Cookie` header (RFC 6265 `name=value; ...`)."""
        found: dict[str, list[str]] = {}
        for pair in (self.headers.get("cookie") or "").split(";"):
            name, _, value = pair.strip().partition("=")
            if name:
                found.setdefault(name, []).append(value.strip().removeprefix('"').removesuffix('"'))
        return {name: tuple(values) for name, values in found.items()}


@dataclass(slots=True)
class Response:
    status: int
    headers: Headers
    body: Json = MISSING


@dataclass(slots=True)
class Interaction:
    """One HTTP request/response pair a consumer expects."""

    index: int
    description: str | None
    state: str
    request: Request
    response: Response
    raw: JsonObject
    """The interaction as written in the pact, for reports."""

    @property
    def location(self) -> str:
        return f"[root].interactions[{self.index}]"

    def summary(self) -> Interaction:
        """This interaction as reports need it: who, which request, which status.

        Query, headers, bodies and the raw text are left out: a finding holds the values
        it reports itself, so a report that keeps summaries keeps memory proportional
        to its findings.
        """
        request = self.request
        return summary(
            self.index, self.description, self.state, request.method, request.path, self.response.status
        )


_NO_HEADERS = Headers({}, {})


def summary(
    index: int, description: str | None, state: str, method: str, path: str, status: int
) -> Interaction:
    """An interaction reduced to what reports show (see `Interaction.summary`)."""
    return Interaction(
        index, description, state, Request(method, path, {}, _NO_HEADERS), Response(status, _NO_HEADERS), {}
    )


@dataclass(frozen=True, slots=True)
class Skipped:
    """An interaction the engine does not check, with the reason why."""

    index: int
    description: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Pact:
    file: str
    consumer: str | None
    provider: str | None
    version: str
    interactions: Iterable[Interaction]
    """A sequence; for a streamed pact, an iterable that reads the file on each pass."""
    skipped: Sequence[Skipped] = ()
    streamed: bool = False
    """Read one interaction at a time (`pactstream.py`): results should keep summaries."""


def read_pact(path: str | Path, *, name: str | None = None) -> Pact:
    """Read a pact file; `name` is how the report refers to it (default: the path).

    Files above `STREAM_ABOVE` bytes are streamed (`pactstream.py`) rather than read whole.
    """
    label = name if name is not None else str(path)
    try:
        if Path(path).stat().st_size > STREAM_ABOVE:
            from .stream import stream_pact  # here: it imports this module, and ijson

            return stream_pact(Path(path), label)
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(label, f"cannot read pact: {exc.strerror or exc}") from None
    with _collector_paused():
        try:
            document = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError(label, f"pact is not valid JSON: {exc}") from None
        return parse_pact(document, label)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a pact is read.

    Reading creates tens of thousands of containers and no cycles, and each run of the
    collector walks every object of the process: in a process that also holds a large
    spec, reading a 10,000-interaction pact took 2.5 times longer with it running
    (benchmarks/bench_pact.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_pact(document: Json, label: str) -> Pact:
    """Turn a parsed pact document into a `Pact`, or raise `InputError`."""
    if not isinstance(document, dict):
        raise InputError(label, "pact must be a JSON object")
    raw_interactions = document.get("interactions")
    if raw_interactions is None:
        raise InputError(label, "pact has no 'interactions' list")
    if not isinstance(raw_interactions, list):
        raise InputError(label, "pact 'interactions' must be a list")
    version = pact_version(document)
    v4 = version.startswith("4")
    interactions: list[Interaction] = []
    skipped: list[Skipped] = []
    for index, raw in enumerate(raw_interactions):
        if not isinstance(raw, dict):
            raise InputError(label, f"interactions[{index}] must be an object")
        kind = raw.get("type")
        if kind is not None:
            reason = not_http(kind)
            if reason is not None:
                skipped.append(Skipped(index, _description(raw), reason))
                continue
        interactions.append(interaction_of(raw, index, label, v4=v4))
    return Pact(
        file=label,
        consumer=_name_of(document.get("consumer")),
        provider=_name_of(document.get("provider")),
        version=version,
        interactions=interactions,
        skipped=skipped,
    )


def pact_version(document: JsonObject) -> str:
    """The pact specification version, from any of its historical spellings."""
    metadata = document.get("metadata")
    if isinstance(metadata, dict):
        for key in ("pactSpecification", "pact-specification"):
            spec = metadata.get(key)
            if isinstance(spec, dict) and isinstance(spec.get("version"), str):
                return str(spec["version"])
        if isinstance(metadata.get("pactSpecificationVersion"), str):
            return str(metadata["pactSpecificationVersion"])
    return "1.0.0"


def _name_of(party: Json) -> str | None:
    if isinstance(party, dict) and isinstance(party.get("name"), str):
        return str(party["name"])
    return None


def _description(raw: JsonObject) -> str | None:
    description = raw.get("description")
    return description if isinstance(description, str) else None


def not_http(kind: Json) -> str | None:
    """Why an interaction of this `type` is not compared, or None when it is HTTP."""
    if kind is None or kind == "Synchronous/HTTP":
        return None
    if isinstance(kind, dict | list):
        kind = "[object]"  # what a streamed read knows of it (`pactstream.py`)
    return f"{kind} interactions are not HTTP; only HTTP interactions are compared"


def interaction_of(raw: JsonObject, index: int, label: str, *, v4: bool = False) -> Interaction:
    """The interaction `raw`, the `index`th of the pact `label`, or `InputError`."""
    # Runs once per interaction (10,000 in a large pact): locations for error messages
    # are only spelled out when there is an error.
    request = raw.get("request")
    response = raw.get("response")
    if not isinstance(request, dict):
        raise _bad(label, index, "request must be an object")
    if not isinstance(response, dict):
        raise _bad(label, index, "response must be an object")
    method = request.get("method")
    path = request.get("path")
    if not isinstance(method, str):
        raise _bad(label, index, "request.method must be a string")
    if not isinstance(path, str):
        raise _bad(label, index, "request.path must be a string")
    status = response.get("status")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool):
        raise _bad(label, index, "response.status must be an integer")
    query = request.get("query")
    return Interaction(
        index,
        _description(raw),
        _state(raw),
        Request(
            method.lower(),
            path,
            _NO_QUERY if query is None else _query(query, label, index),
            _headers(request.get("headers"), label, index, "request"),
            _body(request, label, index, "request", v4=v4),
        ),
        Response(
            status,
            _headers(response.get("headers"), label, index, "response"),
            _body(response, label, index, "response", v4=v4),
        ),
        raw,
    )


def _bad(label: str, index: int, problem: str) -> InputError:
    return InputError(label, f"interactions[{index}].{problem}")


def _state(raw: JsonObject) -> str:
    for key in ("providerState", "provider_state"):
        state = raw.get(key)
        if state and isinstance(state, str):
            return state
    states = raw.get("providerStates")
    if isinstance(states, list):
        names = [s["name"] for s in states if isinstance(s, dict) and isinstance(s.get("name"), str)]
        if names:
            return ", ".join(names)
    return NO_STATE


_NO_QUERY: Mapping[str, tuple[str, ...]] = {}


def _query(query: Json, label: str, index: int) -> dict[str, tuple[str, ...]]:
    if isinstance(query, str):
        parsed: dict[str, list[str]] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            parsed.setdefault(name, []).append(value)
        return {name: tuple(values) for name, values in parsed.items()}
    if isinstance(query, dict):
        result: dict[str, tuple[str, ...]] = {}
        for name, value in query.items():
            if isinstance(value, list):
                result[name] = tuple(as_text(v) for v in value)
            else:
                result[name] = (as_text(value),)
        return result
    raise _bad(label, index, "request.query must be a string or an object")


def _headers(headers: Json, label: str, index: int, side: str) -> Headers:
    if headers is None:
        return _NO_HEADERS
    if not isinstance(headers, dict):
        raise _bad(label, index, f"{side}.headers must be an object")
    # One pass, as this runs twice per interaction; pacts usually write every value as text.
    by_lower: dict[str, tuple[str, str]] = {}
    all_text = True
    for name, value in headers.items():
        if type(value) is not str:
            value = _header_text(value)
            all_text = False
        by_lower[name.lower()] = (name, value)
    if all_text:
        return Headers(headers, by_lower)
    return Headers({name: _header_text(value) for name, value in headers.items()}, by_lower)


def _header_text(value: Json) -> str:
    """A header value as text; a list is the comma-separated list HTTP would carry."""
    return ",".join(as_text(v) for v in value) if isinstance(value, list) else as_text(value)


def as_text(value: Json) -> str:
    """A pact value as the text an HTTP message would carry."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return orjson.dumps(value).decode()


def _body(part: JsonObject, label: str, index: int, side: str, *, v4: bool) -> Json:
    body = part.get("body", MISSING)
    if v4 and isinstance(body, dict) and "content" in body:
        return _v4_body(body, label, f"interactions[{index}].{side}")
    return body


def _v4_body(body: JsonObject, label: str, where: str) -> Json:
    """Decode a v4 body `{content, contentType, encoded}` to the value it carries."""
    content = body["content"]
    encoded = body.get("encoded")
    if not encoded or not isinstance(content, str):
        return content
    if str(encoded).lower() == "json":
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError as exc:
            raise InputError(label, f"{where}.body is marked JSON-encoded but is not JSON: {exc}") from None
    try:
        return base64.b64decode(content, validate=False).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError) as exc:
        raise InputError(label, f"{where}.body cannot be decoded as {encoded}: {exc}") from None


def iter_pact_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Expand folders to the `*.json` pacts they hold, in a stable order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise InputError(str(given), "folder holds no *.json pact files")
            yield from found
        else:
            yield path
