"""Planning on Home (series, move, cancel, calendar file) and the session settings (protocol
import that names the wrong field, music choice, which engine plays)."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.i18n import format_time
from companion.services.container import Services
from companion.services.protocol_files import default_protocol_path
from companion.settings import MUSIC_SOURCE, Settings
from companion.ui.session.music_choice import music_choice, playlist_for
from companion.ui.session.planning import to_qdatetime
from companion.ui.shell_pages import PAGE_NAMES
from tests.support.gui import click, visible_texts
from tests.support.session_walk import SessionWindow, settle


def test_plan_move_cancel_and_export_from_home(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, shell, _page = session_window()
    card = shell.home.plan
    settle(qtbot, window)
    assert card.next_label.text() == "No session planned yet"
    first = (manual_clock.now() + timedelta(days=1)).astimezone().replace(hour=17, minute=0)
    card.first_start.setDateTime(to_qdatetime(first))
    click(qtbot, card.plan_button)
    qtbot.waitUntil(lambda: len(card.visits) == 4, timeout=10_000)
    assert card.next_label.text().startswith("Session 1 of 4")
    assert f"Stop eating at {format_time(time(13, 0))}" in " ".join(visible_texts(card))

    click(qtbot, card.move_button)
    card.new_start.setDateTime(to_qdatetime(first + timedelta(days=2)))
    qtbot.keyClicks(card.reason, "Monitor not free")
    click(qtbot, card.confirm)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: card.visits[0].reason == "Monitor not free", timeout=10_000)
    assert card.visits[0].starts_at == first + timedelta(days=2)

    click(qtbot, card.cancel_button)
    click(qtbot, card.confirm)  # no reason yet: refused, nothing changes
    settle(qtbot, window)
    assert "reason" in card.status.text().lower() and len(card.visits) == 4
    qtbot.keyClicks(card.reason, "Unwell")
    click(qtbot, card.confirm)
    qtbot.waitUntil(lambda: len(card.visits) == 3, timeout=10_000)

    target = tmp_path / "plan"
    monkeypatch.setattr(card, "choose_ics_path", lambda: target)
    click(qtbot, card.export_button)
    settle(qtbot, window)
    written = target.with_suffix(".ics").read_text(encoding="utf-8")
    assert written.count("BEGIN:VEVENT") == 4 and "STATUS:CANCELLED" in written
    assert "mg" not in written  # times only: no medicine, no dose


def test_a_bad_protocol_file_is_refused_naming_the_field(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, shell, _page = session_window()
    shell.show_page(PAGE_NAMES.index("Settings"))
    section = shell.settings_page.protocol
    settle(qtbot, window)
    assert "Companion default" in section.current.text()
    bad = tmp_path / "clinic.toml"
    source = default_protocol_path().read_text(encoding="utf-8")
    bad.write_text(source.replace("stop = 160", "stop = 130"), encoding="utf-8")
    monkeypatch.setattr(section, "choose_file", lambda: bad)
    click(qtbot, section.import_button)
    settle(qtbot, window)
    assert "limits.systolic.stop" in section.status.text()
    assert "unchanged" in section.status.text()
    assert "Companion default" in section.current.text()

    good = tmp_path / "clinic-good.toml"
    good.write_text(source.replace('name.en = "Companion default"', 'name.en = "Clinic"'), "utf-8")
    monkeypatch.setattr(section, "choose_file", lambda: good)
    click(qtbot, section.import_button)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Clinic" in section.current.text(), timeout=10_000)
    click(qtbot, section.reset_button)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Companion default" in section.current.text(), timeout=10_000)


def test_music_choice_preview_and_engine(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _window, shell, _page = session_window()
    shell.show_page(PAGE_NAMES.index("Settings"))
    music = shell.settings_page.music
    qtbot.waitUntil(lambda: "VLC" in music.engine.text(), timeout=10_000)
    assert not music.choose_button.isEnabled()  # the bundled music needs no choosing
    folder = tmp_path / "my music"
    folder.mkdir()
    mine = Path(playlist_for(music_choice(settings)).locations[0])
    (folder / "01 calm.ogg").write_bytes(mine.read_bytes())
    music.source.setCurrentIndex(music.source.findData("folder"))
    monkeypatch.setattr(music, "choose_paths", lambda _source: [str(folder)])
    click(qtbot, music.choose_button)
    assert settings.get(MUSIC_SOURCE) == "folder"
    assert "my music" in music.chosen.text() and "1 track." in music.status.text()
    assert playlist_for(music_choice(settings)).locations == (str(folder / "01 calm.ogg"),)
    click(qtbot, music.preview_button)
    assert music.preview_button.text() == "Stop the preview"
    click(qtbot, music.preview_button)
    music.volume.setValue(40)
    assert settings.get(MUSIC_SOURCE) == "folder"
    (folder / "01 calm.ogg").unlink()  # the folder emptied later: the bundled music steps in
    assert "could not be found" in playlist_for(music_choice(settings)).note


def test_reminders_come_the_day_before_and_at_the_fasting_start(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, _page = session_window()
    card = shell.home.plan
    first = (manual_clock.now() + timedelta(days=2)).astimezone().replace(hour=17, minute=0)
    card.first_start.setDateTime(to_qdatetime(first))
    click(qtbot, card.plan_button)
    qtbot.waitUntil(lambda: len(card.visits) == 4, timeout=10_000)
    shell.tray.check()
    settle(qtbot, window)
    assert shell.home.reminder.isHidden()  # nothing due yet
    window.autolock.stop()  # a day passes here; the idle lock is tested elsewhere
    manual_clock.advance((first - timedelta(days=1) - manual_clock.now()).total_seconds() + 60)
    shell.tray.check()
    settle(qtbot, window)
    assert f"tomorrow at {format_time(time(17, 0))}" in shell.home.reminder.text()
    manual_clock.advance(20 * 3600)  # 13:01 on the day: fasting begins
    shell.tray.check()
    settle(qtbot, window)
    assert "Time to stop eating" in shell.home.reminder.text()
