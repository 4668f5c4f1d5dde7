"""Date nights: ideas that fit the evening (time of day, length, season, light, place, cost),
a year without repeats, what to loosen when few or none fit, and the date night agenda."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tzdata  # type: ignore[import-untyped]
from astral import Observer
from astral.sun import elevation
from astral.sun import sun as astral_sun
from hypothesis import given, settings
from hypothesis import strategies as st

from agendas import ends_with_safety_note, headings
from conftest import COUPLE, Invoke, WriteConfig
from ritualcli.core import agenda, date_ideas, library, preferences, schedule, sun, zones
from ritualcli.core.history import History
from ritualcli.core.preferences import Preferences

LIB = library.load()


START = dt.date(2026, 11, 23)


def prefs_from(extra: str = "", zone: str = "Europe/Berlin", start: dt.date = START) -> Preferences:
    text = f'version = 1\n[couple]\npartners = ["Alex", "Sam"]\ntimezone = "{zone}"\nstart = {start}\n{extra}'
    return preferences.parse_bytes(text.encode())


def dates(prefs: Preferences, years: int = 3) -> list[schedule.Occurrence]:
    return schedule.occurrences(prefs, START, START + dt.timedelta(days=365 * years), ["date-night"])


def picks(prefs: Preferences, years: int = 3) -> list[tuple[schedule.Occurrence, library.Idea]]:
    out = []
    for occ in dates(prefs, years):
        chosen = date_ideas.idea_fit(prefs, occ).idea
        assert chosen is not None, occ.date
        out.append((occ, chosen))
    return out


def a_year_later(day: dt.date) -> dt.date:
    return (
        day.replace(year=day.year + 1)
        if (day.month, day.day) != (2, 29)
        else day.replace(year=day.year + 1, day=28)
    )


# --------------------------------------------------------------------------- what fits


def test_a_friday_evening_gets_evening_ideas_that_fit_its_length_and_season() -> None:
    prefs = prefs_from('[date_night]\ncadence = "weekly"\n')
    for occ, idea in picks(prefs):
        assert "evening" in idea.when and idea.minutes <= 150, (occ.date, idea.id)
        season = zones.season("Europe/Berlin", occ.date)
        assert season in idea.seasons, (occ.date, idea.id)
    assert "sunrise-hike" not in {i.id for _, i in picks(prefs)}


def test_a_saturday_morning_gets_morning_ideas() -> None:
    prefs = prefs_from('[date_night]\ncadence = "weekly"\nday = "saturday"\ntime = "09:00"\nduration = 240\n')
    chosen = [i for _, i in picks(prefs, 1)]
    assert all("morning" in i.when for i in chosen)
    assert {"long-brunch", "market-breakfast"} & {i.id for i in chosen}


def test_seasons_follow_the_couples_hemisphere() -> None:
    north = prefs_from('[date_night]\ncadence = "weekly"\nsettings = ["outdoors"]\n', zone="Europe/London")
    south = prefs_from('[date_night]\ncadence = "weekly"\nsettings = ["outdoors"]\n', zone="Australia/Sydney")
    january = lambda prefs: [i for o, i in picks(prefs, 2) if o.date.month == 1]  # noqa: E731
    assert all("winter" in i.seasons for i in january(north))
    assert all("summer" in i.seasons for i in january(south))
    assert "winter-lights" not in {i.id for i in january(south)}


@pytest.mark.parametrize(
    ("zone", "side"),
    [
        ("Europe/London", "north"),
        ("America/New_York", "north"),
        ("Australia/Sydney", "south"),
        ("Australia/NSW", "south"),  # an old name, followed to the zone it links to
        ("America/Argentina/Buenos_Aires", "south"),
        ("Pacific/Auckland", "south"),
        ("Asia/Singapore", None),  # the tropics: no season rules an idea out
        ("EST5EDT", "north"),  # in no country: placed by its summer time
        ("Etc/GMT+5", None),
    ],
)
def test_the_hemisphere_of_a_zone(zone: str, side: str | None) -> None:
    assert zones.hemisphere(zone) == side


def test_a_zone_gives_the_coordinates_of_its_principal_city() -> None:
    # zone.tab writes ±DDMM±DDDMM, or with seconds ±DDMMSS±DDDMMSS where it needs them.
    new_york, sydney = zones.place("America/New_York"), zones.place("Australia/Sydney")
    assert new_york is not None and sydney is not None
    assert (round(new_york.latitude, 3), round(new_york.longitude, 3)) == (40.714, -74.006)  # +404251-0740023
    assert (round(sydney.latitude, 3), round(sydney.longitude, 3)) == (-33.867, 151.217)  # -3352+15113


# --------------------------------------------------------------------------- the sun

# The oracle is astral (a test dependency only), an independent, well-kept implementation.
HORIZON = -sun.HORIZON_ZENITH + 90  # the sun's centre at sunrise and sunset: -0.833°
ZONE_TAB = Path(tzdata.__file__).parent / "zoneinfo" / "zone.tab"
PLACED_ZONES = sorted(
    line.split("\t")[2] for line in ZONE_TAB.read_text(encoding="utf-8").splitlines() if line[:1] != "#"
)
MINUTES = dt.timedelta(minutes=3)


def _sun_of(zone: str, day: dt.date) -> tuple[sun.SunDay, Observer]:
    place = zones.place(zone)
    assert place is not None, zone
    return sun.day(place.latitude, place.longitude, day, ZoneInfo(zone)), Observer(
        place.latitude, place.longitude
    )


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(PLACED_ZONES), day=st.dates(dt.date(1970, 1, 1), dt.date(2100, 12, 31)))
def test_sunrise_and_sunset_agree_with_astral(zone: str, day: dt.date) -> None:
    """Within 3 minutes of where astral's sun crosses the horizon, every zone, 1970-2100.

    Held to astral's solar position (its elevation of the sun) rather than to its
    sunrise(): that one places the horizon 0.04° higher (its own refraction), which
    near the poles moves a grazing sunrise by far more than 3 minutes, and it
    searches one UTC day, missing a crossing near UTC midnight. Where we say the sun
    does not rise or set, astral's sun must stay up (or down) from midnight to midnight.
    """
    ours, observer = _sun_of(zone, day)

    def up(at: dt.datetime) -> bool:
        return elevation(observer, at, with_refraction=False) > HORIZON

    half = dt.timedelta(hours=12)
    if ours.sunrise is not None:
        assert ours.noon - half <= ours.sunrise < ours.noon
        assert not up(ours.sunrise - MINUTES) and up(ours.sunrise + MINUTES), ours
    if ours.sunset is not None:
        assert ours.noon < ours.sunset <= ours.noon + half
        assert up(ours.sunset - MINUTES) and not up(ours.sunset + MINUTES), ours
    hours = [ours.noon + dt.timedelta(hours=h) for h in range(-12, 13)]
    if ours.polar == "day":
        assert all(up(at) for at in hours), ours
    elif ours.polar == "night":
        assert not any(up(at) for at in hours), ours
    else:
        assert ours.sunrise is not None or ours.sunset is not None


def _astral_times(zone: str, day: dt.date, lat: float, lon: float) -> dict[str, Any]:
    return astral_sun(Observer(lat, lon), day, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("zone", "lat", "lon", "day", "rise", "fall"),
    [
        # February in New York: the sun is down long before a 19:30 date night.
        ("America/New_York", 40.714, -74.006, dt.date(2027, 2, 19), ("06:30", "07:00"), ("17:15", "17:50")),
        # Midsummer in London: up before five, down after nine.
        ("Europe/London", 51.508, -0.125, dt.date(2027, 6, 21), ("04:30", "05:00"), ("21:00", "21:30")),
    ],
)
def test_sun_times_of_a_few_places(
    zone: str, lat: float, lon: float, day: dt.date, rise: tuple[str, str], fall: tuple[str, str]
) -> None:
    ours = sun.day(lat, lon, day, ZoneInfo(zone))
    theirs = _astral_times(zone, day, lat, lon)
    assert ours.sunrise is not None and ours.sunset is not None and ours.polar is None
    assert abs(ours.sunrise - theirs["sunrise"]) < MINUTES and abs(ours.sunset - theirs["sunset"]) < MINUTES
    for got, (earliest, latest) in ((ours.sunrise, rise), (ours.sunset, fall)):
        assert dt.time.fromisoformat(earliest) < got.time() < dt.time.fromisoformat(latest), got


def test_no_sunrise_in_tromso_in_december() -> None:
    oslo = ZoneInfo("Europe/Oslo")
    ours = sun.day(69.65, 18.96, dt.date(2027, 12, 15), oslo)
    assert (ours.sunrise, ours.sunset, ours.polar) == (None, None, "night")
    with pytest.raises(ValueError, match="always below the horizon"):
        _astral_times("Europe/Oslo", dt.date(2027, 12, 15), 69.65, 18.96)
    midsummer = sun.day(69.65, 18.96, dt.date(2027, 6, 21), oslo)
    assert (midsummer.sunrise, midsummer.sunset, midsummer.polar) == (None, None, "day")


def test_quito_has_twelve_hours_of_sun_all_year() -> None:
    quito = ZoneInfo("America/Guayaquil")
    for month in range(1, 13):
        day = dt.date(2027, month, 15)
        ours = sun.day(-0.22, -78.51, day, quito)
        assert ours.sunrise is not None and ours.sunset is not None
        theirs = _astral_times("America/Guayaquil", day, -0.22, -78.51)
        assert abs(ours.sunrise - theirs["sunrise"]) < MINUTES
        assert dt.time(5, 50) < ours.sunrise.time() < dt.time(6, 30), ours
        assert (
            dt.timedelta(hours=12, minutes=3)
            < ours.sunset - ours.sunrise
            < dt.timedelta(hours=12, minutes=12)
        )


# --------------------------------------------------------------------------- light at the date night

SLACK = dt.timedelta(minutes=2)  # two implementations of the sun may differ by this much


def _meets(light: str, zone: str, start: dt.datetime, end: dt.datetime) -> bool:
    """vocabulary.LIGHT's rule for a date night start..end, by astral's sun, given the slack."""
    place = zones.place(zone)
    assert place is not None
    days = [
        _astral_times(zone, start.date() + dt.timedelta(days=k), place.latitude, place.longitude)
        for k in (-1, 0, 1)
    ]
    quarter = dt.timedelta(minutes=15)
    if light == "sunrise":
        return any(start - quarter - SLACK <= d["sunrise"] <= end + SLACK for d in days)
    if light == "sunset":
        return any(start - SLACK <= d["sunset"] <= end - quarter + SLACK for d in days)
    assert light == "dark"
    twilight = dt.timedelta(minutes=45)
    lit = sum(
        (
            max(dt.timedelta(0), min(end, d["sunset"] + twilight) - max(start, d["sunrise"] - twilight))
            for d in days
        ),
        dt.timedelta(0),
    )
    return 2 * lit <= end - start + 2 * SLACK


def _plan(
    cli: Invoke, write_config: WriteConfig, zone: str, date_night: str, weeks: int = 52
) -> list[dict[str, Any]]:
    write_config(COUPLE.replace("America/New_York", zone) + '[date_night]\ncadence = "weekly"\n' + date_night)
    rows = json.loads(cli("plan", "--format", "json", "--weeks", str(weeks)).stdout)
    return [r for r in rows if r["ritual"] == "date-night" and r["idea"]]


def _lit_nights(rows: list[dict[str, Any]], zone: str) -> dict[str, list[dt.date]]:
    """The dates each light went to, every one checked against the oracle's sun."""
    light = {i.id: i.light for i in LIB.ideas}
    seen: dict[str, list[dt.date]] = {}
    for r in rows:
        wanted = light[r["idea"]["id"]]
        if wanted:
            start, end = dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])
            assert _meets(wanted, zone, start, end), (wanted, r["idea"]["id"], r["start"], r["end"])
            seen.setdefault(wanted, []).append(start.date())
    return seen


@pytest.mark.usefixtures("pinned_today")
def test_a_friday_evening_in_new_york_gets_sunsets_and_dark_skies_only_when_the_sun_allows(
    cli: Invoke, write_config: WriteConfig
) -> None:
    zone = "America/New_York"
    rows = _plan(cli, write_config, zone, 'settings = ["outdoors"]\ninterests = ["nature"]\n', weeks=104)
    seen = _lit_nights(rows, zone)
    assert seen.get("sunset") and seen.get("dark"), seen
    # In February the sun has set long before 19:30: nothing to watch go down.
    assert not [d for d in seen["sunset"] if d.month in (12, 1, 2)]


@pytest.mark.usefixtures("pinned_today")
def test_a_morning_and_a_late_evening_get_sunrise_and_dark_ideas_only_when_the_sun_allows(
    cli: Invoke, write_config: WriteConfig
) -> None:
    zone = "America/New_York"
    morning = (
        'day = "saturday"\ntime = "06:30"\nduration = 240\nsettings = ["outdoors"]\ninterests = ["hiking"]\n'
    )
    assert _lit_nights(_plan(cli, write_config, zone, morning, weeks=104), zone).get("sunrise")
    late = 'time = "21:30"\nduration = 150\nsettings = ["outdoors"]\ninterests = ["science"]\n'
    seen = _lit_nights(_plan(cli, write_config, zone, late), zone)
    assert seen.get("dark") and {d.month for d in seen["dark"]} & {6, 7, 8}  # dark by 21:30 even in summer


@pytest.mark.usefixtures("pinned_today")
def test_a_london_summer_five_oclock_can_watch_the_sunset_a_winter_one_cannot(
    cli: Invoke, write_config: WriteConfig
) -> None:
    zone = "Europe/London"
    date_night = (
        'time = "17:00"\nduration = 300\nsettings = ["outdoors"]\ninterests = ["nature", "photography"]\n'
    )
    seen = _lit_nights(_plan(cli, write_config, zone, date_night, weeks=104), zone)
    months = {d.month for d in seen.get("sunset", [])}
    assert months & {6, 7, 8} and not months & {11, 12, 1}, months


def test_light_is_unknown_without_coordinates_and_rules_nothing_out() -> None:
    assert date_ideas.light_of("Etc/GMT+5", dt.date(2027, 2, 5), dt.time(19, 30), 150) is None
    prefs = prefs_from('[date_night]\ncadence = "weekly"\nsettings = ["outdoors"]\n', zone="Etc/GMT+5")
    lit = {i.light for _, i in picks(prefs, 2)}
    assert {"sunset", "dark"} <= lit


def test_near_the_poles_a_dark_idea_fits_the_polar_night_and_a_sunset_idea_a_day_without_sunset_does_not() -> (
    None
):
    zone = "Arctic/Longyearbyen"
    assert date_ideas.light_of(zone, dt.date(2027, 12, 17), dt.time(12, 0), 150) == {"dark"}
    assert date_ideas.light_of(zone, dt.date(2027, 6, 18), dt.time(19, 30), 240) == frozenset()


def test_twilight_is_an_hour_of_the_sun_not_of_the_clock_when_the_clock_goes_back() -> None:
    """Troll's clocks go back two hours on 25 October 2026 (+02 to +00 at 01:00 UTC),
    and its sunrise, 02:34 +00, falls in the hour the clock repeats. Dawn twilight
    starts 45 real minutes before it (01:49 UTC), not 45 minutes earlier on the wall
    clock, which the zone reads as 01:49 +02 (23:49 UTC the day before)."""
    zone = "Antarctica/Troll"
    # 01:30 +02 is 23:30 UTC on the 24th: 2 h 17 min after the twilight of a 20:32 UTC
    # sunset, 2 h 19 min before that of the sunrise: an hour of full dark.
    assert date_ideas.light_of(zone, dt.date(2026, 10, 25), dt.time(1, 30), 60) == {"dark"}
    # The times it turns on (astral's sun() wants a dusk, which Troll lacks in October).
    tz = ZoneInfo(zone)
    place = zones.place(zone)
    assert place is not None
    days = [sun.day(place.latitude, place.longitude, dt.date(2026, 10, d), tz) for d in (24, 25)]
    assert days[0].sunset is not None and days[1].sunrise is not None
    assert abs(days[0].sunset - dt.datetime(2026, 10, 24, 20, 32, tzinfo=dt.UTC)) < MINUTES
    assert abs(days[1].sunrise - dt.datetime(2026, 10, 25, 2, 34, tzinfo=dt.UTC)) < MINUTES
    assert days[1].sunrise.fold == 1  # in the repeated hour


def test_ideas_fit_the_preferences() -> None:
    prefs = prefs_from(
        '[date_night]\ncadence = "weekly"\nbudget = 30\nsettings = ["home", "outdoors"]\n'
        'interests = ["music", "nature"]\navoid = ["physical", "sports"]\n'
    )
    for _, idea in picks(prefs):
        assert idea.setting in ("home", "outdoors") and idea.cost <= 30
        assert not {"physical", "sports"} & idea.labels  # avoid also rules out an interest


# --------------------------------------------------------------------------- no repeats, interests


@pytest.mark.parametrize("cadence", ["weekly", "biweekly", "monthly"])
def test_no_idea_comes_back_within_twelve_months_when_enough_fit(cadence: str) -> None:
    prefs = prefs_from(f'[date_night]\ncadence = "{cadence}"\ninterests = ["cooking", "music"]\n')
    last: dict[str, dt.date] = {}
    for occ, idea in picks(prefs, 4):
        if idea.id in last:
            assert a_year_later(last[idea.id]) <= occ.date, (idea.id, last[idea.id], occ.date)
        last[idea.id] = occ.date
        assert date_ideas.idea_fit(prefs, occ).note is None


def test_interests_come_up_more_often_than_their_share() -> None:
    prefs = prefs_from('[date_night]\ncadence = "monthly"\ninterests = ["music"]\n')
    chosen = [i for _, i in picks(prefs, 4)]
    share = sum("music" in i.interests for i in chosen) / len(chosen)
    pool = sum("music" in i.interests for i in LIB.ideas) / len(LIB.ideas)
    assert share > 2 * pool


def test_the_deal_is_the_same_whichever_date_is_asked_first() -> None:
    # Two couples alike but for their calendar's name, so neither sees what was dealt for the other.
    weekly = '[date_night]\ncadence = "weekly"\n[calendar]\nname = "{}"\n'
    late, early = prefs_from(weekly.format("asked late first")), prefs_from(weekly.format("asked in order"))
    occs = dates(late)
    late_first = date_ideas.idea_fit(late, occs[-1]).idea
    in_order = [date_ideas.idea_fit(early, o).idea for o in occs]
    assert late_first is not None and in_order[-1] == late_first
    assert len(set(in_order[:52])) == 52


# --------------------------------------------------------------------------- when few or none fit


def test_no_fitting_idea_says_which_filter_to_loosen() -> None:
    prefs = prefs_from(
        '[date_night]\nbudget = 0\nsettings = ["out"]\navoid = ["crowds", "reading", "volunteering"]\n'
    )
    fit = date_ideas.idea_fit(prefs, dates(prefs)[0])
    assert fit.idea is None and fit.fitting == 0
    assert fit.note is not None and "No date idea" in fit.note
    assert re.search(r'add "(home|outdoors)" to date_night\.settings \(\d+ more would fit\)', fit.note)
    assert date_ideas.idea(prefs, dates(prefs)[0]) is None


def test_a_short_late_slot_is_told_to_start_earlier_or_last_longer() -> None:
    prefs = prefs_from('[date_night]\ntime = "22:30"\nduration = 30\n')
    fit = date_ideas.idea_fit(prefs, dates(prefs)[0])
    assert fit.idea is None
    assert fit.note is not None and "date_night.duration" in fit.note


def test_the_few_ideas_note_names_the_light_of_the_date_night() -> None:
    """Why no sunset walk, or why stargazing: the note says the light, as the sun has it."""
    prefs = prefs_from(
        '[date_night]\nbudget = 0\nsettings = ["outdoors"]\ntime = "17:00"\nduration = 240\n',
        zone="Europe/London",
    )
    said = {}
    for occ in dates(prefs, 1):
        light = date_ideas.slot_of(prefs, occ.date, prefs.date_night).light
        note = date_ideas.idea_fit(prefs, occ).note
        assert light is not None and note is not None
        said[occ.date.month] = (light, note)
    winter_light, winter = said[12]
    summer_light, summer = said[6]
    assert winter_light == {"dark"} and "; after dark)" in winter  # sunset before 16:00
    assert summer_light == set() and "; in daylight)" in summer  # the sun sets after 21:00
    # In March the sun sets an hour in, and most of the four hours are dark.
    assert said[3][0] == {"sunset", "dark"} and "; over a sunset and after dark)" in said[3][1]


def test_few_fitting_ideas_are_named_honestly() -> None:
    prefs = prefs_from('[date_night]\nbudget = 0\nsettings = ["out"]\n')
    fit = date_ideas.idea_fit(prefs, dates(prefs)[3])
    assert fit.idea is not None and fit.idea.cost == 0 and fit.idea.setting == "out"
    assert fit.note is not None and f"Only {fit.fitting} date ideas fit this date night" in fit.note
    assert "date_night.settings" in fit.note


# --------------------------------------------------------------------------- the agenda


@pytest.mark.usefixtures("pinned_today")
def test_date_night_agenda(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[conversation]\ndepth = "light"\n')
    md = cli("agenda", "date-night", "--date", "2026-12-04").stdout
    hs = headings(md)
    assert hs[0] == "# Date night: Friday 4 December 2026"
    assert hs[1].startswith("## Tonight: ")
    assert hs[2:] == [
        "## Phones away",
        "## Talk, a little deeper as the evening goes",
        "## Close with thanks",
    ]
    talk = md[md.index("## Talk") : md.index("## Close")]
    assert len(re.findall(r"^\d\. ", talk, re.M)) == 1  # light: only the first, lightest prompt
    assert "19:30–22:00 EST · 2 h 30 min" in md
    assert ends_with_safety_note(md)


@pytest.mark.usefixtures("pinned_today")
def test_when_no_idea_fits_the_agenda_says_what_to_widen(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(
        COUPLE
        + '[date_night]\nbudget = 0\nsettings = ["out"]\navoid = ["crowds", "reading", "volunteering"]\n'
    )
    result = cli("agenda", "date-night")
    md = result.stdout
    assert "## Tonight: your choice" in md
    assert "No date idea in the library fits this date night (settings out; budget 0" in md
    assert re.search(r'add "(home|outdoors)" to date_night\.settings', md)
    assert len(re.findall(r"^\d\. ", md, re.M)) >= 1  # still something to talk about
    rows = json.loads(cli("plan", "--format", "json").stdout)
    assert [r["idea"] for r in rows if r["ritual"] == "date-night"] == [None]


@pytest.mark.usefixtures("pinned_today")
def test_few_free_outings_are_named_and_widening_suggested(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[date_night]\nbudget = 0\nsettings = ["out"]\n')
    md = cli("agenda", "date-night").stdout
    assert "Cost: free" in md
    assert re.search(r"> Only \d+ date ideas fit this date night .*date_night\.settings", md)


def test_the_phones_note_allows_the_one_use_an_idea_needs() -> None:
    prefs = prefs_from('[date_night]\ncadence = "weekly"\nsettings = ["outdoors"]\n')
    seen = set()
    for occ, idea in picks(prefs, 2):
        md = agenda.render(prefs, occ, user_dir=None, history=History())
        phones = md.split("## Phones away", 1)[1].split("\n## ", 1)[0]
        seen.add(idea.needs_phone)
        if idea.needs_phone:
            assert "keep one out for that alone" in phones
        else:
            assert "Put both phones on silent and out of reach" in phones
    assert seen == {True, False}


def test_a_morning_date_is_today_not_tonight() -> None:
    prefs = prefs_from('[date_night]\nday = "saturday"\ntime = "10:00"\nduration = 240\n')
    md = agenda.render(prefs, dates(prefs)[0], user_dir=None, history=History())
    assert "## Today: " in md and "Tonight" not in md and "tonight" not in md
