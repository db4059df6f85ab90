"""Which broker faults are worth another attempt, and which publishes may already have landed.

The engine's `BrokerError` carries only its (credential-free) message here; when it grows
`retryable` and `status` attributes those are used, and until then the message written by
`engine/broker/client.py` is read: it names the status, or says the broker was unreachable or
silent, or that a write "may have been stored".
"""

from __future__ import annotations

import re

from crosscontract.engine.errors import BrokerError

_STATUS = re.compile(r": (\d{3}) ")
_TRANSIENT = ("cannot reach the broker", "did not answer in time", "may have been stored")


def status(error: BrokerError) -> int | None:
    given = getattr(error, "status", None)
    if isinstance(given, int):
        return given
    found = _STATUS.search(str(error))
    return int(found.group(1)) if found else None


def retryable(error: BrokerError) -> bool:
    """Refused connections, timeouts, broken connections, 5xx, 408 and 429: the broker may recover."""
    given = getattr(error, "retryable", None)
    if isinstance(given, bool):
        return given
    code = status(error)
    if code is not None:
        return code >= 500 or code in (408, 429)
    message = str(error)
    return any(part in message for part in _TRANSIENT) or "Connection" in message
