"""Opening input files safely: regular files only, of a bounded size, never blocking.

Every spec, `$ref`'d file and pact the engine reads from disk is opened here, so that one
place keeps the promises a service and a CI job running as root need:
- Only regular files are read. A FIFO would block the run forever, `/dev/zero` or another
  device would be read until memory runs out, and a directory is no document. The file is
  opened with `O_NONBLOCK` (a FIFO opens at once, without a writer) and refused after
  `fstat` unless it is a regular file; the same open file is then read, so nothing can be
  swapped in between the check and the read.
- A file larger than its limit is refused before it is read (and a file that grows while it
  is read is cut at the limit and refused), with the size, the limit and how to raise it.

The problems are `UnreadableFileError`, an `OSError` whose `strerror` says what is wrong, so every
caller that already reports `cannot read file: {strerror}` reports these as well.

The limits are read from the environment when a file is opened (no module state):

    CROSSCONTRACT_MAX_FILE_BYTES           a spec, a `$ref`'d file, a pact read whole (256 MiB)
    CROSSCONTRACT_MAX_STREAMED_PACT_BYTES  a pact read one interaction at a time (4 GiB)
    CROSSCONTRACT_STREAM_PACTS_ABOVE       pacts larger than this are streamed (64 MiB)
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

FILE_BYTES = 256 * 2**20
"""Default size limit of a file read whole (a spec, a `$ref`'d file, a pact)."""
STREAMED_PACT_BYTES = 4 * 2**30
"""Default size limit of a pact read one interaction at a time."""
MAX_DEPTH = 1024
"""How deep a document's values may nest: orjson's fixed limit, kept by the other readers too
(a streamed pact, a YAML spec), so one file gets one verdict however it is read."""

FILE_BYTES_VARIABLE = "CROSSCONTRACT_MAX_FILE_BYTES"
STREAMED_PACT_BYTES_VARIABLE = "CROSSCONTRACT_MAX_STREAMED_PACT_BYTES"
STREAM_ABOVE_VARIABLE = "CROSSCONTRACT_STREAM_PACTS_ABOVE"


class UnreadableFileError(OSError):
    """An input file that is not read: not a regular file, or too large."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(errno.EINVAL, problem, str(path))


def limit(variable: str, default: int) -> int:
    """A byte count from the environment variable `variable`, or `default` when unset or not a count."""
    text = os.environ.get(variable, "").strip()
    return int(text) if text.isdigit() else default


def file_limit() -> int:
    """Size limit of a file read whole."""
    return limit(FILE_BYTES_VARIABLE, FILE_BYTES)


def open_input(
    path: str | Path, max_bytes: int | None = None, *, variable: str = FILE_BYTES_VARIABLE
) -> BinaryIO:
    """The regular file `path`, open for reading, or `UnreadableFileError` (an `OSError`).

    `max_bytes` is the size limit (default: `file_limit()`); `variable` names the environment
    variable that raises it, for the message.
    """
    if max_bytes is None:
        max_bytes = file_limit()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except ValueError:  # a NUL byte in the name: no file can have it
        raise UnreadableFileError(path, "a file name cannot hold a NUL byte") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(path, f"{_kind(info.st_mode)}, not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableFileError(path, _too_large(info.st_size, max_bytes, variable))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file `path`, at most `max_bytes` (default: `file_limit()`)."""
    with open_input(path, max_bytes) as file:
        return read_open(file, path, max_bytes)


def read_open(file: BinaryIO, path: str | Path, max_bytes: int | None = None) -> bytes:
    """The rest of `file` (opened by `open_input`), at most `max_bytes` (default: `file_limit()`)."""
    if max_bytes is None:
        max_bytes = file_limit()
    # Asked for its size (+1, to see a file that grew since): `read(n)` allocates n bytes
    # before it reads, so asking for the limit cost 0.15 ms a file even for a small one.
    want = min(os.fstat(file.fileno()).st_size, max_bytes) + 1
    data = file.read(want)
    if len(data) == want and want <= max_bytes:  # grown: the rest, up to the limit
        data += file.read(max_bytes + 1 - want)
    if len(data) > max_bytes:
        raise UnreadableFileError(path, _too_large(len(data), max_bytes, FILE_BYTES_VARIABLE))
    return data


def unreadable_entry(path: Path) -> str | None:
    """Why the folder entry `path` cannot be read as an input file, or None when it can.

    Looks without opening (so a FIFO does not block): a dangling or looping symbolic link,
    or something other than a regular file.
    """
    try:
        info = path.stat()
    except OSError as exc:
        if path.is_symlink():
            if exc.errno == errno.ELOOP:
                return "a symbolic link that loops"
            return "a symbolic link to nothing"
        return exc.strerror or str(exc)
    if not stat.S_ISREG(info.st_mode):
        return f"{_kind(info.st_mode)}, not a regular file"
    if not os.access(path, os.R_OK):
        return "not readable (permission denied)"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _too_large(size: int, max_bytes: int, variable: str) -> str:
    return (
        f"{_bytes(size)}, larger than the limit of {_bytes(max_bytes)} "
        f"(set {variable} to a larger number of bytes to read it)"
    )


def _bytes(count: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{count} bytes"
