"""An incremental reader of the JSON export format: one record at a time, never the whole file.

The importer reads a file twice (check, then insert) and holds only ids and keys in between, so
the reader must give the same answers as ``json.loads`` over the whole text without holding it:

* the top-level object and the ``records`` object are walked here, token by token; every other
  value (a head field, one record) is parsed by the standard library's C decoder
  (``raw_decode``) with the same hooks as before (no NaN/Infinity, no key twice in one object).
  A record wholly in the buffer is decoded at once and its depth measured on the result; any
  other value, or one the decoder refuses, is framed first (its brackets counted, strings
  skipped by the regex engine: 3x the decoder's time) and decoded then;
* the refusals keep their wording and their order: invalid UTF-8 anywhere beats nesting deeper
  than 32 levels anywhere, which beats the first syntax error (line and column counted in the
  whole file, "ends too early (truncated)" at the end), as when the whole text was decoded,
  scanned and parsed in that order. After the first problem the rest of the file is still
  decoded and counted (nothing is kept) so that a worse problem further on wins;
* a key twice in the top-level or the ``records`` object is refused when that object closes,
  as ``object_pairs_hook`` did.

Events: ``("member", name, value)`` a top-level field (``records`` too when it is not an
object); ``("records", "", None)`` the start of the records object; ``("array", kind, None)``
the start of ``records.<kind>`` when it is a list, then ``("record", kind, value)`` per item;
``("kind", kind, value)`` when it is not a list; ``("document", "", value)`` when the whole
file is not an object. Pure: no vault, no Qt.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from companion.i18n import N_, Text
from companion.services.import_checks import (
    MAX_JSON_NESTING,
    ImportRefusedError,
    refuse,
    short,
)

Event = tuple[str, str, Any]
_READ = 1 << 20  # bytes per read
_WS = re.compile(r"[ \t\n\r]*")
# Everything up to the next bracket (strings skipped whole), then that bracket, or an
# unterminated string's quote, or the end of the buffer.
_STEP = re.compile(r'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\[\s\S])*+")*+([\[\]{}"]|\Z)')
_STRING = re.compile(r'"(?:[^"\\]++|\\[\s\S])*+"')
_QUOTE = '"'
_SCALAR_END = re.compile(r"[,\]}\s]")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the field {short(key)} appears twice in one object")
        result[key] = value
    return result


_DECODER = json.JSONDecoder(parse_constant=_no_constants, object_pairs_hook=_no_duplicate_keys)


class ExportReader:
    """Reads ``stream`` (binary, positioned at the start) once; ``consumed`` counts bytes."""

    def __init__(self, stream: BinaryIO, on_bytes: Callable[[bytes], None] | None = None):
        self._stream = stream
        self._on_bytes = on_bytes
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._buf = ""
        self._pos = 0
        self._line = 1  # line of _buf[0] in the whole text
        self._col = 0  # characters between the last newline before _buf[0] and _buf[0]
        self._eof = False
        self._started = False
        self._depth = 0  # brackets open around the reader's position
        self.consumed = 0

    # --- the text, a chunk at a time ---------------------------------------------------------
    def _more(self) -> None:
        """Drops what was read from the buffer and adds the next piece of text."""
        consumed = self._buf[: self._pos]
        newline = consumed.rfind("\n")
        if newline >= 0:
            self._line += consumed.count("\n")
            self._col = len(consumed) - newline - 1
        else:
            self._col += len(consumed)
        self._buf, self._pos = self._buf[self._pos :], 0
        self._buf += self._decode()

    def _decode(self) -> str:
        data = self._stream.read(max(_READ, len(self._buf)))
        self.consumed += len(data)
        if self._on_bytes is not None and data:
            self._on_bytes(data)
        self._eof = not data
        try:
            text = self._utf8.decode(data, final=self._eof)
        except UnicodeDecodeError:
            raise refuse(
                Text(N_("it is not UTF-8 text (is it a Companion JSON export?)"))
            ) from None
        if not self._started and (text or self._eof):
            self._started = True
            text = text.removeprefix("\ufeff")
        return text

    def _skip_ws(self) -> str:
        """The next non-blank character ('' at the end of the text)."""
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if self._eof:
                return ""
            self._more()

    # --- errors -------------------------------------------------------------------------------
    def _syntax(self, message: str, pos: int, start: int | None = None) -> ImportRefusedError:
        """The refusal ``json.loads`` of the whole text gave, once the rest of the file is
        known to hold no worse problem. ``start``: where the value or key holding ``pos``
        starts (outside any string: the rest is counted for nesting from there)."""
        before = self._buf[:pos]
        lines = before.count("\n")
        colno = pos - before.rfind("\n") if lines else self._col + pos + 1
        line = self._line + lines
        tail = self._buf[pos:]
        more = self._drain(self._buf[pos if start is None else start :], bool(tail.strip()))
        problem = message if more else "it ends too early (truncated)"
        return refuse(
            Text(
                N_("it is not valid JSON (line {lineno}, column {colno}: {problem})"),
                {"lineno": line, "colno": colno, "problem": problem},
            )
        )

    def _invalid(self, problem: str) -> ImportRefusedError:
        """A key twice or a NaN: refused once the rest of the file holds no worse problem."""
        self._drain(self._buf[self._pos :])
        return refuse(Text(N_("it is not valid JSON ({exc})"), {"exc": problem}))

    def _drain(self, text: str, seen: bool = False) -> bool:
        """Reads the rest of the file after ``text`` (the buffer's unread part), refusing
        invalid UTF-8 or deep nesting there first. True if ``seen`` or any of the file after
        the buffer is not blank."""
        self._buf, self._pos = "", 0
        depth, carry = _count_depth(text, self._depth, self._eof)
        while depth <= MAX_JSON_NESTING and not self._eof:
            piece = self._decode()
            seen = seen or bool(piece.strip())
            depth, carry = _count_depth(carry + piece, depth, self._eof)
        if depth > MAX_JSON_NESTING:
            self._drain_utf8()
            raise _too_deep()
        return seen

    def _drain_utf8(self) -> None:
        while not self._eof:
            self._decode()

    def _too_deep_now(self) -> ImportRefusedError:
        self._drain_utf8()  # invalid UTF-8 further on still comes first
        return _too_deep()

    # --- values -------------------------------------------------------------------------------
    def _refill(self, start: int) -> int:
        """More text after a value that starts at ``start``; its new start."""
        self._pos = start
        self._more()
        return self._pos

    def _frame(self) -> int:
        """Makes the buffer hold the whole value at ``_pos`` (or the rest of the text) and
        counts its brackets against the nesting limit; returns where the value ends."""
        start = self._pos
        first = self._buf[start]
        if first in "[{":
            depth, scan = 0, start
            while True:
                match = _STEP.match(self._buf, scan)
                assert match is not None
                token = match.group(1)
                if token in ("[", "{"):
                    depth += 1
                    if self._depth + depth > MAX_JSON_NESTING:
                        raise self._too_deep_now()
                elif token in ("]", "}"):
                    depth -= 1
                    if depth == 0:
                        return match.end()
                elif self._eof:  # unterminated: the decoder words it
                    return len(self._buf)
                else:  # the buffer ends inside the value
                    resume = match.start(1) - start
                    start = self._refill(start)
                    scan = start + resume
                    continue
                scan = match.end()
        pattern = _STRING if first == '"' else _SCALAR_END
        while True:
            found = (
                pattern.match(self._buf, start)
                if first == '"'
                else pattern.search(self._buf, start)
            )
            if found is not None:
                return found.end() if first == '"' else found.start()
            if self._eof:
                return len(self._buf)
            start = self._refill(start)

    def _value(self) -> Any:
        char = self._skip_ws()
        if not char:
            raise self._syntax("Expecting value", self._pos)
        if char in "[{":  # the usual record: decoded at once when all of it is in the buffer
            try:
                value, stop = _DECODER.raw_decode(self._buf, self._pos)
            except (ValueError, RecursionError):
                pass  # cut by the buffer's end, or a problem: framed first, below
            else:
                if _deeper_than(value, MAX_JSON_NESTING - self._depth):
                    raise self._too_deep_now()
                self._pos = stop
                return value
        try:
            self._frame()
            value, stop = _DECODER.raw_decode(self._buf, self._pos)
        except json.JSONDecodeError as exc:
            raise self._syntax(exc.msg, exc.pos, self._pos) from None
        except RecursionError:
            raise refuse(Text(N_("it is nested too deeply"))) from None
        except ValueError as exc:
            raise self._invalid(str(exc)) from None
        self._pos = stop
        return value

    def _key(self) -> str:
        start = self._pos
        while _STRING.match(self._buf, start) is None and not self._eof:
            self._more()
            start = self._pos
        try:
            value, self._pos = _DECODER.raw_decode(self._buf, start)
        except json.JSONDecodeError as exc:
            raise self._syntax(exc.msg, exc.pos, start) from None
        if self._skip_ws() != ":":
            raise self._syntax("Expecting ':' delimiter", self._pos)
        self._pos += 1
        return str(value)

    def _members(self) -> Iterator[str]:
        """The keys of the object whose ``{`` is at ``_pos``; the caller reads each value."""
        self._pos += 1
        self._depth += 1
        if self._depth > MAX_JSON_NESTING:
            raise self._too_deep_now()
        seen: set[str] = set()
        twice: str | None = None
        char = self._skip_ws()
        if char == "}":
            self._pos += 1
            self._depth -= 1
            return
        while True:
            if char != '"':
                raise self._syntax("Expecting property name enclosed in double quotes", self._pos)
            key = self._key()
            if key in seen and twice is None:
                twice = key
            seen.add(key)
            yield key
            char = self._skip_ws()
            self._pos += 1
            if char == "}":
                break
            if char != ",":
                raise self._syntax("Expecting ',' delimiter", self._pos - 1)
            char = self._skip_ws()
        self._depth -= 1
        if twice is not None:  # found when the object closes, as object_pairs_hook did
            raise self._invalid(f"the field {short(twice)} appears twice in one object")

    def _items(self, kind: str) -> Iterator[Event]:
        self._pos += 1
        self._depth += 1
        if self._depth > MAX_JSON_NESTING:
            raise self._too_deep_now()
        yield ("array", kind, None)
        if self._skip_ws() == "]":
            self._pos += 1
        else:
            while True:
                yield ("record", kind, self._value())
                char = self._skip_ws()
                self._pos += 1
                if char == "]":
                    break
                if char != ",":
                    raise self._syntax("Expecting ',' delimiter", self._pos - 1)
        self._depth -= 1

    def events(self) -> Iterator[Event]:
        self._buf = self._decode()
        if self._skip_ws() != "{":
            yield ("document", "", self._value())
        else:
            for name in self._members():
                if name == "records" and self._skip_ws() == "{":
                    yield ("records", "", None)
                    for kind in self._members():
                        if self._skip_ws() == "[":
                            yield from self._items(kind)
                        else:
                            yield ("kind", kind, self._value())
                else:
                    yield ("member", name, self._value())
        if self._skip_ws():
            raise self._syntax("Extra data", self._pos)


def _deeper_than(value: Any, levels: int) -> bool:
    """Whether a decoded value nests arrays and objects more than ``levels`` deep: the bracket
    count of its text (strings hold no brackets that count)."""
    if type(value) is dict:
        children: Iterable[Any] = value.values()
    elif type(value) is list:
        children = value
    else:
        return False
    if levels <= 0:
        return True
    return any(_deeper_than(child, levels - 1) for child in children if type(child) in (dict, list))


def _too_deep() -> ImportRefusedError:
    return refuse(
        Text(
            N_("it is nested more than {MAX_JSON_NESTING} levels deep"),
            {"MAX_JSON_NESTING": MAX_JSON_NESTING},
        )
    )


def _count_depth(text: str, depth: int, final: bool) -> tuple[int, str]:
    """``fsutil.nesting_depth``'s count over one more piece of text: (the level at its end, or
    the first level past the limit; the unterminated string to carry to the next piece)."""
    scan = 0
    while True:
        match = _STEP.match(text, scan)
        assert match is not None
        token = match.group(1)
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_JSON_NESTING:
                return depth, ""
        elif token in ("]", "}"):
            depth = max(0, depth - 1)
        elif token == _QUOTE and not final:
            return depth, text[match.start(1) :]
        else:  # the end, or an unterminated string at the very end
            return depth, ""
        scan = match.end()
