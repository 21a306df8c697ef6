"""Sizes a widget takes from its text (margins, spacing, a minimum height) that follow a live
text-size or theme change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent

if TYPE_CHECKING:  # what the mixin is mixed into; a Qt base twice would crash shiboken
    from PySide6.QtWidgets import QWidget

    _Widget = QWidget
else:
    _Widget = object

_FITS = "_companion_text_fits"  # a widget's fits, in its Python ``__dict__``


def looks_changed(event: QEvent) -> bool:
    """A font or style change: the text size or the theme changed, so sizes taken from the
    font (margins, spacing, column widths) are taken again."""
    return event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange)


class FitsText(_Widget):
    """Mixed in before the Qt class by a widget whose sizes come from its text
    (``fit_to_text``): its own ``changeEvent`` runs those fits again on a font or style change.
    Not an event filter: Qt calls a Python filter for every event its widget gets (each move,
    resize, paint and layout request; a session page gets thousands), and those calls were a
    large part of the session's longest stalls (issue 16)."""

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            height = self.fontMetrics().height()
            for fit in self.__dict__.get(_FITS, ()):
                fit(height)
        super().changeEvent(event)


def fit_to_text(widget: FitsText, fit: Callable[[int], object]) -> None:
    """Sizes a widget takes from its text (margins, spacing, a minimum height), given the
    height of a line of its font: now, and again whenever its font or style changes, so that a
    page built once follows a text-size change made while Companion runs as a page built at
    the new size does."""
    fit(widget.fontMetrics().height())
    widget.__dict__.setdefault(_FITS, []).append(fit)
