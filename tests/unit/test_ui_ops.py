"""The GUI thread cannot reach the services: no screen reads ``.services``, and only the task
runner takes them from the handle (on the database worker, ``ui/tasks.py``). An op receives
them as its argument. Checked on the source, so a new screen cannot slip back to the old way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import companion.ui
from companion.ui.context import UiContext

UI = Path(companion.ui.__file__).parent
# The only modules that may take the services from the handle: the runner hands them to ops
# on the worker; the handle is where they are built.
HANDLE_OWNERS = {"tasks.py", "services_handle.py"}


def _ui_modules() -> list[Path]:
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 50  # the walk found the package
    return modules


def _names(node: ast.expr) -> str:
    """``self._ctx.handle`` -> "self._ctx.handle" (enough to recognise a handle)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_names(node.value)}.{node.attr}"
    return "?"


def _reaches_services(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "services"
            and _names(node.value) != "companion"  # companion.services.x, a module path
        ):
            lines.append(node.lineno)
    return lines


def _takes_from_handle(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "submit")
            and _names(node.func.value).split(".")[-1].lstrip("_") == "handle"
        ):
            lines.append(node.lineno)
    return lines


def test_no_ui_module_reaches_the_services_outside_an_op() -> None:
    found = {
        str(path.relative_to(UI)): lines
        for path in _ui_modules()
        if (lines := _reaches_services(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}, "use ctx.tasks.run(lambda s: s.<service>...) instead of .services"


def test_only_the_task_runner_takes_the_services_from_the_handle() -> None:
    found = {
        str(path.relative_to(UI)): lines
        for path in _ui_modules()
        if path.name not in HANDLE_OWNERS
        and (lines := _takes_from_handle(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}, "hand the work to ctx.tasks.run; it gives the op the services"


def test_the_context_offers_no_services_property() -> None:
    assert not hasattr(UiContext, "services")


def test_the_checks_see_what_they_forbid() -> None:
    """The two walks above would catch the old ways (so a passing run means something)."""
    old = ast.parse(
        "ctx.tasks.run(lambda: ctx.services.journal.delete(i), receiver=self)\n"
        "self._ctx.handle.get().vault.lock()\n"
        "handle.submit(work)\n"
        "from companion.services.search import EntryFilters\n"
        "import companion.services.search\n"
        "companion.services.search.EntryFilters()\n"
    )
    assert _reaches_services(old) == [1]
    assert sorted(_takes_from_handle(old)) == [2, 3]
