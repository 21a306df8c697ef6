"""Emergency signs and steps: Companion's own, which every protocol shows, and a clinic's
additions after them (never a removal or a rewording)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence

from companion.domain.protocol.fields import (
    check_keys,
    current_reading,
    plain_text,
    reading_texts,
    text,
    text_items,
)
from companion.domain.protocol.model import (
    DEFAULT_MONITOR_CALL_KEY,
    MAX_TEXT,
    Emergency,
    ProtocolError,
    TextItem,
)
from companion.i18n import N_

_MONITOR_CALL_KEY_RE = re.compile(r"^F([2-9]|1[0-2])$")  # F1 is Help


def read_core_emergency(shipped_text: str, language: str | None = None) -> Emergency:
    """Companion's own emergency signs and steps: the ``[emergency]`` table of the protocol
    Companion ships (its text is read by ``companion.services.protocol_files``), in
    ``language`` (the current language by default)."""
    try:
        data = tomllib.loads(shipped_text)
        table = data.get("emergency")
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(
            "emergency", N_("Companion's own signs could not be read ({exc})"), exc=exc
        ) from None
    if not isinstance(table, dict):
        raise ProtocolError("emergency", N_("Companion's own signs are missing"))
    with reading_texts(data, language):
        return read_emergency_table(table, None)


def read_core_emergency_table(table: Mapping[str, object]) -> Emergency:
    """The ``[emergency]`` table read as Companion's own (for ``protocol_warnings`` of the
    shipped file itself, whose signs are the core)."""
    return read_emergency_table(table, None)


def read_emergency_table(t: Mapping[str, object], core: Emergency | None) -> Emergency:
    path = "emergency"
    check_keys(
        t, path, required=("intro",), optional=("signs", "while_waiting", "monitor_call_key")
    )
    signs = text_items(t, "signs", path) if "signs" in t or core is None else ()
    steps = text_items(t, "while_waiting", path) if "while_waiting" in t or core is None else ()
    key = DEFAULT_MONITOR_CALL_KEY
    if "monitor_call_key" in t:
        key = plain_text(t, "monitor_call_key", path, 10)
        if not _MONITOR_CALL_KEY_RE.match(key):
            raise ProtocolError(
                f"{path}.monitor_call_key",
                N_("'{key}' must be one of the keys F2 to F12 (F1 opens Help)"),
                key=key,
            )
    intro = text(t, "intro", path, MAX_TEXT)
    if core is None:
        return Emergency(intro, signs, steps, key)
    merged_signs, added_signs = _extend(core.signs, signs, f"{path}.signs")
    merged_steps, added_steps = _extend(core.while_waiting, steps, f"{path}.while_waiting")
    return Emergency(intro, merged_signs, merged_steps, key, (*added_signs, *added_steps))


def _extend(
    core: Sequence[TextItem], own: Sequence[TextItem], path: str
) -> tuple[tuple[TextItem, ...], tuple[str, ...]]:
    """Companion's items first, then the file's new ones. A file may repeat one of Companion's
    items word for word (the default file does) but may not change or drop it."""
    words = {item.id: item.text for item in core}
    reading = current_reading()
    # Words can only be compared in one language: a file read in its own fallback language
    # for a patient of another (its copies of the core items are never shown) is not compared.
    comparable = reading is None or reading.wanted == reading.own
    added: list[TextItem] = []
    for index, item in enumerate(own, start=1):
        if item.id not in words:
            added.append(item)
        elif comparable and item.text != words[item.id]:
            raise ProtocolError(
                f"{path}[{index}].text",
                N_(
                    "'{id}' is one of Companion's own items, shown in every protocol; its words "
                    "cannot be changed here (give your own item a new id)"
                ),
                id=item.id,
            )
    return (*core, *added), tuple(item.id for item in added)
