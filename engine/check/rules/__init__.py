"""The checks, in the order their findings are reported for an interaction.

Each rule is a pure function of a `Context` that yields findings. The order is the
reference engine's: media types, security, the request, then the response.
"""

from __future__ import annotations

from ._base import Context, Rule
from .bodies import form_data, request_body, response_body
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
)

__all__ = ["RULES", "Context", "Rule"]
