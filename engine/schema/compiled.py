"""When a schema gets a compiled check, and where compiled checks are kept.

A `Validator` asks for its compiled check (`fastpath.py`) twice: at its first use and at
its `compile_after`th, when compiling has paid off within the run. The answer comes from,
in order:

1. the memo of the configuration's `ValidatorCache`: checks any run of the configuration
   settled, so a process that builds a comparator per job compiles a schema once;
2. the disk store, when the configuration has one (`diskstore.py`): checks earlier runs,
   or other processes, compiled;
3. the compiler: when needed, or at the first use while the run's ahead-of-need budget
   lasts (a check compiled early is stored, so later runs load it instead of checking
   with jsonschema up to the crossover).

Two objects, because their lifetimes differ. A `ValidatorCache` lives as long as its
`EngineConfig`: settings and memo, shared by every run of the configuration and safe to
share across threads. A `CompileRun` belongs to one `Comparator`: what that run may still
spend compiling ahead of need. A new comparator gets a fresh budget, and no comparator
spends another's.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .._types import Json
from . import fastpath, validation
from .diskstore import DiskStore, schema_text
from .fastpath import FastCheck

AHEAD_SECONDS = 0.05
"""Seconds a run may spend compiling checks before they pay off within it.

Compile time is about 2-2.4 us per byte of schema (benchmarks/bench_compile.py), so a
cold run on a large spec would spend seconds compiling schemas it checks once or twice;
the budget bounds that, and each run adds what it compiled to the disk store. Measured
cold runs: petstore-100 compiles 16 schemas (4.3 kB) ahead in 21 ms, github-200 13
schemas (28 kB) in 55 ms.
"""

AHEAD_BYTES = 32_768
"""Bytes of schema (its sorted JSON) a run may compile ahead of need.

The time budget is checked before a compile, so one large schema could overrun it by
its whole compile time; a schema larger than what is left of this budget is left to the
crossover. With both, a run compiles ahead for about 70 ms at most (32 kB at ~2.2 us a
byte), and usually stops at 50 ms.
"""

KEPT = 1024
"""Settled checks a `ValidatorCache` keeps in memory (least recently used go first)."""


@dataclass(frozen=True, slots=True)
class ValidatorCache:
    """How validators of one configuration get compiled checks, and the checks kept in memory."""

    compile_after: int = field(default_factory=lambda: validation.COMPILE_AFTER)
    """At which use a schema is compiled within a run (the measured crossover,
    `validation.COMPILE_AFTER`, read when the cache is made)."""
    ahead_seconds: float = AHEAD_SECONDS
    """Time each run may spend compiling ahead of need (only with a disk store)."""
    ahead_bytes: int = AHEAD_BYTES
    """Schema bytes each run may compile ahead of need."""
    kept: int = KEPT
    """How many settled checks the memo holds."""
    _memo: _Memo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_memo", _Memo(self.kept))

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled checks are functions: a copy sent to another process starts empty.
        return (ValidatorCache, (self.compile_after, self.ahead_seconds, self.ahead_bytes, self.kept))

    def start(self, store: DiskStore | None) -> CompileRun:
        """A run's access to the checks: this memo, `store`, and a fresh ahead-of-need budget."""
        return CompileRun(self, store)


class _Memo:
    """Settled answers by schema digest: a check, or None (the schema has no fast check)."""

    __slots__ = ("_entries", "_lock", "_size")

    def __init__(self, size: int) -> None:
        self._entries: OrderedDict[bytes, FastCheck | None] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: bytes) -> tuple[bool, FastCheck | None]:
        with self._lock:
            if key not in self._entries:
                return False, None
            self._entries.move_to_end(key)
            return True, self._entries[key]

    def put(self, key: bytes, check: FastCheck | None) -> None:
        with self._lock:
            self._entries[key] = check
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


class CompileRun:
    """The compiled checks as one comparison run sees them (`validation.FastChecks`).

    Used by one comparator; its budget is spent by that comparator's validators only.
    """

    __slots__ = ("_bytes_left", "_memo", "_seconds_left", "_store", "compile_after")

    def __init__(self, cache: ValidatorCache, store: DiskStore | None) -> None:
        self.compile_after = cache.compile_after
        self._memo = cache._memo
        self._store = store
        self._seconds_left = cache.ahead_seconds
        self._bytes_left = cache.ahead_bytes

    def fast_check(self, schema: Json, draft2020: bool, needed: bool) -> tuple[FastCheck | None, bool]:
        """The check for `schema`, and whether that answer is final (`validation.FastChecks`)."""
        text = schema_text(schema)
        if text is None:  # nothing to key it on: compile when needed, keep nothing
            if not needed:
                return None, False
            return self._compile(schema, draft2020, 0, needed=True, key=None), True
        digest = hashlib.sha256((b"2020-12\0" if draft2020 else b"2019-09\0") + text).digest()
        found, check = self._memo.get(digest)
        if found:
            return check, True
        store = self._store
        key = store.check_key_of(text, draft2020) if store is not None else None
        if store is not None and key is not None:
            found, code = store.load_check(key)
            if found:
                loaded = fastpath.check_of(code)
                if loaded is not None or code is None:
                    self._memo.put(digest, loaded)
                    return loaded, True
                # an entry whose code does not run is rebuilt below, never trusted
        if not needed and (key is None or not self._may_compile_ahead(len(text))):
            return None, False
        check = self._compile(schema, draft2020, len(text), needed=needed, key=key)
        self._memo.put(digest, check)
        return check, True

    def _may_compile_ahead(self, size: int) -> bool:
        return self._seconds_left > 0 and size <= self._bytes_left

    def _compile(
        self, schema: Json, draft2020: bool, size: int, *, needed: bool, key: str | None
    ) -> FastCheck | None:
        """Compile (and store) `schema`'s check; an ahead-of-need compile is paid from the budget."""
        fastpath.prepare(draft2020)  # imports: once per process, not a cost of this schema
        started = time.perf_counter()
        code = fastpath.compile_code(schema, draft2020=draft2020)
        check = fastpath.check_of(code)
        if not needed:
            self._seconds_left -= time.perf_counter() - started
            self._bytes_left -= size
        if self._store is not None and key is not None:
            self._store.store_check(key, None if check is None else code)
        return check
