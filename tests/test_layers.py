"""The architecture holds: layers point down, no two modules import each other, the API is pinned.

Read from the source (`_imports.py`), every import counted wherever it is written: inside a
function, under `if TYPE_CHECKING:` or in a `try`. An import moved into a function still
makes the two modules depend on each other; it only hides the cycle until run time.
"""

from __future__ import annotations

import textwrap
from collections import deque
from pathlib import Path

import crosscontract.engine
import pytest
from _imports import Import, imports_of, project_imports, project_modules

ENGINE = "crosscontract.engine"
FRONT_ENDS = ("crosscontract.cli", "crosscontract.service")

LAYERS = {
    "_types": 1,
    "errors": 1,
    "inputs": 1,
    "locations": 1,
    "urls": 1,
    "positions": 2,
    "spec": 2,
    "schema": 2,
    "pact": 2,
    "http": 2,
    "check": 3,
    "config": 3,
    "diff": 4,
    "render": 4,
    "broker": 5,
}
"""The engine's parts, bottom (1) to top: a module imports from its own layer or below.
The package itself (`crosscontract.engine`, the public API) is above them all."""

PUBLIC_API = [
    "CODES",
    "Code",
    "Comparator",
    "EngineConfig",
    "Finding",
    "FolderSource",
    "InputError",
    "Interaction",
    "InteractionResult",
    "MappingSource",
    "OperationIndex",
    "Options",
    "Pact",
    "PactReport",
    "Report",
    "Severity",
    "Spec",
    "SpecSource",
    "compare",
    "load_spec",
    "parse_pact",
    "read_operations",
    "read_pact",
]

# Known today and being removed on other branches. Each one is a strict xfail below: when
# its fix lands, that test passes, fails as strict, and the entry is deleted here.
PENDING_CYCLES: dict[frozenset[str], str] = {}


def _layer(module: str) -> int:
    if module == ENGINE:
        return max(LAYERS.values()) + 1
    part = module.split(".")[2]
    assert part in LAYERS, f"{module}: give `{part}` a layer in LAYERS (see ARCHITECTURE.md)"
    return LAYERS[part]


def _graph() -> dict[str, dict[str, Import]]:
    """Module -> the project modules it imports (one import statement each, for the message)."""
    modules = project_modules()
    graph: dict[str, dict[str, Import]] = {module: {} for module in modules}
    for found in project_imports():
        if found.target in modules and found.target != found.module:
            graph[found.module].setdefault(found.target, found)
    return graph


def _components(graph: dict[str, dict[str, Import]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(frozenset(component))
    return found


def _shortest_cycle(graph: dict[str, dict[str, Import]], component: frozenset[str]) -> str:
    """One shortest cycle through the component, each step with the import that makes it."""
    start = min(component)
    came_from: dict[str, Import] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target, found in graph[node].items():
            if target not in component or target in came_from:
                continue
            came_from[target] = found
            if target == start:
                steps = [came_from[start]]
                while steps[-1].module != start:
                    steps.append(came_from[steps[-1].module])
                return " -> ".join(f"{s.module} ({s.where()})" for s in reversed(steps)) + f" -> {start}"
            queue.append(target)
    raise AssertionError(f"no cycle through {start}")


# --- the scan itself ---------------------------------------------------------------------------


def test_imports_are_read_at_any_depth_and_resolved_to_installed_names(tmp_path: Path) -> None:
    source = tmp_path / "reader.py"
    source.write_text(
        textwrap.dedent(
            """
            from typing import TYPE_CHECKING
            from . import stream
            from ..errors import InputError
            import orjson
            if TYPE_CHECKING:
                from .model import Pact

            def read():
                from crosscontract.cli.main import cli
                try:
                    import ijson.backends.yajl2_c
                except ImportError:
                    pass
            """
        ),
        encoding="utf-8",
    )
    module = "crosscontract.engine.pact.reader"
    known = frozenset({"crosscontract.engine.pact.stream", "crosscontract.engine.pact.model"})
    assert [(i.target, i.line, i.deferred) for i in imports_of(module, source, known)] == [
        ("typing", 2, False),
        ("crosscontract.engine.pact.stream", 3, False),
        ("crosscontract.engine.errors", 4, False),
        ("orjson", 5, False),
        ("crosscontract.engine.pact.model", 7, False),
        ("crosscontract.cli.main", 10, True),
        ("ijson.backends.yajl2_c", 12, True),
    ]


def test_a_package_resolves_relative_imports_from_itself(tmp_path: Path) -> None:
    source = tmp_path / "__init__.py"
    source.write_text("from .check.compare import compare\nfrom . import errors\n", encoding="utf-8")
    known = frozenset({"crosscontract.engine.check.compare", "crosscontract.engine.errors"})
    assert [i.target for i in imports_of(ENGINE, source, known)] == [
        "crosscontract.engine.check.compare",
        "crosscontract.engine.errors",
    ]


def test_every_module_of_both_packages_is_scanned() -> None:
    modules = project_modules()
    assert {"crosscontract.engine", "crosscontract.engine.spec.loading", "crosscontract.cli.main"} <= set(
        modules
    )
    assert len(modules) == len(set(modules.values()))
    loading = {i.target for i in project_imports() if i.module == "crosscontract.engine.spec.loading"}
    assert {"crosscontract.engine.errors", "orjson", "crosscontract.engine.spec.yamltext"} <= loading


def test_a_cycle_is_found_and_shown_with_its_imports(tmp_path: Path) -> None:
    def step(module: str, target: str, line: int) -> Import:
        return Import(module, target, tmp_path / f"{module}.py", line)

    graph = {
        "a": {"b": step("a", "b", 3), "d": step("a", "d", 4)},
        "b": {"c": step("b", "c", 5), "a": step("b", "a", 6)},
        "c": {"a": step("c", "a", 7)},
        "d": {},
    }
    [component] = _components(graph)
    assert component == {"a", "b", "c"}
    assert _shortest_cycle(graph, component) == f"a ({tmp_path}/a.py:3) -> b ({tmp_path}/b.py:6) -> a"


# --- the architecture -------------------------------------------------------------------------


def test_engine_imports_neither_front_end() -> None:
    wrong = [
        f"{i.where()} imports {i.target}"
        for i in project_imports()
        if i.module.startswith(ENGINE) and i.target.startswith(FRONT_ENDS)
    ]
    assert not wrong, "\n".join(wrong)


def test_engine_imports_point_down_its_layers() -> None:
    wrong = [
        f"{i.where()}: {i.module} (layer {_layer(i.module)}) imports {i.target} (layer {_layer(i.target)})"
        for i in project_imports()
        if i.module.startswith(f"{ENGINE}.")
        and (i.target == ENGINE or i.target.startswith(f"{ENGINE}."))
        and _layer(i.target) > _layer(i.module)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    graph = _graph()
    cycles = [_shortest_cycle(graph, c) for c in _components(graph) if c not in PENDING_CYCLES]
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize(
    "modules",
    [
        pytest.param(
            modules, marks=pytest.mark.xfail(strict=True, reason=reason), id="+".join(sorted(modules))
        )
        for modules, reason in PENDING_CYCLES.items()
    ],
)
def test_pending_cycle_is_gone(modules: frozenset[str]) -> None:
    assert not any(modules <= component for component in _components(_graph()))


def test_public_api_is_pinned() -> None:
    assert crosscontract.engine.__all__ == PUBLIC_API
    for name in PUBLIC_API:
        assert getattr(crosscontract.engine, name) is not None, name
