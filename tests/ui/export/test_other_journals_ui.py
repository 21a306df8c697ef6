"""The window with journals from other apps: Settings → Your data shows what a jrnl export
will bring in before anything is written, and the Export page offers Markdown files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.ui.export.choice_options import PLAINTEXT
from companion.ui.export.page import SAVE_PLAIN
from tests.support.export import JRNL
from tests.support.export_gui import OpenExport, save_to, wait_for_preview
from tests.support.gui import WindowFactory, click
from tests.support.services import fresh_vault
from tests.support.steps import entry_count, open_settings, settle


def test_a_jrnl_export_is_previewed_then_imported(
    qtbot: QtBot, make_window: WindowFactory, services: Services, tmp_path: Path
) -> None:
    fresh_vault(services)
    window, data = open_settings(qtbot, make_window)
    data.choose_import_file = lambda: JRNL  # type: ignore[method-assign]
    click(qtbot, data.import_button)
    qtbot.waitUntil(data.journal_box.isVisible, timeout=15_000)
    shown = data.journal_preview.text()
    assert "4 journal entries." in shown and "none is marked to share" in shown
    assert "After the session." in shown and "Tags: dog, gratitude" in shown
    assert entry_count(window) == 0  # nothing written yet
    click(qtbot, data.journal_cancel)
    assert not data.journal_box.isVisible() and entry_count(window) == 0

    click(qtbot, data.import_button)
    qtbot.waitUntil(data.journal_box.isVisible, timeout=15_000)
    click(qtbot, data.journal_import)
    qtbot.waitUntil(lambda: data.import_status.text().startswith("Imported"), timeout=15_000)
    assert "4 journal entries" in data.import_status.text()
    assert entry_count(window) == 4
    settle(qtbot, window)


def test_the_export_page_saves_entries_as_markdown_files(
    qtbot: QtBot, open_export: OpenExport, tmp_path: Path
) -> None:
    opened = open_export()
    page = opened.page
    click(qtbot, page.choices.format_buttons["markdown"])
    click(qtbot, page.choices.protection_buttons[PLAINTEXT])
    wait_for_preview(qtbot, opened)
    asked: list[Path] = []
    target = tmp_path / "journal.md.zip"
    save_to(page, target, asked)
    click(qtbot, page.preview.save_button)
    dialog = page.plaintext_dialog
    assert dialog is not None
    next(b for b in dialog.buttons() if b.text() == SAVE_PLAIN).click()
    qtbot.waitUntil(lambda: page.currentWidget() is page.done, timeout=20_000)
    assert asked and asked[0].name.endswith(".md.zip")
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        texts = [archive.read(n).decode("utf-8") for n in names]
    assert len(names) == 1  # the entry marked to share; the private one stays
    assert texts[0].startswith("---\ntitle: ") and "shared: true" in texts[0]


HOSTILE = (
    "my partner said <you should rest> and I agreed. "
    '<img src="file:///etc/hostname"> <a href="https://example.org">link</a> &amp; &lt;b&gt;'
)


def test_markup_in_an_entry_is_text_in_the_preview_and_loads_nothing(
    qtbot: QtBot, open_export: OpenExport
) -> None:
    from datetime import timedelta

    from companion.services.journal_model import EntryInput
    from tests.support.steps import on_worker

    opened = open_export()
    now = opened.window.ctx.clock.now()
    on_worker(
        opened.window,
        lambda s: s.journal.create(
            EntryInput(kind="free", title="<h1>Big</h1>", body=HOSTILE, shared_with_provider=True),
            created_at=now - timedelta(days=1),
        ),
    )
    text = wait_for_preview(qtbot, opened)
    assert "my partner said <you should rest> and I agreed." in text
    assert '<img src="file:///etc/hostname">' in text and "&amp; &lt;b&gt;" in text
    assert "<h1>Big</h1>" in text
    for document in opened.page.preview.pane.documents():  # every piece of the preview
        html = document.toHtml()
        assert "<img" not in html and 'href="https://example.org"' not in html
        # No image anywhere in the laid-out document, so nothing is ever asked to load.
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                assert not fragment.charFormat().isImageFormat()
                assert not fragment.charFormat().isAnchor()
                fragments += 1
            block = block.next()


def test_the_clinic_record_number_and_birth_date_are_saved_for_fhir(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    from companion.ui.export.clinic_ids import SAVED
    from tests.support.steps import on_worker

    fresh_vault(services)
    window, data = open_settings(qtbot, make_window)
    ids = data.clinic_ids
    qtbot.keyClicks(ids.mrn, "A-000123")
    qtbot.keyClicks(ids.birth_date, "23/04/1990")
    click(qtbot, ids.save)
    qtbot.waitUntil(lambda: ids.status.isVisible(), timeout=10_000)
    assert ids.status.property("role") == "error"  # no numbering system, a wrong date
    ids.mrn_system.setText("https://clinic.example/mrn")
    ids.birth_date.setText("1990-04-23")
    click(qtbot, ids.save)
    qtbot.waitUntil(lambda: ids.status.text() == SAVED, timeout=10_000)
    identity = on_worker(window, lambda s: s.export.patient_identity())
    assert (identity.mrn, identity.mrn_system, identity.birth_date) == (
        "A-000123",
        "https://clinic.example/mrn",
        "1990-04-23",
    )
    assert identity.uid  # the random id is there and untouched
