"""Whatever reaches jsonschema, it never fetches a reference from outside the spec."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from crosscontract.engine.schema.validation import RemoteReferenceError, Validator


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "array", "items": [{"$ref": "http://example.com/s.json"}]},
        {"type": "array", "items": [{"$ref": "file:///etc/passwd"}]},
        {"$ref": "https://example.com/s.json"},
    ],
    ids=["http-in-list-items", "file-in-list-items", "https"],
)
def test_a_reference_outside_the_spec_is_refused_not_fetched(
    monkeypatch: pytest.MonkeyPatch, schema: Any
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    validator = Validator(schema)
    with pytest.raises(RemoteReferenceError, match="never fetched"):
        validator.errors(["x"])
    with pytest.raises(RemoteReferenceError):
        validator.is_valid(["x"])


def test_a_dynamic_reference_to_a_url_is_refused() -> None:
    validator = Validator({"$dynamicRef": "http://example.com/s.json"}, draft2020=True)
    with pytest.raises(RemoteReferenceError):
        validator.errors({"a": 1})
