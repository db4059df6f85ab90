"""Which broker faults are worth another attempt, and which publishes may already have landed.

The engine's `BrokerError` says whether the same request may succeed later (`retryable`). A
write whose answer was lost is never retryable for the engine, which cannot know whether the
broker stored it. A job can find out: it reads the pact's latest verification result before it
publishes again, so for the publish step an unavailable broker is a reason to come back later
rather than to give up.
"""

from __future__ import annotations

from crosscontract.engine.errors import BrokerError, BrokerUnavailableError


def retryable(error: BrokerError) -> bool:
    """Refused connections, timeouts, 429 and 502-504: the broker may recover."""
    return error.retryable


def unsure(error: BrokerError) -> bool:
    """Whether a write may have reached the broker although no answer said so."""
    return isinstance(error, BrokerUnavailableError) and not error.retryable


def status(error: BrokerError) -> int | None:
    return error.status
