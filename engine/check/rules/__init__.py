"""The checks, in the order their findings are reported for an interaction.

Each rule is a pure function of a `Context` that yields findings, declared with `@rule`
(`_base.py`). The order is the reference engine's: media types, security, the request,
then the response. `Plans` gives the rules that apply to an interaction, chosen once per
operation and combination of their conditions rather than asked of every rule every time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import REQUEST_CHECKED, RESPONSE_DECLARED, Condition, Context, Rule, rule
from .bodies import form_data, request_body, response_body
from .matching import matching_rules
from .media import request_accept, request_content_type, response_content_type
from .parameters import request_cookies, request_headers, request_query
from .responses import response_headers, status
from .security import authorization

if TYPE_CHECKING:
    from ...spec.index import Operation

RULES: tuple[Rule, ...] = (
    request_content_type,
    request_accept,
    response_content_type,
    authorization,
    request_body,
    form_data,
    request_headers,
    request_query,
    request_cookies,
    status,
    response_body,
    response_headers,
    matching_rules,
)


class Plans:
    """The rules each interaction goes through, chosen once per operation.

    An interaction's plan depends on its operation (what it declares: `Rule.only_if`),
    whether its request is checked, whether its status is declared, and whether it has
    matching rules that the run asks to check (`Options.matching_rules`): eight plans per
    operation, built the first time one of its interactions is checked. A rule that would
    return at once for every interaction of an operation (no form fields declared, no
    cookies, no security) is then never called for it.
    """

    def __init__(self, matching_rules: bool) -> None:
        self._matching_rules = matching_rules
        self._by_operation: dict[Operation, tuple[tuple[Rule, ...], ...]] = {}

    def of(self, ctx: Context) -> tuple[Rule, ...]:
        """The rules whose conditions `ctx` meets, in reporting order."""
        operation = ctx.operation
        plans = self._by_operation.get(operation)
        if plans is None:
            plans = self._by_operation[operation] = self._plans(operation)
        request, response = ctx.interaction.request, ctx.interaction.response
        ruled = self._matching_rules and (
            request.matching_rules is not None or response.matching_rules is not None
        )
        return plans[ctx.checks_request * 4 + (ctx.response is not None) * 2 + ruled]

    def _plans(self, operation: Operation) -> tuple[tuple[Rule, ...], ...]:
        relevant = tuple(r for r in RULES if r.only_if(operation))
        return tuple(
            tuple(r for r in relevant if r.applies(checked, declared) and (ruled or r is not matching_rules))
            for checked in (False, True)
            for declared in (False, True)
            for ruled in (False, True)
        )


__all__ = ["REQUEST_CHECKED", "RESPONSE_DECLARED", "RULES", "Condition", "Context", "Plans", "Rule", "rule"]
