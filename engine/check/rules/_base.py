"""What every rule receives, how it states a finding, and how it is declared.

A rule is a pure function of a `Context` that yields findings, declared with `@rule`:

    @rule(codes.QUERY_INCOMPATIBLE, codes.QUERY_UNKNOWN, when=REQUEST_CHECKED)
    def request_query(ctx: Context) -> Iterator[Finding]:
        '''Declared query parameters must be valid and present when required; others are unknown.'''

The codes are the ones it may report, `when` the preconditions the comparison loop checks
before calling it (so no rule repeats them), `only_if` what the operation must declare for
the rule to have anything to check (asked once per operation, not per interaction), and
the docstring is what `explain` says checks the code.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator

from msgspec import Struct

from ..._types import MISSING, Json, Pointer
from ...pact.reader import Interaction
from ...spec.index import Operation, ResponseSpec
from ..findings import Code, Finding, SpecPlace


class Context(Struct, frozen=True):
    """One interaction routed to its operation (and, once known, its response).

    A value the rules only read, built per interaction: a Struct, built in C (a slots
    dataclass's Python `__init__` took 1% of a 10,000-interaction run).
    """

    operation: Operation
    interaction: Interaction
    response: ResponseSpec | None = None
    checks_request: bool = True
    """Whether the request is held to the spec (see `of`); half the rules ask, so it is stored."""

    @classmethod
    def of(cls, operation: Operation, interaction: Interaction) -> Context:
        """The context of `interaction`, routed to `operation`.

        Error responses describe rejected requests: their requests are not checked. A
        consumer may deliberately send a bad request to test a 4xx answer, so only the
        status (and the response) are held to the spec.
        """
        status = interaction.response.status
        return cls(operation, interaction, operation.response_for(status), status < 400)

    def finding(
        self,
        code: Code,
        message: str,
        at: Pointer,
        spec_at: Pointer,
        *,
        mock_value: Json = MISSING,
        spec_value: Json = None,
    ) -> Finding:
        return Finding(
            code=code,
            message=message,
            at=at,
            spec=SpecPlace(spec_at, spec_value, self.operation.path_name, self.operation.method),
            mock_value=mock_value,
        )

    def at(self, *tokens: str | int) -> Pointer:
        """A place in this interaction: `ctx.at("request", "body")`."""
        return ("interactions", self.interaction.index, *tokens)


Check = Callable[[Context], Iterator[Finding]]
Relevance = Callable[[Operation], bool]
"""Whether a rule can find anything in an operation's interactions, from the operation alone."""


def always(operation: Operation) -> bool:
    """Every operation: the rule looks at what the interaction sends."""
    return True


class Condition(enum.Enum):
    """What must hold of an interaction for a rule to look at it."""

    REQUEST_CHECKED = "the request is held to the spec (the response is not an error status)"
    RESPONSE_DECLARED = "the spec declares a response for the interaction's status"


REQUEST_CHECKED = Condition.REQUEST_CHECKED
RESPONSE_DECLARED = Condition.RESPONSE_DECLARED


class Rule(Struct, frozen=True):
    """A check, the codes it reports, and when it applies."""

    check: Check
    codes: tuple[Code, ...]
    when: frozenset[Condition]
    doc: str
    """What the check demands, in one sentence (its docstring's first paragraph)."""
    only_if: Relevance = always
    """What the operation must declare for the rule to apply (`plan`): a rule that would
    return at once for every interaction of an operation is not called for any."""

    @property
    def name(self) -> str:
        return self.check.__name__

    def __call__(self, ctx: Context) -> Iterator[Finding]:
        return self.check(ctx)

    def applies(self, request_checked: bool, response_declared: bool) -> bool:
        return (request_checked or REQUEST_CHECKED not in self.when) and (
            response_declared or RESPONSE_DECLARED not in self.when
        )


def rule(
    *reported: Code, when: Condition | tuple[Condition, ...] = (), only_if: Relevance = always
) -> Callable[[Check], Rule]:
    """Declare a check: the codes it reports, and the conditions under which it runs."""
    conditions = frozenset((when,) if isinstance(when, Condition) else when)

    def declare(check: Check) -> Rule:
        # the first paragraph of the docstring, its lines joined (no `inspect`: 16 ms of start-up)
        doc = (check.__doc__ or "").strip().split("\n\n")[0]
        if not doc or not reported:
            raise ValueError(f"rule {check.__name__} needs a docstring and the codes it reports")
        return Rule(check, reported, conditions, " ".join(line.strip() for line in doc.splitlines()), only_if)

    return declare


def value_at(value: Json, path: tuple[str | int, ...]) -> Json:
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return value


def is_falsy(value: Json) -> bool:
    """JavaScript falsiness, which decides whether the reference engine looks at a body.

    `{}` and `[]` are bodies; `0`, `false`, `""` and `null` are treated as none.
    """
    return (
        value is MISSING
        or value is None
        or value is False
        or value == ""
        or (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0)
    )
