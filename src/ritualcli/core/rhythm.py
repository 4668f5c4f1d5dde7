"""What `ritual stats` shows, computed from the schedule and the history (no printing).

No streaks: a missed week is counted as "skipped" or "not recorded", never as a
broken chain. Notes and commitment texts are not part of the summary at all.
Partners are matched by ``preferences.name_key``, so "sam" in a hand-edited
history is Sam's row.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from . import schedule
from .history import History, Support, support_now
from .history.followthrough import fold, partner_name
from .preferences import Preferences, name_key

BLOCKS = "▁▂▃▄▅▆▇█"


class Rhythm(NamedTuple):
    """How a ritual's planned occurrences went over the window."""

    ritual: str
    planned: int
    held: int  # of the planned ones
    skipped: int
    not_recorded: int
    unplanned: int  # held on days the schedule had nothing (extra, not counted in planned)


class Trend(NamedTuple):
    partner: str
    points: tuple[tuple[dt.date, int], ...]  # (check-in date, rating), oldest first

    @property
    def values(self) -> list[int]:
        return [r for _, r in self.points]

    @property
    def average(self) -> float | None:
        return round(sum(self.values) / len(self.values), 1) if self.points else None


class Stats(NamedTuple):
    start: dt.date  # first day of the window
    end: dt.date  # last day, inclusive (today)
    weeks: int
    since_start: bool  # the window was cut at couple.start: nothing was planned before
    rhythm: tuple[Rhythm, ...]
    rated: tuple[dt.date, ...]  # held check-ins with at least one rating: the chart's columns
    trends: tuple[Trend, ...]
    gaps: tuple[int | None, ...]  # per column: highest minus lowest rating (None: not everyone rated)
    average_gap: float | None  # of the gaps
    gap_checkins: int  # check-ins where every partner rated
    made: int  # commitments made in the window
    kept: int  # …of which kept by now
    let_go: int  # …of which let go
    support: Support | None  # why to suggest support now, if it applies
    wide_gap: int  # [support] gap: a gap this wide is worth a gentle word


def window_start(end: dt.date, weeks: int) -> dt.date:
    return end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)


def summarize(prefs: Preferences, hist: History, end: dt.date, weeks: int | None) -> Stats:
    """The window of ``weeks`` weeks to ``end``; ``weeks=None``: since the first record."""
    if weeks is None:
        first = hist.entries[0].date if hist.entries else (prefs.couple.start or end)
        weeks = max(1, -(-((end - first).days + 1) // 7))
    start = window_start(end, weeks)
    since_start = bool(prefs.couple.start and prefs.couple.start > start)
    if prefs.couple.start and since_start:
        start = min(prefs.couple.start, end)  # nothing was planned before it
    inside = [e for e in hist.entries if start <= e.date <= end]
    rhythm = []
    for ritual in prefs.rituals:
        planned = {
            o.date for o in schedule.occurrences(prefs, start, end + dt.timedelta(days=1), [ritual.kind])
        }
        mine = [e for e in inside if e.ritual == ritual.kind]
        held = sum(1 for e in mine if e.held and e.date in planned)
        skipped = sum(1 for e in mine if not e.held and e.date in planned)
        rhythm.append(
            Rhythm(
                ritual=ritual.kind,
                planned=len(planned),
                held=held,
                skipped=skipped,
                not_recorded=len(planned) - held - skipped,
                unplanned=sum(1 for e in mine if e.held and e.date not in planned),
            )
        )

    checkins = [e for e in inside if e.ritual == "checkin" and e.held and e.ratings]
    names = list(prefs.couple.partners)
    known = {name_key(n) for n in names}
    for e in checkins:  # a name no partner has any more (renamed since): a row of its own
        for n, _ in e.ratings:
            if name_key(n) not in known:
                known.add(name_key(n))
                names.append(partner_name(prefs, n))
    trends = tuple(
        Trend(name, tuple((e.date, r) for e in checkins if (r := e.rating(name)) is not None))
        for name in names
    )
    gaps = tuple(
        max(r for _, r in e.ratings) - min(r for _, r in e.ratings)
        if all(e.rating(n) is not None for n in prefs.couple.partners)
        else None
        for e in checkins
    )
    counted = [g for g in gaps if g is not None]

    f = fold(hist, end + dt.timedelta(days=1))
    made = [c.id for e, c in f.made if e.date >= start]
    closed = [f.log[c].how for c in made if c in f.log]
    return Stats(
        start=start,
        end=end,
        weeks=weeks,
        since_start=since_start,
        rhythm=tuple(rhythm),
        rated=tuple(e.date for e in checkins),
        trends=trends,
        gaps=gaps,
        average_gap=round(sum(counted) / len(counted), 1) if counted else None,
        gap_checkins=len(counted),
        made=len(made),
        kept=closed.count("kept"),
        let_go=closed.count("let-go"),
        support=support_now(prefs, hist, end),
        wide_gap=prefs.support.gap,
    )


def spark(values: list[int | None]) -> str:
    """Ratings 1..10 as block characters (▁ low, █ high); a gap where nobody rated is '·'."""
    out = []
    for v in values:
        out.append("·" if v is None else BLOCKS[round((min(max(v, 1), 10) - 1) * 7 / 9)])
    return "".join(out)


def columns(stats: Stats, trend: Trend) -> list[int | None]:
    """A partner's ratings lined up on the chart's columns (every rated check-in)."""
    mine = dict(trend.points)
    return [mine.get(d) for d in stats.rated]
