"""`ritual init`: write the couple's preferences file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ...core.errors import FileProblemsError, UsageError
from .. import output
from ..options import ConfigOption
from . import session

if TYPE_CHECKING:
    from ...core.preferences import Preferences

HEADER = (
    "ritual preferences (schema version 1). Edit freely; `ritual config validate` checks it.\n"
    "Private: this file is readable by you alone (mode 0600)."
)


def init(
    ctx: typer.Context,
    partner: Annotated[
        list[str] | None,
        typer.Option(
            "--partner", "-p", help="A partner's name; give it once for each of you.", show_default=False
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            "--tz",
            help="IANA time zone, e.g. Europe/Berlin (default: this machine's).",
            show_default=False,
        ),
    ] = None,
    checkin_day: Annotated[str, typer.Option(help="Check-in weekday.")] = "sunday",
    checkin_time: Annotated[str, typer.Option(help="Check-in time, HH:MM.")] = "19:00",
    date_cadence: Annotated[str, typer.Option(help="Date nights: weekly, biweekly or monthly.")] = "monthly",
    date_day: Annotated[str, typer.Option(help="Date-night weekday.")] = "friday",
    date_time: Annotated[str, typer.Option(help="Date-night time, HH:MM.")] = "19:30",
    budget: Annotated[int, typer.Option(help="Most a date may cost (0 = free only).", min=0)] = 60,
    interest: Annotated[
        list[str] | None,
        typer.Option("--interest", help="Something you enjoy together; repeatable.", show_default=False),
    ] = None,
    off_limits: Annotated[
        list[str] | None,
        typer.Option(
            "--off-limits", help="A topic tag never to prompt (e.g. in-laws); repeatable.", show_default=False
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Ask nothing: use the flags and defaults.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file (the old one is kept as .bak).")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Create your preferences file: asks a few questions, or takes flags with --yes.

    Never overwrites an existing file without --force, and never waits for input
    when there is no terminal.
    """
    # Imported here: `ritual --help` loads this module too (for its summary), and only
    # running `init` writes a file.
    from ...core import fsio, preferences

    sess = session(ctx, config)
    path = sess.config
    if path.is_dir():
        raise UsageError(f"{path} is a directory", hint="pass --config with a file name")
    if path.exists() and not force:
        raise UsageError(
            f"{path} already exists",
            hint="edit it with `ritual config edit`, or pass --force to replace it (a .bak is kept)",
        )
    answers = {
        "partners": list(partner or []),
        "timezone": timezone or preferences.local_zone_name(),
        "checkin_day": checkin_day,
        "checkin_time": checkin_time,
        "date_cadence": date_cadence,
        "date_day": date_day,
        "date_time": date_time,
        "budget": budget,
        "interests": list(interest or []),
        "off_limits": list(off_limits or []),
    }
    if not yes:
        if not output.stdin_is_terminal():
            raise UsageError(
                "no terminal to ask questions on",
                hint="run `ritual init --yes --partner NAME --partner NAME [--timezone Area/City]` "
                "(see `ritual init --help` for the other flags)",
            )
        _ask(answers)
    prefs = _build(answers, sess.formats())
    text = preferences.to_toml(prefs, header=HEADER)
    if not yes:
        output.out("")
        output.out(text)
        if not typer.confirm(f"Write this to {path}?", default=True):
            output.out("nothing written")
            return
    if path.exists():
        bak = fsio.backup(path)
        output.err(f"kept the previous file as {bak}")
    fsio.write_text_atomic(path, text)
    output.out(f"wrote {path}")
    output.err("next: `ritual plan` to see what is coming, `ritual export ics` for your calendar")


def _build(a: dict[str, object], formats: tuple[str, ...]) -> Preferences:
    """Answers -> validated preferences, through the same validator as the file."""
    from zoneinfo import ZoneInfo

    from ...core import clock, preferences
    from ...core.preferences import check_zone

    try:
        zone = check_zone(str(a["timezone"]))
    except ValueError as exc:
        raise UsageError(f"--timezone: {exc}") from None
    partners = a["partners"]
    assert isinstance(partners, list)
    if len(partners) < 2:
        raise UsageError(
            f"give at least two partners (got {len(partners)})",
            hint="repeat the flag: --partner Alex --partner Sam",
        )
    doc = {
        "version": 1,
        "couple": {"partners": partners, "timezone": zone, "start": clock.today(ZoneInfo(zone))},
        "checkin": {"day": a["checkin_day"], "time": a["checkin_time"]},
        "date_night": {
            "cadence": a["date_cadence"],
            "day": a["date_day"],
            "time": a["date_time"],
            "budget": a["budget"],
            "interests": a["interests"],
        },
        "conversation": {"off_limits": a["off_limits"]},
    }
    try:
        return preferences.from_mapping(doc, source=None, formats=formats)
    except FileProblemsError as exc:
        # The values came from flags or answers, not a file: name the flag.
        found = "; ".join(f"{_FLAGS.get(p.key, p.key)}: {p.message}" for p in exc.problems)
        raise UsageError(found, hint="see `ritual init --help`") from None


# Which flag of `init` sets each key, for messages about a bad value.
_FLAGS = {
    "couple.partners": "--partner",
    "checkin.day": "--checkin-day",
    "checkin.time": "--checkin-time",
    "date_night.cadence": "--date-cadence",
    "date_night.day": "--date-day",
    "date_night.time": "--date-time",
    "date_night.budget": "--budget",
    "date_night.interests": "--interest",
    "conversation.off_limits": "--off-limits",
}


def _ask(a: dict[str, object]) -> None:
    """Ask each question at the terminal, re-asking until the answer is valid."""
    from ...core.preferences import CADENCES, WEEKDAYS, check_zone, parse_time

    def ask(question: str, default: str, check: object = None) -> str:
        while True:
            answer = str(typer.prompt(question, default=default)).strip()
            try:
                if callable(check):
                    check(answer)
                return answer
            except ValueError as exc:
                output.err(f"  {exc}")

    def one_of(options: tuple[str, ...]) -> object:
        def check(value: str) -> None:
            if value.lower() not in options:
                raise ValueError(f"choose one of: {', '.join(options)}")

        return check

    names = list(a["partners"]) if isinstance(a["partners"], list) else []
    while len(names) < 2:
        name = typer.prompt(f"Partner {len(names) + 1}'s name").strip()
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
        else:
            output.err("  a name that is not empty and not already given, please")
    a["partners"] = names
    a["timezone"] = ask("Time zone (IANA, e.g. Europe/Berlin)", str(a["timezone"]), check_zone)
    a["checkin_day"] = ask("Check-in day", str(a["checkin_day"]), one_of(WEEKDAYS)).lower()
    a["checkin_time"] = ask("Check-in time (HH:MM)", str(a["checkin_time"]), parse_time)
    a["date_cadence"] = ask(
        "Date nights: weekly, biweekly or monthly", str(a["date_cadence"]), one_of(CADENCES)
    ).lower()
    a["date_day"] = ask("Date-night day", str(a["date_day"]), one_of(WEEKDAYS)).lower()
    a["date_time"] = ask("Date-night time (HH:MM)", str(a["date_time"]), parse_time)

    def whole(value: str) -> None:
        if not value.isdigit():
            raise ValueError("a whole number, 0 or more")

    a["budget"] = int(ask("Most a date may cost (0 = free only)", str(a["budget"]), whole))
    a["interests"] = _split(
        ask(
            "Interests, comma-separated (e.g. cooking, music)",
            ", ".join(a["interests"]) if isinstance(a["interests"], list) else "",
        )
    )
    a["off_limits"] = _split(
        ask(
            "Topics never to bring up, comma-separated (e.g. in-laws)",
            ", ".join(a["off_limits"]) if isinstance(a["off_limits"], list) else "",
        )
    )


def _split(text: str) -> list[str]:
    return [t.strip().lower() for t in text.split(",") if t.strip()]
