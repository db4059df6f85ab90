"""Which fast check a schema gets, and where compiled checks are kept.

A `Validator` asks for its fast check twice: at its first use and at its
`compile_after`th, when compiling pays off within the run. The answer comes from, in order:

1. the memo of the configuration's `ValidatorCache`: checks any run of the configuration
   settled, so a process that builds a comparator per job compiles a schema once;
2. the disk store, when the configuration has one (`diskstore.py`): checks earlier runs,
   or other processes, compiled;
3. at the first use, the interpreted check (`interpreted.py`): built in microseconds, it
   decides every valid value of a schema a run meets a few times, and no jsonschema
   import or compile is paid for it;
4. at the `compile_after`th use, the compiler (`fastpath.py`): for a schema checked that
   often, the compiled check's few percent add up, and it is stored for later runs.

Two objects, because their lifetimes differ. A `ValidatorCache` lives as long as its
`EngineConfig`: settings and memo, shared by every run of the configuration and safe to
share across threads. A `CompileRun` belongs to one `Comparator`: the run's view of the
memo and the store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .._types import Json
from . import digests, fastpath, validation
from .diskstore import DiskStore, schema_text
from .fastpath import FastCheck
from .interpreted import interpreted_check

KEPT = 1024
"""Settled checks a `ValidatorCache` keeps in memory (least recently used go first)."""


@dataclass(frozen=True, slots=True)
class ValidatorCache:
    """How validators of one configuration get compiled checks, and the checks kept in memory."""

    compile_after: int = field(default_factory=lambda: validation.COMPILE_AFTER)
    """At which use a schema is compiled within a run (the measured crossover,
    `validation.COMPILE_AFTER`, read when the cache is made)."""
    kept: int = KEPT
    """How many settled checks the memo holds."""
    _memo: _Memo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_memo", _Memo(self.kept))

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled checks are functions: a copy sent to another process starts empty.
        return (ValidatorCache, (self.compile_after, self.kept))

    def start(self, store: DiskStore | None) -> CompileRun:
        """A run's access to the checks: this memo and `store`."""
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
    """The fast checks as one comparison run sees them (`validation.FastChecks`)."""

    __slots__ = ("_memo", "_store", "compile_after")

    def __init__(self, cache: ValidatorCache, store: DiskStore | None) -> None:
        self.compile_after = cache.compile_after
        self._memo = cache._memo
        self._store = store

    def fast_check(self, schema: Json, draft2020: bool, needed: bool) -> tuple[FastCheck | None, bool]:
        """The check for `schema`, and whether that answer is final (`validation.FastChecks`)."""
        text = schema_text(schema)
        if text is None:  # nothing to key it on: nothing kept
            return self._interpreted_or_compiled(schema, draft2020, needed, key=None)
        digest = digests.digest((b"2020-12\0" if draft2020 else b"2019-09\0") + text)
        found, check = self._memo.get(digest)
        if found:
            return check, True
        store = self._store
        key = store.check_key_of(text, draft2020) if store is not None else None
        if store is not None and key is not None:
            found, code = store.load_check(key)
            if found:
                loaded = (
                    fastpath.check_of(code)
                    if code is not None
                    else interpreted_check(schema, draft2020=draft2020)
                )
                if loaded is not None or code is None:
                    self._memo.put(digest, loaded)
                    return loaded, True
                # an entry whose code does not run is rebuilt below, never trusted
        check, final = self._interpreted_or_compiled(schema, draft2020, needed, key=key)
        if final:
            self._memo.put(digest, check)
        return check, final

    def _interpreted_or_compiled(
        self, schema: Json, draft2020: bool, needed: bool, *, key: str | None
    ) -> tuple[FastCheck | None, bool]:
        """Before the crossover, the interpreted check (final only when there is none, as
        the compiler could not do better); at it, the compiled one (stored), or the
        interpreted one if the compiler gives none."""
        if not needed:
            interpreted = interpreted_check(schema, draft2020=draft2020)
            return interpreted, interpreted is None
        code = fastpath.compile_code(schema, draft2020=draft2020)
        check = fastpath.check_of(code)
        if self._store is not None and key is not None:
            self._store.store_check(key, None if check is None else code)
        return (check if check is not None else interpreted_check(schema, draft2020=draft2020)), True
