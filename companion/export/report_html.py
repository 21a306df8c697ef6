"""The provider's report as HTML for the PDF renderer: cover, summary, one table a session and
the shared reflections. Qt-free: every value is escaped, Markdown is reduced to plain words."""

from __future__ import annotations

import html
from datetime import datetime

from companion.domain.journal import EntryKind, markdown_to_plain
from companion.export.report_model import Report, ScoreSummary, SessionSummary, VitalsSet
from companion.i18n import (
    N_,
    _,
    format_date,
    format_datetime,
    format_list,
    format_number,
    format_skeleton,
    format_time,
    n_,
)

BASELINE_RULE = N_(
    "Baseline: the last score on or before the first session, else the first score, taken "
    "from the whole history, even when it is earlier than this period. The verdict compares "
    "the latest score with it (response: at least 50 % lower; remission: below 5)."
)
# A session's status when it did not complete, as the report prints it.
_STATUS = {
    "aborted": N_("aborted"),
    "interrupted": N_("interrupted"),
    "in_progress": N_("in progress"),
}
_LT, _GT = "\ue000", "\ue001"  # stand-ins for < and > while Markdown is reduced to words


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _day(report: Report, instant: datetime) -> str:
    return format_skeleton(report.local(instant), "yMMMEd")


def _time(report: Report, instant: datetime) -> str:
    return format_time(report.local(instant))


def _num(value: float | None) -> str:
    return "—" if value is None else format_number(round(value))


def _vitals(v: VitalsSet | None) -> str:
    if v is None:
        return "—"
    if v.pulse is None:
        return _("{top}/{bottom} mmHg").format(top=_num(v.systolic), bottom=_num(v.diastolic))
    return _("{top}/{bottom} mmHg, pulse {pulse}/min").format(
        top=_num(v.systolic), bottom=_num(v.diastolic), pulse=_num(v.pulse)
    )


def _range_text(report: Report) -> str:
    if report.range_from and report.range_to:
        return _("{start} to {end}").format(
            start=format_date(report.range_from), end=format_date(report.range_to)
        )
    if report.range_from:
        return _("{start} to the latest record").format(start=format_date(report.range_from))
    if report.range_to:
        return _("The first record to {end}").format(end=format_date(report.range_to))
    return _("The first record to the latest record")


def _score_line(summary: ScoreSummary, report: Report) -> str:
    name = summary.scale.name
    if summary.baseline is None or summary.latest is None:
        return _("<b>{name}:</b> no scores in this period.").format(name=name)
    base, last = summary.baseline, summary.latest
    values = {
        "name": name,
        "baseline": base.total,
        "baseline_band": _(summary.scale.band_for(base.total).label),
        "baseline_day": _day(report, base.taken_at),
        "latest": last.total,
        "latest_band": _(summary.scale.band_for(last.total).label),
        "latest_day": _day(report, last.taken_at),
    }
    text = (
        _(
            "<b>{name}:</b> baseline {baseline} ({baseline_band}, {baseline_day}) (before this "
            "period) → latest {latest} ({latest_band}, {latest_day})"
        )
        if summary.baseline_before_period
        else _(
            "<b>{name}:</b> baseline {baseline} ({baseline_band}, {baseline_day}) → latest "
            "{latest} ({latest_band}, {latest_day})"
        )
    ).format(**values)
    change = summary.change
    if change is None:
        return _("{scores}; only one score so far.").format(scores=text)
    outcomes = [_("response (≥ 50 % drop)") if change.response else _("no response yet")]
    if change.remission_possible:
        outcomes.append(_("remission (below 5)") if change.remission else _("not in remission"))
    if change.percent_drop is None:
        line = _("{scores}: {outcomes}.").format(scores=text, outcomes=", ".join(outcomes))
    else:
        line = _("{scores}, {percent} % lower: {outcomes}.").format(
            scores=text,
            percent=format_number(round(change.percent_drop)),
            outcomes=", ".join(outcomes),
        )
    total = n_("{n} score in total.", "{n} scores in total.", len(summary.points))
    return f"{line} {total}"


_PARTS = {
    "sessions": N_("sessions"),
    "vitals": N_("vitals"),
    "questionnaires": N_("questionnaires"),
    "entries": N_("shared reflections"),
}


def cover_html(report: Report) -> str:
    parts = format_list([_(_PARTS.get(p, p)) for p in report.parts]) or "—"
    provider = report.provider_name or "—"
    if report.provider_contact:
        provider += f" ({report.provider_contact})"
    local = report.local(report.generated_at)
    generated = f"{format_datetime(local)} {local.strftime('%Z')}".strip()
    rows = (
        (_("Patient"), report.patient_name or "—"),
        (_("Provider"), provider),
        (_("Period"), _range_text(report)),
        (_("Generated"), generated),
        (_("Included"), parts),
        (_("Sessions"), format_number(len(report.sessions))),
        (_("Shared reflections"), format_number(len(report.entries))),
    )
    table = "".join(
        f'<tr><td style="color:#59636e;">{_esc(k)}</td><td>{_esc(v)}</td></tr>' for k, v in rows
    )
    note = _(
        "The patient recorded this with Companion and chose what to include. Doses are shown "
        "exactly as the patient logged them from the prescription. Questionnaires: PHQ-9 and "
        "GAD-7 (Spitzer, Williams, Kroenke and colleagues)."
    )
    kicker, heading = _("COMPANION · PATIENT REPORT"), _("At-home ketamine sessions")
    return f"""
<p style="font-size:10pt; color:#59636e;">{_esc(kicker)}</p>
<h1 style="font-size:24pt;">{_esc(heading)}</h1>
<p style="font-size:14pt;">{_esc(report.patient_name or _("Patient"))}</p>
<table cellpadding="6" style="margin-top:24pt; font-size:12pt;">{table}</table>
<p style="margin-top:36pt; color:#59636e;">{_esc(note)}</p>
"""


def summary_html(report: Report) -> str:
    rows = [
        "<p>"
        + _("<b>Sessions done:</b> {done} completed of {recorded} recorded.").format(
            done=format_number(report.completed_sessions),
            recorded=format_number(len(report.sessions)),
        )
        + "</p>",
        f"<p>{_score_line(report.phq9, report)}</p>",
        f"<p>{_score_line(report.gad7, report)}</p>",
        f'<p style="color:#59636e;">{_esc(_(BASELINE_RULE))}</p>',
        f"<p>{_bp_line(report, 'before')}</p>",
        f"<p>{_bp_line(report, 'after')}</p>",
        _side_effects_html(report),
        _item9_html(report),
    ]
    return "<h2>" + _esc(_("Summary")) + "</h2>" + "".join(rows)


def _bp_line(report: Report, phase: str) -> str:
    bp = report.bp_range(phase)
    if bp is None:
        return (
            _("<b>Blood pressure before sessions:</b> none recorded.")
            if phase == "before"
            else _("<b>Blood pressure after sessions:</b> none recorded.")
        )
    return (
        _(
            "<b>Blood pressure before sessions:</b> systolic {systolic_low}–"
            "{systolic_high}, diastolic {diastolic_low}–{diastolic_high} mmHg "
            "({sessions} sessions)."
        )
        if phase == "before"
        else _(
            "<b>Blood pressure after sessions:</b> systolic {systolic_low}–"
            "{systolic_high}, diastolic {diastolic_low}–{diastolic_high} mmHg "
            "({sessions} sessions)."
        )
    ).format(
        systolic_low=_num(bp.systolic.low),
        systolic_high=_num(bp.systolic.high),
        diastolic_low=_num(bp.diastolic.low),
        diastolic_high=_num(bp.diastolic.high),
        sessions=format_number(bp.sets),
    )


def _side_effects_html(report: Report) -> str:
    effects = report.side_effect_totals()
    if not effects:
        return "<p>" + _("<b>Side effects reported:</b> none.") + "</p>"
    items = "".join(
        "<li>"
        + _("{name}: {count} × (worst: {worst})").format(
            name=_esc(e.name), count=format_number(e.count), worst=_esc(_severity(e.worst))
        )
        + "</li>"
        for e in effects
    )
    return "<p>" + _("<b>Side effects reported:</b>") + f"</p><ul>{items}</ul>"


def _item9_html(report: Report) -> str:
    flags = report.item9_flags
    if not flags:
        never = _("<b>PHQ-9 item 9:</b> never answered above 0 in this period.")
        return f"<p>{never}</p>"
    days = format_list([_day(report, p.taken_at) for p in flags])
    return (
        '<p style="color:#8a1f11;">'
        + n_(
            "<b>PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered "
            "above 0:</b> {n} time: {days}.",
            "<b>PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered "
            "above 0:</b> {n} times: {days}.",
            len(flags),
        ).format(days=_esc(days))
        + "</p>"
    )


_SEVERITY = {"mild": N_("mild"), "moderate": N_("moderate"), "severe": N_("severe")}


def _severity(value: str) -> str:
    return _(_SEVERITY[value]) if value in _SEVERITY else value


def _session_html(report: Report, s: SessionSummary) -> str:
    recovery = s.minutes_to_recovery
    recovery_text = (
        "—"
        if recovery is None
        else _("{minutes} min after the dose").format(minutes=format_number(round(recovery)))
    )
    cells = [
        (_("Dose as logged"), _dose_html(report, s)),
        (_("Vitals before"), _vitals(s.vitals_before)),
        (_("Vitals after"), _vitals(s.vitals_after)),
        (_("Mood before → after"), f"{_num(s.mood_before)} → {_num(s.mood_after)} (0–10)"),
        (_("Time to recovery"), recovery_text),
        (_("Side effects"), _session_effects_html(s)),
        (_("Monitor check-ins"), _esc(_checkins_text(report, s))),
    ]
    body = "".join(
        f'<tr><td width="30%" style="color:#59636e;">{k}</td><td>{v}</td></tr>' for k, v in cells
    )
    # The heading is the table's header row: Qt paginates table rows cleanly (a paragraph
    # right after a table can be cut in two at a page break) and repeats it on a new page.
    return (
        '<table width="100%" border="0.5" cellspacing="0" cellpadding="4" '
        'style="border-color:#c9d1d9; margin-top:10pt;">'
        f'<thead><tr><td colspan="2" style="background-color:#eef2f6; font-size:12pt;">'
        f"<b>{_session_title(report, s)}</b></td></tr></thead>{body}</table>"
    )


def _session_title(report: Report, s: SessionSummary) -> str:
    status = "" if s.status == "completed" else f" ({_esc(_(_STATUS.get(s.status, s.status)))})"
    when = {"day": _day(report, s.started_at), "time": _time(report, s.started_at)}
    return (
        _("Session {number} · {day}, {time}").format(number=s.number, **when)
        if s.number
        else _("Session · {day}, {time}").format(**when)
    ) + status


def _dose_html(report: Report, s: SessionSummary) -> str:
    if not s.dose:
        return _esc(_("not logged"))
    if s.dose_taken_at is not None:
        return _esc(_("{dose} at {time}").format(dose=s.dose, time=_time(report, s.dose_taken_at)))
    return _esc(s.dose)


def _session_effects_html(s: SessionSummary) -> str:
    return "; ".join(
        f"{_esc(e.name)} ({_esc(_severity(e.severity))})" + (f": {_esc(e.note)}" if e.note else "")
        for e in s.side_effects
    ) or _("none")


def _checkins_text(report: Report, s: SessionSummary) -> str:
    if not s.checkins:
        return _("none recorded")
    concerns = [c for c in s.checkins if c.concerns]
    parts = [n_("{n} check-in", "{n} check-ins", len(s.checkins))]
    if concerns:
        parts.append(
            _("concerns: {concerns}").format(
                concerns="; ".join(
                    f"{_time(report, c.at)} {', '.join(c.concerns)}" for c in concerns
                )
            )
        )
    not_asked = list(dict.fromkeys(item for c in s.checkins for item in c.not_asked))
    if not concerns:
        parts.append(_("no concern in what was asked") if not_asked else _("all fine"))
    if not_asked:  # a protocol that did not ask an item: never shown as "fine"
        parts.append(_("not asked: {items}").format(items=", ".join(not_asked)))
    return "; ".join(parts)


def sessions_html(report: Report) -> str:
    if not report.sessions:
        return ""
    heading = _esc(_("Sessions"))
    return f'<h2 style="page-break-before:always;">{heading}</h2>' + "".join(
        _session_html(report, s) for s in report.sessions
    )


def entries_html(report: Report) -> str:
    out = ["<h2>" + _esc(_("Shared reflections")) + "</h2>"]
    for e in report.entries:
        meta = [_day(report, e.created_at), _kind_label(e.kind)]
        if e.mood is not None:
            meta.append(_("mood {mood}/10").format(mood=e.mood))
        if e.tags:
            meta.append(_("tags: {tags}").format(tags=", ".join(e.tags)))
        title = e.title or _("(untitled)")
        out.append(f'<h3 style="margin-top:16pt;">{_esc(title)}</h3>')
        out.append(f'<p style="color:#59636e;">{_esc(" · ".join(meta))}</p>')
        for prompt, answer in e.answers:
            out.append(f"<p><i>{_esc(prompt)}</i></p>{_paragraphs(answer)}")
        if e.body:
            out.append(_paragraphs(e.body))
    return "".join(out)


def _kind_label(kind: str) -> str:
    try:
        return EntryKind(kind).label
    except ValueError:  # a label already (older reports) or an unknown kind: as it is
        return kind


def plain_words(markdown: str) -> str:
    """The entry's words without Markdown emphasis, keeping everything else literally: text
    between ``<`` and ``>`` is the patient's, not a tag to drop."""
    guarded = markdown.replace("<", _LT).replace(">", _GT)
    return markdown_to_plain(guarded).replace(_LT, "<").replace(_GT, ">")


def _paragraphs(markdown: str) -> str:
    text = plain_words(markdown)
    return "".join(
        f"<p>{_esc(p).replace(chr(10), '<br/>')}</p>" for p in text.split("\n\n") if p.strip()
    )


# --------------------------------------------------------------------------------------------
# Pages
