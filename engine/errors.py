"""Errors that stop a comparison: unreadable or invalid input, or a broker that fails.

Every such problem is an `InputError` naming the file and the reason, or a `BrokerError`
naming the request, so a front end can print one line (the CLI exits with status 2)
instead of a traceback. They live here, apart from the broker client, so that catching
them costs a run without a broker nothing.

The tree:

    Exception
    ├── InputError                  a spec or pact that cannot be read, parsed or understood
    └── BrokerError                 a request to the broker failed; raised as itself when it
        │                           cannot be sent at all (a malformed URL, not http(s))
        ├── BrokerUnavailableError  no usable answer yet: refused connection, timeout, dropped
        │                           connection, 429, 502, 503, 504 (retryable)
        ├── BrokerRefusedError      the broker answered no: 4xx (401, 403, 404, 409, 422, ...),
        │                           another server error (500), a redirected write
        └── BrokerProtocolError     an answer that is not what the API documents: not JSON,
                                    no pact list, a pact that is not a pact, a missing relation

Each `BrokerError` carries the HTTP `status` of the answer it is about (None without one)
and whether sending the same request later may succeed (`retryable`), which is what a job
queue needs to decide between "try again" and "tell someone". A write whose answer was
lost is never retryable: the broker may have stored it, and sending it again would
publish it twice.
"""

from __future__ import annotations


class InputError(Exception):
    """A spec or pact that cannot be read, parsed or understood."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # rebuilt from both parts when a worker process sends it back (`compare(jobs=N)`)
        return (InputError, (self.source, self.reason))


class BrokerError(Exception):
    """The broker could not be reached, refused the request, or answered nonsense.

    Its message never holds a credential, so it can be printed (or stored) as it is.
    """

    retryable_by_default = False

    def __init__(self, message: str, *, status: int | None = None, retryable: bool | None = None) -> None:
        super().__init__(message)
        self.status = status  # of the broker's answer; None when there was none
        # whether the same request, sent again later, may succeed without doing anything twice
        self.retryable = self.retryable_by_default if retryable is None else retryable

    def __reduce__(self) -> tuple[type[BrokerError], tuple[str], dict[str, object]]:
        # Rebuilt whole when a worker process sends it back: the keywords are not in `args`.
        return (type(self), (str(self),), {"status": self.status, "retryable": self.retryable})


class BrokerUnavailableError(BrokerError):
    """No usable answer: the broker could not be reached, was too slow, or said "not now"."""

    retryable_by_default = True


class BrokerRefusedError(BrokerError):
    """The broker answered, and will not do what was asked as it was asked."""


class BrokerProtocolError(BrokerError):
    """The broker answered something the Pact Broker API does not document."""
