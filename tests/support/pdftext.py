"""Just enough of a PDF reader to get the text of Qt's PDFs back, for the tests (no poppler
or QtPdf on CI): objects, Flate streams, each font's ToUnicode map, and the hex glyph strings
of the page content streams."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zlib
from pathlib import Path

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\bendobj", re.S)
_TOKEN = re.compile(rb"/(F\d+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\b(ET|Td|TD|T\*|Tm)\b")


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in _OBJECT.findall(data)}


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    raw = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
    return zlib.decompressobj().decompress(raw) if b"/FlateDecode" in head else raw


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}

    def chars(hexes: bytes) -> str:
        raw = bytes.fromhex(hexes.decode())
        return raw.decode("utf-16-be", errors="replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = chars(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, rest in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block
        ):
            low, high = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                for offset, dst in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", rest)):
                    mapping[low + offset] = chars(dst)
            else:
                start = bytes.fromhex(rest[1:-1].decode())
                base = int.from_bytes(start, "big")
                for offset in range(high - low + 1):
                    value = (base + offset).to_bytes(len(start), "big")
                    mapping[low + offset] = value.decode("utf-16-be", errors="replace")
    return mapping


def page_texts(data: bytes) -> list[str]:
    objects = _objects(data)
    maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", body.partition(b"stream")[0])
        if found:
            maps[number] = _cmap(_stream(objects[int(found.group(1))]))
    pages = []
    for body in objects.values():
        head = body.partition(b"stream")[0]
        if not re.search(rb"/Type /Page\b", head):
            continue
        contents = int(re.search(rb"/Contents (\d+) 0 R", head).group(1))  # type: ignore[union-attr]
        resources_ref = re.search(rb"/Resources (\d+) 0 R", head)
        resources = objects[int(resources_ref.group(1))] if resources_ref else head
        fonts = {
            name.decode(): int(num) for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", resources)
        }
        current: dict[int, str] = {}
        out: list[str] = []
        for font, hexes, op in _TOKEN.findall(_stream(objects[contents])):
            if font:
                current = maps.get(fonts.get(font.decode(), -1), {})
            elif op:
                out.append(" ")
            else:
                digits = re.sub(rb"\s", b"", hexes)
                for i in range(0, len(digits) - 3, 4):
                    out.append(current.get(int(digits[i : i + 4], 16), ""))
        pages.append("".join(out))
    return pages


def squash(text: str) -> str:
    """Without spaces and ligatures (Qt places glyphs one by one and uses "ﬁ")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdftotext(data: bytes, tmp_path: Path, *extra: str) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *extra, str(source), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")
