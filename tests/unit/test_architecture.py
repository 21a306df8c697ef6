"""The layer rules of DESIGN.md §1, checked on the source itself (import-linter checks them
again in tools/test.sh)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "companion"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20
    return files


def test_only_the_ui_layer_imports_qtwidgets() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in modules()
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        and any(name.startswith("PySide6.QtWidgets") for name in imports_of(path))
    ]
    assert offenders == []


def test_domain_imports_neither_qt_nor_sqlalchemy_nor_outer_layers() -> None:
    forbidden = ("PySide6", "sqlalchemy", "alembic", "sqlcipher3", "vlc")
    outer = ("companion.storage", "companion.services", "companion.ui", "companion.audio")
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith(forbidden), f"{path.name} imports {name}"
            assert not name.startswith(outer), f"{path.name} imports {name}"


def test_services_and_storage_never_import_the_ui() -> None:
    for layer in ("services", "storage", "crypto", "domain", "audio", "export"):
        for path in (PACKAGE / layer).rglob("*.py"):
            assert not any(n.startswith("companion.ui") for n in imports_of(path)), path
