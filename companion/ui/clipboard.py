"""Puts text on the clipboard, marked as a secret, and takes it off again.

Copies are marked the way password managers mark theirs (KeePassXC does the same), so
clipboard managers and clipboard history leave them out:

* ``x-kde-passwordManagerHint: secret`` (Klipper and other Linux clipboard managers);
* ``ExcludeClipboardContentFromMonitorProcessing``, ``CanIncludeInClipboardHistory = 0`` and
  ``CanUploadToCloudClipboard = 0`` (Windows clipboard history and cloud clipboard);
* ``org.nspasteboard.ConcealedType`` (macOS clipboard managers).

The copy is taken off the clipboard after ``CLEAR_AFTER_MS`` (45 s), and when the app locks or
quits, but only if the clipboard still holds it: whatever the person copied afterwards is left
alone. Only a digest of what we copied is remembered, so the secret is not kept in memory just
to recognise it later.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 45_000
_DWORD_ZERO = b"\x00\x00\x00\x00"
CONCEALED_FORMATS: dict[str, bytes] = {
    "x-kde-passwordManagerHint": b"secret",
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': (
        b"\x01\x00\x00\x00"
    ),
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': _DWORD_ZERO,
    'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': _DWORD_ZERO,
    "application/x-nspasteboard-concealed-type": b"secret",
    "org.nspasteboard.ConcealedType": b"secret",
}


def _digest(text: str) -> bytes:
    import hashlib  # only when something is copied: keeps start-up short

    return hashlib.sha256(text.encode("utf-8")).digest()


def concealed_mime(text: str) -> QMimeData:
    mime = QMimeData()
    mime.setText(text)
    for name, value in CONCEALED_FORMATS.items():
        mime.setData(name, value)
    return mime


class OwnClipboard(QObject):
    def __init__(
        self,
        clipboard: QClipboard | None = None,
        clear_after_ms: int = CLEAR_AFTER_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._ours: bytes | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(clear_after_ms)
        self.timer.timeout.connect(self.clear_if_ours)

    def copy(self, text: str) -> None:
        """Copies ``text`` marked as a secret and starts the countdown to clear it."""
        self._clipboard.setMimeData(concealed_mime(text), QClipboard.Mode.Clipboard)
        self._ours = _digest(text)
        self.timer.start()

    def holds_ours(self) -> bool:
        if self._ours is None:
            return False
        return _digest(self._clipboard.text(QClipboard.Mode.Clipboard)) == self._ours

    def clear_if_ours(self) -> bool:
        """Clears the clipboard if it still holds what we put there. True if it did."""
        self.timer.stop()
        cleared = self.holds_ours()
        if cleared:
            self._clipboard.clear(QClipboard.Mode.Clipboard)
        self._ours = None
        return cleared
