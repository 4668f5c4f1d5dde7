"""Which date idea each date night gets, and an honest note when few or none fit.

An idea *fits* a date night when it is somewhere the couple allows
(``date_night.settings``), costs no more than ``budget``, carries nothing in
``avoid``, works at the time of day the date night starts (its local start:
morning from 05:00, afternoon from 12:00, evening from 17:00), needs no more
minutes than the date night lasts, works in the season of that date where
the couple lives (their hemisphere, from ``couple.timezone``; in the tropics,
or for a zone that says nothing about where it is, every season is fine), and
has the light it needs, if any (``vocabulary.LIGHT``: a sunrise or a sunset
inside the date night, or a dark one), from the sun that date at the zone's
principal city (``sun``). A zone with no place (UTC, Etc/GMT+5) leaves the
light unknown, and then, as with seasons, light rules nothing out. Near the
poles a day may have no sunrise or sunset: no sunrise or sunset idea fits it,
and a dark idea fits all of a polar night.

The date nights are dealt in order from the first one: each takes the next
fitting idea, in an order of the couple's own, that has not been used in the
12 months before it; ideas that match the couple's ``interests`` are offered
two times in three. Only when no fitting idea is that fresh does one come back
sooner (the one used longest ago), and the agenda says so. The deal is a pure
function of the preferences (a SHA-256 of the couple's names, never the clock),
worked out once per process and extended as later dates are asked for: the same
date gets the same idea in ``ritual plan``, every agenda and every calendar.

No jinja2 here: ``ritual plan`` names the idea and must start fast.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, NamedTuple

from . import library, schedule, zones
from .library import Idea
from .preferences import PLACES, Preferences, Ritual
from .schedule import Occurrence
from .selection import Pick, order, seed
from .text import escape

if TYPE_CHECKING:
    from .sun import SunDay

# How many date nights a cadence has in a year: fewer fitting ideas than this, and
# one comes back within the year.
PER_YEAR = {"weekly": 52, "biweekly": 26, "monthly": 12}
# Where a time of day starts, and a start time to suggest for it.
TIMES = (("morning", 5, "10:00"), ("afternoon", 12, "14:00"), ("evening", 17, "19:00"))
_CHUNK = dt.timedelta(days=366)
# The light rules of vocabulary.LIGHT. A sunrise idea may start a little after the
# sun is up (a hike to a view still catches the first light); a sunset idea needs
# the sun to go down with a little of the date night left to watch it; the sky is
# dark enough for stars about 45 minutes after sunset (civil twilight lasts about
# 30 at middle latitudes), and as long before sunrise.
SUNRISE_SLACK = dt.timedelta(minutes=15)
# How the "few ideas fit" note names the light a date night has (none of them: daylight).
# In the order they happen in an evening: "over a sunset and after dark".
_LIGHT_SAID = {"sunrise": "over a sunrise", "sunset": "over a sunset", "dark": "after dark"}
SUNSET_LEFT = dt.timedelta(minutes=15)
TWILIGHT = dt.timedelta(minutes=45)


class IdeaFit(NamedTuple):
    """Which date idea, and how many fit at all (for an honest note when few or none do)."""

    idea: Idea | None
    fitting: int  # how many ideas fit this date night
    note: str | None  # what to widen, when none fit or too few to go a year without a repeat


class Slot(NamedTuple):
    """What a date night's idea must fit, besides the couple's standing preferences."""

    time_of_day: str
    minutes: int
    season: str | None  # None: any season
    # The vocabulary.LIGHT conditions this date night meets ({"sunset"}, {"dark"}, …),
    # not its times: most date nights of a year share a handful of slots, which
    # _Deal.fitting keeps. None: the light is unknown, and rules nothing out.
    light: frozenset[str] | None


def time_of_day(at: dt.time) -> str:
    name = "evening"  # before 05:00 counts as the evening before
    for word, hour, _ in TIMES:
        if at.hour >= hour:
            name = word
    return name


def slot_of(prefs: Preferences, day: dt.date, rule: Ritual) -> Slot:
    zone = prefs.couple.timezone
    return Slot(
        time_of_day(rule.time),
        rule.duration,
        zones.season(zone, day),
        light_of(zone, day, rule.time, rule.duration),
    )


@functools.lru_cache(maxsize=1024)  # each date night asks twice: when dealt, and when shown
def light_of(zone: str, day: dt.date, start: dt.time, minutes: int) -> frozenset[str] | None:
    """The vocabulary.LIGHT conditions a date night from ``start`` on ``day`` meets."""
    from zoneinfo import ZoneInfo

    from . import sun

    place = zones.place(zone)
    if place is None:
        return None
    tz = ZoneInfo(zone)
    # In UTC: aware times in the same zone compare by their wall clocks, wrong in a clock change.
    begin = dt.datetime.combine(day, start, tzinfo=tz).astimezone(dt.UTC)
    end = begin + dt.timedelta(minutes=minutes)
    days = [sun.day(place.latitude, place.longitude, day, tz)]
    noon = days[0].noon.astimezone(dt.UTC)
    # Only the days whose sun can reach the date night: another day's sunrise,
    # sunset and twilight all fall more than 11 hours from this day's solar noon.
    if begin < noon - dt.timedelta(hours=11):
        days.append(sun.day(place.latitude, place.longitude, day - dt.timedelta(days=1), tz))
    for ahead, hours in ((1, 11), (2, 35)):
        if end > noon + dt.timedelta(hours=hours):
            days.append(sun.day(place.latitude, place.longitude, day + dt.timedelta(days=ahead), tz))
    met = set()
    if any(d.sunrise and begin - SUNRISE_SLACK <= d.sunrise <= end for d in days):
        met.add("sunrise")
    if any(d.sunset and begin <= d.sunset <= end - SUNSET_LEFT for d in days):
        met.add("sunset")
    if 2 * _lit(days, begin, end) <= end - begin:
        met.add("dark")
    return frozenset(met)


def _lit(days: list[SunDay], begin: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """How much of begin..end is not dark: from twilight before sunrise to twilight after sunset.

    A polar day is light from the midnight before its noon to the one after; a polar night, dark.
    """
    spans = []
    for d in days:
        if d.polar == "night":
            continue
        # In UTC, like begin and end, before any arithmetic: an aware local time plus
        # minutes moves the wall clock, which a clock change makes the wrong instant
        # (dawn 45 minutes before a sunrise in the hour the clock repeats would be read
        # in the earlier offset), and sorting by local clocks could misorder them.
        noon = d.noon.astimezone(dt.UTC)
        rise = d.sunrise.astimezone(dt.UTC) if d.sunrise else None
        fall = d.sunset.astimezone(dt.UTC) if d.sunset else None
        half = dt.timedelta(hours=12)
        first = rise - TWILIGHT if rise else noon - half
        last = fall + TWILIGHT if fall else noon + half
        spans.append((max(first, begin), min(last, end)))
    total, reached = dt.timedelta(0), begin
    for first, last in sorted(spans):  # the spans of adjacent days may overlap far north
        first = max(first, reached)
        if last > first:
            total += last - first
            reached = last
    return total


def _fits(i: Idea, prefs: Preferences, slot: Slot) -> bool:
    return _suits(i, prefs) and _fits_slot(i, slot)


def _suits(i: Idea, prefs: Preferences) -> bool:
    """Fits the couple's standing preferences: settings, budget, avoid."""
    d = prefs.dates
    return i.setting in d.settings and i.cost <= d.budget and not set(d.avoid).intersection(i.labels)


def _fits_slot(i: Idea, slot: Slot) -> bool:
    return (
        slot.time_of_day in i.when
        and i.minutes <= slot.minutes
        and (slot.season is None or slot.season in i.seasons)
        and (not i.light or slot.light is None or i.light in slot.light)
    )


def _year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class _Deal:
    """The ideas dealt so far, from the first date night on; extended on demand."""

    def __init__(self, prefs: Preferences) -> None:
        self.prefs = prefs
        salt = seed(prefs, "date-night")
        suiting = sorted(
            (i for i in library.load().ideas if _suits(i, prefs)), key=lambda i: order(salt, i.id)
        )
        wanted = set(prefs.dates.interests)
        self.groups = (
            tuple(i for i in suiting if wanted.intersection(i.interests)),
            tuple(i for i in suiting if not wanted.intersection(i.interests)),
        )
        self.pointers = [0, 0]
        self.last_used: dict[str, dt.date] = {}
        self.picks: dict[dt.date, Idea | None] = {}
        self.dealt = 0
        self.until = schedule.series_anchor(prefs)  # dealt: every planned date before this
        self._slot_fits: dict[Slot, tuple[frozenset[str], ...]] = {}

    def upto(self, day: dt.date) -> None:
        while self.until <= day:
            chunk = schedule.planned_rules(self.prefs, self.prefs.date_night, self.until, self.until + _CHUNK)
            for date, rule in chunk:
                self.picks[date] = self.pick(date, slot_of(self.prefs, date, rule), record=True)
            self.until += _CHUNK

    def fitting(self, slot: Slot) -> tuple[frozenset[str], ...]:
        """The ids of each group's ideas that fit ``slot`` (a handful of slots a year: kept)."""
        if slot not in self._slot_fits:
            self._slot_fits[slot] = tuple(
                frozenset(i.id for i in g if _fits_slot(i, slot)) for g in self.groups
            )
        return self._slot_fits[slot]

    def pick(self, day: dt.date, slot: Slot, *, record: bool) -> Idea | None:
        fits = self.fitting(slot)
        first = 0 if self.dealt % 3 != 2 else 1  # interests two times in three
        for g in (first, 1 - first):
            chosen = self._next_fresh(g, fits[g], day)
            if chosen is not None:
                if record:
                    self.pointers[g] = self.groups[g].index(chosen) + 1
                break
        else:  # nothing fresh: the fitting idea used longest ago comes back
            fitting = [i for g, group in enumerate(self.groups) for i in group if i.id in fits[g]]
            if not fitting:
                return None
            chosen = min(fitting, key=lambda i: self.last_used.get(i.id, dt.date.min))
        if record:
            self.last_used[chosen.id] = day
            self.dealt += 1
        return chosen

    def _next_fresh(self, g: int, fits: frozenset[str], day: dt.date) -> Idea | None:
        """Group g's first idea at or after its pointer, going round, that fits and is fresh."""
        group = self.groups[g]
        if not fits:
            return None
        n = len(group)
        for k in range(n):
            i = group[(self.pointers[g] + k) % n]
            if i.id in fits:
                used = self.last_used.get(i.id)
                if used is None or _year_later(used) <= day:
                    return i
        return None


@functools.lru_cache(maxsize=16)
def _deal(prefs: Preferences) -> _Deal:
    return _Deal(prefs)


def idea_fit(prefs: Preferences, occ: Occurrence) -> IdeaFit:
    deal = _deal(prefs)
    rule = prefs.date_night._replace(time=occ.start.timetz().replace(tzinfo=None), duration=occ.minutes)
    slot = slot_of(prefs, occ.date, rule)
    deal.upto(occ.date)
    chosen = deal.picks[occ.date] if occ.date in deal.picks else deal.pick(occ.date, slot, record=False)
    fitting = sum(len(ids) for ids in deal.fitting(slot))
    return IdeaFit(chosen, fitting, _note(prefs, occ.date, rule, fitting, PER_YEAR.get(rule.cadence, 12)))


def idea(prefs: Preferences, occ: Occurrence) -> Pick | None:
    chosen = idea_fit(prefs, occ).idea
    return Pick(chosen.id, chosen.title) if chosen else None


# --------------------------------------------------------------------------- when few fit


def _note(prefs: Preferences, day: dt.date, rule: Ritual, fitting: int, per_year: int) -> str | None:
    if fitting >= per_year:
        return None
    slot = slot_of(prefs, day, rule)
    widen = _widen(prefs, day, rule)
    tip = f" To widen the choice, {widen}." if widen else ""
    d = prefs.dates
    limits = [f"settings {', '.join(d.settings) or 'nowhere'}", f"budget {d.budget}"]
    if d.avoid:
        # The note is Markdown the agenda prints as it is: words a user typed are escaped here.
        limits.append(f"avoiding {', '.join(escape(tag) for tag in d.avoid)}")
    limits.append(f"{slot.minutes} minutes in the {slot.time_of_day}")
    if slot.season:
        limits.append(f"in {slot.season}")
    if slot.light is not None:  # why a sunset walk is not among them, or stargazing is
        limits.append(
            " and ".join(said for w, said in _LIGHT_SAID.items() if w in slot.light) or "in daylight"
        )
    said = "; ".join(limits)
    if fitting == 0:
        return f"No date idea in the library fits this date night ({said}).{tip}"
    noun = "idea fits" if fitting == 1 else "ideas fit"
    return f"Only {fitting} date {noun} this date night ({said}), so ideas come back within a year.{tip}"


def _widen(prefs: Preferences, day: dt.date, rule: Ritual) -> str | None:
    """The one or two changes to [date_night] that would let the most ideas fit.

    Another start or length is judged as a whole slot of this date, light included:
    starting in the morning moves the date night away from the sunset, not just the
    time of day."""
    ideas = library.load().ideas
    slot = slot_of(prefs, day, rule)
    d = prefs.dates

    def count(p: Preferences, s: Slot) -> int:
        return sum(_fits(i, p, s) for i in ideas)

    now = count(prefs, slot)
    options: list[tuple[int, str]] = []

    def consider(more: int, text: str) -> None:
        if more > 0:
            options.append((more, f"{text} ({more} more would fit)"))

    for place in PLACES:
        if place not in d.settings:
            wider = prefs._replace(dates=d._replace(settings=(*d.settings, place)))
            consider(count(wider, slot) - now, f'add "{place}" to date_night.settings')
    for cost in sorted({i.cost for i in ideas if i.cost > d.budget}):
        more = count(prefs._replace(dates=d._replace(budget=cost)), slot) - now
        if more:
            consider(more, f"raise date_night.budget to {cost}")
            break
    for tag in d.avoid:
        fewer = tuple(t for t in d.avoid if t != tag)
        consider(
            count(prefs._replace(dates=d._replace(avoid=fewer)), slot) - now,
            f'take "{escape(tag)}" out of date_night.avoid',
        )
    for word, _, at in TIMES:
        if word != slot.time_of_day:
            moved = slot_of(prefs, day, rule._replace(time=dt.time.fromisoformat(at)))
            consider(count(prefs, moved) - now, f'start in the {word} (date_night.time = "{at}")')
    for minutes in sorted({i.minutes for i in ideas if i.minutes > slot.minutes}):
        more = count(prefs, slot_of(prefs, day, rule._replace(duration=minutes))) - now
        if more:
            consider(more, f"make date_night.duration {minutes}")
            break
    if not options:
        return None
    options.sort(key=lambda o: -o[0])
    return " or ".join(text for _, text in options[:2])
