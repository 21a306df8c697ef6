"""Recorded prompts per language: the Spanish texts of the default protocol have their own
recordings, found by their exact text; English texts keep the English recordings."""

from __future__ import annotations

from companion import i18n
from companion.audio.prompt_assets import (
    APP_LINES,
    RecordingLibrary,
    spoken_lines,
)
from companion.services.protocol_files import default_protocol


def test_every_spanish_prompt_has_its_own_recording() -> None:
    library = RecordingLibrary.load()
    english = {key: library.find(text) for key, text in spoken_lines(default_protocol())}
    i18n.set_language("es")
    lines = [*spoken_lines(default_protocol()), *((k, i18n._(t)) for k, t in APP_LINES.items())]
    for key, text in lines:
        recording = library.find(text)
        assert recording is not None, f"no Spanish recording of {key}: {text}"
        assert recording.path.name.endswith(".es.ogg")
        assert recording.path.is_file() and recording.duration_seconds > 1
        if key in english:
            assert english[key] is not None and english[key] != recording
