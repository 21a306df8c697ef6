"""The plain sentences the export, import and backup screens show, and how errors read."""

from __future__ import annotations

import re

from companion.errors import CompanionError, ReadOnlyStorageError, StorageFullError
from companion.export.progress import CancelledError
from companion.i18n import _

NOTHING_WRITTEN = "Nothing was written."
PLAINTEXT_QUESTION = "This file will not be encrypted; anyone who gets it can read it."
PLAINTEXT_DETAIL = (
    "Only choose this if you will hand the file over safely yourself, for example on a USB "
    "stick you give your provider in person. An encrypted file is safer."
)
SEPARATELY_NOTE = (
    "Give this passphrase to your provider separately from the file, for example by phone "
    "or in person. Do not send it in the same email or message as the file. It is shown only "
    "now: Companion does not keep it."
)


def export_error(error: CompanionError) -> str:
    """Why an export was not saved, always ending with the reassurance that nothing was."""
    if isinstance(error, CancelledError):
        return f"Cancelled. {NOTHING_WRITTEN}"
    if isinstance(error, ReadOnlyStorageError):
        return (
            "That folder cannot be written to (it may be read-only or belong to someone else). "
            f"{NOTHING_WRITTEN} Choose another folder."
        )
    if isinstance(error, StorageFullError):
        return (
            "The disk is full, so the file could not be saved. "
            f"{NOTHING_WRITTEN} Free some space or choose another place."
        )
    text = str(error).strip()
    return text if error.nothing_written else f"{text} {NOTHING_WRITTEN}"


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
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
