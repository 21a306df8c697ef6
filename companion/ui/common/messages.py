"""The plain sentences the export, import and backup screens show, and how errors read."""

from __future__ import annotations

import re

from companion.errors import CompanionError, ReadOnlyStorageError, StorageFullError
from companion.export.progress import CancelledError
from companion.i18n import N_, _, format_number, n_

NOTHING_WRITTEN = N_("Nothing was written.")
PLAINTEXT_QUESTION = N_("This file will not be encrypted; anyone who gets it can read it.")
PLAINTEXT_DETAIL = N_(
    "Only choose this if you will hand the file over safely yourself, for example on a USB "
    "stick you give your provider in person. An encrypted file is safer."
)
SEPARATELY_NOTE = N_(
    "Give this passphrase to your provider separately from the file, for example by phone "
    "or in person. Do not send it in the same email or message as the file. It is shown only "
    "now: Companion does not keep it."
)


def export_error(error: CompanionError) -> str:
    """Why an export was not saved, always ending with the reassurance that nothing was."""
    if isinstance(error, CancelledError):
        return _("Cancelled. Nothing was written.")
    if isinstance(error, ReadOnlyStorageError):
        return _(
            "That folder cannot be written to (it may be read-only or belong to someone else). "
            "Nothing was written. Choose another folder."
        )
    if isinstance(error, StorageFullError):
        return _(
            "The disk is full, so the file could not be saved. "
            "Nothing was written. Free some space or choose another place."
        )
    text = str(error).strip()
    return text if error.nothing_written else _("{reason} Nothing was written.").format(reason=text)


def preview_error(error: CompanionError) -> str:
    if isinstance(error, CancelledError):
        return _("The preview was stopped. Nothing was written.")
    return str(error)


def breakable(path: object) -> str:
    """A path or file name that may wrap after each separator, dash, dot or underscore: a
    long name must not make the page wider than the window at large text sizes."""
    return re.sub(r"([/\\._-])", "\\1\u200b", str(path))


def size_text(size: int) -> str:
    if size < 1024:
        return n_("{n} byte", "{n} bytes", size)
    if size < 1024 * 1024:
        return _("{size} KB").format(size=format_number(size / 1024, 0))
    return _("{size} MB").format(size=format_number(size / (1024 * 1024), 1))
