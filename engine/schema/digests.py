"""Digests for the compiled-check memo and the disk store, without OpenSSL's start-up cost.

Importing `hashlib` loads OpenSSL (`_hashlib`), and `hmac` imports `hashlib`: about 3 ms
of every run's start-up, spent to hash a few kilobytes. BLAKE2b is built into CPython
(`_blake2`), is faster than SHA-256 in software, and keyed it is a MAC in its own right
(RFC 7693), so entries are signed with keyed BLAKE2b rather than HMAC-SHA256. Elsewhere
(an interpreter without the built-in module) `hashlib` gives the same function.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b
try:
    from _operator import _compare_digest as same_digest
except ImportError:  # pragma: no cover
    from hmac import compare_digest as same_digest  # type: ignore[no-redef]

__all__ = ["digest", "hex_digest", "same_digest", "signature"]

SIZE = 32
"""Bytes of every digest: 256 bits, as SHA-256 gave."""


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=SIZE).digest()


def hex_digest(data: bytes) -> str:
    return blake2b(data, digest_size=SIZE).hexdigest()


def signature(secret: bytes, data: bytes) -> str:
    """`data`'s MAC under `secret` (at most 64 bytes), in hex."""
    return blake2b(data, digest_size=SIZE, key=secret).hexdigest()
