"""`pyproject.toml` declares what the code imports, and the code imports what it declares.

A dependency nothing imports still ships with every install; an import nothing declares
works only where something else happened to install it. Distribution names are mapped to
the names they install from the installed metadata (`packages_distributions`: PyYAML
installs `yaml`, openapi-core `openapi_core`), not from a table kept by hand.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib import metadata
from importlib.metadata import entry_points, packages_distributions

import pytest
from _imports import (
    PROJECT,
    ROOT,
    Import,
    imports_in_tests,
    is_third_party,
    local_test_modules,
    project_imports,
    pyproject,
)

# Declared and not imported yet, each a strict xfail: when the import lands, the test
# passes, fails as strict, and the entry is deleted here.
PENDING: dict[str, str] = {}

SERVICE = "crosscontract.service"

PLUGIN_FIXTURES = {"pytest-benchmark": "benchmark"}
"""pytest plugins are never imported: one of their fixtures in use is their use."""


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name_and_extras(requirement: str) -> tuple[str, list[str]]:
    """`"crosscontract[validate]>=1"` -> `("crosscontract", ["validate"])` (PEP 508, names only)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", requirement)
    assert match, requirement
    return _normalized(match[1]), [e.strip() for e in (match[2] or "").split(",") if e.strip()]


def _declared(requirements: list[str]) -> list[str]:
    """Distribution names, with `crosscontract[extra]` read as that extra's own list."""
    names: list[str] = []
    for requirement in requirements:
        name, extras = _name_and_extras(requirement)
        if name == PROJECT:
            names += (n for extra in extras for n in _declared(_extras()[extra]))
        else:
            names.append(name)
    return names


def _extras() -> dict[str, list[str]]:
    extras: dict[str, list[str]] = pyproject()["project"]["optional-dependencies"]
    return extras


RUNTIME = _declared(pyproject()["project"]["dependencies"])
OPTIONAL = [n for extra, entries in _extras().items() if extra != "test" for n in _declared(entries)]
"""Extras other than the tests': features a user installs on purpose (`crosscontract[validate]`)."""
TEST = _declared(_extras()["test"])


@cache
def _distributions_of() -> dict[str, set[str]]:
    """Import name -> the (normalized) distributions that install it."""
    return {name: {_normalized(d) for d in dists} for name, dists in packages_distributions().items()}


def _import_names(distribution: str) -> set[str]:
    names = {name for name, dists in _distributions_of().items() if distribution in dists}
    assert names, f"{distribution} is not installed: pip install -e '.[test]'"
    return names


def _distribution(name: str) -> set[str]:
    return _distributions_of().get(name, set())


def _imported_by(imports: tuple[Import, ...], distribution: str) -> list[Import]:
    names = _import_names(distribution)
    return [i for i in imports if i.top in names]


def _params(names: list[str]) -> list[object]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=PENDING[n])) if n in PENDING else n
        for n in names
    ]


def test_requirements_are_read_by_name_and_extra() -> None:
    assert _name_and_extras("PyYAML>=6.0,<7") == ("pyyaml", [])
    assert _name_and_extras("crosscontract[validate, x]") == ("crosscontract", ["validate", "x"])
    assert {"pyyaml", "openapi-core", "openapi-spec-validator"} <= {*RUNTIME, *OPTIONAL, *TEST}
    assert "yaml" in _import_names("pyyaml")


# --- the engine and the CLI ------------------------------------------------------------------


@pytest.mark.parametrize("distribution", _params([*RUNTIME, *OPTIONAL]))
def test_declared_dependency_is_imported_by_the_code(distribution: str) -> None:
    assert _imported_by(project_imports(), distribution), (
        f"nothing under engine/ or cli/ imports {distribution}"
    )


def test_every_third_party_import_of_the_code_is_declared() -> None:
    declared = {*RUNTIME, *OPTIONAL}
    undeclared = [
        f"{i.where()}: {i.target} ({', '.join(sorted(_distribution(i.top))) or 'not installed'})"
        for i in project_imports()
        if is_third_party(i.top) and not _distribution(i.top) & declared
    ]
    assert not undeclared, "\n".join(undeclared)


def test_an_optional_dependency_is_imported_only_when_its_feature_runs() -> None:
    """A module-level import of an extra's package would break every install without it."""
    only_optional = set(OPTIONAL) - set(RUNTIME)
    eager = [
        f"{i.where()}: {i.target}"
        for i in project_imports()
        # the service is the [service] extra's own package: only `serve`/`worker` import it
        if not i.deferred and _distribution(i.top) & only_optional and not i.module.startswith(SERVICE)
    ]
    assert not eager, "\n".join(eager)


# --- the tests -------------------------------------------------------------------------------


def _runs_as_tool(distribution: str) -> bool:
    """A command of the distribution that `test_quality.py` runs (`ruff`, `mypy`)."""
    source = (ROOT / "tests" / "test_quality.py").read_text(encoding="utf-8")
    commands = {
        script.name
        for script in entry_points(group="console_scripts")
        if script.dist is not None and _normalized(script.dist.name) == distribution
    }
    # a command that is a binary, not a Python entry point (ruff), is a file in the scripts folder
    commands |= {f.stem for f in metadata.distribution(distribution).files or () if f.parent.name == "bin"}
    return any(f'_tool("{command}")' in source for command in commands)


def _is_stubs_for_an_import(distribution: str) -> bool:
    """`types-PyYAML` installs `yaml-stubs`, which mypy reads for the `yaml` imported here."""
    names = _import_names(distribution)
    imported = {i.top for i in (*project_imports(), *imports_in_tests())}
    return all(n.endswith("-stubs") for n in names) and {n.removesuffix("-stubs") for n in names} <= imported


def _fixture_in_use(distribution: str) -> bool:
    fixture = PLUGIN_FIXTURES.get(distribution)
    if fixture is None:
        return False
    assert any(_normalized(e.dist.name) == distribution for e in entry_points(group="pytest11") if e.dist)
    files = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    return any(
        fixture in {a.arg for a in node.args.args}
        for file in files
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
    )


@pytest.mark.parametrize("distribution", TEST)
def test_test_dependency_is_used_by_the_tests(distribution: str) -> None:
    assert (
        _imported_by(imports_in_tests(), distribution)
        or _runs_as_tool(distribution)
        or _is_stubs_for_an_import(distribution)
        or _fixture_in_use(distribution)
        or distribution in OPTIONAL  # an extra of ours, installed so that its feature is tested
    ), f"nothing in tests/ or benchmarks/ uses {distribution}"


def test_every_third_party_import_of_the_tests_is_declared() -> None:
    declared = {*RUNTIME, *OPTIONAL, *TEST}
    local = local_test_modules()
    undeclared = [
        f"{i.where()}: {i.target}"
        for i in imports_in_tests()
        if is_third_party(i.top) and i.top not in local and not _distribution(i.top) & declared
    ]
    assert not undeclared, "\n".join(undeclared)
