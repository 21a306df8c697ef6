"""The live voice: Qt TextToSpeech, where the platform has one.

Used for texts that have no bundled recording (a clinic's own protocol). Absent when the
module, an engine or a voice is missing: ``available`` is False and the prompts fall back to a
distinct cue and large text. On Debian the ``speechd`` engine needs speech-dispatcher and
espeak-ng (it starts speech-dispatcher itself). The "mock" engine Qt ships for its own tests
never speaks, so the app only uses it when told to (the tests do).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Qt, Signal

from companion.audio import speech_server
from companion.i18n import locale_name

if TYPE_CHECKING:  # loaded lazily: the module is optional
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)

TEST_ENGINE = "mock"
SPEECHD = "speechd"  # Qt's speech-dispatcher engine (Linux)
DEFAULT_RATE = -0.3  # a little slower than usual: calm, easy to follow


class _ProbeRelay(QObject):
    """Carries the probe's answer from its thread to the GUI thread. It lives as long as the
    app, so the thread never emits on an object that may have been deleted meanwhile; a Voice
    that is gone is simply no longer connected."""

    known = Signal(str, str)  # the asking Voice's ticket, the server's state


_relay: _ProbeRelay | None = None


def _probe_relay() -> _ProbeRelay:
    global _relay
    if _relay is None:
        _relay = _ProbeRelay()
    return _relay


class Voice(QObject):
    finished = Signal()  # a line has been spoken (or stopped)
    ready = Signal(bool)  # the live engine is known: there (True) or not (False)

    def __init__(
        self, engine: str | None = None, *, enabled: bool = True, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tts: object | None = None
        self._speaking = False
        self.pending = False  # the speech server is still being asked
        self._ticket = ""
        self.spoken = 0  # how many lines were handed to the engine (no text is kept)
        if not enabled:
            return
        if engine is None and SPEECHD in _engines():
            # libspeechd blocks until its server answers: ask it first, off the GUI thread.
            self.pending = True
            relay = _probe_relay()
            self._ticket = str(id(self))
            relay.known.connect(self._on_server_known, Qt.ConnectionType.QueuedConnection)
            ticket = self._ticket
            threading.Thread(
                target=lambda: relay.known.emit(ticket, speech_server.ensure().value),
                name="speech-probe",
                daemon=True,
            ).start()
            return
        self._adopt(_make_engine(engine, self))

    def _on_server_known(self, ticket: str, state: str) -> None:
        if ticket != self._ticket or not self.pending:
            return
        self.pending = False
        if state == speech_server.ServerState.ANSWERS:
            self._adopt(_make_engine(SPEECHD, self))
        elif state == speech_server.ServerState.SILENT:
            log.warning("session.voice_server_silent")
        else:
            log.info("session.voice_server_absent")
        self.ready.emit(self.available)

    def _adopt(self, tts: object | None) -> None:
        self._tts = tts
        engine = self._engine()
        if engine is not None:
            engine.stateChanged.connect(self._on_state)
            engine.setLocale(QLocale(locale_name()))  # speak in the patient's language

    @property
    def available(self) -> bool:
        return self._tts is not None

    @property
    def engine_name(self) -> str:
        """Qt's name for the live engine ("speechd", ...), "" when there is none."""
        tts = self._engine()
        return tts.engine() if tts is not None else ""

    def voice_names(self) -> list[str]:
        tts = self._engine()
        return [v.name() for v in tts.availableVoices()] if tts is not None else []

    def configure(self, *, volume: float, rate_tenths: int, voice_name: str = "") -> None:
        """Volume 0..100 (perceptual, like the players), rate -10..10 tenths, a voice by name
        ("" keeps the engine's default). Takes effect for the next line."""
        tts = self._engine()
        if tts is None:
            return
        tts.setVolume(max(0.0, min(1.0, volume / 100.0)))
        tts.setRate(max(-1.0, min(1.0, rate_tenths / 10.0)))
        if voice_name:
            for voice in tts.availableVoices():
                if voice.name() == voice_name:
                    tts.setVoice(voice)
                    break

    def say(self, text: str) -> bool:
        """Speaks ``text`` calmly; False when there is no voice."""
        tts = self._engine()
        if tts is None or not text.strip():
            return False
        tts.stop()
        tts.say(text)
        self._speaking = True
        self.spoken += 1
        return True

    def stop(self) -> None:
        tts = self._engine()
        if tts is not None:
            tts.stop()

    def _engine(self) -> QTextToSpeech | None:
        tts = self._tts
        if tts is None:
            return None
        from PySide6.QtTextToSpeech import QTextToSpeech as Engine

        assert isinstance(tts, Engine)
        return tts

    def _on_state(self, state: object) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech as Engine

        if self._speaking and state in (Engine.State.Ready, Engine.State.Error):
            self._speaking = False
            self.finished.emit()


def _engines() -> list[str]:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return []
    return list(QTextToSpeech.availableEngines())


def _make_engine(engine: str | None, parent: QObject) -> object | None:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return None
    names = QTextToSpeech.availableEngines()
    if engine is None:
        names = [n for n in names if n != TEST_ENGINE]
    elif engine in names:
        names = [engine]
    else:
        return None
    for name in names:
        tts = QTextToSpeech(name, parent)
        if tts.state() is not QTextToSpeech.State.Error:
            tts.setRate(DEFAULT_RATE)
            log.info("session.voice_available")
            return tts
        tts.deleteLater()
    return None
