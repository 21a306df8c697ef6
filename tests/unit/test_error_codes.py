"""Every error has a code and renders, in one place, in the current language: each one in
Spanish has its placeholders filled and differs from the English."""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest

from companion import i18n
from companion.errors import ERROR_CODES, CompanionError
from tests.support.errors import EXAMPLES, every_error_class


def _build(cls: type[CompanionError]) -> CompanionError:
    if cls.__name__ in EXAMPLES:
        return EXAMPLES[cls.__name__]()
    # The class's own message parameters, by name, as a raise passes them (``example`` holds
    # no constructor options, so all of it lands in ``**params``).
    build: Callable[..., CompanionError] = cls
    return build(**cls.example)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_error_class_has_its_own_code() -> None:
    classes = every_error_class()
    codes = {cls.code for cls in classes}
    assert len(codes) == len(classes)
    assert all(ERROR_CODES[cls.code] is cls for cls in classes)
    assert all(code.replace("_", "").isalnum() and code.islower() for code in codes)


BY_CODE = sorted(every_error_class(), key=lambda c: c.code)


@pytest.mark.parametrize("cls", BY_CODE, ids=str)
def test_every_error_renders_in_spanish_with_its_placeholders_filled(
    cls: type[CompanionError],
) -> None:
    error = _build(cls)
    english = str(error)
    i18n.set_language("es")
    spanish = str(error)  # the same error object, rendered again in the new language
    assert spanish and spanish != english
    assert not _fields(spanish), spanish
    assert "{" not in spanish and "}" not in spanish


def test_an_error_raised_in_english_reads_in_spanish_after_the_language_changes() -> None:
    from companion.errors import WrongPassphraseError

    error = WrongPassphraseError()
    assert "did not unlock" in str(error)
    i18n.set_language("es")
    assert str(error).startswith("Esa frase de contraseña no abrió la caja fuerte")
    assert error.code == "wrong_passphrase" and error.vault_unchanged
