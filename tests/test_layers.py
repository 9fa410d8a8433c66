"""Imports only point down the layers (README "Layout"): a lower package never imports a higher one.

core ← index ← crawler, audit ← ops ← search_api, sampleweb ← govwatch (the command line).
crawler/ and audit/ sit side by side and must not import each other's way up:
crawler/ never imports audit/, audit/ never imports crawler/. ops/ (scheduler, alerts,
evidence files) is used by the crawler's evidence middleware for its file store only.
"""

from __future__ import annotations

import ast
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
