"""The prompt queue (no Qt): order, fallback, Help, acknowledgement and gentle repeats; and the
bundled recordings against the default protocol and their generator."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from companion.audio.prompt_assets import (
    APP_LINES,
    SPEECH_MANIFEST,
    CueKind,
    Recording,
    RecordingLibrary,
    VoiceMode,
    load_cues,
    normalise_text,
    speech_dir,
    spoken_lines,
)
from companion.audio.prompts import (
    CUE_LEAD_SECONDS,
    MAX_DELIVERIES,
    REPEAT_SECONDS,
    DuckMusic,
    PlayCue,
    PromptDelivery,
    RestoreMusic,
    ShowText,
    Speak,
    StopSpeech,
    VoiceChoice,
)
from companion.services.protocol_files import default_protocol

ROOT = Path(__file__).resolve().parents[2]
TEXT = "The music has ended. Slowly remove your eye mask; stay seated."


def library(*texts: str, seconds: float = 4.0) -> RecordingLibrary:
    return RecordingLibrary(
        Recording(f"r{i}", t, Path(f"/nowhere/r{i}.ogg"), seconds) for i, t in enumerate(texts)
    )


def kinds(actions: Sequence[object]) -> list[str]:
    return [type(a).__name__ for a in actions]


def test_a_prompt_plays_its_cue_then_its_recorded_line_then_the_music_returns() -> None:
    delivery = PromptDelivery(VoiceChoice(library=library(TEXT, seconds=5.0)))
    first = delivery.offer("prompt:return", CueKind.ENDING, TEXT, 100.0, cue=True, speak=True)
    assert kinds(first) == ["PlayCue", "DuckMusic"]
    assert delivery.tick(100.0 + CUE_LEAD_SECONDS - 0.01) == []
    spoken = delivery.tick(100.0 + CUE_LEAD_SECONDS)
    assert len(spoken) == 1 and isinstance(spoken[0], Speak)
    assert spoken[0].mode is VoiceMode.RECORDED and spoken[0].recording is not None
    assert delivery.tick(100.0 + CUE_LEAD_SECONDS + 4.9) == []
    assert kinds(delivery.tick(100.0 + CUE_LEAD_SECONDS + 5.0)) == ["RestoreMusic"]


def test_fallback_recording_first() -> None:
    choice = VoiceChoice(enabled=True, live_available=True, library=library(TEXT))
    assert choice.mode_for(TEXT) is VoiceMode.RECORDED


def test_fallback_live_engine_when_the_recording_is_missing() -> None:
    choice = VoiceChoice(enabled=True, live_available=True, library=library())
    assert choice.mode_for(TEXT) is VoiceMode.SYSTEM
    delivery = PromptDelivery(choice)
    delivery.offer("k", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=True)
    (speak,) = delivery.tick(CUE_LEAD_SECONDS)
    assert isinstance(speak, Speak) and speak.mode is VoiceMode.SYSTEM and speak.recording is None


def test_fallback_cue_and_large_text_with_neither_recording_nor_engine() -> None:
    delivery = PromptDelivery(VoiceChoice(enabled=True, live_available=False, library=library()))
    # Even a voice-only prompt gets its distinct cue when there is no voice at all.
    actions = delivery.offer("k", CueKind.PROMPT, TEXT, 0.0, cue=False, speak=True)
    assert actions == [PlayCue("k", CueKind.PROMPT, False), ShowText("k", TEXT)]


def test_voice_switched_off_means_cue_and_text_even_with_a_recording() -> None:
    choice = VoiceChoice(enabled=False, live_available=True, library=library(TEXT))
    assert choice.mode_for(TEXT) is VoiceMode.TEXT_ONLY


def test_a_recording_that_cannot_play_is_said_by_the_live_voice_at_once() -> None:
    choice = VoiceChoice(enabled=True, live_available=True, library=library(TEXT))
    delivery = PromptDelivery(choice)
    delivery.offer("k", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=True)
    (speak,) = delivery.tick(CUE_LEAD_SECONDS)
    assert isinstance(speak, Speak) and speak.mode is VoiceMode.RECORDED
    choice.recordings_play = False  # the player reported it could not play the file
    (again,) = delivery.speech_failed(CUE_LEAD_SECONDS + 0.2)
    assert isinstance(again, Speak) and again.mode is VoiceMode.SYSTEM
    assert choice.general_mode([TEXT]) is VoiceMode.SYSTEM


def test_with_no_sound_and_no_live_voice_a_failed_line_is_shown_as_text() -> None:
    choice = VoiceChoice(enabled=True, live_available=False, library=library(TEXT))
    delivery = PromptDelivery(choice)
    delivery.offer("k", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=True)
    delivery.tick(CUE_LEAD_SECONDS)
    choice.recordings_play = False
    assert delivery.speech_failed(CUE_LEAD_SECONDS + 0.2) == [ShowText("k", TEXT), RestoreMusic()]
    assert choice.general_mode([TEXT]) is VoiceMode.TEXT_ONLY
    assert choice.general_mode() is VoiceMode.TEXT_ONLY
    # The next prompt goes straight to cue and text.
    actions = delivery.offer("k2", CueKind.PROMPT, TEXT, 10.0, cue=True, speak=True)
    assert actions == [PlayCue("k2", CueKind.PROMPT, False), ShowText("k2", TEXT)]


def test_a_voice_change_takes_effect_at_the_next_line_at_once() -> None:
    choice = VoiceChoice(enabled=True, live_available=False, library=library(TEXT))
    delivery = PromptDelivery(choice)
    delivery.offer("k", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=True)
    choice.enabled = False  # switched off in Settings between the cue and the line
    assert delivery.tick(CUE_LEAD_SECONDS) == [ShowText("k", TEXT), RestoreMusic()]


def test_a_prompt_due_while_help_is_open_is_spoken_when_help_closes() -> None:
    delivery = PromptDelivery(VoiceChoice(library=library(TEXT)))
    assert delivery.help_opened(10.0) == []
    assert delivery.offer("k", CueKind.PROMPT, TEXT, 11.0, cue=True, speak=True) == []
    assert delivery.tick(50.0) == []
    assert kinds(delivery.help_closed(60.0)) == ["PlayCue", "DuckMusic"]


def test_help_cuts_a_line_short_and_it_is_said_again_afterwards() -> None:
    delivery = PromptDelivery(VoiceChoice(library=library(TEXT)))
    delivery.offer("k", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=True)
    delivery.tick(CUE_LEAD_SECONDS)
    assert delivery.help_opened(2.0) == [StopSpeech("k"), RestoreMusic()]
    actions = delivery.help_closed(30.0)
    assert actions[0] == PlayCue("k", CueKind.PROMPT, False)  # not a "repeat": first hearing


def test_an_unacknowledged_prompt_repeats_gently_then_stops() -> None:
    delivery = PromptDelivery(VoiceChoice(library=library(TEXT, seconds=2.0)))
    now = 0.0
    cues: list[PlayCue] = []
    for _ in range(MAX_DELIVERIES + 2):
        actions = delivery.offer("k", CueKind.CHECKIN, TEXT, now, cue=True, speak=True)
        actions += delivery.tick(now + CUE_LEAD_SECONDS)
        actions += delivery.tick(now + CUE_LEAD_SECONDS + 2.0)
        cues += [a for a in actions if isinstance(a, PlayCue)]
        now += REPEAT_SECONDS
    assert len(cues) == MAX_DELIVERIES
    assert [c.repeat for c in cues] == [False] + [True] * (MAX_DELIVERIES - 1)
    assert delivery.waiting() == ["k"]  # it stays until acknowledged


def test_acknowledging_stops_the_line_and_every_repeat() -> None:
    delivery = PromptDelivery(VoiceChoice(library=library(TEXT)))
    delivery.offer("k", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=True)
    delivery.tick(CUE_LEAD_SECONDS)
    assert delivery.acknowledge("k", 2.0) == [StopSpeech("k"), RestoreMusic()]
    assert delivery.tick(REPEAT_SECONDS * 3) == []
    assert delivery.waiting() == []


def test_prompts_queue_and_never_talk_over_each_other() -> None:
    other = "Monitor check-in: take a quiet look, then tick what you see."
    delivery = PromptDelivery(VoiceChoice(library=library(TEXT, other, seconds=3.0)))
    delivery.offer("a", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=True)
    assert delivery.offer("b", CueKind.CHECKIN, other, 0.5, cue=True, speak=True) == []
    delivery.tick(CUE_LEAD_SECONDS)
    end = CUE_LEAD_SECONDS + 3.0
    actions = delivery.tick(end)
    assert actions[0] == RestoreMusic() and actions[1] == PlayCue("b", CueKind.CHECKIN, False)
    assert isinstance(actions[2], DuckMusic)


def test_a_delivered_prompt_no_longer_pending_stops_repeating_but_an_unheard_one_stays() -> None:
    delivery = PromptDelivery(VoiceChoice(library=library(TEXT, seconds=1.0)))
    delivery.offer("heard", CueKind.PROMPT, TEXT, 0.0, cue=True, speak=False)
    delivery.help_opened(1.0)
    delivery.offer("unheard", CueKind.PROMPT, TEXT, 2.0, cue=True, speak=False)
    delivery.retain([], 3.0)
    assert delivery.waiting() == ["unheard"]


def test_cues_are_three_distinct_bundled_files() -> None:
    cues = load_cues()
    assert set(cues) == set(CueKind)
    assert len({c.path.read_bytes() for c in cues.values()}) == 3
    assert all(c.duration_seconds <= CUE_LEAD_SECONDS + 2.5 for c in cues.values())


def test_the_recordings_cover_every_spoken_text_of_the_default_protocol() -> None:
    protocol = default_protocol()
    bundled = RecordingLibrary.load()
    manifest = json.loads((speech_dir() / SPEECH_MANIFEST).read_text(encoding="utf-8"))
    by_text = {e["text"]: e for e in manifest["files"]}
    wanted = [text for _key, text in spoken_lines(protocol)] + list(APP_LINES.values())
    for text in wanted:
        entry = by_text.get(normalise_text(text))
        assert entry is not None, f"no recording of: {text}"
        assert entry["text"] == normalise_text(text)
        assert (speech_dir() / entry["file"]).is_file()
        assert entry["engine"].startswith("espeak-ng") and entry["licence"].startswith("CC0")
        assert -21.0 <= entry["integrated_lufs"] <= -19.0 and entry["peak_dbfs"] <= -3.0
        assert bundled.find(text) is not None
    prompt_texts = {p.text for p in protocol.timeline.prompts}
    assert prompt_texts <= {r for r in by_text}


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_generator_reproduces_the_bundled_manifest(tmp_path: Path) -> None:
    out = tmp_path / "speech"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_speech.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    fresh = json.loads((out / SPEECH_MANIFEST).read_text(encoding="utf-8"))
    bundled = json.loads((speech_dir() / SPEECH_MANIFEST).read_text(encoding="utf-8"))
    assert fresh == bundled  # same texts, files, durations, loudness and SHA-256
