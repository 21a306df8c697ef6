"""Start-up to the first painted frame (issue 16): importing the app, as ``companion`` does
before its first window, leaves out what that window does not need. Checked in a fresh
interpreter, where nothing else has imported them."""

from __future__ import annotations

import html
import subprocess
import sys

import pytest

# The import, and the demo offer the start-up builds before its window.
PROBE = "import sys, companion.app\ncompanion.app.demo_factory()\nprint(*sys.modules, sep='\\n')\n"


@pytest.fixture(scope="module")
def loaded_in_order() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.split()


@pytest.fixture(scope="module")
def loaded_at_start(loaded_in_order: list[str]) -> set[str]:
    return set(loaded_in_order)


def test_the_app_starts_without_the_storage_stack_or_the_cli(loaded_at_start: set[str]) -> None:
    # argparse's translated words once came from companion.cli, whose __init__ loads every
    # command and with them SQLAlchemy, Alembic and the services: 1.3 s before the window.
    early = {"companion.cli", "sqlalchemy", "alembic", "companion.services", "companion.storage"}
    assert early.isdisjoint(loaded_at_start)


def test_the_app_starts_without_the_audio_players(loaded_at_start: set[str]) -> None:
    # The players (Qt Multimedia, the prompts' assets) are chosen when the shell is built.
    early = {"companion.audio", "companion.ui.session.audio", "PySide6.QtMultimedia"}
    assert early.isdisjoint(loaded_at_start)


def test_the_app_starts_without_the_input_rules_widgets_or_stdlib_extras(
    loaded_at_start: set[str],
) -> None:
    # The input rules start after the first frame: their widget classes (number boxes,
    # sliders, a slider's style option) cost PySide ~15 enum types; subprocess (a restart),
    # ctypes (malloc_trim) and html (its 2,000 entities) are not needed for the first screen.
    early = {"companion.ui.widgets.input_rules_filter", "subprocess", "ctypes", "html"}
    assert early.isdisjoint(loaded_at_start)


def test_the_app_starts_without_the_demo_window(loaded_at_start: set[str]) -> None:
    # "Explore with sample data" imports its window when chosen: the module reads ``Qt``,
    # whose 93 enum types PySide builds on its first import (~120M instructions).
    early = {"companion.ui.demo_window", "companion.ui.common.demo"}
    assert early.isdisjoint(loaded_at_start)


def test_the_app_starts_without_the_first_run_s_number_fields(loaded_at_start: set[str]) -> None:
    # The unlock screen shows the numbers kept in the preferences; the first run's fields for
    # them (a country table, combo boxes) are not needed before its first frame.
    early = {"companion.ui.first_run.numbers", "companion.domain.emergency_numbers"}
    assert early.isdisjoint(loaded_at_start)


def test_the_qt_free_start_up_modules_load_before_pyside(loaded_in_order: list[str]) -> None:
    # PySide's import hook reads the source of every module imported after PySide and runs
    # for each import statement: ~40M instructions for these when PySide came first.
    first_qt = loaded_in_order.index("PySide6.QtCore")
    qt_free = ("companion.settings", "companion.i18n", "companion.paths", "json", "datetime")
    assert all(loaded_in_order.index(name) < first_qt for name in qt_free)


def test_paragraphs_escape_their_text_as_html_escape_does() -> None:
    # Paragraph escapes without the html module (not imported before the first frame).
    from companion.ui.widgets.text import escape_html

    sample = "Fear & hope: <b>not bold</b> > \"quotes\" and 'apostrophes' stay; &amp; too"
    assert escape_html(sample) == html.escape(sample, quote=False)
