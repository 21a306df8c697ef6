"""CSV for spreadsheets: one file per kind of record, in a zip (``session.csv``, ...).

Each file has a header row with the JSON format's field names. Times are UTC in the JSON
format's notation, booleans ``true``/``false``, missing values empty. A ``README.txt`` says
what the export covers. Files are UTF-8 with a byte-order mark so spreadsheet programs detect
the encoding. Built in memory (no temp files).

Formula injection (OWASP "CSV Injection"): a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would run as a formula in a spreadsheet (``=HYPERLINK(...)`` in a
journal entry becomes a live link). Such a cell gets a leading ``'``, which spreadsheets treat
as "this is text" and do not show. Numbers and times are written by Companion itself and never
start with one of these (counts are never negative), so only people's text is ever prefixed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from companion.export.jsondoc import Records, format_datetime, record_to_json, sort_key
from companion.export.tables import KINDS
from companion.i18n import _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """OWASP's rule: a cell a spreadsheet would run as a formula is prefixed with ``'``."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def kind_csv(kind_name: str, rows: list[Mapping[str, Any]]) -> str:
    kind = next(k for k in KINDS if k.name == kind_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(kind.field_names)
    for row in sorted(rows, key=sort_key(kind)):
        data = record_to_json(kind, row)
        writer.writerow([_cell(data[name]) for name in kind.field_names])
    return buffer.getvalue()


def build(
    records: Records,
    scope: Mapping[str, object],
    exported_at: datetime,
    generator: str,
    check: Callable[[], None] | None = None,
) -> bytes:
    stamp = exported_at.utctimetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        names = []
        for kind in KINDS:
            if check is not None:
                check()
            rows = list(records.get(kind.name, ()))
            if not rows:
                continue
            name = f"{kind.name}.csv"
            names.append(f"{name}: {len(rows)} · {_(kind.title)}")
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, "\ufeff" + kind_csv(kind.name, rows))
        readme = "\n".join(
            [
                _("Companion export ({generator}), made {when}.").format(
                    generator=generator, when=format_datetime(exported_at)
                ),
                _("Scope: {scope}").format(scope=dict(scope)),
                _("Times are UTC. One file per kind of record; ids link the files."),
                "",
                *names,
                "",
            ]
        )
        info = zipfile.ZipInfo("README.txt", date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, readme)
    return buffer.getvalue()
