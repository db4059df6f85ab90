"""What every rule receives, and how it states a finding."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..._types import MISSING, Json, Pointer
from ...pact.reader import Interaction
from ...spec.index import Operation, ResponseSpec
from ..findings import Code, Finding, SpecPlace


@dataclass(slots=True)
class Context:
    """One interaction routed to its operation (and, once known, its response).

    A value the rules only read; not `frozen=True`, as one is built per interaction and
    frozen fields are set through `object.__setattr__` (1% of a 10,000-interaction run).
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


Rule = Callable[[Context], Iterator[Finding]]


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
