"""Application-wide input rules, so nothing changes by accident and nothing hides.

- A drop-down, a number box or a slider takes the mouse wheel only when it has the focus; a
  wheel turned over it while it is not focused scrolls the page instead ("Vomiting" must never
  become "Moderate" because the page was scrolled).
- A slider clicked with the left button goes to where it was clicked, not a page step away
  (done here rather than in a proxy style: a Python style hint is asked tens of thousands of
  times on every restyle, and a text-size change must stay quick).
- Enter or Return on a focused push button presses it (link-style buttons included).
- When Tab (or a shortcut) moves the focus, every scroll area around the new focus scrolls it
  into view, so the keyboard never lands on a button that cannot be seen.

``install_input_rules`` is idempotent and is called by ``ui.theme.apply_theme``. The rules
themselves live in ``ui.widgets.input_rules_filter``, imported only when they start: at
start-up that is after the first frame (issue 16), and this module stays light.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QStyleFactory

_INSTALLED = "companion_input_rules"  # an application property: the style is set


def install_input_rules(app: QApplication, *, filtering: bool = True) -> None:
    """Installs the rules once per application; later calls only make sure of the style.
    ``filtering=False`` (start-up) sets the style now and leaves the rules to
    ``start_filtering``, once the first frame is painted."""
    if app.property(_INSTALLED):
        return
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None and app.style().name().lower() != "fusion":
        app.setStyle(fusion)
    app.setProperty(_INSTALLED, True)
    if filtering:
        from companion.ui.widgets.input_rules_filter import start_rules

        start_rules(app)


def start_filtering(app: QApplication) -> None:
    """The rules held back at start-up: their module imports the widget classes they test for,
    and handing them a window's first input makes PySide set up every QObject class of the
    loaded modules (~150 enum types), none of which the first frame needs (issue 16)."""
    if not app.property(_INSTALLED):
        return
    from companion.ui.widgets.input_rules_filter import start_rules

    start_rules(app)
