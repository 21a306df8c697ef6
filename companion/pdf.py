"""The PDF report for the provider, with Qt's own PDF engine (QtGui only: QPdfWriter,
QTextDocument, QPainter; no widgets, so it runs on a worker thread or in the CLI).

This is the only Qt below the user interface, so it sits outside the core layers: the
services never import it. The composition roots (``companion.app`` and ``companion.cli``)
build a ``QtPdfRenderer`` and hand it to ``build_services``, which gives it to the export
service as a plain ``(report, check) -> bytes`` callable.

Pages: a cover (patient, provider, date range, generation time, what is included); a one-page
summary (sessions done, PHQ-9 and GAD-7 baseline -> latest with response and remission, blood
pressure before/after ranges, side effects, PHQ-9 item-9 flags); a table per session; the score,
mood and blood-pressure charts, drawn as vectors with QPainter; then the shared reflections in
full. Every page has a footer with the page number. 11 pt DejaVu Sans (a hinted screen
and print font that ships with every Linux and is embedded in the file).

For the record:

* PDF/A-1b, so record systems can archive it as it is;
* Letter paper in the US and Canada, A4 everywhere else (from the locale);
* its own palette (dark ink on white paper), never the screen's theme: the text document is
  drawn with a fixed palette and a stylesheet colour, so a dark window cannot make light text;
* the patient's words are text, never markup: every value is escaped, and Markdown is reduced
  to plain words without dropping anything between ``<`` and ``>``;
* a heading is never the last line of a page: it moves to the next page with its text;
* chart axes are marked on round numbers (0, 5, 10, ...).
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLocale,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPalette,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from companion.domain.journal import EntryKind, markdown_to_plain
from companion.domain.scales import Band
from companion.export.report import Report, ScoreSummary, SessionSummary, VitalsSet
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

RESOLUTION = 300  # dots per inch of the PDF's coordinate space
FONT_FAMILY = "DejaVu Sans"
BODY_PT = 11
MARGIN_MM = 18
FOOTER_MM = 10
INK = QColor("#1f2328")
MUTED = QColor("#59636e")
ACCENT = QColor("#2f5d8a")
SECOND = QColor("#b5651d")
PAPER = QColor("#ffffff")
BAND_COLOURS = ("#e8f3ea", "#f3f1de", "#f7e8d6", "#f5dcd6", "#efd0d0")
LETTER_TERRITORIES = frozenset({QLocale.Country.UnitedStates, QLocale.Country.Canada})
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


# --------------------------------------------------------------------------------------------
# Text formatting


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


def _cover_html(report: Report) -> str:
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


def _summary_html(report: Report) -> str:
    rows: list[str] = []
    done = report.completed_sessions
    rows.append(
        "<p>"
        + _("<b>Sessions done:</b> {done} completed of {recorded} recorded.").format(
            done=format_number(done), recorded=format_number(len(report.sessions))
        )
        + "</p>"
    )
    rows.append(f"<p>{_score_line(report.phq9, report)}</p>")
    rows.append(f"<p>{_score_line(report.gad7, report)}</p>")
    rows.append(f'<p style="color:#59636e;">{_esc(_(BASELINE_RULE))}</p>')
    for phase in ("before", "after"):
        bp = report.bp_range(phase)
        if bp is None:
            text = (
                _("<b>Blood pressure before sessions:</b> none recorded.")
                if phase == "before"
                else _("<b>Blood pressure after sessions:</b> none recorded.")
            )
        else:
            text = (
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
        rows.append(f"<p>{text}</p>")
    effects = report.side_effect_totals()
    if effects:
        items = "".join(
            "<li>"
            + _("{name}: {count} × (worst: {worst})").format(
                name=_esc(e.name), count=format_number(e.count), worst=_esc(_severity(e.worst))
            )
            + "</li>"
            for e in effects
        )
        rows.append("<p>" + _("<b>Side effects reported:</b>") + f"</p><ul>{items}</ul>")
    else:
        rows.append("<p>" + _("<b>Side effects reported:</b> none.") + "</p>")
    flags = report.item9_flags
    if flags:
        days = format_list([_day(report, p.taken_at) for p in flags])
        rows.append(
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
    else:
        never = _("<b>PHQ-9 item 9:</b> never answered above 0 in this period.")
        rows.append(f"<p>{never}</p>")
    return "<h2>" + _esc(_("Summary")) + "</h2>" + "".join(rows)


_SEVERITY = {"mild": N_("mild"), "moderate": N_("moderate"), "severe": N_("severe")}


def _severity(value: str) -> str:
    return _(_SEVERITY[value]) if value in _SEVERITY else value


def _session_html(report: Report, s: SessionSummary) -> str:
    effects = "; ".join(
        f"{_esc(e.name)} ({_esc(_severity(e.severity))})" + (f": {_esc(e.note)}" if e.note else "")
        for e in s.side_effects
    ) or _("none")
    if s.checkins:
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
        checkins = "; ".join(parts)
    else:
        checkins = _("none recorded")
    recovery = s.minutes_to_recovery
    recovery_text = (
        "—"
        if recovery is None
        else _("{minutes} min after the dose").format(minutes=format_number(round(recovery)))
    )
    mood = f"{_num(s.mood_before)} → {_num(s.mood_after)} (0–10)"
    if not s.dose:
        dose = _esc(_("not logged"))
    elif s.dose_taken_at is not None:
        dose = _esc(_("{dose} at {time}").format(dose=s.dose, time=_time(report, s.dose_taken_at)))
    else:
        dose = _esc(s.dose)
    status = "" if s.status == "completed" else f" ({_esc(_(_STATUS.get(s.status, s.status)))})"
    cells = [
        (_("Dose as logged"), dose),
        (_("Vitals before"), _vitals(s.vitals_before)),
        (_("Vitals after"), _vitals(s.vitals_after)),
        (_("Mood before → after"), mood),
        (_("Time to recovery"), recovery_text),
        (_("Side effects"), effects),
        (_("Monitor check-ins"), _esc(checkins)),
    ]
    body = "".join(
        f'<tr><td width="30%" style="color:#59636e;">{k}</td><td>{v}</td></tr>' for k, v in cells
    )
    # The heading is the table's header row: Qt paginates table rows cleanly (a paragraph
    # right after a table can be cut in two at a page break) and repeats it on a new page.
    when = {"day": _day(report, s.started_at), "time": _time(report, s.started_at)}
    title = (
        _("Session {number} · {day}, {time}").format(number=s.number, **when)
        if s.number
        else _("Session · {day}, {time}").format(**when)
    ) + status
    return (
        '<table width="100%" border="0.5" cellspacing="0" cellpadding="4" '
        'style="border-color:#c9d1d9; margin-top:10pt;">'
        f'<thead><tr><td colspan="2" style="background-color:#eef2f6; font-size:12pt;">'
        f"<b>{title}</b></td></tr></thead>{body}</table>"
    )


def _sessions_html(report: Report) -> str:
    if not report.sessions:
        return ""
    heading = _esc(_("Sessions"))
    return f'<h2 style="page-break-before:always;">{heading}</h2>' + "".join(
        _session_html(report, s) for s in report.sessions
    )


def _entries_html(report: Report) -> str:
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


@dataclass(frozen=True, slots=True)
class _Page:
    width: float
    height: float  # the body, above the footer
    footer: float
    dpi: int

    def pt(self, value: float) -> float:
        return value / 72 * self.dpi


def _document(writer: QPdfWriter, page: _Page, body: str) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(BODY_PT)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(
        f"body {{ color: {INK.name()}; background-color: {PAPER.name()}; }} "
        "h1 { font-size: 22pt; } h2 { font-size: 16pt; color: #2f5d8a; } "
        "h3 { font-size: 12.5pt; } p { margin-top: 0; margin-bottom: 6pt; } "
        "td { vertical-align: top; }"
    )
    doc.setPageSize(QSizeF(page.width, page.height))
    doc.setHtml(f"<html><body>{body}</body></html>")
    _keep_headings_with_text(doc, page)
    return doc


def report_palette() -> QPalette:
    """The report's own colours: whatever the screen's theme, ink on white paper."""
    palette = QPalette()
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(role, INK)
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        palette.setColor(role, PAPER)
    palette.setColor(QPalette.ColorRole.Link, ACCENT)
    return palette


_HEADINGS = 3  # h1..h3 keep their text with them


def _first_line_bottom(doc: QTextDocument, block: QTextBlock) -> float:
    rect = doc.documentLayout().blockBoundingRect(block)
    lines = block.layout()
    if not lines.lineCount():
        return rect.bottom()
    first = lines.lineAt(0)
    return rect.top() + first.y() + first.height()


def _keep_headings_with_text(doc: QTextDocument, page: _Page) -> None:
    """A heading that would end a page (its text starting on the next one) starts that next
    page instead. "Its text" is the line under it and the first line after that (an entry's
    title has its date line, then the words). Laid out again after each move, as a move
    shifts everything below it."""
    layout = doc.documentLayout()
    doc.pageCount()
    for _attempt in range(500):
        moved = False
        block = doc.begin()
        while block.isValid():
            after = block.next()
            fmt = block.blockFormat()
            if (
                0 < fmt.headingLevel() <= _HEADINGS
                and after.isValid()
                and not fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
            ):
                top = layout.blockBoundingRect(block).top() + 1  # a dot of rounding
                keep = after.next() if after.next().isValid() else after
                if keep.blockFormat().headingLevel():
                    keep = after
                ends = _first_line_bottom(doc, keep)
                if int(ends // page.height) != int(top // page.height) and top % page.height > 2:
                    cursor = QTextCursor(block)
                    fmt = QTextBlockFormat()
                    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    cursor.mergeBlockFormat(fmt)
                    # Lay the whole document out again, now (not lazily, part by part).
                    doc.markContentsDirty(0, doc.characterCount())
                    doc.pageCount()
                    moved = True
                    break
            block = after
        if not moved:
            return


def _draw_document_pages(
    painter: QPainter, doc: QTextDocument, page: _Page, new_page: Callable[[], None]
) -> int:
    count = doc.pageCount()
    for index in range(count):
        if index:
            new_page()
        painter.save()
        painter.translate(0, -index * page.height)
        clip = QRectF(0, index * page.height, page.width, page.height)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = report_palette()
        # Layout positions carry rounding: a block starting a page can sit a hair above its
        # top. Drawing only what overlaps the page by more than a dot keeps its (clipped,
        # invisible) text out of the previous page.
        context.clip = clip.adjusted(0, 1, 0, -1)
        doc.documentLayout().draw(painter, context)
        painter.restore()
    return count


def _font(pt: float, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(pt)
    font.setBold(bold)
    return font


def _footer(painter: QPainter, page: _Page, report: Report, number: int, total: int) -> None:
    painter.save()
    painter.setFont(_font(8.5))
    painter.setPen(MUTED)
    y = page.height + page.footer * 0.25
    rect = QRectF(0, y, page.width, page.footer * 0.75)
    who = (
        _("Companion report · {name}").format(name=report.patient_name)
        if report.patient_name
        else _("Companion report")
    )
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), who)
    painter.drawText(
        rect,
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        _("Page {number} of {total}").format(number=number, total=total),
    )
    painter.restore()


# --------------------------------------------------------------------------------------------
# Charts (vector, straight onto the page)


@dataclass(frozen=True, slots=True)
class _Series:
    label: str
    colour: QColor
    points: tuple[tuple[float, float], ...]  # (x in [0, 1], value)
    dashed: bool = False


def _chart(
    painter: QPainter,
    rect: QRectF,
    page: _Page,
    title: str,
    y_max: float,
    y_min: float,
    series: Sequence[_Series],
    x_labels: Sequence[tuple[float, str]],
    bands: Sequence[Band] = (),
    lines: Sequence[tuple[float, str, QColor]] = (),
    empty: str = "",
) -> None:
    painter.save()
    painter.setFont(_font(11, bold=True))
    painter.setPen(INK)
    title_h = page.pt(18)
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), title_h), 0, title)
    left = rect.left() + page.pt(30)
    plot = QRectF(left, rect.top() + title_h + page.pt(4), rect.right() - left, 0)
    plot.setBottom(rect.bottom() - page.pt(30))

    def y_of(value: float) -> float:
        span = (y_max - y_min) or 1.0
        return plot.bottom() - (value - y_min) / span * plot.height()

    def x_of(fraction: float) -> float:
        return plot.left() + fraction * plot.width()

    for index, band in enumerate(bands):
        top, bottom = y_of(min(band.high + 0.5, y_max)), y_of(max(band.low - 0.5, y_min))
        colour = QColor(BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)])
        painter.fillRect(QRectF(plot.left(), top, plot.width(), bottom - top), colour)
        painter.setFont(_font(7))
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(plot.right() - page.pt(120), top, page.pt(118), bottom - top),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            _(band.label),
        )
    painter.setPen(QPen(MUTED, page.pt(0.6)))
    painter.drawRect(plot)
    painter.setFont(_font(8))
    for value in round_ticks(y_min, y_max):
        y = y_of(value)
        painter.drawLine(QPointF(plot.left() - page.pt(3), y), QPointF(plot.left(), y))
        painter.drawText(
            QRectF(rect.left(), y - page.pt(6), page.pt(26), page.pt(12)),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            f"{value:.0f}",
        )
    for fraction, label in x_labels:
        x = x_of(fraction)
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + page.pt(3)))
        painter.drawText(
            QRectF(x - page.pt(40), plot.bottom() + page.pt(4), page.pt(80), page.pt(12)),
            int(Qt.AlignmentFlag.AlignHCenter),
            label,
        )
    for value, label, colour in lines:
        pen = QPen(colour, page.pt(1))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        y = y_of(value)
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.drawText(QPointF(plot.left() + page.pt(4), y - page.pt(2)), label)
    if not any(s.points for s in series):
        painter.setPen(MUTED)
        painter.setFont(_font(10))
        painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), empty)
    legend_x = plot.left()
    for s in series:
        pen = QPen(s.colour, page.pt(1.6))
        if s.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        if len(s.points) > 1:
            path = QPainterPath(QPointF(x_of(s.points[0][0]), y_of(s.points[0][1])))
            for x, y in s.points[1:]:
                path.lineTo(QPointF(x_of(x), y_of(y)))
            painter.drawPath(path)
        painter.setBrush(s.colour)
        radius = page.pt(2.2)
        for x, y in s.points:
            painter.drawEllipse(QPointF(x_of(x), y_of(y)), radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(_font(8))
        ly = rect.bottom() - page.pt(10)
        painter.drawLine(QPointF(legend_x, ly), QPointF(legend_x + page.pt(14), ly))
        painter.setPen(INK)
        painter.drawText(QPointF(legend_x + page.pt(18), ly + page.pt(3)), s.label)
        legend_x += page.pt(30) + page.pt(6) * len(s.label)
    painter.restore()


def round_ticks(low: float, high: float, most: int = 9) -> list[float]:
    """Axis marks on round numbers (a step of 1, 2 or 5 times a power of ten), at most
    ``most`` of them, from the first multiple of the step at or above ``low`` up to ``high``."""
    span = high - low
    if span <= 0:
        return [low]
    step = 1.0
    power = 10 ** math.floor(math.log10(span / most)) if span / most > 0 else 1.0
    for factor in (1, 2, 5, 10):
        step = factor * power
        if span / step <= most - 1:
            break
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9)
    return [round(first + i * step, 9) for i in range(count + 1)]


def _time_axis(
    report: Report, instants: Sequence[datetime]
) -> tuple[Callable[[datetime], float], list[tuple[float, str]]]:
    if not instants:
        return (lambda _t: 0.5), []
    low, high = min(instants), max(instants)
    span = (high - low).total_seconds()

    def fraction(t: datetime) -> float:
        return 0.5 if span <= 0 else 0.03 + 0.94 * (t - low).total_seconds() / span

    count = 1 if span <= 0 else 5
    labels = []
    for i in range(count):
        t = low if count == 1 else low + (high - low) * (i / (count - 1))
        labels.append((fraction(t), format_skeleton(report.local(t), "yMMMd")))
    return fraction, labels


def _score_chart(
    painter: QPainter, rect: QRectF, page: _Page, report: Report, s: ScoreSummary
) -> None:
    fraction, labels = _time_axis(report, [p.taken_at for p in s.points])
    lines: list[tuple[float, str, QColor]] = []
    if s.response_line is not None:
        lines.append((s.response_line, _("response (50 % below baseline)"), ACCENT))
    if s.remission_line is not None:
        lines.append((s.remission_line - 0.5, _("remission (below 5)"), QColor("#2d7d46")))
    series = _Series(
        _("{name} total").format(name=s.scale.name),
        INK,
        tuple((fraction(p.taken_at), p.total) for p in s.points),
    )
    _chart(
        painter,
        rect,
        page,
        _("{name} total score (0–{maximum})").format(name=s.scale.name, maximum=s.scale.max_total),
        s.scale.max_total,
        0,
        [series],
        labels,
        bands=s.scale.bands,
        lines=lines,
        empty=_("No {name} scores in this period.").format(name=s.scale.name),
    )


def _mood_chart(painter: QPainter, rect: QRectF, page: _Page, report: Report) -> None:
    fraction, labels = _time_axis(report, [s.started_at for s in report.sessions])
    before = tuple(
        (fraction(s.started_at), float(s.mood_before))
        for s in report.sessions
        if s.mood_before is not None
    )
    after = tuple(
        (fraction(s.started_at), float(s.mood_after))
        for s in report.sessions
        if s.mood_after is not None
    )
    _chart(
        painter,
        rect,
        page,
        _("Mood before and after each session (0–10)"),
        10,
        0,
        [_Series(_("before"), MUTED, before, dashed=True), _Series(_("after"), ACCENT, after)],
        labels,
        empty=_("No moods recorded in this period."),
    )


def _bp_chart(painter: QPainter, rect: QRectF, page: _Page, report: Report) -> None:
    fraction, labels = _time_axis(report, [s.started_at for s in report.sessions])

    def series(phase: str, attr: str) -> tuple[tuple[float, float], ...]:
        found = []
        for s in report.sessions:
            v = s.vitals_before if phase == "before" else s.vitals_after
            value = None if v is None else getattr(v, attr)
            if value is not None:
                found.append((fraction(s.started_at), float(value)))
        return tuple(found)

    _chart(
        painter,
        rect,
        page,
        _("Blood pressure before and after each session (mmHg)"),
        200,
        40,
        [
            _Series(_("systolic before"), MUTED, series("before", "systolic"), dashed=True),
            _Series(_("systolic after"), ACCENT, series("after", "systolic")),
            _Series(
                _("diastolic before"), QColor("#9a6a3a"), series("before", "diastolic"), dashed=True
            ),
            _Series(_("diastolic after"), SECOND, series("after", "diastolic")),
        ],
        labels,
        empty=_("No blood pressure recorded in this period."),
    )


def _chart_pages(report: Report) -> list[Callable[[QPainter, _Page], None]]:
    pages: list[Callable[[QPainter, _Page], None]] = []
    if "questionnaires" in report.parts:

        def scores(painter: QPainter, page: _Page) -> None:
            half = (page.height - page.pt(20)) / 2
            _score_chart(painter, QRectF(0, 0, page.width, half), page, report, report.phq9)
            _score_chart(
                painter, QRectF(0, half + page.pt(20), page.width, half), page, report, report.gad7
            )

        pages.append(scores)
    if "sessions" in report.parts or "vitals" in report.parts:

        def sessions(painter: QPainter, page: _Page) -> None:
            half = (page.height - page.pt(20)) / 2
            _mood_chart(painter, QRectF(0, 0, page.width, half), page, report)
            _bp_chart(painter, QRectF(0, half + page.pt(20), page.width, half), page, report)

        pages.append(sessions)
    return pages


# --------------------------------------------------------------------------------------------


def paper_for(locale: QLocale) -> QPageSize.PageSizeId:
    """Letter in the United States and Canada, A4 everywhere else."""
    if locale.territory() in LETTER_TERRITORIES:
        return QPageSize.PageSizeId.Letter
    return QPageSize.PageSizeId.A4


def render_pdf(
    report: Report,
    check: Callable[[], None] | None = None,
    locale: QLocale | None = None,
) -> bytes:
    """The whole report as PDF/A-1b bytes, built in memory, on the locale's paper. Needs a
    ``QGuiApplication`` (fonts and painting): ``QtPdfRenderer`` makes sure there is one."""
    if QGuiApplication.instance() is None:
        raise RuntimeError("the PDF renderer needs a QGuiApplication (use QtPdfRenderer)")
    paper = paper_for(locale if locale is not None else QLocale.system())
    tick = check or (lambda: None)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle("Companion report")
    writer.setCreator("Companion")
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_A1b)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(paper),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM - FOOTER_MM / 2),
            QPageLayout.Unit.Millimeter,
        )
    )
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer = FOOTER_MM / 25.4 * RESOLUTION
    page = _Page(float(area.width()), float(area.height()) - footer, footer, RESOLUTION)

    tick()
    first = _document(
        writer,
        page,
        _cover_html(report)
        + '<div style="page-break-before:always;"></div>'
        + _summary_html(report)
        + _sessions_html(report),
    )
    tick()
    charts = _chart_pages(report)
    reflections = _document(writer, page, _entries_html(report)) if report.entries else None
    tick()
    total = first.pageCount() + len(charts) + (reflections.pageCount() if reflections else 0)

    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("could not start the PDF")
    number = 0
    try:

        def new_page() -> None:
            nonlocal number
            number += 1
            _footer(painter, page, report, number, total)
            writer.newPage()

        _draw_document_pages(painter, first, page, new_page)
        for draw in charts:
            tick()
            new_page()
            draw(painter, page)
        if reflections is not None:
            tick()
            new_page()
            _draw_document_pages(painter, reflections, page, new_page)
        number += 1
        _footer(painter, page, report, number, total)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


class QtPdfRenderer:
    """The export service's PDF renderer, built by a composition root. In the app the
    ``QApplication`` already exists; on the command line the renderer makes an offscreen
    ``QGuiApplication`` the first time a PDF is wanted and keeps it for the process."""

    def __init__(self, locale: QLocale | None = None) -> None:
        self._locale = locale
        self._app: QGuiApplication | None = None

    def __call__(self, report: Report, check: Callable[[], None] | None = None) -> bytes:
        if QGuiApplication.instance() is None:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            self._app = QGuiApplication(["companion-export"])
        return render_pdf(report, check, self._locale)
