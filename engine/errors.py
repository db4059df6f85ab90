"""Errors that stop a comparison before it starts: unreadable or invalid input.

Every such problem is an `InputError` naming the file and the reason, so the CLI can
print one line and exit with status 2 instead of a traceback.
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
