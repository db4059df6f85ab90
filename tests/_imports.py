"""Every import statement in the project's code, read from the source (not by importing it).

Modules are named as installed: `pyproject.toml` maps each folder to its package
(`engine` -> `crosscontract.engine`), and relative imports are resolved against that name.
Imports at any depth count (inside functions, `if TYPE_CHECKING:` blocks, `try`), because
an import hidden in a function is still a dependency between two modules.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "crosscontract"


@dataclass(frozen=True, slots=True)
class Import:
    """One imported name: `target` is the most specific module it names, when it is ours."""

    module: str
    """The importing module, e.g. `crosscontract.engine.spec.loading`."""
    target: str
    """`crosscontract.engine.spec.loading` for `from .loading import Spec`; `yaml` for `import yaml`."""
    file: Path
    line: int
    deferred: bool = False
    """Written inside a function: run on a call, not when the module is imported."""

    @property
    def top(self) -> str:
        """The top-level package imported (`yaml`, `crosscontract`, `os`)."""
        return self.target.partition(".")[0]

    def where(self) -> str:
        file = self.file.relative_to(ROOT) if self.file.is_relative_to(ROOT) else self.file
        return f"{file}:{self.line}"


@cache
def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@cache
def project_modules() -> dict[str, Path]:
    """Every module of the installed packages, by its installed name."""
    modules: dict[str, Path] = {}
    folders = pyproject()["tool"]["setuptools"]["package-dir"]
    for package, folder in folders.items():
        # a folder inside this one that is installed as another package is that package's
        nested = [
            ROOT / other for other in folders.values() if other != folder and other.startswith(f"{folder}/")
        ]
        for file in sorted((ROOT / folder).rglob("*.py")):
            if any(file.is_relative_to(inner) for inner in nested):
                continue
            parts = file.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join((package, *parts))] = file
    return modules


def imports_of(module: str, file: Path, known: frozenset[str] = frozenset()) -> list[Import]:
    """The imports in `file`, which is installed as `module`; `known` names our modules."""
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, deferred: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(module, alias.name, file, node.lineno, deferred) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            for alias in node.names:
                # `from . import diskstore` names a module; `from .loading import Spec` a name in one
                named = f"{base}.{alias.name}"
                found.append(Import(module, named if named in known else base, file, node.lineno, deferred))
        inside = deferred or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(ast.parse(file.read_text(encoding="utf-8"), str(file)), False)
    return found


def _absolute(name: str | None, level: int, package: str) -> str:
    if level == 0:
        assert name is not None
        return name
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


@cache
def project_imports() -> tuple[Import, ...]:
    """Every import in every module of the installed packages."""
    known = frozenset(project_modules())
    return tuple(
        found for module, file in project_modules().items() for found in imports_of(module, file, known)
    )


@cache
def imports_in_tests() -> tuple[Import, ...]:
    """Every import in the tests and benchmarks (named by file, not installed)."""
    files = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")])
    return tuple(found for file in files for found in imports_of(file.stem, file))


def local_test_modules() -> frozenset[str]:
    """Helper modules the tests import from their own folders (`_build`, `conftest`...)."""
    return frozenset(
        file.stem for folder in ("tests", "benchmarks") for file in (ROOT / folder).rglob("*.py")
    ) | {""}  # a relative import (`from ._service import Server`) is one of the tests' own modules


def is_third_party(name: str) -> bool:
    return name != PROJECT and name not in sys.stdlib_module_names
