"""No import cycle among the project's modules, counting the imports written inside functions (which
hide a cycle from Python until the function runs, and from anyone reading the top of the file).

Every module of db/, desktop/ and server/ is parsed (not imported); each ``import`` and ``from ...
import`` anywhere in it, at any depth, is an edge to the project module it names (the most specific
one: ``from server.pages import login`` is an edge to ``server.pages.login``). Imports under
``if TYPE_CHECKING:`` are left out: they never run. The strongly connected components of that graph
with more than one module (or a module importing itself) are the cycles.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("db", "desktop", "server")



def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic's scripts import nothing of ours back
                continue
            found[module_name(path)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        if isinstance(node, ast.If) and _is_type_checking(node):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def _most_specific(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def edges(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            found = _most_specific(target, modules)
            if found is not None and found != name:
                out.add(found)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: edges(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
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


def one_cycle(component: list[str], graph: dict[str, set[str]]) -> str:
    """A readable path through ``component``: a -> b -> ... -> a."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    while True:
        following = sorted(graph[path[-1]] & members)
        back = start in following
        unseen = [m for m in following if m not in seen]
        if back and (len(path) > 1 or not unseen):
            return " -> ".join([*path, start])
        if not unseen:  # cannot happen in a strongly connected component
            return " -> ".join(path)
        path.append(unseen[0])
        seen.add(unseen[0])


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    assert "db.files" in graph["db.pin"]
    assert "server.pages.login" in graph["server.pages"]  # from server.pages import login
    made = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(made) == [["a", "b", "c"]]
    late = ast.parse("def late():\n    if ready:\n        from server import web\n")
    assert [(n.module, n.names[0].name) for n in _imports(late) if isinstance(n, ast.ImportFrom)] == [("server", "web")]
    typing_only = ast.parse("if TYPE_CHECKING:\n    from server import web\n")
    assert list(_imports(typing_only)) == []


def test_no_import_cycle_among_the_projects_modules() -> None:
    """db/, desktop/ and server/, imports inside functions counted (the desktop's old app <-> cli <->
    selftest <-> setup_wizard <-> window cycle is gone: issue 17)."""
    graph = import_graph()
    bad = [one_cycle(c, graph) for c in cycles(graph)]
    assert not bad, "import cycles:\n" + "\n".join(bad)
