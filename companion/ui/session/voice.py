"""Spoken prompts through Qt TextToSpeech, where the platform has a voice.

Skipped silently when the module, an engine or a voice is missing. The "mock" engine Qt ships
for its own tests never speaks, so the app only uses it when told to (the tests do).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

TEST_ENGINE = "mock"


class Voice(QObject):
    def __init__(
        self, engine: str | None = None, *, enabled: bool = True, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tts: object | None = None
        self.spoken = 0  # how many lines were handed to the engine (no text is kept)
        if enabled:
            self._tts = _make_engine(engine, self)

    @property
    def available(self) -> bool:
        return self._tts is not None

    def say(self, text: str) -> bool:
        """Speaks ``text`` calmly; False when there is no voice."""
        tts = self._tts
        if tts is None or not text.strip():
            return False
        from PySide6.QtTextToSpeech import QTextToSpeech

        assert isinstance(tts, QTextToSpeech)
        tts.stop()
        tts.say(text)
        self.spoken += 1
        return True

    def stop(self) -> None:
        tts = self._tts
        if tts is not None:
            from PySide6.QtTextToSpeech import QTextToSpeech

            assert isinstance(tts, QTextToSpeech)
            tts.stop()


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
            tts.setRate(-0.25)  # a little slower than usual: calm, easy to follow
            log.info("session.voice_available")
            return tts
        tts.deleteLater()
    return None
