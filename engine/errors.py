"""Errors that stop a comparison: unreadable or invalid input, or a broker that fails.

Every such problem is an `InputError` naming the file and the reason (or a `BrokerError`
naming the request), so the CLI can print one line and exit with status 2 instead of a
traceback. Both live here, apart from the broker client, so that catching them costs a run
without a broker nothing.
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

    Its message never holds a credential, so it can be printed as it is.
    """
