"""The project's import graph, imports inside functions included: no cycle, and the layers hold.

``chorus.core`` (cross-cutting code) imports no app, and the circuit kernel
(``chorus.circuits``) imports nothing of the project but ``chorus.core``: the apps import
them, never the reverse. Imports under ``if TYPE_CHECKING:`` are left out (never executed).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "chorus",
    "invoices",
    "suppliers",
    "public_entities",
    "works_contracts",
    "justice_fees",
    "tic_refunds",
    "support",
    "tests",
)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_in(child))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    if node.level:
        package = module.split(".")
        is_package = MODULES[module].name == "__init__.py"
        anchor = package if is_package else package[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        yield candidate if candidate in MODULES else base


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {
            target
            for node in _imports(tree)
            for target in _targets(module, node)
            if target in MODULES and target != module
        }
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


GRAPH = _graph()


def _is_test(module: str) -> bool:
    return ".tests" in f".{module}" or module.startswith("tests")


def test_the_walker_sees_imports_inside_functions():
    assert "invoices.services.processing" in GRAPH["invoices.tasks"]


def test_no_import_cycle():
    assert _cycles(GRAPH) == []


def test_chorus_core_imports_no_app():
    leaks = {
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("chorus.core") and not _is_test(module)
        for target in targets
        if not target.startswith("chorus.core")
    }
    assert leaks == set()


def test_the_circuit_kernel_imports_only_chorus_core():
    leaks = {
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("chorus.circuits") and not _is_test(module)
        for target in targets
        if not target.startswith(("chorus.circuits", "chorus.core"))
    }
    assert leaks == set()
