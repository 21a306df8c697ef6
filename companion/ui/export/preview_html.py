"""The preview as one readable document: exactly what the file will hold, before it is written.

Pure (no Qt): built on the worker from the service's ``Preview``, shown a piece at a time by
``preview_pane``.
Every piece of the person's own text is escaped (``markdown_html`` escapes first).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

from companion.domain.journal import EntryKind
from companion.i18n import N_, _, format_list, format_number, format_skeleton, n_
from companion.ui.common.render import markdown_html
from companion.ui.widgets.text import LINE_HEIGHT_PERCENT

if TYPE_CHECKING:
    from companion.export.report_model import (
        EntryView,
        Report,
        ScoreSummary,
        SessionSummary,
        VitalsSet,
    )
    from companion.services.export import Preview

PROTECTION_WORDS = {
    "passphrase": N_("encrypted with a new passphrase, shown to you once after saving"),
    "recipient": N_("encrypted for your provider's key: only your provider can open it"),
    "plaintext": N_("not encrypted: anyone who gets the file can read it"),
}
EMPTY = N_(
    "Nothing in these dates matches your choices, so there is nothing to save. "
    "Choose other dates or include more."
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _day(report: Report, instant: object) -> str:
    from datetime import datetime

    assert isinstance(instant, datetime)
    return format_skeleton(report.local(instant), "yMMMEd")


def _number(value: float | None) -> str:
    return "–" if value is None else format_number(value, 0)


def included_lines(counts: Mapping[str, int], report: Report) -> list[str]:
    """One line per kind of record that leaves, with the numbers."""
    lines: list[str] = []
    if counts.get("profile"):
        lines.append(_profile_line(report))
    sessions = counts.get("session", 0)
    if sessions:
        lines.append(_sessions_line(counts, sessions))
    elif counts.get("side_effect"):
        lines.append(n_("{n} side effect", "{n} side effects", counts["side_effect"]))
    if counts.get("vital_reading"):
        lines.append(
            n_(
                "{n} blood pressure and pulse reading",
                "{n} blood pressure and pulse readings",
                counts["vital_reading"],
            )
        )
    assessments = counts.get("assessment", 0)
    if assessments:
        lines.append(
            n_(
                "{n} questionnaire ({phq9} PHQ-9, {gad7} GAD-7), with every answer",
                "{n} questionnaires ({phq9} PHQ-9, {gad7} GAD-7), with every answer",
                assessments,
            ).format(phq9=len(report.phq9.points), gad7=len(report.gad7.points))
        )
    entries = counts.get("journal_entry", 0)
    if entries:
        lines.append(_entries_line(counts, entries))
    return lines


def _profile_line(report: Report) -> str:
    if report.patient_name:
        name = _("Your name ({name})").format(name=esc(report.patient_name))
    else:
        name = _("Your name")
    if report.provider_name:
        return _("{name}, and your provider's name and contact details: {provider}").format(
            name=name, provider=esc(report.provider_name)
        )
    return _("{name}, and your provider's name and contact details").format(name=name)


def _sessions_line(counts: Mapping[str, int], sessions: int) -> str:
    details = [
        n_("{n} dose as logged", "{n} doses as logged", counts.get("dose_log", 0)),
        n_("{n} monitor check-in", "{n} monitor check-ins", counts.get("monitor_checkin", 0)),
        n_("{n} side effect", "{n} side effects", counts.get("side_effect", 0)),
    ]
    return n_(
        "{n} session summary, with {details}",
        "{n} session summaries, with {details}",
        sessions,
    ).format(details=format_list(details))


def _entries_line(counts: Mapping[str, int], entries: int) -> str:
    extra = []
    if counts.get("journal_answer"):
        extra.append(
            n_(
                "{n} answer to a guided question",
                "{n} answers to guided questions",
                counts["journal_answer"],
            )
        )
    if counts.get("tag"):
        extra.append(n_("{n} tag", "{n} tags", counts["tag"]))
    if extra:
        return n_(
            "{n} journal entry, in full below, with {details}",
            "{n} journal entries, in full below, with {details}",
            entries,
        ).format(details=format_list(extra))
    return n_(
        "{n} journal entry, in full below",
        "{n} journal entries, in full below",
        entries,
    )


def score_line(report: Report, summary: ScoreSummary) -> str:
    name = summary.scale.name
    if summary.latest is None:
        return ""
    latest = summary.latest
    if summary.baseline is None or summary.baseline.id == latest.id:
        return _("{scale}: {total} on {date}.").format(
            scale=name, total=latest.total, date=_day(report, latest.taken_at)
        )
    base = summary.baseline
    words = {
        "scale": name,
        "first": base.total,
        "first_date": _day(report, base.taken_at),
        "latest": latest.total,
        "latest_date": _day(report, latest.taken_at),
    }
    change = summary.change
    remission = change is not None and change.remission
    response = change is not None and change.response
    if summary.baseline_before_period:
        if remission:
            text = _(
                "{scale}: {first} at the start ({first_date}, before these dates), {latest} most "
                "recently ({latest_date}), which counts as remission."
            )
        elif response:
            text = _(
                "{scale}: {first} at the start ({first_date}, before these dates), {latest} most "
                "recently ({latest_date}), which counts as a response."
            )
        else:
            text = _(
                "{scale}: {first} at the start ({first_date}, before these dates), {latest} most "
                "recently ({latest_date})."
            )
    elif remission:
        text = _(
            "{scale}: {first} at the start ({first_date}), {latest} most recently "
            "({latest_date}), which counts as remission."
        )
    elif response:
        text = _(
            "{scale}: {first} at the start ({first_date}), {latest} most recently "
            "({latest_date}), which counts as a response."
        )
    else:
        text = _(
            "{scale}: {first} at the start ({first_date}), {latest} most recently ({latest_date})."
        )
    return text.format(**words)


def session_table(report: Report) -> str:
    """One row per session; the dose as logged is said once when it never changed."""
    doses = {s.dose for s in report.sessions}
    same_dose = len(doses) == 1

    def row(s: SessionSummary) -> str:
        mood = f"{_number(s.mood_before)} → {_number(s.mood_after)}"
        effects = ", ".join(esc(e.name) for e in s.side_effects) or _("none")
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
    said = _("<p>Dose as logged, each time: {dose}</p>").format(dose=esc(dose)) if dose else ""
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
        meta.append(_("mood {mood}/10").format(mood=entry.mood))
    if entry.tags:
        meta.append(_("tags: {tags}").format(tags=", ".join(entry.tags)))
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


def preview_parts(preview: Preview, *, dates: str, format_name: str, protection: str) -> list[str]:
    """The preview as consecutive pieces of one HTML document: what the file will hold, one
    piece a journal entry, then the scores and sessions. Joined, they are the whole document;
    the viewer lays out only the pieces on screen (``preview_pane``)."""
    report = preview.report
    out = [
        _("<p>Read it through, then save the file, or go back and change your choices.</p>"),
        _("<h2>What the file will hold</h2>"),
        _("<p>Dates: {dates}<br>Format: {format}<br>Protection: {protection}</p>").format(
            dates=esc(dates),
            format=esc(format_name),
            protection=esc(
                _(PROTECTION_WORDS[protection]) if protection in PROTECTION_WORDS else protection
            ),
        ),
    ]
    if preview.is_empty:
        out.append(f"<p><b>{esc(_(EMPTY))}</b></p>")
        return ["".join(out)]
    if preview.private_entries:
        out.append(
            "<p><b>"
            + n_(
                "{n} entry is private (not marked to share) and will be included because you "
                "picked it.",
                "{n} entries are private (not marked to share) and will be included because you "
                "picked them.",
                preview.private_entries,
            )
            + "</b></p>"
        )
    out.append("<ul>")
    out.extend(f"<li>{line}</li>" for line in included_lines(preview.counts, report))
    out.append("</ul>")
    parts = [""]
    if report.entries:
        out.append(
            _("<h2>Journal entries ({count}), in full</h2>").format(count=len(report.entries))
        )
        parts = ["<hr>" + entry_html(report, e) for e in report.entries]
        parts[0] = parts[0].removeprefix("<hr>")
    parts[0] = "".join(out) + parts[0]
    tail = _scores_and_sessions(report)
    if tail:
        parts.append(tail)
    return parts


def _scores_and_sessions(report: Report) -> str:
    out: list[str] = []
    scores = [score_line(report, s) for s in (report.phq9, report.gad7)]
    flags = len(report.item9_flags)
    if any(scores) or flags:
        out.append(_("<h2>Scores</h2>"))
        out.extend(f"<p>{esc(line)}</p>" for line in scores if line)
        if flags:
            out.append(
                n_(
                    "<p><b>Includes {n} PHQ-9 where question 9 (thoughts of being better off "
                    "dead or of hurting yourself) was answered above “not at all”.</b></p>",
                    "<p><b>Includes {n} PHQ-9s where question 9 (thoughts of being better off "
                    "dead or of hurting yourself) was answered above “not at all”.</b></p>",
                    flags,
                )
            )
    if report.sessions:
        out.append(_("<h2>Sessions ({count})</h2>").format(count=len(report.sessions)))
        out.append(session_table(report))
    return "".join(out)
