"""The message catalogue is complete: ``tools/i18n.py check`` run in-process.

It fails when resources/locale/companion.pot is stale against the source, a Spanish message is
untranslated or fuzzy, the compiled .mo is stale, or a translation's ``{placeholders}`` differ
from the English.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

from babel.messages.catalog import Catalog

TOOL = Path(__file__).resolve().parents[2] / "tools" / "i18n.py"


@cache
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("companion_i18n_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogue_is_complete_and_fresh_for_every_language() -> None:
    problems = tool().check()
    assert problems == [], "\n".join(problems[:40])


def test_placeholders_are_compared_by_name() -> None:
    placeholders = tool().placeholders
    assert placeholders("Session {number} of {total}") == {"number", "total"}
    assert placeholders("Sesión {number} de {total}") == {"number", "total"}
    assert placeholders("Sesión {numero}") != placeholders("Session {number}")
    assert placeholders("no fields") == set()


def test_update_takes_translations_from_an_extra_catalogue_and_never_marks_fuzzy() -> None:
    module = tool()
    template = Catalog()
    template.add("Save")
    template.add("Saved {n} entries")
    own = Catalog(locale="es")
    own.add("Save", "Guardar")
    own.add("Gone from the source", "Obsoleto")
    extra = Catalog(locale="es")
    extra.add("Save", "Otra")
    extra.add("Saved {n} entries", "Se guardaron {n} entradas")
    merged = module.merge(template, "es", [own, extra])
    strings = {message.id: message.string for message in merged if message.id}
    assert strings == {"Save": "Guardar", "Saved {n} entries": "Se guardaron {n} entradas"}
    assert not any(message.fuzzy for message in merged if message.id)


def test_a_changed_english_message_starts_untranslated_rather_than_fuzzy() -> None:
    module = tool()
    template = Catalog()
    template.add("Save the entry")
    own = Catalog(locale="es")
    own.add("Save the entries", "Guardar las entradas")
    merged = module.merge(template, "es", [own])
    message = merged.get("Save the entry")
    assert message is not None and message.string == "" and not message.fuzzy


def test_compiled_catalogue_bytes_are_deterministic() -> None:
    module = tool()
    catalogue = module.read_catalogue(module.po_path("es"), "es")
    assert module.render_mo(catalogue) == module.render_mo(catalogue)
    assert module.render_po(catalogue) == module.render_po(catalogue)
