"""First-time cost of a schema's fast checks, and the checks they buy (the compile crossover).

`validation.COMPILE_AFTER` is chosen from these figures: compiling pays off once a schema
has been checked about (compile time - build time) / (interpreted check - compiled check)
times; the interpreted check's build is what every schema pays at its first use.
"""

from __future__ import annotations

from typing import Any

import pytest
from crosscontract.engine.schema.fastpath import compile_fast
from crosscontract.engine.schema.interpreted import interpreted_check
from crosscontract.engine.schema.validation import Validator


def test_compile_petstore_pet(benchmark: Any, pet_bundle: Any) -> None:
    """Guards: the draft-7 rewrite or fastjsonschema compile of a small schema growing past ~1.5 ms."""
    check = benchmark(compile_fast, pet_bundle)
    assert check is not None


def test_compile_github_full_repository(benchmark: Any, repository_bundle: Any) -> None:
    """Guards: compile time of a big schema (GitHub `full-repository`, 19 kB bundle) growing."""
    check = benchmark.pedantic(compile_fast, args=(repository_bundle,), rounds=5, iterations=1)
    assert check is not None


@pytest.mark.usefixtures("jsonschema_only")
def test_check_petstore_pet_jsonschema(benchmark: Any, pet_bundle: Any, pet: Any) -> None:
    """Guards: the jsonschema path (no fast check) on a valid Pet getting slower."""
    validator = Validator(pet_bundle)
    assert validator.errors(pet) == []
    assert benchmark(validator.errors, pet) == []


def test_check_petstore_pet_fast(benchmark: Any, pet_bundle: Any, pet: Any) -> None:
    """Guards: the compiled check on a valid Pet losing its ~20x lead over jsonschema."""
    check = compile_fast(pet_bundle)
    assert check is not None
    assert benchmark(check, pet) is True


@pytest.mark.usefixtures("jsonschema_only")
def test_check_github_repository_jsonschema(benchmark: Any, repository_bundle: Any, repository: Any) -> None:
    """Guards: the jsonschema path on a valid 24 kB GitHub repository getting slower."""
    validator = Validator(repository_bundle)
    assert validator.errors(repository) == []
    assert benchmark(validator.errors, repository) == []


def test_check_github_repository_fast(benchmark: Any, repository_bundle: Any, repository: Any) -> None:
    """Guards: the compiled check on a valid 24 kB GitHub repository losing its lead."""
    check = compile_fast(repository_bundle)
    assert check is not None
    assert benchmark(check, repository) is True


def test_build_petstore_pet_interpreted(benchmark: Any, pet_bundle: Any) -> None:
    """Guards: the interpreted check of a small schema costing more than ~0.1 ms to build."""
    assert benchmark(interpreted_check, pet_bundle) is not None


def test_build_github_full_repository_interpreted(benchmark: Any, repository_bundle: Any) -> None:
    """Guards: building the interpreted check of a big schema growing past a few ms."""
    assert benchmark(interpreted_check, repository_bundle) is not None


def test_check_petstore_pet_interpreted(benchmark: Any, pet_bundle: Any, pet: Any) -> None:
    """Guards: the interpreted check on a valid Pet falling far behind the compiled one."""
    check = interpreted_check(pet_bundle)
    assert check is not None
    assert benchmark(check, pet) is True


def test_check_github_repository_interpreted(benchmark: Any, repository_bundle: Any, repository: Any) -> None:
    """Guards: the interpreted check on a valid 24 kB GitHub repository falling far behind."""
    check = interpreted_check(repository_bundle)
    assert check is not None
    assert benchmark(check, repository) is True
