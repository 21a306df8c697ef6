"""Prompts a patient hears with eyes covered: the recordings, the cues, and when each plays.

No Qt here. ``PromptDelivery`` is a small state machine driven by ``tick(now)`` with monotonic
seconds from the injected clock; it answers with actions (play this cue, speak this line, duck
the music, show this text large) and the UI carries them out. It decides:

- the order of a prompt: its cue first, then its spoken line ``CUE_LEAD_SECONDS`` later, with
  the music ducked under the speech and restored after it;
- which voice speaks: a bundled recording of exactly this text, else the live engine (a system
  voice), else none: then the cue plays anyway and the text stays large until acknowledged;
- that nothing is lost: a prompt due while Help is open waits and plays when Help closes; one
  cut short by Help plays again; a prompt not acknowledged repeats gently
  (``REPEAT_SECONDS``) a few times.

The recordings and cues themselves are read by ``companion.audio.prompt_assets``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from companion.audio.prompt_assets import (
    ENDING_LINE,
    AssetError,
    CueKind,
    CueSound,
    Recording,
    RecordingLibrary,
    VoiceMode,
    load_cues,
    normalise_text,
    spoken_lines,
)

# The session's sound driver takes the assets it needs along with the delivery.
__all__ = [
    "CUE_LEAD_SECONDS",
    "ENDING_LINE",
    "Action",
    "AssetError",
    "CueKind",
    "CueSound",
    "DuckMusic",
    "PlayCue",
    "PromptDelivery",
    "RecordingLibrary",
    "RestoreMusic",
    "ShowText",
    "Speak",
    "StopSpeech",
    "VoiceChoice",
    "VoiceMode",
    "estimated_live_seconds",
    "load_cues",
    "spoken_lines",
]


CUE_LEAD_SECONDS = 1.4  # from a cue's start to its spoken line's start
REPEAT_SECONDS = 60.0  # an unacknowledged prompt plays again after this long (real seconds)
MAX_DELIVERIES = 4  # the first time and three gentle repeats
CUE_ONLY_BUSY_SECONDS = 2.5  # a cue without speech: the next cue waits till it has rung
LIVE_WORDS_PER_SECOND = 2.3  # to estimate how long the live engine speaks

# --------------------------------------------------------------------------------------------
# What to do, and when


@dataclass(frozen=True, slots=True)
class PlayCue:
    key: str
    kind: CueKind
    repeat: bool = False  # a gentle repeat: a little quieter


@dataclass(frozen=True, slots=True)
class Speak:
    key: str
    text: str
    mode: VoiceMode  # RECORDED or SYSTEM
    recording: Recording | None
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class ShowText:
    """No voice at all: keep ``text`` large on screen until it is acknowledged."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class StopSpeech:
    key: str


@dataclass(frozen=True, slots=True)
class DuckMusic:
    pass


@dataclass(frozen=True, slots=True)
class RestoreMusic:
    pass


Action = PlayCue | Speak | ShowText | StopSpeech | DuckMusic | RestoreMusic


@dataclass(slots=True)
class _Item:
    key: str
    kind: CueKind
    text: str
    cue: bool
    speak: bool
    next_at: float
    deliveries: int = 0
    acknowledged: bool = False


@dataclass(slots=True)
class _Current:
    item: _Item
    speak_at: float | None  # None once the line has started (or when there is none)
    ends_at: float
    repeat: bool
    speaking: bool = False


@dataclass(slots=True)
class VoiceChoice:
    """What can speak right now; the UI updates it when Settings change (takes effect at once)."""

    enabled: bool = True
    live_available: bool = False
    library: RecordingLibrary = field(default_factory=RecordingLibrary)
    recordings_play: bool = True  # False once this computer failed to play a sound file

    def mode_for(self, text: str) -> VoiceMode:
        """The fallback order: the recording of this text, the live engine, then text only."""
        if not self.enabled:
            return VoiceMode.TEXT_ONLY
        if self.recordings_play and self.library.find(text) is not None:
            return VoiceMode.RECORDED
        if self.live_available:
            return VoiceMode.SYSTEM
        return VoiceMode.TEXT_ONLY

    def general_mode(self, texts: Iterable[str] = ()) -> VoiceMode:
        """The voice a session will use: recorded when every text has a recording."""
        recorded = self.enabled and self.recordings_play and len(self.library)
        modes = {self.mode_for(t) for t in texts} or {
            VoiceMode.RECORDED if recorded else self.mode_for("")
        }
        for mode in (VoiceMode.TEXT_ONLY, VoiceMode.SYSTEM, VoiceMode.RECORDED):
            if mode in modes:
                return mode
        return VoiceMode.TEXT_ONLY  # pragma: no cover - the set is never empty


def estimated_live_seconds(text: str) -> float:
    return max(1.5, len(text.split()) / LIVE_WORDS_PER_SECOND)


class PromptDelivery:
    """The queue of prompts. All times are monotonic seconds from one clock."""

    def __init__(self, voice: VoiceChoice | None = None) -> None:
        self.voice = voice if voice is not None else VoiceChoice()
        self._items: list[_Item] = []
        self._current: _Current | None = None
        self._busy_until = -math.inf
        self._help_open = False

    # -- what the session says -------------------------------------------------------------------

    def offer(
        self, key: str, kind: CueKind, text: str, now: float, *, cue: bool, speak: bool
    ) -> list[Action]:
        """A prompt is due. Offering the same key again changes nothing."""
        if not (cue or speak) or any(i.key == key for i in self._items):
            return self.tick(now)
        self._items.append(_Item(key, kind, normalise_text(text), cue, speak, now))
        return self.tick(now)

    def acknowledge(self, key: str, now: float) -> list[Action]:
        actions: list[Action] = []
        for item in self._items:
            if item.key == key:
                item.acknowledged = True
        current = self._current
        if current is not None and current.item.key == key:
            actions += self._cut(current)
        self._items = [i for i in self._items if not i.acknowledged]
        return actions + self.tick(now)

    def retain(self, keys: Iterable[str], now: float) -> list[Action]:
        """Only ``keys`` are still pending in the timeline: prompts already delivered that are
        not among them (acknowledged elsewhere, or over) stop repeating. A prompt never yet
        delivered is kept, so one that fell due behind Help is still heard."""
        keep = set(keys)
        actions: list[Action] = []
        gone = [i for i in self._items if i.deliveries > 0 and i.key not in keep]
        current = self._current
        for item in gone:
            if current is not None and current.item is item:
                continue  # let a line being spoken finish
            self._items.remove(item)
        return actions + self.tick(now)

    def help_opened(self, now: float) -> list[Action]:
        """Help covers the screen: anything being said stops, and will be said again."""
        self._help_open = True
        current = self._current
        if current is None:
            return []
        current.item.deliveries = max(0, current.item.deliveries - (0 if current.repeat else 1))
        current.item.next_at = now
        return self._cut(current)

    def help_closed(self, now: float) -> list[Action]:
        self._help_open = False
        return self.tick(now)

    def speech_finished(self, now: float) -> list[Action]:
        """The live engine says it has finished (its length was only estimated)."""
        current = self._current
        if current is not None and current.speaking:
            current.ends_at = min(current.ends_at, now)
        return self.tick(now)

    def speech_failed(self, now: float) -> list[Action]:
        """The line being said could not be played (a recording this computer cannot play):
        it is said again by the next voice in the fallback order, or shown as text. The caller
        first marks what failed in ``voice``."""
        current = self._current
        if current is None or not current.speaking:
            return self.tick(now)
        current.speaking = False
        return self._start_speech(current, now) + self.tick(now)

    def clear(self) -> list[Action]:
        current = self._current
        self._items = []
        return self._cut(current) if current is not None else []

    # -- what is true now ----------------------------------------------------------------------

    def waiting(self) -> list[str]:
        """Keys of prompts not yet acknowledged, oldest first."""
        return [i.key for i in self._items]

    def current_key(self) -> str | None:
        return self._current.item.key if self._current is not None else None

    def next_change(self, now: float) -> float | None:
        """When ``tick`` next has something to do (for a timer), or None."""
        moments: list[float] = []
        current = self._current
        if current is not None:
            moments.append(current.speak_at if current.speak_at is not None else current.ends_at)
        elif not self._help_open:
            moments += [i.next_at for i in self._items if i.deliveries < MAX_DELIVERIES]
            moments = [max(m, self._busy_until) for m in moments]
        return min(moments) if moments else None

    def tick(self, now: float) -> list[Action]:
        if self._help_open:
            return []
        actions: list[Action] = []
        current = self._current
        if current is not None:
            if current.speak_at is not None and now >= current.speak_at:
                current.speak_at = None
                actions += self._start_speech(current, now)
            if current.speak_at is None and now >= current.ends_at:
                actions.append(RestoreMusic())
                self._current = None
                self._busy_until = now
            else:
                return actions
        if now < self._busy_until:
            return actions
        item = next(
            (i for i in self._items if i.next_at <= now and i.deliveries < MAX_DELIVERIES), None
        )
        if item is None:
            return actions
        return actions + self._deliver(item, now)

    # -- inside --------------------------------------------------------------------------------

    def _deliver(self, item: _Item, now: float) -> list[Action]:
        repeat = item.deliveries > 0
        item.deliveries += 1
        item.next_at = now + REPEAT_SECONDS
        mode = self.voice.mode_for(item.text) if item.speak else None
        actions: list[Action] = []
        # With no voice at all, the distinct cue stands in for the spoken line.
        if item.cue or mode is VoiceMode.TEXT_ONLY:
            actions.append(PlayCue(item.key, item.kind, repeat))
        if mode is None:
            self._busy_until = now + CUE_ONLY_BUSY_SECONDS
            return actions
        if mode is VoiceMode.TEXT_ONLY:
            actions.append(ShowText(item.key, item.text))
            self._busy_until = now + CUE_ONLY_BUSY_SECONDS
            return actions
        speak_at = now + CUE_LEAD_SECONDS if item.cue else now
        current = _Current(item, speak_at, speak_at, repeat)
        self._current = current
        actions.append(DuckMusic())
        if speak_at <= now:
            current.speak_at = None
            actions += self._start_speech(current, now)
        return actions

    def _start_speech(self, current: _Current, now: float) -> list[Action]:
        item = current.item
        mode = self.voice.mode_for(item.text)  # Settings may have changed since the cue
        if mode is VoiceMode.TEXT_ONLY:
            current.ends_at = now
            return [ShowText(item.key, item.text)]
        recording = self.voice.library.find(item.text) if mode is VoiceMode.RECORDED else None
        seconds = (
            recording.duration_seconds
            if recording is not None
            else estimated_live_seconds(item.text)
        )
        current.ends_at = now + seconds
        current.speaking = True
        return [Speak(item.key, item.text, mode, recording, current.repeat)]

    def _cut(self, current: _Current) -> list[Action]:
        self._current = None
        actions: list[Action] = []
        if current.speaking:
            actions.append(StopSpeech(current.item.key))
        actions.append(RestoreMusic())
        return actions
