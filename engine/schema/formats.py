"""The `format` values OpenAPI documents use, checked the way the reference engine does.

Formats follow ajv-formats in "full" mode, which the reference engine uses: number
formats (`int32`, `int64`) apply to numbers only, string formats to strings only, and an
unknown format is accepted.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsonschema import FormatChecker

INT32 = (-(2**31), 2**31 - 1)
# Every pattern here ends with `\Z`, not `$` (which also matches before a final newline), and
# reads `\d` as ASCII digits, as ajv-formats' JavaScript patterns do. Each is compiled at its
# first use (`_compiled`): compiled at import, they cost 4-5 ms of every run's start-up (the
# email pattern alone 3 ms), and most runs meet one or two formats, if any.
_DATE = r"^(\d{4})-(\d{2})-(\d{2})\Z"
_TIME = r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([zZ]|[+-]\d{2}(:?\d{2})?)?\Z"
_DATE_TIME_SPLIT = r"[tT ]"
_EMAIL = (
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z"
)
_HOSTNAME = (
    r"^(?=.{1,253}\.?\Z)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?\Z"
)
_URI = r"^[a-z][a-z0-9+\-.]*:[^\s]*\Z"
_URI_REFERENCE = r"^[^\s]*\Z"


@cache
def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _matches(pattern: str, flags: int = 0) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        return _compiled(pattern, flags).match(text) is not None

    return check


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integral(value: object) -> bool:
    return _is_number(value) and float(value).is_integer()  # type: ignore[arg-type]


def int32(value: object) -> bool:
    if not _is_number(value):
        return True
    return _is_integral(value) and INT32[0] <= value <= INT32[1]  # type: ignore[operator]


def int64(value: object) -> bool:
    return not _is_number(value) or _is_integral(value)


def valid_date(text: str) -> bool:
    match = _compiled(_DATE, re.ASCII).match(text)
    if not match:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def valid_time(text: str, *, zone_required: bool = False) -> bool:
    match = _compiled(_TIME, re.ASCII).match(text)
    if not match or (zone_required and not match[5]):
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    return hour <= 23 and minute <= 59 and second <= 60


def valid_date_time(text: str) -> bool:
    parts = _compiled(_DATE_TIME_SPLIT).split(text, maxsplit=1)
    return len(parts) == 2 and valid_date(parts[0]) and valid_time(parts[1], zone_required=True)


def valid_byte(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(text) % 4 == 0


def valid_uuid(text: str) -> bool:
    import uuid  # here, like ipaddress below: a few ms of start-up for a rare format

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36 or text.lower().startswith("urn:uuid:")


def valid_ip(version: int) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        import ipaddress

        try:
            return ipaddress.ip_address(text).version == version
        except ValueError:
            return False

    return check


def valid_regex(text: str) -> bool:
    """An ECMAScript pattern (`format: regex`): read for its syntax, never run or built whole."""
    from .patterns import PatternError, valid_syntax

    try:
        return valid_syntax(text)
    except PatternError:
        return False


STRING_FORMATS: dict[str, Callable[[str], bool]] = {
    "date": valid_date,
    "time": valid_time,
    "date-time": valid_date_time,
    "byte": valid_byte,
    "uuid": valid_uuid,
    "email": _matches(_EMAIL, re.IGNORECASE),
    "hostname": _matches(_HOSTNAME, re.IGNORECASE),
    "ipv4": valid_ip(4),
    "ipv6": valid_ip(6),
    "uri": _matches(_URI, re.IGNORECASE),
    "url": _matches(_URI, re.IGNORECASE),
    "uri-reference": _matches(_URI_REFERENCE),
    "regex": valid_regex,
}
NUMBER_FORMATS: dict[str, Callable[[object], bool]] = {"int32": int32, "int64": int64}


def _string_check(check: Callable[[str], bool]) -> Callable[[object], bool]:
    def on_strings(value: object) -> bool:
        return not isinstance(value, str) or check(value)

    return on_strings


@cache
def format_checker() -> FormatChecker:
    """A checker that knows exactly the formats above; any other format passes.

    Built on first use: jsonschema is imported only when a value needs its full check.
    """
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in STRING_FORMATS.items():
        checker.checks(name)(_string_check(check))
    for name, number_check in NUMBER_FORMATS.items():
        checker.checks(name)(number_check)
    return checker
