"""Puts text on the clipboard and takes it off again when the app locks or quits.

Only a digest of what we copied is remembered, so the secret is not kept in memory just to
recognise it later. Whatever the person copied afterwards is left alone.
"""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication


def _digest(text: str) -> bytes:
    import hashlib  # only when something is copied: keeps start-up short

    return hashlib.sha256(text.encode("utf-8")).digest()


class OwnClipboard:
    def __init__(self, clipboard: QClipboard | None = None) -> None:
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._ours: bytes | None = None

    def copy(self, text: str) -> None:
        self._clipboard.setText(text, QClipboard.Mode.Clipboard)
        self._ours = _digest(text)

    def holds_ours(self) -> bool:
        if self._ours is None:
            return False
        return _digest(self._clipboard.text(QClipboard.Mode.Clipboard)) == self._ours

    def clear_if_ours(self) -> bool:
        """Clears the clipboard if it still holds what we put there. True if it did."""
        cleared = self.holds_ours()
        if cleared:
            self._clipboard.clear(QClipboard.Mode.Clipboard)
        self._ours = None
        return cleared
