"""Small readers of a protocol file: each checks one value and names its field when wrong.

Texts a patient reads are chosen by language while ``reading_texts`` is open (see ``text``).
"""

from __future__ import annotations

import contextvars
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from typing import TypeVar

from companion.domain.protocol.model import MAX_TEXT, ProtocolError, TextItem
from companion.i18n import N_, current_language


@dataclass
class Reading:
    """How the texts of the file being read are chosen: ``wanted`` (the patient's language),
    else ``own`` (the file's). ``texts`` records each text's field and its languages."""

    wanted: str
    own: str = "en"
    texts: list[tuple[str, frozenset[str]]] = field(default_factory=list)


_reading: contextvars.ContextVar[Reading | None] = contextvars.ContextVar(
    "protocol_reading", default=None
)
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_HHMM_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

T = TypeVar("T")


@contextmanager
def reading_texts(data: Mapping[str, object], language: str | None) -> Iterator[Reading]:
    """While open, texts are read in ``language`` (the current language by default), else in
    the file's own (``[protocol] language`` of ``data``, English when absent or not a code)."""
    info = data.get("protocol")
    own = info.get("language", "en") if isinstance(info, dict) else "en"
    reading = Reading(current_language() if language is None else language)
    if isinstance(own, str) and LANGUAGE_RE.match(own):
        reading.own = own
    token = _reading.set(reading)
    try:
        yield reading
    finally:
        _reading.reset(token)


def current_reading() -> Reading | None:
    """How texts are being read now; None outside ``reading_texts``."""
    return _reading.get()


def text_items(t: Mapping[str, object], key: str, path: str) -> tuple[TextItem, ...]:
    items: list[TextItem] = []
    for entry_path, e in entries(t, key, path):
        check_keys(e, entry_path, required=("id", "text"))
        items.append(TextItem(ident(e, "id", entry_path), text(e, "text", entry_path, MAX_TEXT)))
    unique_ids(join_path(path, key), [i.id for i in items])
    return tuple(items)


# --------------------------------------------------------------------------------------------
# Small readers: each checks one value and names it when it is wrong


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def check_keys(
    t: Mapping[str, object], path: str, *, required: Sequence[str], optional: Sequence[str] = ()
) -> None:
    known = [*required, *optional]
    for key in t:
        if key not in known:
            raise ProtocolError(join_path(path, key), _unknown_field_problem(key, known))
    for key in required:
        if key not in t:
            raise ProtocolError(join_path(path, key), N_("is missing"))


def _unknown_field_problem(key: str, known: Sequence[str]) -> str:
    if "dose" in key.lower():
        return (
            "is not allowed: a protocol never holds a dose. The dose is your provider's "
            "prescription, kept in your profile"
        )
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"is not a known field{hint}"


def table(t: Mapping[str, object], key: str, path: str) -> Mapping[str, object]:
    if key not in t:
        raise ProtocolError(join_path(path, key), N_("is missing"))
    value = t[key]
    if not isinstance(value, dict):
        raise ProtocolError(
            join_path(path, key), N_("must be a section ([{join}])"), join=join_path(path, key)
        )
    return value


def entries(t: Mapping[str, object], key: str, path: str) -> list[tuple[str, Mapping[str, object]]]:
    """The ``[[key]]`` entries with their 1-based field paths; at least one is required."""
    full = join_path(path, key)
    if key not in t:
        raise ProtocolError(full, N_("is missing"))
    value = t[key]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ProtocolError(full, N_("must be a list of [[{full}]] entries"), full=full)
    if not value:
        raise ProtocolError(full, N_("must have at least one entry"))
    return [(f"{full}[{i}]", v) for i, v in enumerate(value, start=1)]


def text(t: Mapping[str, object], key: str, path: str, max_len: int) -> str:
    """A text the patient reads: plain (in the file's language) or a table of languages, read
    in the patient's language with the file's own as the fallback."""
    value = t[key]
    reading = _reading.get()
    if reading is None or not isinstance(value, dict):
        text = plain_text(t, key, path, max_len)
        if reading is not None:
            reading.texts.append((join_path(path, key), frozenset({reading.own})))
        return text
    where = join_path(path, key)
    for code in value:
        if not LANGUAGE_RE.match(str(code)):
            raise ProtocolError(
                f"{where}.{code}", N_("is not a language code such as 'en' or 'es'")
            )
        try:
            plain_text(value, code, where, max_len)
        except ProtocolError as exc:  # named by the text's own field, like a plain text
            raise ProtocolError(where, exc.problem_text) from None
    if reading.own not in value:
        raise ProtocolError(
            where,
            N_("needs a text in the protocol's own language ({language})"),
            language=reading.own,
        )
    reading.texts.append((where, frozenset(value)))
    chosen = reading.wanted if reading.wanted in value else reading.own
    return str(value[chosen])


def plain_text(t: Mapping[str, object], key: str, path: str, max_len: int) -> str:
    value = t[key]
    if not isinstance(value, str):
        raise ProtocolError(
            join_path(path, key), N_("must be text in quotes ({kind} found)"), kind=_kind(value)
        )
    if not value.strip():
        raise ProtocolError(join_path(path, key), N_("must not be empty"))
    if len(value) > max_len:
        raise ProtocolError(
            join_path(path, key), N_("is too long (at most {max_len} characters)"), max_len=max_len
        )
    return value


def ident(t: Mapping[str, object], key: str, path: str) -> str:
    value = plain_text(t, key, path, 40)
    if not _ID_RE.match(value):
        raise ProtocolError(
            join_path(path, key),
            N_("'{value}' must start with a lowercase letter and use only a-z, 0-9 and '_'"),
            value=value,
        )
    return value


def whole_number(t: Mapping[str, object], key: str, path: str, lo: int, hi: int) -> int:
    value = t[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(
            join_path(path, key), N_("must be a whole number ({kind} found)"), kind=_kind(value)
        )
    _check_range(value, lo, hi, join_path(path, key))
    return value


def number(t: Mapping[str, object], key: str, path: str, lo: float, hi: float) -> float:
    value = t[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(
            join_path(path, key), N_("must be a number ({kind} found)"), kind=_kind(value)
        )
    if value != value:  # NaN
        raise ProtocolError(join_path(path, key), N_("must be a number (nan found)"))
    _check_range(value, lo, hi, join_path(path, key))
    return float(value)


def _check_range(value: float, lo: float, hi: float, field: str) -> None:
    if not lo <= value <= hi:
        raise ProtocolError(
            field,
            N_("must be between {fmt} and {fmt2} (it is {fmt3})"),
            fmt=fmt_number(lo),
            fmt2=fmt_number(hi),
            fmt3=fmt_number(value),
        )


def boolean(t: Mapping[str, object], key: str, path: str) -> bool:
    value = t[key]
    if not isinstance(value, bool):
        raise ProtocolError(
            join_path(path, key), N_("must be true or false ({kind} found)"), kind=_kind(value)
        )
    return value


E = TypeVar("E", bound=StrEnum)


def choice(
    t: Mapping[str, object], key: str, path: str, enum: type[E], exclude: Iterable[E] = ()
) -> E:
    allowed = [m for m in enum if m not in tuple(exclude)]
    value = t[key]
    for member in allowed:
        if value == member.value:
            return member
    names = ", ".join(f"'{m.value}'" for m in allowed)
    shown = f"'{value}'" if isinstance(value, str) else _kind(value)
    raise ProtocolError(
        join_path(path, key), N_("must be one of {names} ({shown} found)"), names=names, shown=shown
    )


def time_of_day(t: Mapping[str, object], key: str, path: str) -> time:
    value = t[key]
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str) and (m := _HHMM_RE.match(value)):
        return time(int(m.group(1)), int(m.group(2)))
    raise ProtocolError(join_path(path, key), N_('must be a time of day like "20:00"'))


def list_of(
    t: Mapping[str, object], key: str, path: str, convert: Callable[[object, str], T]
) -> list[T]:
    value = t[key]
    if not isinstance(value, list):
        raise ProtocolError(
            join_path(path, key),
            N_("must be a list in [brackets] ({kind} found)"),
            kind=_kind(value),
        )
    return [convert(v, f"{join_path(path, key)}[{i}]") for i, v in enumerate(value, start=1)]


def as_str(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(field, N_("must be non-empty text in quotes"))
    return value


def as_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(field, N_("must be a whole number ({kind} found)"), kind=_kind(value))
    return value


def unique_ids(path: str, ids: Sequence[str], *, entries: bool = True) -> None:
    seen: dict[str, int] = {}
    for index, value in enumerate(ids, start=1):
        if value in seen:
            where = f"{path}[{index}].id" if entries else f"{path}[{index}]"
            raise ProtocolError(
                where,
                N_("'{value}' is used twice (also in {path}[{seen}])"),
                value=value,
                path=path,
                seen=seen[value],
            )
        seen[value] = index


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a section"
    return "a date or time"


def fmt_number(value: float) -> str:
    return f"{value:g}"
