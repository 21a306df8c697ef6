"""Properties a widget sets to ask the application-wide input rules
(``ui.widgets.input_rules_filter``) to leave it alone. Their own module, so a widget can name
one without loading the rules (they load after the first frame) and the rules can read it
without importing ``input_rules``, which imports them."""

from __future__ import annotations

ENTER_NEVER_PRESSES = "enter_never_presses"  # a button property: the Enter rule leaves it alone
