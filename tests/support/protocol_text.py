"""The default protocol file as text, and a way to change one part of it (for refusal tests)."""

from __future__ import annotations

import re

from companion.services.protocol_files import default_protocol_path

DEFAULT_TEXT = default_protocol_path().read_text(encoding="utf-8")

_TEXT_KEY = re.compile(
    r"(^|\n)(text|why|name|notice|intro|title|summary|note|stop_notice|source) = "
)


def mutate(old: str, new: str, count: int = 1) -> str:
    """The default file with ``old`` replaced; a text written ``text = "..."`` here means its
    English (the file carries ``text.en`` and ``text.es``)."""
    old, new = (_TEXT_KEY.sub(r"\1\2.en = ", part) for part in (old, new))
    assert DEFAULT_TEXT.count(old) >= count, f"fixture text not found: {old!r}"
    return DEFAULT_TEXT.replace(old, new, count)
