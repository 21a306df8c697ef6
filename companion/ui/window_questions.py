"""What the window asks or tells before closing or locking loses words, and its answers."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from companion.errors import CompanionError
from companion.i18n import N_, _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget


def written(write: Future[Any]) -> bool:
    return write.done() and write.exception() is None


def failure_reason(write: Future[Any]) -> str:
    error = write.exception() if write.done() else None
    return str(error) if isinstance(error, CompanionError) else _(SOMETHING_WENT_WRONG)


SOMETHING_WENT_WRONG = N_("something unexpected went wrong.")
WORDS_HELD_TEXT = N_(
    "Your last journal words could not be kept as a draft before locking: {reason} They are "
    "held in memory only, not on disk, and come back in the editor when you unlock. If you "
    "close Companion before unlocking, they will be lost."
)
WORDS_BACK_TEXT = N_(
    "These are your words from before the lock. They could not be kept as a draft then; "
    "they are being kept now."
)
WORDS_NOT_KEPT_TEXT = N_(
    "Your last words could not be kept as a draft: {reason}\n\n"
    "If you close Companion now, these words will be lost. You can go back to them, copy "
    "them somewhere safe, and close afterwards."
)


def close_anyway(_parent: QWidget, _reason: str) -> bool:
    return True


def words_not_kept_box(parent: QWidget, reason: str) -> tuple[QMessageBox, QPushButton]:
    """The question, and its "go back" button (the default and the Esc answer)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Your words are not saved yet"))
    box.setText(_(WORDS_NOT_KEPT_TEXT).format(reason=reason))
    back = box.addButton(_("Go back to my words"), QMessageBox.ButtonRole.RejectRole)
    box.addButton(_("Close and lose them"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    return box, back


def ask_close_losing_words(parent: QWidget, reason: str) -> bool:
    box, back = words_not_kept_box(parent, reason)
    box.exec()
    return box.clickedButton() is not back


QUIT_SESSION_TEXT = N_(
    "A session is running. If you close Companion now, the session stays open. After your "
    "dose, it goes on with the After step next time: blood pressure, side effects, after-care "
    "and your monitor's sign-off. Close Companion?"
)


def yes_close(_parent: QWidget) -> bool:
    return True


def ask_quit_session(parent: QWidget) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        parent,
        _("Close Companion during the session?"),
        _(QUIT_SESSION_TEXT),
        QMessageBox.StandardButton.No | QMessageBox.StandardButton.Yes,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
