"""Reading a protocol from its TOML text: every section checked, the first wrong field named."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace

from companion.domain.protocol.emergency import read_core_emergency_table, read_emergency_table
from companion.domain.protocol.fields import Reading, check_keys, reading_texts, table
from companion.domain.protocol.model import (
    DEFAULT_PROTOCOL_ID,
    Emergency,
    Protocol,
    ProtocolError,
    Safety,
)
from companion.domain.protocol.sections import (
    read_aftercare,
    read_cadence,
    read_checklist,
    read_health,
    read_info,
    read_limits,
    read_preparation,
    read_questionnaires,
    read_safety,
    read_side_effects,
)
from companion.domain.protocol.timeline_section import read_timeline
from companion.fsutil import MAX_NESTING, nesting_depth
from companion.i18n import N_, Text


def load_protocol(text: str, core: Emergency, language: str | None = None) -> Protocol:
    """Parses and checks a protocol; raises ``ProtocolError`` naming the first wrong field.
    ``core`` is Companion's own emergency signs and steps (``read_core_emergency`` of the
    shipped protocol), which a clinic's ``[emergency]`` table adds to and never removes.
    Texts are read in ``language`` (the current language by default)."""
    return _read_in(_parse_toml(text), core, language)[0]


def protocol_warnings(text: str, core: Emergency) -> list[Text]:
    """What a protocol that loads is still missing: each text that lacks a language some other
    text of the file has (a translation left out). Empty for a one-language file."""
    reading = _read_in(_parse_toml(text), core, None)[1]
    languages = {reading.own}.union(*(langs for _, langs in reading.texts))
    warnings = []
    for where, langs in reading.texts:
        for missing in sorted(languages - langs):
            warnings.append(
                Text(
                    N_("{field}: no {language} text; the {fallback} text is shown instead"),
                    {"field": where, "language": missing, "fallback": reading.own},
                )
            )
    return warnings


def _read_in(
    data: Mapping[str, object], core: Emergency | None, language: str | None
) -> tuple[Protocol, Reading]:
    with reading_texts(data, language) as reading:
        return _read_protocol(data, core), reading


def _parse_toml(text: str) -> dict[str, object]:
    if nesting_depth(text, "toml") > MAX_NESTING:  # tomllib recurses: bound it first
        raise ProtocolError(
            "file", N_("is nested more than {MAX_NESTING} levels deep"), MAX_NESTING=MAX_NESTING
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError("file", N_("is not valid TOML ({exc})"), exc=exc) from None


SECTIONS = (
    "protocol",
    "cadence",
    "preparation",
    "checklist",
    "limits",
    "timeline",
    "questionnaires",
    "aftercare",
    "health",
    "side_effects",
    "emergency",
    "safety",
)


def _read_protocol(data: Mapping[str, object], core: Emergency | None) -> Protocol:
    check_keys(data, "", required=(), optional=SECTIONS)  # missing ones: in file order below
    info = read_info(table(data, "protocol", ""))
    cadence = read_cadence(table(data, "cadence", ""))
    limits = read_limits(table(data, "limits", ""))
    return Protocol(
        info=info,
        cadence=cadence,
        preparation=read_preparation(table(data, "preparation", "")),
        checklist=read_checklist(data),
        limits=replace(limits, by_provider=info.id != DEFAULT_PROTOCOL_ID),
        timeline=read_timeline(table(data, "timeline", "")),
        questionnaires=read_questionnaires(table(data, "questionnaires", ""), cadence),
        aftercare=read_aftercare(table(data, "aftercare", "")),
        health=read_health(table(data, "health", "")),
        side_effects=read_side_effects(data),
        emergency=read_emergency_table(table(data, "emergency", ""), core)
        if core is not None
        else read_core_emergency_table(table(data, "emergency", "")),
        safety=read_safety(table(data, "safety", "")) if "safety" in data else Safety(),
    )
