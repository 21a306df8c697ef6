"""The session protocol: what a clinic decides, read from a TOML file and checked field by field.

A protocol holds the checklist, fasting and start-time rules, blood-pressure and pulse limits, the
session timeline (phases, prompts, music fades, monitor check-ins), the questionnaire schedule,
after-care, health-change questions, side effects and emergency signs. It never holds a dose:
the dose is the provider's prescription, recorded verbatim in the profile.

``load_protocol`` refuses anything it does not understand with a ``ProtocolError`` whose message
names the field, e.g. ``limits.systolic.stop: must be greater than warn (140)``. Entries of a
list (``[[checklist]]``) are numbered from 1 in field names: ``checklist[3].why``.

Every text a patient reads may be plain text, in the protocol's own ``language`` (``[protocol]
language``, English when absent), or a table of languages (``text.en = "…"``, ``text.es =
"…"``). A protocol is read in the patient's language (the current one, ``companion.i18n``);
a text without it falls back to the protocol's language. ``protocol_warnings`` lists the texts
a language is missing from: a warning for whoever writes the file, never a refusal.

The package: ``model`` (the typed values), ``loading`` (the file as a whole), ``sections`` and
``timeline_section`` (one reader a section), ``emergency`` (Companion's signs and a clinic's
additions) and ``fields`` (the small readers of one value each, and the language of texts).
"""

from __future__ import annotations

from companion.domain.protocol.emergency import read_core_emergency, read_core_emergency_table
from companion.domain.protocol.loading import load_protocol, protocol_warnings
from companion.domain.protocol.model import (
    DEFAULT_MONITOR_CALL_KEY,
    DEFAULT_PROTOCOL_ID,
    DEFAULT_PROTOCOL_NAME,
    FORMAT_VERSION,
    KNOWN_SCALES,
    MAX_TEXT,
    MAX_TITLE,
    TIMED_PHASES,
    Aftercare,
    Anchor,
    Cadence,
    Checkin,
    CheckinItem,
    ChecklistItem,
    Cue,
    Emergency,
    HealthQuestion,
    HealthQuestions,
    Level,
    Limits,
    Music,
    Phase,
    PhaseId,
    Preparation,
    Prompt,
    Protocol,
    ProtocolError,
    ProtocolInfo,
    ProtocolTimeline,
    QuestionnaireSchedule,
    Safety,
    Severity,
    SideEffect,
    TextItem,
    VitalLimit,
)

__all__ = [
    "DEFAULT_MONITOR_CALL_KEY",
    "DEFAULT_PROTOCOL_ID",
    "DEFAULT_PROTOCOL_NAME",
    "FORMAT_VERSION",
    "KNOWN_SCALES",
    "MAX_TEXT",
    "MAX_TITLE",
    "TIMED_PHASES",
    "Aftercare",
    "Anchor",
    "Cadence",
    "Checkin",
    "CheckinItem",
    "ChecklistItem",
    "Cue",
    "Emergency",
    "HealthQuestion",
    "HealthQuestions",
    "Level",
    "Limits",
    "Music",
    "Phase",
    "PhaseId",
    "Preparation",
    "Prompt",
    "Protocol",
    "ProtocolError",
    "ProtocolInfo",
    "ProtocolTimeline",
    "QuestionnaireSchedule",
    "Safety",
    "Severity",
    "SideEffect",
    "TextItem",
    "VitalLimit",
    "load_protocol",
    "protocol_warnings",
    "read_core_emergency",
    "read_core_emergency_table",
]
