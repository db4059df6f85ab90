"""The checks, in the order their findings are reported for an interaction.

Each rule is a pure function of a `Context` that yields findings, declared with `@rule`
(`_base.py`). The order is the reference engine's: media types, security, the request,
then the response. `plan` gives the rules that apply to an interaction, chosen once for
each combination of their conditions rather than asked of every rule every time.
"""

from __future__ import annotations

from ._base import REQUEST_CHECKED, RESPONSE_DECLARED, Condition, Context, Rule, rule
from .bodies import form_data, request_body, response_body
from .matching import matching_rules
from .media import request_accept, request_content_type, response_content_type
from .parameters import request_cookies, request_headers, request_query
from .responses import response_headers, status
from .security import authorization

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

# The matching-rule check is planned only for interactions that have rules, and only when
# the run asks for it (`Options.matching_rules`): a pact without rules does not even call it.
_PLANS: dict[tuple[bool, bool, bool], tuple[Rule, ...]] = {
    (checked, declared, ruled): tuple(
        r for r in RULES if r.applies(checked, declared) and (ruled or r is not matching_rules)
    )
    for checked in (True, False)
    for declared in (True, False)
    for ruled in (True, False)
}


def plan(ctx: Context) -> tuple[Rule, ...]:
    """The rules whose conditions `ctx` meets, in reporting order."""
    interaction = ctx.interaction
    ruled = (
        interaction.request.matching_rules is not None or interaction.response.matching_rules is not None
    ) and ctx.operation.index.options.matching_rules
    return _PLANS[ctx.checks_request, ctx.response is not None, ruled]


__all__ = ["REQUEST_CHECKED", "RESPONSE_DECLARED", "RULES", "Condition", "Context", "Rule", "plan", "rule"]
