"""The preview as one readable document: exactly what the file will hold, before it is written.

Pure (no Qt): built on the worker from the service's ``Preview`` and shown in a text browser.
Every piece of the person's own text is escaped (``markdown_html`` escapes first).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

from companion.domain.journal import EntryKind
from companion.i18n import _
from companion.ui.common.render import markdown_html, plural
from companion.ui.widgets.text import LINE_HEIGHT_PERCENT

if TYPE_CHECKING:
    from companion.export.report import (
        EntryView,
        Report,
        ScoreSummary,
        SessionSummary,
        VitalsSet,
    )
    from companion.services.export import Preview

PROTECTION_WORDS = {
    "passphrase": "encrypted with a new passphrase, shown to you once after saving",
    "recipient": "encrypted for your provider's key: only your provider can open it",
    "plaintext": "not encrypted: anyone who gets the file can read it",
}
EMPTY = (
    "Nothing in these dates matches your choices, so there is nothing to save. "
    "Choose other dates or include more."
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _day(report: Report, instant: object) -> str:
    from datetime import datetime

    assert isinstance(instant, datetime)
    local = report.local(instant)
    return f"{local:%a} {local.day} {local:%b %Y}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def included_lines(counts: Mapping[str, int], report: Report) -> list[str]:
    """One line per kind of record that leaves, with the numbers."""
    lines: list[str] = []
    if counts.get("profile"):
        name = f"Your name ({esc(report.patient_name)})" if report.patient_name else _("Your name")
        who = f": {esc(report.provider_name)}" if report.provider_name else ""
        lines.append(f"{name}, and your provider's name and contact details{who}")
    sessions = counts.get("session", 0)
    if sessions:
        details = [
            plural(counts.get("dose_log", 0), "dose as logged", "doses as logged"),
            plural(counts.get("monitor_checkin", 0), "monitor check-in"),
            plural(counts.get("side_effect", 0), "side effect"),
        ]
        lines.append(
            f"{plural(sessions, 'session summary', 'session summaries')}, with "
            f"{', '.join(details[:-1])} and {details[-1]}"
        )
    elif counts.get("side_effect"):
        lines.append(plural(counts["side_effect"], "side effect"))
    if counts.get("vital_reading"):
        lines.append(plural(counts["vital_reading"], "blood pressure and pulse reading"))
    assessments = counts.get("assessment", 0)
    if assessments:
        lines.append(
            f"{plural(assessments, 'questionnaire')} ({len(report.phq9.points)} PHQ-9, "
            f"{len(report.gad7.points)} GAD-7), with every answer"
        )
    entries = counts.get("journal_entry", 0)
    if entries:
        extra = []
        if counts.get("journal_answer"):
            extra.append(
                plural(
                    counts["journal_answer"],
                    "answer to a guided question",
                    "answers to guided questions",
                )
            )
        if counts.get("tag"):
            extra.append(plural(counts["tag"], "tag"))
        tail = f", with {_(' and ').join(extra)}" if extra else ""
        lines.append(f"{plural(entries, 'journal entry', 'journal entries')}, in full below{tail}")
    return lines


def score_line(report: Report, summary: ScoreSummary) -> str:
    name = summary.scale.name
    if summary.latest is None:
        return ""
    latest = summary.latest
    if summary.baseline is None or summary.baseline.id == latest.id:
        return f"{name}: {latest.total} on {_day(report, latest.taken_at)}."
    base = summary.baseline
    text = (
        f"{name}: {base.total} at the start ({_day(report, base.taken_at)}"
        f"{_(', before these dates') if summary.baseline_before_period else ''}), "
        f"{latest.total} most recently ({_day(report, latest.taken_at)})"
    )
    change = summary.change
    if change is not None and change.remission:
        text += _(", which counts as remission")
    elif change is not None and change.response:
        text += _(", which counts as a response")
    return text + "."


def session_table(report: Report) -> str:
    """One row per session; the dose as logged is said once when it never changed."""
    doses = {s.dose for s in report.sessions}
    same_dose = len(doses) == 1

    def row(s: SessionSummary) -> str:
        mood = f"{_number(s.mood_before)} → {_number(s.mood_after)}"
        effects = ", ".join(esc(e.name) for e in s.side_effects) or "none"
        cells = [_day(report, s.started_at)]
        if not same_dose:
            cells.append(esc(s.dose) or "–")
        cells += [_blood_pressure(s.vitals_before), _blood_pressure(s.vitals_after), mood, effects]
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    names = [_("Date"), *([] if same_dose else [_("Dose as logged")])]
    names += [_("BP before"), _("BP after"), _("Mood"), _("Side effects")]
    head = "<tr>" + "".join(f"<th align='left'>{n}</th>" for n in names) + "</tr>"
    rows = "".join(row(s) for s in report.sessions)
    dose = next(iter(doses)) if same_dose else ""
    said = f"<p>Dose as logged, each time: {esc(dose)}</p>" if dose else ""
    table = f"<table cellpadding='4' cellspacing='0' width='100%'>{head}{rows}</table>"
    return said + table + _("<p>Mood is 0 to 10, before → after the session.</p>")


def _blood_pressure(vitals: VitalsSet | None) -> str:
    if vitals is None or vitals.systolic is None or vitals.diastolic is None:
        return "–"
    return f"{_number(vitals.systolic)}/{_number(vitals.diastolic)}"


def entry_html(report: Report, entry: EntryView) -> str:
    try:
        kind = EntryKind(entry.kind).label
    except ValueError:
        kind = entry.kind
    meta = [_day(report, entry.created_at), kind]
    if entry.mood is not None:
        meta.append(f"mood {entry.mood}/10")
    if entry.tags:
        meta.append(_("tags: ") + ", ".join(entry.tags))
    sharing = (
        _("marked to share")
        if entry.shared
        else _("<b>private: included because you picked it</b>")
    )
    parts = [
        f"<h3>{esc(entry.title.strip() or _('Untitled'))}</h3>",
        f"<p>{esc(' · '.join(meta))} · {sharing}</p>",
    ]
    for prompt, answer in entry.answers:
        if answer.strip():
            parts.append(f"<p><b>{esc(prompt)}</b></p>{_readable(markdown_html(answer))}")
    if entry.body.strip():
        parts.append(_readable(markdown_html(entry.body)))
    return "".join(parts)


def _readable(body: str) -> str:
    """The person's words with the line spacing of the app's paragraphs."""
    return body.replace("<p>", f'<p style="line-height:{LINE_HEIGHT_PERCENT}%">')


def preview_html(preview: Preview, *, dates: str, format_name: str, protection: str) -> str:
    report = preview.report
    out = [
        _("<p>Read it through, then save the file, or go back and change your choices.</p>"),
        _("<h2>What the file will hold</h2>"),
        f"<p>Dates: {esc(dates)}<br>Format: {esc(format_name)}<br>"
        f"Protection: {esc(PROTECTION_WORDS.get(protection, protection))}</p>",
    ]
    if preview.is_empty:
        out.append(f"<p><b>{esc(EMPTY)}</b></p>")
        return "".join(out)
    if preview.private_entries:
        out.append(
            "<p><b>"
            + plural(preview.private_entries, "entry is", "entries are")
            + _(" private (not marked to share) and will be included because you picked ")
            + ("it" if preview.private_entries == 1 else "them")
            + ".</b></p>"
        )
    out.append("<ul>")
    out.extend(f"<li>{line}</li>" for line in included_lines(preview.counts, report))
    out.append("</ul>")
    if report.entries:
        out.append(f"<h2>Journal entries ({len(report.entries)}), in full</h2>")
        out.append("<hr>".join(entry_html(report, e) for e in report.entries))
    scores = [score_line(report, s) for s in (report.phq9, report.gad7)]
    flags = len(report.item9_flags)
    if any(scores) or flags:
        out.append("<h2>Scores</h2>")
        out.extend(f"<p>{esc(line)}</p>" for line in scores if line)
        if flags:
            out.append(
                _("<p><b>Includes ")
                + plural(flags, "PHQ-9")
                + _(
                    " where question 9 (thoughts of being better off dead or of hurting "
                    "yourself) was answered above “not at all”.</b></p>"
                )
            )
    if report.sessions:
        out.append(f"<h2>Sessions ({len(report.sessions)})</h2>")
        out.append(session_table(report))
    return "".join(out)
