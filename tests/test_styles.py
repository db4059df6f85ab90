"""`engine/styles.py`: every serialization of the OpenAPI 3 style table reads back to its parts."""

from __future__ import annotations

import pytest
from crosscontract.engine.http.styles import (
    Serialization,
    StyleError,
    split_path_value,
    split_query_value,
    split_simple,
)
from hypothesis import given, strategies as st

# Values without any separator a style uses, as a pact would carry them decoded.
_TOKEN = st.text(alphabet="abcXYZ019_-", min_size=1, max_size=5)
_ARRAYS = st.lists(_TOKEN, min_size=1, max_size=4)
_OBJECTS = st.dictionaries(_TOKEN, _TOKEN, min_size=1, max_size=3)


def _path(style: str, explode: bool, name: str, value: list[str] | dict[str, str]) -> str:
    """The path segment the OpenAPI style table writes for `value`."""
    if isinstance(value, list):
        if style == "matrix":
            return "".join(f";{name}={v}" for v in value) if explode else f";{name}=" + ",".join(value)
        if style == "label":
            return "." + ("." if explode else ",").join(value)
        return ",".join(value)
    pairs = [f"{k}={v}" for k, v in value.items()]
    flat = ",".join(f"{k},{v}" for k, v in value.items())
    if style == "matrix":
        return "".join(f";{p}" for p in pairs) if explode else f";{name}={flat}"
    if style == "label":
        return "." + (".".join(pairs) if explode else flat)
    return ",".join(pairs) if explode else flat


@pytest.mark.parametrize("style", ["simple", "label", "matrix"])
@pytest.mark.parametrize("explode", [False, True])
@given(value=st.one_of(_ARRAYS, _OBJECTS))
def test_path_styles_read_back(style: str, explode: bool, value: list[str] | dict[str, str]) -> None:
    how = Serialization("id", style, explode)
    shape = "array" if isinstance(value, list) else "object"
    assert split_path_value(_path(style, explode, "id", value), how, shape) == value


@given(value=_ARRAYS, style=st.sampled_from(["form", "spaceDelimited", "pipeDelimited"]))
def test_query_arrays_read_back(value: list[str], style: str) -> None:
    separator = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}[style]
    assert split_query_value([separator.join(value)], Serialization("id", style, False), "array") == value
    assert split_query_value(value, Serialization("id", style, True), "array") == value


@given(value=_OBJECTS)
def test_header_objects_read_back(value: dict[str, str]) -> None:
    flat = ",".join(f"{k},{v}" for k, v in value.items())
    pairs = ",".join(f"{k}={v}" for k, v in value.items())
    assert split_simple(flat, Serialization("X", "simple", False), "object") == value
    assert split_simple(pairs, Serialization("X", "simple", True), "object") == value


@pytest.mark.parametrize(
    ("text", "style", "explode", "shape"),
    [
        pytest.param("5", "label", False, "scalar", id="label-without-dot"),
        pytest.param("5", "matrix", False, "scalar", id="matrix-without-semicolon"),
        pytest.param(";other=5", "matrix", False, "scalar", id="matrix-other-name"),
        pytest.param(";id=1;id=2", "matrix", False, "array", id="matrix-repeated-not-exploded"),
        pytest.param("a,1,b", "simple", False, "object", id="odd-pairs"),
        pytest.param("a=1,b", "simple", True, "object", id="exploded-without-sign"),
        pytest.param("=1", "simple", True, "object", id="exploded-without-name"),
        pytest.param(".=1", "label", True, "object", id="label-exploded-without-name"),
        pytest.param(";a=1;=2", "matrix", True, "object", id="matrix-exploded-without-name"),
        pytest.param(",1", "simple", False, "object", id="pairs-without-name"),
    ],
)
def test_wrong_serialization_raises(text: str, style: str, explode: bool, shape: str) -> None:
    with pytest.raises(StyleError):
        split_path_value(text, Serialization("id", style, explode), shape)
