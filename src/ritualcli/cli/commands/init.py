"""`ritual init`: write the couple's preferences file.

The file holds what the couple chose (the flags given, or every answer at the
terminal) and nothing more: each other key is written as a comment with the value
it takes, so a default stays a default (the check-in's length follows its format).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ...core.errors import FileProblemsError, UsageError
from ...core.preferences import SCHEMA
from ...core.preferences.writing import plain
from .. import output
from ..options import ConfigOption
from . import session

if TYPE_CHECKING:
    from ...core.preferences import Preferences

HEADER = (
    "ritual preferences (schema version 1). Edit freely; `ritual config validate` checks it.\n"
    "A key written as a comment takes the value shown; remove the # to choose another.\n"
    "Private: this file is readable by you alone (mode 0600)."
)


def _default(dotted: str) -> str:
    """A setting's default as the flag's help shows it."""
    table, _, key = dotted.partition(".")
    value = plain(SCHEMA[table][key].default)
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


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
    checkin_day: Annotated[
        str | None, typer.Option(help=f"Check-in weekday [default: {_default('checkin.day')}]")
    ] = None,
    checkin_time: Annotated[
        str | None, typer.Option(help=f"Check-in time, HH:MM [default: {_default('checkin.time')}]")
    ] = None,
    date_cadence: Annotated[
        str | None,
        typer.Option(
            help=f"Date nights: weekly, biweekly or monthly [default: {_default('date_night.cadence')}]"
        ),
    ] = None,
    date_day: Annotated[
        str | None, typer.Option(help=f"Date-night weekday [default: {_default('date_night.day')}]")
    ] = None,
    date_time: Annotated[
        str | None, typer.Option(help=f"Date-night time, HH:MM [default: {_default('date_night.time')}]")
    ] = None,
    budget: Annotated[
        int | None,
        typer.Option(
            help=f"Most a date may cost, 0 = free only [default: {_default('date_night.budget')}]", min=0
        ),
    ] = None,
    interest: Annotated[
        list[str] | None,
        typer.Option(
            "--interest",
            help="Something you enjoy together (e.g. cooking, music); repeatable.",
            show_default=False,
        ),
    ] = None,
    off_limits: Annotated[
        list[str] | None,
        typer.Option(
            "--off-limits",
            help="A topic tag never to prompt (e.g. in-laws, money); repeatable.",
            show_default=False,
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
    when there is no terminal. The file holds only what you chose.
    """
    # Imported here: `ritual --help` loads this module too (for its summary), and only
    # running `init` writes a file.
    from zoneinfo import ZoneInfo

    from ...core import clock, fsio, paths, preferences

    sess = session(ctx, config)
    path = sess.config
    if path.is_dir():
        raise UsageError(f"{path} is a directory", hint="pass --config with a file name")
    if path.exists() and not force:
        raise UsageError(
            f"{path} already exists",
            hint="edit it with `ritual config edit`, or pass --force to replace it (a .bak is kept)",
        )
    zone = _zone(timezone or preferences.local_zone_name())
    given = {
        "couple.partners": list(partner or []),
        "couple.timezone": zone,
        # Anchors a biweekly rhythm and the calendar: today, where the couple lives.
        "couple.start": clock.today(ZoneInfo(zone)),
        "checkin.day": checkin_day,
        "checkin.time": checkin_time,
        "date_night.cadence": date_cadence,
        "date_night.day": date_day,
        "date_night.time": date_time,
        "date_night.budget": budget,
        "date_night.interests": list(interest or []) or None,
        "conversation.off_limits": list(off_limits or []) or None,
    }
    chosen = {key: value for key, value in given.items() if value is not None}
    if not yes:
        if not output.stdin_is_terminal():
            raise UsageError(
                "no terminal to ask questions on",
                hint="run `ritual init --yes --partner NAME --partner NAME [--timezone Area/City]` "
                "(see `ritual init --help` for the other flags)",
            )
        _ask(chosen, sess.formats())
    prefs = _build(chosen, sess.formats())
    text = preferences.to_toml(prefs, header=HEADER, only=chosen.keys())
    if not yes:
        output.out("")
        output.out(text)
        if not typer.confirm(f"Write this to {path}?", default=True):
            output.out("nothing written")
            return
    if path.exists():
        bak = fsio.backup(path)
        output.err(f"kept the previous file as {bak}")
    fsio.write_text_atomic(paths.written_to(path), text)
    output.out(f"wrote {path}")
    output.err("next: `ritual plan` to see what is coming, `ritual export ics` for your calendar")


def _zone(name: str) -> str:
    from ...core.preferences import check_zone

    try:
        return check_zone(name.strip())
    except ValueError as exc:
        raise UsageError(f"--timezone: {exc}") from None


def _build(chosen: dict[str, Any], formats: tuple[str, ...]) -> Preferences:
    """The chosen values -> validated preferences, through the same checks as the file."""
    from ...core import preferences

    partners = chosen["couple.partners"]
    if len(partners) < 2:
        raise UsageError(
            f"give at least two partners (got {len(partners)})",
            hint="repeat the flag: --partner Alex --partner Sam",
        )
    doc: dict[str, dict[str, Any]] = {}
    for dotted, value in chosen.items():
        table, _, key = dotted.partition(".")
        doc.setdefault(table, {})[key] = value
    try:
        return preferences.from_mapping(doc, source=None, formats=formats)
    except FileProblemsError as exc:
        # The values came from flags or answers, not a file: name the flag.
        found = "; ".join(f"{_FLAGS.get(p.key, p.key)}: {p.message}" for p in exc.problems)
        raise UsageError(found, hint="see `ritual init --help`") from None


# Which flag of `init` sets each key, for messages about a bad value.
_FLAGS = {
    "couple.partners": "--partner",
    "couple.timezone": "--timezone",
    "checkin.day": "--checkin-day",
    "checkin.time": "--checkin-time",
    "date_night.cadence": "--date-cadence",
    "date_night.day": "--date-day",
    "date_night.time": "--date-time",
    "date_night.budget": "--budget",
    "date_night.interests": "--interest",
    "conversation.off_limits": "--off-limits",
}


def _words(text: str) -> list[str]:
    return [t.strip().lower() for t in text.split(",") if t.strip()]


def _number(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise ValueError("a whole number, 0 or more")
    return int(text)


# What `init` asks at a terminal: the key, the question, and how an answer becomes a value.
_QUESTIONS: tuple[tuple[str, str, Callable[[str], object]], ...] = (
    ("couple.timezone", "Time zone (IANA, e.g. Europe/Berlin)", str),
    ("checkin.day", "Check-in day", str),
    ("checkin.time", "Check-in time (HH:MM)", str),
    ("date_night.cadence", "Date nights: weekly, biweekly or monthly", str),
    ("date_night.day", "Date-night day", str),
    ("date_night.time", "Date-night time (HH:MM)", str),
    ("date_night.budget", "Most a date may cost (0 = free only)", _number),
    ("date_night.interests", "Interests, comma-separated (e.g. cooking, music)", _words),
    ("conversation.off_limits", "Topics never to bring up, comma-separated (e.g. in-laws)", _words),
)


def _ask(chosen: dict[str, Any], formats: tuple[str, ...]) -> None:
    """Ask each question at the terminal, re-asking until the answer is valid; every
    answer counts as chosen (the couple saw the default and kept it)."""
    from ...core.preferences import check_name, check_value, name_key

    names = list(chosen["couple.partners"])
    while len(names) < 2:
        answer = str(typer.prompt(f"Partner {len(names) + 1}'s name"))
        try:
            name = check_name(answer)
        except ValueError as exc:
            output.err(f"  {exc}")
            continue
        if name_key(name) in {name_key(n) for n in names}:
            output.err(f"  {name!r} is already given: a different name, please")
            continue
        names.append(name)
    chosen["couple.partners"] = names
    for dotted, question, convert in _QUESTIONS:
        current = plain(chosen[dotted]) if dotted in chosen else None
        if current is None:
            current = _default(dotted)
        elif isinstance(current, list):
            current = ", ".join(map(str, current))
        while True:
            answer = str(typer.prompt(question, default=str(current))).strip()
            try:
                value = convert(answer)
                check_value(dotted, value, formats=formats)
            except ValueError as exc:
                output.err(f"  {exc}")
                continue
            chosen[dotted] = value
            break
