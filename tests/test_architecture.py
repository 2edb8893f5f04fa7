"""The house has floors: every import goes to the same floor or a lower one, and no module imports
itself round a circle. docs/architecture.md draws the same floors.

Read from the source with ast (nothing is imported), so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from wegwijzer.paths import REPO_ROOT

# Lowest first. A module belongs to the first floor with a prefix it starts with; the longest prefix
# wins where two floors share a start (index.models above index).
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("settings", ("wegwijzer.settings", "wegwijzer.paths")),
    ("knowledge", ("wegwijzer.knowledge",)),
    ("retrieval", ("index",)),
    ("model preparation", ("index.models",)),
    ("the assistant", ("wegwijzer",)),
    ("channels", ("connectors", "bot")),
    ("tools", ("bench", "scripts", "docker")),
)
FOLDERS = ("wegwijzer", "index", "connectors", "bot", "bench", "scripts", "docker")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in FOLDERS:
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            if "node_modules" not in path.parts:
                found[module_name(path)] = path
    return found


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports (``from a import b`` names a.b when b is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if _under_type_checking(node, parents):
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def floor_of(module: str) -> int:
    best, best_length = -1, -1
    for number, (_label, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = number, len(prefix)
    assert best >= 0, f"{module} is on no floor: add it to FLOORS and to docs/architecture.md"
    return best


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_every_import_goes_to_the_same_floor_or_lower(graph: dict[str, set[str]]) -> None:
    upward = [
        f"{module} ({FLOORS[floor_of(module)][0]}) imports {target} ({FLOORS[floor_of(target)][0]})"
        for module, targets in graph.items()
        for target in sorted(targets)
        if floor_of(target) > floor_of(module)
    ]
    assert not upward, "\n".join(upward)


def test_no_module_imports_itself_round_a_circle(graph: dict[str, set[str]]) -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's strongly connected components, iteratively
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
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
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    circles.append(sorted(members))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert not circles, "\n".join(" <-> ".join(circle) for circle in circles)


def test_the_floor_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The check itself can fail: a knowledge module that imports the index is caught."""
    fake = REPO_ROOT / "wegwijzer" / "knowledge" / "model.py"
    source = tmp_path / "model.py"
    source.write_text("from index.search import Searcher\n", encoding="utf-8")
    modules = project_modules()
    found = imports_of("wegwijzer.knowledge.model", source, modules)
    assert "index.search" in found and floor_of("index.search") > floor_of("wegwijzer.knowledge.model")
    assert fake.is_file()
