"""The language drop-down (first run and Settings): each language in its own words, so a
patient who cannot read the current language still finds theirs."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from companion.i18n import LANGUAGES, _


def language_box(selected: str, parent: QWidget | None = None) -> QComboBox:
    box = QComboBox(parent)
    for language in LANGUAGES:
        box.addItem(language.name, language.code)
    box.setCurrentIndex(max(0, box.findData(selected)))
    box.setAccessibleName(_("Language"))
    return box


def language_name(code: str) -> str:
    return next((language.name for language in LANGUAGES if language.code == code), code)
