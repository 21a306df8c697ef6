#!/usr/bin/env python3
"""Companion's message catalogue: extract, update, compile, check.

One gettext catalogue serves every layer (see ``companion/i18n.py``). The English sentences in
the source are the message ids; ``resources/locale/companion.pot`` lists them, and each
language's ``resources/locale/<lang>/LC_MESSAGES/companion.po`` translates them, compiled to the
``companion.mo`` beside it (both committed, so a checkout runs without this tool).

    .venv/bin/python tools/i18n.py extract    # companion/**.py -> resources/locale/companion.pot
    .venv/bin/python tools/i18n.py update     # .pot -> every language's .po (obsolete dropped)
    .venv/bin/python tools/i18n.py update --also resources/locale/es/ui.po
                                              # ... taking translations the .po lacks from ui.po
    .venv/bin/python tools/i18n.py compile    # .po -> .mo, byte for byte the same every time
    .venv/bin/python tools/i18n.py check      # what the suite runs (tests/unit/test_catalogue.py)

The files carry no dates, line numbers or tool versions, so they change only when a message
does. ``update`` never guesses: a message whose English changed starts untranslated (never
"fuzzy"), and ``check`` fails until someone translates it. Protocol texts and the published
questionnaires are not in the catalogue: a protocol file carries its own languages
(docs/protocol.md) and the PHQ-9 / GAD-7 wording is the publishers' (companion/domain/scales.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import string
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "companion"
LOCALE_DIR = ROOT / "resources" / "locale"
DOMAIN = "companion"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
# Every language but the source one (English is the message ids themselves).
LANGUAGES = ("es",)

# companion.i18n: _(msg), N_(msg), n_(singular, plural, n), p_(context, msg).
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "p_": ((1, "c"), 2)}
COMMENT_TAG = "TRANSLATORS:"
# A fixed date in the headers: the files change only when a message does.
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HEADER = (
    "# Companion's messages.\n# This file is distributed under the same license as Companion.\n#"
)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def _new_catalogue(locale: str | None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        header_comment=HEADER,
        project="Companion",
        version="1",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        last_translator="Companion <companion@localhost>",
        language_team=f"{locale or 'LANGUAGE'} <companion@localhost>",
        charset="utf-8",
        fuzzy=False,
    )


def extract(source: Path = SOURCE) -> Catalog:
    """Every marked message under ``source``, each once, with its translator comments."""
    catalogue = _new_catalogue(None)
    found = extract_from_dir(
        source,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(COMMENT_TAG,),
        strip_comment_tags=True,
    )
    for filename, _lineno, message, comments, context in sorted(
        found, key=lambda item: (item[0], item[1])
    ):
        catalogue.add(
            message,
            None,
            locations=[(f"companion/{filename}", None)],
            auto_comments=comments,
            context=context,
        )
    return catalogue


def render_po(catalogue: Catalog) -> bytes:
    """The catalogue as .po/.pot bytes: sorted, no locations, no tool version."""
    out = io.BytesIO()
    write_po(out, catalogue, width=96, no_location=True, sort_output=True, ignore_obsolete=True)
    lines = out.getvalue().decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith('"Generated-By:')).encode()


def render_mo(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _key(message: Message) -> tuple[object, str | None]:
    return (message.id, message.context)


def _translated(message: Message) -> bool:
    if message.fuzzy:
        return False
    if isinstance(message.string, (tuple, list)):
        return all(message.string)
    return bool(message.string)


def merge(template: Catalog, language: str, sources: Sequence[Catalog]) -> Catalog:
    """``template``'s messages in ``language``: each translation taken from the first source
    that has it (fuzzy ones never), anything else left empty; messages not in the template are
    dropped."""
    merged = _new_catalogue(language)
    known: dict[tuple[object, str | None], Message] = {}
    for source in reversed(sources):  # the first source wins
        for message in source:
            if message.id and _translated(message):
                known[_key(message)] = message
    for message in template:
        if not message.id:
            continue
        found = known.get(_key(message))
        plural = isinstance(message.id, (tuple, list))
        if found is not None and isinstance(found.string, (tuple, list)) == plural:
            translation: str | tuple[str, ...] = (
                _plural_forms(tuple(found.string), merged.num_plurals)
                if plural
                else str(found.string)
            )
            comments = list(found.user_comments)
        else:
            translation = ("",) * merged.num_plurals if plural else ""
            comments = []
        merged.add(
            message.id,
            translation,
            auto_comments=message.auto_comments,
            user_comments=comments,
            context=message.context,
        )
    return merged


def _plural_forms(forms: tuple[str, ...], count: int) -> tuple[str, ...]:
    """``forms`` fitted to the language's number of plural forms: a catalogue written with
    fewer forms (Spanish's CLDR "many", for a million, is new) repeats its last plural form."""
    if not forms:
        return ("",) * count
    return (forms + (forms[-1],) * count)[:count]


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a ``str.format`` message carries (a stray brace counts as itself)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {ch for ch in text if ch in "{}"}


def _forms(value: object) -> list[str]:
    if isinstance(value, (tuple, list)):
        return [str(item) for item in value]
    return [str(value or "")]


def check(source: Path = SOURCE, languages: Iterable[str] = LANGUAGES) -> list[str]:
    """What is wrong with the catalogue, one line each; empty when it is complete and fresh."""
    problems: list[str] = []
    template = extract(source)
    if not POT.exists():
        problems.append(f"{POT.relative_to(ROOT)} is missing: run tools/i18n.py extract")
    elif POT.read_bytes() != render_po(template):
        problems.append(f"{POT.relative_to(ROOT)} is stale against the source: run extract")
    wanted = {_key(message) for message in template if message.id}
    for language in languages:
        po = po_path(language)
        if not po.exists():
            problems.append(f"{po.relative_to(ROOT)} is missing: run update")
            continue
        catalogue = read_catalogue(po, language)
        have = {_key(message) for message in catalogue if message.id}
        for key in sorted(wanted - have, key=str):
            problems.append(f"{language}: not in the .po (run update): {key[0]!r}")
        for key in sorted(have - wanted, key=str):
            problems.append(f"{language}: obsolete in the .po (run update): {key[0]!r}")
        for message in catalogue:
            if not message.id:
                continue
            if message.fuzzy:
                problems.append(f"{language}: fuzzy: {message.id!r}")
            elif not _translated(message):
                problems.append(f"{language}: untranslated: {message.id!r}")
                continue
            wanted_fields = set().union(*(placeholders(form) for form in _forms(message.id)))
            for form in _forms(message.string):
                if placeholders(form) != wanted_fields:
                    problems.append(f"{language}: placeholders differ: {message.id!r} -> {form!r}")
        mo = mo_path(language)
        if not mo.exists() or mo.read_bytes() != render_mo(catalogue):
            problems.append(f"{mo.relative_to(ROOT)} is stale: run compile")
    return problems


def _write(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/i18n.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write resources/locale/companion.pot from the source")
    update = sub.add_parser("update", help="merge the .pot into every language's .po")
    update.add_argument(
        "--also",
        type=Path,
        action="append",
        default=[],
        help="another .po to take translations from where the language's own .po has none "
        "(may be given more than once)",
    )
    sub.add_parser("compile", help="write each .mo beside its .po")
    sub.add_parser("check", help="fail when anything is stale, untranslated or fuzzy")
    args = parser.parse_args(argv)

    if args.command == "extract":
        changed = _write(POT, render_po(extract()))
        print(f"{POT.relative_to(ROOT)}: {'written' if changed else 'unchanged'}")
    elif args.command == "update":
        template = read_catalogue(POT)
        for language in LANGUAGES:
            po = po_path(language)
            sources = [read_catalogue(po, language)] if po.exists() else []
            sources += [read_catalogue(path, language) for path in args.also]
            merged = merge(template, language, sources)
            _write(po, render_po(merged))
            missing = sum(1 for message in merged if message.id and not _translated(message))
            print(f"{po.relative_to(ROOT)}: {len(merged)} messages, {missing} untranslated")
    elif args.command == "compile":
        for language in LANGUAGES:
            mo = mo_path(language)
            changed = _write(mo, render_mo(read_catalogue(po_path(language), language)))
            print(f"{mo.relative_to(ROOT)}: {'written' if changed else 'unchanged'}")
    else:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) in the catalogue", file=sys.stderr)
            return 1
        print("catalogue complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
