"""A worker's compiled comparators, keyed by spec content hash, least recently used dropped first.

Building a `Comparator` loads the spec and compiles its operation index; verifying a thousand
pacts against one published spec should do that once. Each worker thread owns one cache, so
there is no lock and no comparator is shared between threads.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from crosscontract.engine import Comparator


class ComparatorCache:
    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._entries: OrderedDict[str, Comparator] = OrderedDict()
        self.builds = 0

    def get(self, key: str, build: Callable[[], Comparator]) -> Comparator:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        comparator = build()
        self.builds += 1
        self._entries[key] = comparator
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return comparator
