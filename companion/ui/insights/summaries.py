"""What each Insights card shows: its chart, the sentence under it that says in words what the
chart shows, and its legend."""

from __future__ import annotations

from collections.abc import Callable
from statistics import mean
from typing import TYPE_CHECKING

from PySide6.QtCharts import QChart

from companion.i18n import _, format_number, n_
from companion.ui.common.render import local_day
from companion.ui.insights import chart_parts, charts

if TYPE_CHECKING:
    from companion.services.insights import (
        Insights,
        MoodSeries,
        ScoreSeries,
        SideEffectSeries,
        VitalsSeries,
        WeeklySeries,
    )

# Builds a card's chart, summary and legend (run on the GUI thread, one card per turn).
Build = Callable[[], tuple[QChart, str, str]]


def card_contents(
    data: Insights, style: chart_parts.ChartStyle
) -> list[tuple[str, bool, str, Build]]:
    """Each card in order: its key, whether it has nothing to show, the words shown then, and
    how its chart is built."""
    return [
        ("mood", data.mood.is_empty, data.mood.empty_text,
         lambda: (charts.mood_chart(data.mood, style), mood_summary(data.mood), "")),
        ("phq9", data.phq9.is_empty, data.phq9.empty_text,
         lambda: (charts.score_chart(data.phq9, style), score_summary(data.phq9),
                  charts.band_legend(data.phq9))),
        ("gad7", data.gad7.is_empty, data.gad7.empty_text,
         lambda: (charts.score_chart(data.gad7, style), score_summary(data.gad7),
                  charts.band_legend(data.gad7))),
        ("blood_pressure", data.vitals.is_empty, data.vitals.empty_text,
         lambda: (charts.blood_pressure_chart(data.vitals, style),
                  vitals_summary(data.vitals, pulse=False), "")),
        ("pulse", data.vitals.is_empty, data.vitals.empty_text,
         lambda: (charts.pulse_chart(data.vitals, style),
                  vitals_summary(data.vitals, pulse=True), "")),
        ("side_effects", data.side_effects.is_empty, data.side_effects.empty_text,
         lambda: (charts.side_effects_chart(data.side_effects, style),
                  side_effects_summary(data.side_effects), "")),
        ("weeks", data.sessions_per_week.is_empty, data.sessions_per_week.empty_text,
         lambda: (charts.weekly_chart(data.sessions_per_week, style),
                  weekly_summary(data.sessions_per_week), "")),
    ]  # fmt: skip


def averaged_note(sessions: int) -> str:
    each = chart_parts.sessions_per_point(sessions)
    return (
        " " + _("Each point is the average of {count} sessions.").format(count=each)
        if each > 1
        else ""
    )


def mood_summary(s: MoodSeries) -> str:
    before = [p.before for p in s.points if p.before is not None]
    after = [p.after for p in s.points if p.after is not None]
    parts = [n_("{n} session.", "{n} sessions.", len(s.points)) + averaged_note(len(s.points))]
    if before and after:
        parts.append(
            _("Mood before averaged {before} of 10 and after averaged {after}.").format(
                before=format_number(mean(before), 1), after=format_number(mean(after), 1)
            )
        )
    elif before:
        parts.append(
            _("Mood before averaged {before} of 10.").format(before=format_number(mean(before), 1))
        )
    elif after:
        parts.append(
            _("Mood after averaged {after} of 10.").format(after=format_number(mean(after), 1))
        )
    last = s.points[-1]
    if last.before is not None or last.after is not None:
        b = "–" if last.before is None else str(last.before)
        a = "–" if last.after is None else str(last.after)
        parts.append(_("Last session: {before} before, {after} after.").format(before=b, after=a))
    return " ".join(parts)


def score_summary(s: ScoreSeries) -> str:
    latest = s.points[-1]
    band = next((b for b in s.bands if b.key == latest.band_key), None)
    day = local_day(latest.taken_at)
    if band:
        text = _("Latest {scale}: {total} ({band}), {date}.").format(
            scale=s.name, total=latest.total, band=band.label.lower(), date=day
        )
    else:
        text = _("Latest {scale}: {total}, {date}.").format(
            scale=s.name, total=latest.total, date=day
        )
    if s.baseline is not None:
        text += " " + _("Starting point: {score}.").format(score=s.baseline)
    change = s.change
    if change is not None:
        if change.remission:
            text += " " + _("That is remission and a response (see the lines).")
        elif change.response:
            text += " " + _("That is a response: at least half lower than the starting point.")
        elif change.drop > 0:
            text += " " + _("{points} lower than the starting point.").format(points=change.drop)
        elif change.drop < 0:
            text += " " + _("{points} higher than the starting point.").format(points=-change.drop)
    return text


def vitals_summary(s: VitalsSeries, pulse: bool) -> str:
    def avg(values: list[float | None]) -> str:
        found = [v for v in values if v is not None]
        return format_number(mean(found), 0) if found else "–"

    befores = [p.before for p in s.points if p.before is not None]
    afters = [p.after for p in s.points if p.after is not None]
    if pulse:
        return _("Average pulse before a session {before}, after {after} beats per minute.").format(
            before=avg([v.pulse for v in befores]), after=avg([v.pulse for v in afters])
        )
    return _(
        "Average before a session {before_top}/{before_bottom} mmHg; after "
        "{after_top}/{after_bottom} mmHg. Solid lines: systolic; dashed: diastolic."
    ).format(
        before_top=avg([v.systolic for v in befores]),
        before_bottom=avg([v.diastolic for v in befores]),
        after_top=avg([v.systolic for v in afters]),
        after_bottom=avg([v.diastolic for v in afters]),
    ) + averaged_note(len(s.points))


def side_effects_summary(s: SideEffectSeries) -> str:
    top = ", ".join(
        _("{effect} {count}×").format(effect=c.name.lower(), count=c.total) for c in s.counts[:3]
    )
    return n_(
        "Most often noted over {n} session: {effects}.",
        "Most often noted over {n} sessions: {effects}.",
        s.sessions,
    ).format(effects=top)


def weekly_summary(s: WeeklySeries) -> str:
    total = sum(w.sessions for w in s.weeks)
    recent = sum(w.sessions for w in s.weeks[-4:])
    return _("{sessions} over {weeks}; {recent} in the last four weeks.").format(
        sessions=n_("{n} session", "{n} sessions", total),
        weeks=n_("{n} week", "{n} weeks", len(s.weeks)),
        recent=recent,
    )
