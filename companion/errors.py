"""Errors a person can meet, each with one plain sentence that says what happened and what to do.

The message never contains private data (journal text, names, passphrases, keys), so it is safe
to show, print on the command line, or log by class name.
"""

from __future__ import annotations


class CompanionError(Exception):
    """Base class: ``str(error)`` is the user-facing sentence."""

    message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)


class NoVaultError(CompanionError):
    message = "There is no Companion vault in this folder yet."


class VaultExistsError(CompanionError):
    message = "A vault already exists in this folder; it was left untouched."


class WrongPassphraseError(CompanionError):
    message = "That passphrase did not unlock the vault. Nothing was changed; please try again."


class WrongRecoveryKeyError(CompanionError):
    message = "That recovery key did not unlock the vault. Check it for typos and try again."


class WeakPassphraseError(CompanionError):
    message = "That passphrase is too easy to guess."


class HeaderTamperedError(CompanionError):
    message = (
        "The vault's key file is damaged or was altered, so the vault was not opened. "
        "Restore it from a backup."
    )


class DatabaseCorruptError(CompanionError):
    message = (
        "The vault's database is damaged or was altered, so it was not trusted. "
        "Restore it from a backup."
    )


class VaultLockedError(CompanionError):
    message = "The vault is locked. Unlock it first."


class StorageFullError(CompanionError):
    message = (
        "The disk is full or could not be written, so nothing was saved. "
        "Free some space and try again."
    )


class ReadOnlyStorageError(CompanionError):
    message = "The data folder cannot be written to, so nothing was saved. Check its permissions."


class InvalidInputError(CompanionError):
    message = "Some of what was entered is not valid."

    def __init__(self, message: str | None = None, problems: dict[str, str] | None = None) -> None:
        self.problems = dict(problems or {})
        if message is None and self.problems:
            message = next(iter(self.problems.values()))
        super().__init__(message)


class VaultBusyError(CompanionError):
    message = (
        "The vault is busy in another window. Finish or close it there, then try again. "
        "Nothing was changed."
    )


class DamagedDataError(DatabaseCorruptError):
    """A read met a damaged page (or bytes no parser accepts) in an otherwise open vault."""

    message = (
        "This part of your vault is damaged, so it could not be shown. Nothing was changed. "
        "Run “companion-cli verify” to check the vault, or restore your latest backup."
    )
