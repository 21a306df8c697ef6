"""Protocol files on disk: the one Companion ships and a clinic's file chosen by the patient.

The domain only parses text (``companion.domain.protocol.load_protocol``); reading files is
done here, bounded and refusing anything but a regular file (no FIFO, no ``/dev/zero``).
Every problem is a ``ProtocolError`` on the ``file`` field, in plain words.
"""

from __future__ import annotations

import functools
from pathlib import Path

from companion.domain.protocol import (
    DEFAULT_PROTOCOL_NAME,
    Emergency,
    Protocol,
    ProtocolError,
    load_protocol,
    read_core_emergency,
)
from companion.fsutil import FileRefusedError, read_regular_file
from companion.i18n import N_, current_language
from companion.paths import RESOURCES_DIR

MAX_PROTOCOL_FILE_BYTES = 512 * 1024


def read_protocol_text(path: Path | str) -> str:
    """The file's text, or a ``ProtocolError`` on the ``file`` field saying why not."""
    try:
        data = read_regular_file(Path(path), MAX_PROTOCOL_FILE_BYTES)
    except FileRefusedError as exc:
        raise ProtocolError("file", exc.reason) from None
    except OSError as exc:
        raise ProtocolError(
            "file", N_("could not be read ({value})"), value=exc.strerror or exc
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("file", N_("is not UTF-8 text")) from None


def parse_protocol(text: str) -> Protocol:
    """A protocol's text, checked, on top of Companion's own emergency signs and steps."""
    return load_protocol(text, core_emergency())


def load_protocol_file(path: Path | str) -> Protocol:
    return parse_protocol(read_protocol_text(path))


def default_protocol_path() -> Path:
    return RESOURCES_DIR / "protocols" / DEFAULT_PROTOCOL_NAME


def core_emergency() -> Emergency:
    """Companion's own emergency signs and steps: the shipped protocol's ``[emergency]``, in
    the current language (read once per language; the file ships with the app)."""
    return _core_emergency(current_language())


@functools.cache
def _core_emergency(language: str) -> Emergency:
    try:
        text = default_protocol_path().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(
            "emergency", N_("Companion's own signs could not be read ({exc})"), exc=exc
        ) from None
    return read_core_emergency(text, language)


def default_protocol() -> Protocol:
    """The protocol Companion ships."""
    return load_protocol_file(default_protocol_path())
