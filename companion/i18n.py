"""The patient's language: one gettext catalogue for every layer, Babel for dates and numbers.

Every sentence Companion shows, prints, speaks or writes into a report goes through this
module. Qt-free code and the UI use the same catalogue (``resources/locale/<lang>/LC_MESSAGES/
companion.po``, compiled to ``.mo`` beside it by ``tools/i18n.py compile``), so a word is
translated once.

- ``_("...")`` translates now, in the current language.
- ``N_("...")`` only marks a constant for extraction; translate it with ``_()`` where it is
  shown (a module-level constant is built before the language is chosen).
- ``n_(singular, plural, n)`` chooses the plural form the language uses (Spanish and English
  have two, other languages more); the count is a ``{n}`` placeholder in both forms.
- ``p_(context, msgid)`` for a short word whose translation depends on where it is shown.
- Placeholders are ``str.format`` names (``_("Session {number}").format(number=3)``), never
  sentences spliced from fragments: word order differs between languages.

The language is process-wide: the app sets it from Settings before its first window, the CLI
from the environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``). ``pseudo`` is a
test language: every message accented, bracketed and about 40 % longer, so an untranslated or
clipped string shows in a test.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from companion.paths import RESOURCES_DIR

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "companion"
LOCALE_DIR = RESOURCES_DIR / "locale"
SOURCE_LANGUAGE = "en"
PSEUDO = "pseudo"


@dataclass(frozen=True)
class Language:
    code: str  # a gettext/Babel language code: "en", "es"
    name: str  # the language's own name for itself, as the chooser shows it


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English"),
    Language("es", "Español"),
)
LANGUAGE_CODES = frozenset(language.code for language in LANGUAGES)


class _PseudoTranslations(gettext.NullTranslations):
    """Accented, bracketed and ~40 % longer; placeholders, tags and mnemonics kept intact."""

    def gettext(self, message: str) -> str:
        return pseudo_text(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_text(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo_text(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_text(msgid1 if n == 1 else msgid2)


_ACCENTS = str.maketrans("aeiouyAEIOUYcnCN", "àéîõüýÀÉÎÕÜÝçñÇÑ")


def pseudo_text(message: str) -> str:
    """``message`` accented and padded by 40 %, leaving ``{name}``, ``%(name)s``, ``<tag>``,
    ``&entity;`` and newlines exactly as they are."""
    if not message:
        return message
    out: list[str] = []
    i = 0
    closers = {"{": "}", "<": ">", "%": "s"}
    while i < len(message):
        ch = message[i]
        if ch in "{<" or (ch == "%" and message.startswith("%(", i)):
            end = message.find(closers[ch], i + 1)
            if end != -1:
                out.append(message[i : end + 1])
                i = end + 1
                continue
        if ch == "&" and ";" in message[i : i + 8] and " " not in message[i : message.find(";", i)]:
            end = message.find(";", i)
            out.append(message[i : end + 1])
            i = end + 1
            continue
        out.append(ch.translate(_ACCENTS))
        i += 1
    text = "".join(out)
    letters = sum(1 for c in message if c.isalpha())
    padding = "~" * max(1, round(letters * 0.4))
    if " " in message.strip():
        # A longer language has more words, not one endless word: the padding comes in
        # word-sized pieces, so a sentence still wraps where a translation would
        padding = " " + " ".join(
            padding[i : i + PSEUDO_WORD] for i in range(0, len(padding), PSEUDO_WORD)
        )
    return f"[{text}{padding}]"


PSEUDO_WORD = 6  # the padding's longest piece, in characters


_lock = threading.Lock()
_language = SOURCE_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()


def _load(code: str) -> gettext.NullTranslations:
    if code == PSEUDO:
        return _PseudoTranslations()
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)


def set_language(code: str) -> str:
    """Make ``code`` the language of everything from now on; an unknown code falls back to
    English. Returns the language now in use."""
    global _language, _translations
    if code not in LANGUAGE_CODES and code != PSEUDO:
        code = SOURCE_LANGUAGE
    translations = _load(code)
    with _lock:
        _language, _translations = code, translations
    return code


def current_language() -> str:
    return _language


def locale_name() -> str:
    """The Babel locale used for dates and numbers (the pseudo language formats as English)."""
    return SOURCE_LANGUAGE if _language == PSEUDO else _language


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The first supported language the environment names (``LANGUAGE`` may list several,
    ``es_ES.UTF-8`` means ``es``); English when none is supported."""
    env = os.environ if environ is None else environ
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        if not value:
            continue
        for part in value.split(":"):
            code = part.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            if code in LANGUAGE_CODES:
                return code
            if code in {"c", "posix"}:
                return SOURCE_LANGUAGE
        if key != "LANGUAGE":
            return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def _(message: str) -> str:
    # gettext("") is the catalogue's header: an empty text (an optional hint) stays empty
    return _translations.gettext(message) if message else message


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it (see the module docstring)."""
    return message


@dataclass(frozen=True)
class Text:
    """A message and its parameters, put into words only when shown: ``str(text)`` is the
    sentence in the language of that moment. Errors and findings carry one, so a message built
    before the patient changed the language still reads in the new one. Mark the message with
    ``N_``: ``Text(N_("Session {number}"), {"number": 3})``. A parameter may itself be a
    ``Text``; it is rendered in the same language."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.msgid, self.params)


def render(msgid: str, params: Mapping[str, object] | None = None) -> str:
    """``msgid`` translated now, its ``{placeholders}`` filled from ``params``."""
    translated = _(msgid)
    return translated.format(**params) if params else translated


def n_(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n).replace("{n}", format_number(n))


def p_(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


# Dates, times and numbers as the patient's locale writes them. Babel (with its CLDR data) is
# imported by the first value formatted, not at start-up: it cost ~25 ms before the window.


def _locale() -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale_name())
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE_LANGUAGE)


def format_date(value: dt.date, width: str = "medium") -> str:
    """``width``: "short" (2/12/26), "medium" (Dec 2, 2026), "long", "full" (with the weekday)."""
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format=width, locale=_locale())


def format_time(value: dt.time | dt.datetime, width: str = "short") -> str:
    """12- or 24-hour as the locale writes it (``7:30 PM`` in English, ``19:30`` in Spanish)."""
    from babel import dates as babel_dates

    return babel_dates.format_time(value, format=width, locale=_locale())


def format_datetime(value: dt.datetime, width: str = "medium") -> str:
    date = format_date(value, width)
    return f"{date}, {format_time(value)}" if width != "full" else f"{date} {format_time(value)}"


def format_skeleton(value: dt.date | dt.datetime, skeleton: str) -> str:
    """A date in a CLDR skeleton (``"MMMd"`` → "Dec 2" / "2 dic", ``"EEEMMMd"``, ``"yMMM"``)."""
    from babel import dates as babel_dates

    return babel_dates.format_skeleton(skeleton, value, locale=_locale())


def format_number(value: int | float, decimal_places: int | None = None) -> str:
    from babel import numbers as babel_numbers

    if decimal_places is not None:
        pattern = "#,##0" + ("." + "0" * decimal_places if decimal_places else "")
        return babel_numbers.format_decimal(value, format=pattern, locale=_locale())
    return babel_numbers.format_decimal(value, locale=_locale())


def format_percent(fraction: float) -> str:
    from babel import numbers as babel_numbers

    return babel_numbers.format_percent(fraction, locale=_locale())


def format_list(items: list[str], style: Literal["standard", "or"] = "standard") -> str:
    """ "a, b and c" / "a, b y c"; ``style="or"``: "a, b or c" / "a, b o c"."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(items, style=style, locale=_locale())


def uses_letter_paper() -> bool:
    """US and Canadian patients print on Letter; everyone else on A4 (by the system region)."""
    region = ""
    for key in ("LC_PAPER", "LC_ALL", "LANG"):
        value = os.environ.get(key, "")
        if "_" in value:
            region = value.split(".")[0].split("_")[1].upper()
            break
    return region in {"US", "CA", "MX", "PH", "CL", "CO", "VE"}


def catalogue_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
