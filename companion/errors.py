"""Errors a person can meet, each with one plain sentence that says what happened and what to do.

The message never contains private data (journal text, names, passphrases, keys), so it is safe
to show, print on the command line, or log by class name.
"""

from __future__ import annotations


class CompanionError(Exception):
    """Base class: ``str(error)`` is the user-facing sentence.

    Code never reads that sentence to decide anything; it reads the flags, which say what the
    sentence already promises the person (so a screen adds the promise only when it is
    missing): ``nothing_written``, no file was written or replaced; ``vault_unchanged``,
    nothing in the vault was changed. A subclass sets them with its message; an error raised
    with a message of its own passes them to the constructor."""

    message = "Something went wrong."
    nothing_written = False
    vault_unchanged = False

    def __init__(
        self,
        message: str | None = None,
        *,
        nothing_written: bool | None = None,
        vault_unchanged: bool | None = None,
    ) -> None:
        super().__init__(message or self.message)
        if nothing_written is not None:
            self.nothing_written = nothing_written
        if vault_unchanged is not None:
            self.vault_unchanged = vault_unchanged


class NoVaultError(CompanionError):
    message = "There is no Companion vault in this folder yet."


class VaultExistsError(CompanionError):
    message = "A vault already exists in this folder; it was left untouched."


class WrongPassphraseError(CompanionError):
    message = "That passphrase did not unlock the vault. Nothing was changed; please try again."
    vault_unchanged = True


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
    nothing_written = vault_unchanged = True


class ReadOnlyStorageError(CompanionError):
    message = "The data folder cannot be written to, so nothing was saved. Check its permissions."
    nothing_written = vault_unchanged = True


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
    vault_unchanged = True


class DamagedDataError(DatabaseCorruptError):
    """A read met a damaged page (or bytes no parser accepts) in an otherwise open vault."""

    message = (
        "This part of your vault is damaged, so it could not be shown. Nothing was changed. "
        "Run “companion-cli verify” to check the vault, or restore your latest backup."
    )
    vault_unchanged = True
