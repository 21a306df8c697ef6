"""The patient's language for the whole window: Companion's catalogue, Qt's own words, and the
locale Qt's date and time edits write with. Applied before the first window is built (the
unlock screen and its Help included), and again when first run's language is changed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from companion.i18n import locale_name, set_language

_installed: list[QTranslator] = []  # kept alive: Qt does not own an installed translator


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def apply_language(code: str) -> str:
    """Makes ``code`` the language of Companion's words and of Qt's standard ones (the
    buttons of message boxes, a line edit's menu); returns the language now in use."""
    code = set_language(code)
    locale = QLocale(locale_name())
    QLocale.setDefault(locale)
    app = QCoreApplication.instance()
    if app is None:
        return code
    while _installed:
        app.removeTranslator(_installed.pop())
    translator = QTranslator()
    # qtbase_<lang>.qm ships with the PySide6 wheel; English needs none
    if locale_name() != "en" and translator.load(locale, "qtbase", "_", qt_translations_dir()):
        app.installTranslator(translator)
        _installed.append(translator)
    return code
