"""Errors a person can meet, each with one plain sentence that says what happened and what to do.

The message never contains private data (journal text, names, passphrases, keys), so it is safe
to show, print on the command line, or log by class name.

Every error carries a ``code`` (a stable machine name, one per class) and the English message
id with its parameters; ``str(error)`` puts them into words in the current language
(``companion.i18n.render``), the one place an error becomes a sentence. Code decides by class,
code and flags, never by the words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from companion.i18n import N_, Text, render

# Every error class by its code (filled as the classes are defined; tests render them all).
ERROR_CODES: dict[str, type[CompanionError]] = {}


class CompanionError(Exception):
    """Base class: ``str(error)`` is the user-facing sentence.

    Code never reads that sentence to decide anything; it reads the flags, which say what the
    sentence already promises the person (so a screen adds the promise only when it is
    missing): ``nothing_written``, no file was written or replaced; ``vault_unchanged``,
    nothing in the vault was changed. A subclass sets them with its message; an error raised
    with a message of its own passes them to the constructor."""

    code: ClassVar[str] = "companion"
    message = N_("Something went wrong.")
    # Parameters a class's own message needs, as the tests fill them (a real raise passes them).
    example: ClassVar[dict[str, object]] = {}
    nothing_written = False
    vault_unchanged = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__()
        if "code" not in cls.__dict__:
            cls.code = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__.removesuffix("Error")).lower()
        ERROR_CODES.setdefault(cls.code, cls)

    def __init__(
        self,
        message: str | None = None,
        *,
        nothing_written: bool | None = None,
        vault_unchanged: bool | None = None,
        **params: object,
    ) -> None:
        self.template = message or self.message
        self.params = params
        super().__init__(self.template)
        if nothing_written is not None:
            self.nothing_written = nothing_written
        if vault_unchanged is not None:
            self.vault_unchanged = vault_unchanged

    def __str__(self) -> str:
        return render(self.template, self.params)


class NoVaultError(CompanionError):
    message = N_("There is no Companion vault in this folder yet.")


class VaultExistsError(CompanionError):
    message = N_("A vault already exists in this folder; it was left untouched.")


class WrongPassphraseError(CompanionError):
    message = N_("That passphrase did not unlock the vault. Nothing was changed; please try again.")
    vault_unchanged = True


class WrongRecoveryKeyError(CompanionError):
    message = N_("That recovery key did not unlock the vault. Check it for typos and try again.")


class WeakPassphraseError(CompanionError):
    message = N_("That passphrase is too easy to guess.")


class HeaderTamperedError(CompanionError):
    message = N_(
        "The vault's key file is damaged or was altered, so the vault was not opened. "
        "Restore it from a backup."
    )


class DatabaseCorruptError(CompanionError):
    message = N_(
        "The vault's database is damaged or was altered, so it was not trusted. "
        "Restore it from a backup."
    )


class VaultLockedError(CompanionError):
    message = N_("The vault is locked. Unlock it first.")


class StorageFullError(CompanionError):
    message = N_(
        "The disk is full or could not be written, so nothing was saved. "
        "Free some space and try again."
    )
    nothing_written = vault_unchanged = True


class ReadOnlyStorageError(CompanionError):
    message = N_(
        "The data folder cannot be written to, so nothing was saved. Check its permissions."
    )
    nothing_written = vault_unchanged = True


class InvalidInputError(CompanionError):
    message = N_("Some of what was entered is not valid.")

    def __init__(
        self,
        message: str | None = None,
        problems: Mapping[str, str | Text] | None = None,
        **params: object,
    ) -> None:
        # A problem is a ``Text`` (put into words when read) or words a validator already
        # translated when it ran (the domain's validators, which the UI also calls directly).
        self._problems = dict(problems or {})
        if message is None and self._problems:
            first = next(iter(self._problems.values()))
            if isinstance(first, Text):
                message, params = first.msgid, dict(first.params)
            else:
                message = first
        super().__init__(message)
        self.params = params

    @property
    def problems(self) -> dict[str, str]:
        """Each field's problem, in words, in the current language."""
        return {key: str(text) for key, text in self._problems.items()}


class VaultBusyError(CompanionError):
    message = N_(
        "The vault is busy in another window. Finish or close it there, then try again. "
        "Nothing was changed."
    )
    vault_unchanged = True


class DamagedDataError(DatabaseCorruptError):
    """A read met a damaged page (or bytes no parser accepts) in an otherwise open vault."""

    message = N_(
        "This part of your vault is damaged, so it could not be shown. Nothing was changed. "
        "Run “companion-cli verify” to check the vault, or restore your latest backup."
    )
    vault_unchanged = True


ERROR_CODES[CompanionError.code] = CompanionError
