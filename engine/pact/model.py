"""What a pact says, once read: interactions, their requests and responses, and their identity.

`reader.py` (whole files) and `stream.py` (large files, one interaction at a time) both
produce these values; the rules only ever see them. `InteractionRef` is the part of an
interaction that outlives the check: reports, worker processes and stored runs keep it,
not the interaction with its bodies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from msgspec import Struct, field

from .._types import MISSING, Json, JsonObject

if TYPE_CHECKING:  # imported by `parse.py` only for pacts that have rules
    from .matchers import Generators, MatchingRules

NO_STATE = "[none]"
"""The state of an interaction that names none (what the reference engine prints)."""

# `Interaction` and its parts are frozen Structs: four per interaction, plus two `Headers`.
# A slots dataclass's `__init__` is a Python function called from C (about 2,500
# instructions each, a frozen one more again); a Struct is built in C.


class Headers(Struct, frozen=True):
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


NO_HEADERS = Headers({}, {})

NOT_SENT: tuple[str, None] = ("", None)
"""The default of a lookup in `Headers.by_lower`: `headers.by_lower.get("accept", NOT_SENT)[1]`
is `headers.get("accept")` for a lower-case name, without a Python call (a third of the
instructions: the rules ask five times per interaction)."""


class Request(Struct, frozen=True):
    method: str
    """Lower-case HTTP method."""
    path: str
    query: Mapping[str, tuple[str, ...]]
    headers: Headers
    body: Json = MISSING
    matching_rules: MatchingRules | None = None
    """What the consumer may send besides the example (`matchers.py`); None when the pact
    gives no rules, as most pacts (every pact-msw-adapter pact) do."""
    generators: Generators | None = None

    @property
    def cookies(self) -> dict[str, tuple[str, ...]]:
        """Cookie name -> values, from the `Cookie` header (RFC 6265 `name=value; ...`)."""
        found: dict[str, list[str]] = {}
        for pair in (self.headers.get("cookie") or "").split(";"):
            name, _, value = pair.strip().partition("=")
            if name:
                found.setdefault(name, []).append(value.strip().removeprefix('"').removesuffix('"'))
        return {name: tuple(values) for name, values in found.items()}


class Response(Struct, frozen=True):
    status: int
    headers: Headers
    body: Json = MISSING
    matching_rules: MatchingRules | None = None
    """What the consumer will accept besides the example (`matchers.py`); None when none."""
    generators: Generators | None = None


class InteractionRef(NamedTuple):
    """Which interaction a result is about, and what reports show of it.

    Brokers and v4 pacts identify an interaction by `id` and `key`; its index, description
    and state are how people find it in the file. Nothing here grows with the pact's
    bodies, so a report that keeps refs keeps memory proportional to its findings.

    A NamedTuple rather than a frozen dataclass: one is built for every interaction
    checked and sent back from every `--jobs` worker. Building one takes 0.24 us against
    0.89 us for a frozen slots dataclass (whose fields are set through
    `object.__setattr__`), and unpickling 0.33 us against 0.98 us. Being a tuple, a ref
    also equals the plain tuple of its fields.
    """

    # The field hides `tuple.index`, which nothing asks of a ref; the name is the one
    # `Interaction`, `Skipped` and the published results use.
    index: int  # type: ignore[assignment]
    """Position in the pact's `interactions`, skipped interactions counted."""
    id: str | None
    """`_id`: what a Pact Broker adds to each interaction of a pact it serves."""
    key: str | None
    """A v4 interaction's `key`."""
    description: str | None
    state: str
    method: str
    """Lower-case HTTP method."""
    path: str
    status: int

    def __reduce__(self) -> tuple[type[InteractionRef], tuple[Any, ...]]:
        # Twice as fast to pickle as the NamedTuple default (`__getnewargs__` through copyreg).
        return (InteractionRef, tuple(self))


_new_ref = tuple.__new__


def interaction_ref(
    index: int, raw: JsonObject, description: str | None, state: str, method: str, path: str, status: int
) -> InteractionRef:
    """The ref of the interaction `raw`, built once as it is read.

    Every check result keeps one, so it is built with the values the reader already holds:
    `tuple.__new__` skips the NamedTuple's own `__new__`, a Python function.
    """
    found_id = raw.get("_id")
    key = raw.get("key")
    return _new_ref(
        InteractionRef,
        (
            index,
            found_id if type(found_id) is str else None,
            key if type(key) is str else None,
            description,
            state,
            method,
            path,
            status,
        ),
    )


class Interaction(Struct, frozen=True):
    """One HTTP request/response pair a consumer expects."""

    index: int
    description: str | None
    state: str
    request: Request
    response: Response
    raw: JsonObject
    """The interaction as written in the pact, for reports."""
    ref: InteractionRef
    """This interaction's identity and what reports show of it (`interaction_ref`)."""

    @property
    def location(self) -> str:
        return f"[root].interactions[{self.index}]"


class Skipped(Struct, frozen=True):
    """An interaction the engine does not check, with the reason why."""

    index: int
    description: str | None
    reason: str


class Pact(Struct, frozen=True):
    file: str
    consumer: str | None
    provider: str | None
    version: str
    interactions: Iterable[Interaction]
    """A sequence; for a streamed pact, an iterable that reads the file on each pass."""
    skipped: Sequence[Skipped] = ()
    streamed: bool = False
    """Read one interaction at a time (`stream.py`): `interactions` can only be iterated."""
