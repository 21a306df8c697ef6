"""Runs the real app (``companion.app.start``, what ``main.py`` runs) and plays the patient.

    python tests/e2e/drive_app.py --data-dir DIR     (passphrase on standard input)

It unlocks through the unlock screen, accepts the offer to resume the open session, waits
until the journey runs with the music playing and every step is recorded, then prints one
line ``RUNNING {json}`` and keeps running until it is killed. Music goes to libvlc's silent
``dummy`` output. Used by test_crash_resume.py, which kills it with SIGKILL.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TIMEOUT_S = 30.0


def silent_audio_factory(clock: object) -> object:
    from companion.audio.factory import create_player
    from companion.audio.vlc_player import DEFAULT_VLC_ARGS

    def make(volume: float) -> object:
        return create_player(clock, vlc_args=(*DEFAULT_VLC_ARGS, "--aout=dummy"), volume=volume)  # type: ignore[arg-type]

    return make


def main() -> int:
    passphrase = sys.stdin.readline().rstrip("\n")
    import companion.ui.session.audio as session_audio

    # What the window calls when it first builds the shell (checked: setting a name nothing
    # reads would quietly leave the real players in).
    assert callable(getattr(session_audio, "default_audio_factory", None))
    vars(session_audio)["default_audio_factory"] = silent_audio_factory
    from PySide6.QtCore import QCoreApplication, QTimer

    from companion.app import start

    running = start(sys.argv[1:])
    window = running.window
    deadline = time.monotonic() + TIMEOUT_S

    def wait(condition: object) -> None:
        assert callable(condition)
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not reach the expected state")
            QCoreApplication.processEvents()
            time.sleep(0.01)

    def play() -> None:
        wait(lambda: window.unlock_screen is not None and running.handle.is_ready)
        screen = window.unlock_screen
        assert screen is not None
        screen.form.passphrase.edit.setText(passphrase)
        screen.form.unlock_button.click()
        wait(lambda: window.shell is not None)
        shell = window.shell
        assert shell is not None
        page = shell.session_page
        wait(lambda: page.resume_info is not None)
        page.start_view.resume_button.click()
        wait(lambda: page.conductor is not None and page.journey is not None)
        conductor = page.conductor
        assert conductor is not None
        wait(lambda: conductor.player.position() > 1.0)
        wait(lambda: window.ctx.tasks.pending == 0)
        state = page.driver.last_state
        assert state is not None
        report = {
            "session_id": page.run.session_id if page.run else "",
            "phase": state.phase.value,
            "music_position": state.music_position_seconds,
            "track": conductor.player.current_index(),
            "prompt": page.journey.shown_prompt if page.journey else "",
            "engine": conductor.engine_name,
        }
        print("RUNNING " + json.dumps(report), flush=True)

    QTimer.singleShot(0, play)
    return running.app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
