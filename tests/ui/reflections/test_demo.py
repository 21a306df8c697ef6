""" "Explore with sample data" opens a separate demo vault in its own window, clearly marked,
and never adds anything to the patient's own vault."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.paths import DataPaths
from companion.services.container import Services
from companion.services.demo import DemoOptions
from companion.ui.common.demo import DEMO_FOLDER, DEMO_PASSPHRASE
from companion.ui.demo_window import DemoWindow
from tests.support.gui import WindowFactory, click, visible_texts
from tests.support.steps import on_worker, open_window, prepare_vault, show


def test_sample_data_opens_in_a_separate_marked_vault(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    data_paths: DataPaths,
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, shell = open_window(qtbot, make_window)
    show(shell, "Reflections")
    page = shell.review.reflections
    assert page.listing.results.currentWidget() is page.listing.empty
    launcher = shell.review.launcher
    launcher.kdf = KdfParams.for_tests()  # the real app calibrates; tests stay fast
    launcher.options = DemoOptions(sessions=3, entries=6, min_words=50, max_words=200)
    assert page.offer is not None and page.offer.isVisible()
    assert DEMO_PASSPHRASE in " ".join(visible_texts(page.offer))
    click(qtbot, page.offer.button)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=30_000)
    demo = launcher.window
    assert isinstance(demo, DemoWindow)
    qtbot.waitUntil(lambda: demo.shell is not None, timeout=10_000)
    assert "sample data" in demo.windowTitle()
    banner = demo.banner.text.text()
    assert DEMO_PASSPHRASE in banner and "not your journal" in banner
    assert demo.menuWidget() is demo.banner
    demo_shell = demo.shell
    assert demo_shell is not None
    # The demo window has no DemoFactory of its own: no demo offered inside the demo.
    assert demo_shell.review.reflections.offer is None and demo_shell.review.insights.offer is None
    qtbot.waitUntil(lambda: demo_shell.review.reflections.model.rowCount() >= 6, timeout=20_000)

    demo_root = data_paths.root / DEMO_FOLDER
    assert DataPaths(demo_root).has_vault()
    assert on_worker(window, lambda s: s.search.list_entries()) == []  # the patient's: untouched
    assert on_worker(window, lambda s: s.insights.overview().mood.points) == ()
    assert page.listing.results.currentWidget() is page.listing.empty

    handle = demo.ctx.handle
    click(qtbot, demo.banner.close_button)
    qtbot.waitUntil(lambda: not handle.get().vault.is_unlocked, timeout=10_000)
    qtbot.waitUntil(lambda: launcher.window is None, timeout=10_000)
