"""Imports only point down the layers (README "Layout"): a lower package never imports a higher one.

core ← index ← crawler, audit ← ops ← search_api, sampleweb ← govwatch (the command line).
crawler/ and audit/ sit side by side and must not import each other's way up:
crawler/ never imports audit/, audit/ never imports crawler/. ops/ (scheduler, alerts,
evidence files) is used by the crawler's evidence middleware for its file store only.

Within the packages, imports form no circle either (test_no_import_circle): a module never
imports, directly or through others, a module that imports it. Imports inside functions count,
and so do imports under `if TYPE_CHECKING:`: issue 13's sampleweb circle ran back only through
such imports. A helper module handed an object of a module that imports it annotates a Protocol
of what it uses instead (index/elastic/parts.py, audit/content/bounds.WindowModel).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "index", "crawler", "audit", "ops", "search_api", "sampleweb", "govwatch")
# package -> packages it must not import
FORBIDDEN = {
    "core": {"index", "crawler", "audit", "ops", "search_api", "sampleweb", "govwatch"},
    "index": {"crawler", "audit", "ops", "search_api", "sampleweb", "govwatch"},
    "audit": {"crawler", "ops", "search_api", "sampleweb", "govwatch"},
    "ops": {"crawler", "search_api", "sampleweb", "govwatch"},
    "crawler": {"audit", "search_api", "sampleweb", "govwatch"},
    "search_api": {"crawler", "sampleweb", "govwatch"},
    "sampleweb": {"crawler", "audit", "search_api", "govwatch"},
}


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every absolute import in a module, including imports inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def back_up_arrows(package: str) -> list[str]:
    """"module → package" for every import of a package `package` must not import."""
    return sorted(
        f"{path.relative_to(ROOT)} → {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in imported_packages(path) & FORBIDDEN.get(package, set())
    )


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_points_up(package: str) -> None:
    assert back_up_arrows(package) == []


def test_the_check_sees_an_arrow_up(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from crawler.probes import ProbeFetcher\n", encoding="utf-8")
    assert imported_packages(module) == {"os", "crawler"}


def module_name(path: Path, root: Path = ROOT) -> str:
    """index/sqlite.py → index.sqlite; a package's __init__.py is the package."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement: at module level, in functions and classes, under TYPE_CHECKING too."""
    return (node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom))


def imported_modules(path: Path, modules: set[str], root: Path = ROOT) -> set[str]:
    """The project modules `path` imports: `from a.b import c` is a.b.c when c is a module, else a.b."""
    name = module_name(path, root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in modules)
            continue
        base = node.module or ""
        if node.level:  # relative: from .x import y / from .. import z
            base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
        for alias in node.names:
            if f"{base}.{alias.name}" in modules:
                out.add(f"{base}.{alias.name}")
            elif base in modules:
                out.add(base)
    return out - {name}


def import_graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    paths = [path for package in packages for path in (root / package).rglob("*.py")]
    modules = {module_name(path, root) for path in paths}
    return {module_name(path, root): imported_modules(path, modules, root) for path in paths}


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules of each circle (strongly connected component with more than one module), sorted."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graph is a few hundred modules deep at most
        order[node] = low[node] = len(order)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in order:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], order[nxt])
        if low[node] == order[node]:
            members = []
            while not members or members[-1] != node:
                members.append(stack.pop())
            if len(members) > 1:
                circles.append(sorted(members))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return sorted(circles)


def test_no_import_circle() -> None:
    assert import_circles(import_graph()) == []


def test_the_check_sees_circles_through_function_level_and_type_checking_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("from pkg.b import g\n", encoding="utf-8")
    (pkg / "b.py").write_text("def g():\n    from pkg import a\n    return a\n", encoding="utf-8")
    (pkg / "c.py").write_text("from .a import g\nfrom pkg import d\n", encoding="utf-8")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.c import g\n", encoding="utf-8"
    )
    (pkg / "e.py").write_text("from pkg import d\n", encoding="utf-8")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.c"] == {"pkg.a", "pkg.d"} and graph["pkg.d"] == {"pkg.c"} and graph["pkg.e"] == {"pkg.d"}
    assert import_circles(graph) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"]]
