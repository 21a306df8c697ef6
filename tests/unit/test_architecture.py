"""The layer rules of DESIGN.md §1, checked on the source itself (import-linter checks them
again in tools/test.sh)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import grimp

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
    outer = (
        "companion.storage",
        "companion.services",
        "companion.ui",
        "companion.audio",
        "companion.paths",  # the domain reads no files: services/protocol_files.py does
        "companion.pdf",
    )
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith(forbidden), f"{path.name} imports {name}"
            assert not name.startswith(outer), f"{path.name} imports {name}"


def test_services_and_storage_never_import_the_ui() -> None:
    for layer in ("services", "storage", "crypto", "domain", "audio", "export"):
        for path in (PACKAGE / layer).rglob("*.py"):
            assert not any(n.startswith("companion.ui") for n in imports_of(path)), path


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
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


def import_graph(group: Callable[[str], str]) -> dict[str, set[str]]:
    """What imports what at run time (imports under ``if TYPE_CHECKING:`` are for the type
    checker only and never run), with each module named by ``group``."""
    graph = grimp.build_graph("companion", cache_dir=None, exclude_type_checking_imports=True)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = group(module), group(imported)
            if a != b:
                edges.setdefault(a, set()).add(b)
    return edges


def package_of(module: str) -> str:
    """``companion.ui.session.page`` -> ``companion.ui.session``; other layers by top package."""
    parts = module.split(".")
    return ".".join(parts[:3] if len(parts) > 2 and parts[1] == "ui" else parts[:2])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_through_others() -> None:
    assert cycles(import_graph(lambda module: module)) == []


def test_no_two_packages_import_each_other() -> None:
    """The layers, and the ui's own packages (pages, session, journal, ...), form no loop:
    shared pieces live in ``companion/ui/common``, and the demo window is built only by the
    composition root."""
    assert cycles(import_graph(package_of)) == []


def test_the_cli_and_the_services_load_no_qt_until_a_pdf_is_wanted() -> None:
    """The PDF renderer is injected, so a command that makes no PDF never loads PySide6."""
    probe = (
        "import sys, companion.cli\n"
        "from companion.services.container import build_services\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
