"""The message catalogue is complete: ``tools/i18n.py check`` run in-process.

It fails when resources/locale/companion.pot is stale against the source, a Spanish message is
untranslated or fuzzy, the compiled .mo is stale, or a translation's ``{placeholders}`` differ
from the English.
"""

from __future__ import annotations

import importlib.util
import re
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


# One Spanish word per concept, everywhere a patient reads or hears Spanish: the catalogue, the
# default protocol's ``.es`` texts and the recorded prompts. Calm, plain, "usted".
GLOSSARY = {
    "vault": ("caja fuerte", ("almacén", "bóveda", "baúl")),
    "provider": ("profesional de salud", ("proveedor", "prestador")),
    "computer": ("computadora", ("ordenador",)),
    "monitor (the person)": ("acompañante", ("supervisor", "cuidador", "vigilante")),
    "passphrase": ("frase de contraseña", ("frase de paso", "frase clave", "frase secreta")),
    "recovery key": ("clave de recuperación", ("código de recuperación", "llave de recuperación")),
    "rehearsal": ("ensayo", ("simulacro", "sesión de prueba")),
    "monitor check-in": ("control", ("chequeo", "revisión del acompañante")),
    "after-care": ("cuidados posteriores", ("cuidados después", "postcuidado", "aftercare")),
    "backup": ("copia de seguridad", ("respaldo",)),
    "journal": ("diario", ("bitácora",)),
    "eye mask": ("antifaz", ("máscara de ojos", "venda")),
}
ROOT = TOOL.parents[1]


def spanish_texts() -> dict[str, str]:
    """Every Spanish text a patient may read or hear, by where it is."""
    import json
    import tomllib

    from babel.messages.pofile import read_po

    texts: dict[str, str] = {}
    with (ROOT / "resources/locale/es/LC_MESSAGES/companion.po").open("rb") as po:
        for message in read_po(po):
            if message.id:
                string = message.string or ""
                strings = [string] if isinstance(string, str) else list(string)
                texts[f"catalogue: {message.id!r}"] = " ".join(strings)

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "es" and isinstance(item, str):
                    texts[f"default.toml: {where}"] = item
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, f"{where}[{n}]")

    walk(tomllib.loads((ROOT / "resources/protocols/default.toml").read_text("utf-8")), "")
    speech = json.loads((ROOT / "assets/speech/manifest.json").read_text("utf-8"))
    for entry in speech["files"]:
        if ".es." in entry["file"]:
            texts[f"recording: {entry['file']}"] = entry["text"]
    return texts


def test_each_concept_has_one_spanish_word_everywhere() -> None:
    texts = spanish_texts()
    assert len(texts) > 1500  # the catalogue, the protocol and the recordings were all read
    found = [
        f"{where}: {variant!r} (use {word!r} for {concept})"
        for concept, (word, variants) in GLOSSARY.items()
        for variant in variants
        for where, text in texts.items()
        if re_word(variant).search(text)
    ]
    assert found == [], "\n".join(found)
    for concept, (word, _variants) in GLOSSARY.items():
        assert any(re_word(word).search(t) for t in texts.values()), f"{concept}: {word!r} unused"


def re_word(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
