"""Reading a spec: YAML parsing (petstore) and JSON parsing of a 13 MB document (GitHub)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crosscontract.engine import load_spec


def test_load_petstore_yaml(benchmark: Any, petstore_path: Path) -> None:
    """Guards: the YAML reader falling back to pure-Python PyYAML (about 8x slower)."""
    spec = benchmark(load_spec, petstore_path)
    assert spec.kind == "openapi3"


def test_load_github_json(benchmark: Any, github_path: Path) -> None:
    """Guards: parsing or walking the whole 13 MB document (resolving every `$ref`) at load."""
    spec = benchmark.pedantic(load_spec, args=(github_path,), rounds=5, iterations=1, warmup_rounds=1)
    assert spec.kind == "openapi3"
