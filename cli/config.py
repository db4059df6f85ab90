"""Settings from a file: `[tool.crosscontract]` in pyproject.toml, or a `.crosscontract.toml`.

A team writes its noise control once, next to its code, rather than in every CI job.
The file is looked for from the current folder upwards; the first folder with either
file decides (`.crosscontract.toml` first; a pyproject.toml without the table does not
count, as ruff and black read theirs). Options on the command line add to the lists and
override the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from msgspec import Struct

FILE_NAMES = (".crosscontract.toml", "pyproject.toml")

KEYS: dict[str, type] = {
    "ignore": list,
    "ignore-header": list,
    "fail-on": str,
    "quiet": bool,
    "summary": bool,
}
"""The keys a file may hold, and their TOML types (`ignore_header` is read as `ignore-header`)."""


class FileSettings(Struct, frozen=True):
    """The settings one file holds, checked."""

    path: Path | None
    values: dict[str, Any]


def find_settings(start: Path | None = None) -> FileSettings:
    """The settings of the nearest file from `start` (the current folder) upwards, or none."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in FILE_NAMES:
            path = candidate / name
            if not path.is_file():
                continue
            table = _table(path)
            if table is not None:
                return FileSettings(path, _checked(path, table))
    return FileSettings(None, {})


def _table(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise click.UsageError(f"{path}: cannot read settings: {exc.strerror or exc}") from None
    if path.name == "pyproject.toml" and b"crosscontract" not in text:
        return None  # another tool's file: not parsed, and its mistakes are not ours to report
    import tomllib  # only when there are settings to read: most runs never import it

    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise click.UsageError(f"{path}: cannot read settings: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("crosscontract")
        return table if isinstance(table, dict) else None
    return data


def _checked(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        expected = KEYS.get(key)
        if expected is None:
            known = ", ".join(KEYS)
            raise click.UsageError(f"{path}: unknown setting {raw_key!r} (known: {known})")
        if not isinstance(value, expected) or (
            isinstance(value, list) and not all(isinstance(item, str) for item in value)
        ):
            kind = "a list of strings" if expected is list else expected.__name__
            raise click.UsageError(f"{path}: {raw_key!r} must be {kind}")
        values[key] = value
    if values.get("fail-on", "error") not in ("error", "warning"):
        raise click.UsageError(f"{path}: 'fail-on' must be 'error' or 'warning'")
    return values
