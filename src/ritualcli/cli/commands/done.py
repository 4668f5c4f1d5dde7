"""`ritual done`: record a check-in or date night as held.

Ratings are each partner's 1–10 answer to "how safe did I feel to be open this
week"; commitments are what each promised for the coming week. The next
check-in agenda opens with them (follow-through).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ...core.errors import UsageError
from .. import output
from ..options import ConfigOption, RitualKind, date_value
from . import session

if TYPE_CHECKING:
    from ...core import history
    from ...core.preferences import Preferences

# The core is imported inside the functions: every command module loads at start-up
# (and on each Tab completion), and only the command that runs needs its core.
MAX_TEXT = 1000  # characters in a commitment, note or reason (MAX_TEXT)

RitualArg = Annotated[
    RitualKind,
    typer.Argument(
        metavar="checkin|date-night", help="Which ritual: checkin or date-night.", show_default=False
    ),
]
ReplaceOption = Annotated[
    bool, typer.Option("--replace", help="Rewrite the entry if this occurrence is already recorded.")
]


def done(
    ctx: typer.Context,
    ritual: RitualArg,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            help="Which occurrence, YYYY-MM-DD (default: the most recent one, today included).",
            show_default=False,
        ),
    ] = None,
    rating: Annotated[
        list[str] | None,
        typer.Option(
            "--rating",
            "-r",
            help="NAME=N: how safe NAME felt to be open this week, 1-10. Repeat for each partner.",
            show_default=False,
        ),
    ] = None,
    commit: Annotated[
        list[str] | None,
        typer.Option(
            "--commit",
            help='"NAME: what NAME will do this week". Repeatable.',
            show_default=False,
        ),
    ] = None,
    kept: Annotated[
        list[str] | None,
        typer.Option(
            "--kept",
            help="Id of an earlier commitment that was kept (see `ritual commitments`). Repeatable.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help="A private note. It stays in history.toml: never in agendas, stats or calendars.",
            show_default=False,
        ),
    ] = None,
    unplanned: Annotated[
        bool, typer.Option("--unplanned", help="Record one held on a day with nothing planned.")
    ] = False,
    replace: ReplaceOption = False,
    config: ConfigOption = None,
) -> None:
    """Record a check-in or date night as held: ratings, commitments, what was kept.

    At a terminal, with no --rating/--commit/--kept/--note, it asks for each.
    """
    from ...core import history

    sess = session(ctx, config)
    prefs = sess.load_required("`ritual done` records into your own history")
    kind = ritual.value
    day, is_unplanned = resolve_date(prefs, kind, date_value(date, "--date"), unplanned, future_ok=False)
    ratings = [parse_rating(prefs, r) for r in rating or []]
    commitments = [parse_commit(prefs, c) for c in commit or []]
    kept_ids = [k.strip() for k in kept or []]
    note_text = check_text(note or "", "--note", one_line=False)

    if not (ratings or commitments or kept_ids or note is not None) and output.stdin_is_terminal():
        ratings, kept_ids, commitments, note_text = _ask(prefs, sess.data_dir, kind, day)

    _no_repeats([n for n, _ in ratings], "--rating")
    entry = history.record(
        sess.data_dir,
        history.Draft(
            ritual=kind,
            date=day,
            ratings=tuple(ratings),
            commitments=tuple(commitments),
            kept=tuple(dict.fromkeys(kept_ids)),
            note=note_text,
            unplanned=is_unplanned,
        ),
        replace_existing=replace,
    )
    _report(entry, replaced=replace)


# --------------------------------------------------------------------------- shared with skip


def label(kind: str) -> str:
    from ...core.preferences import ritual_noun

    return ritual_noun(kind)


def resolve_date(
    prefs: Preferences, kind: str, given: dt.date | None, unplanned: bool, *, future_ok: bool
) -> tuple[dt.date, bool]:
    """The occurrence's date, and whether it is an unplanned one."""
    from ...core import clock, schedule

    today = clock.today(prefs.zone)
    what = label(kind)
    if given is None:
        occ = schedule.occurrence_on(prefs, kind, today) or schedule.previous_occurrence(prefs, kind, today)
        if occ is None:
            raise UsageError(
                f"no {what} is planned on or before {today}",
                hint="pass --date YYYY-MM-DD (with --unplanned for a day with nothing planned)",
            )
        return occ.date, False
    if given > today and not future_ok:
        raise UsageError(
            f"--date {given} is after today ({today}): record a {what} once it has happened",
            hint="to leave out a future date, use `ritual skip` or [skip] in your preferences",
        )
    if schedule.occurrence_on(prefs, kind, given) is not None:
        return given, False
    if unplanned:
        return given, True
    raise UsageError(
        f"no {what} is planned on {given:%a %Y-%m-%d}{_why_not(prefs, kind, given)}",
        hint=("pass --unplanned to record one held on a day with nothing planned"),
    )


def _why_not(prefs: Preferences, kind: str, day: dt.date) -> str:
    from ...core import schedule

    if not prefs.ritual(kind).enabled:
        return f" ({label(kind)}s are turned off in your preferences)"
    if prefs.skip.covers(day):
        return " (it is a [skip] date in your preferences)"
    near = [
        o.date
        for o in (schedule.previous_occurrence(prefs, kind, day), schedule.next_occurrence(prefs, kind, day))
        if o is not None
    ]
    return f"; the nearest planned: {' and '.join(f'{d:%a %Y-%m-%d}' for d in near)}" if near else ""


def match_partner(prefs: Preferences, name: str, flag: str) -> str:
    """A partner's name as the preferences spell it; any letter case is fine."""
    import difflib

    name = name.strip()
    partners = prefs.couple.partners
    if name in partners:
        return name
    folded = [p for p in partners if p.casefold() == name.casefold()]
    if folded:
        return folded[0]
    near = difflib.get_close_matches(name, list(partners), n=1, cutoff=0.6)
    tip = f"did you mean {near[0]}? " if near else ""
    raise UsageError(
        f"{flag}: {name!r} is not one of the partners", hint=f"{tip}the partners are {', '.join(partners)}"
    )


def check_text(text: str, flag: str, *, one_line: bool = True) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise UsageError(f"{flag}: {len(text)} characters; at most {MAX_TEXT}, please")
    bad = [ch for ch in text if (ord(ch) < 0x20 and not (ch in "\n\t" and not one_line)) or ord(ch) == 0x7F]
    if bad:
        raise UsageError(f"{flag}: one line of plain text, please (found a control character)")
    return text


# --------------------------------------------------------------------------- parsing flags


def parse_rating(prefs: Preferences, text: str) -> tuple[str, int]:
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip():
        raise UsageError(
            f"--rating {text!r}: expected NAME=N", hint=f"for example --rating {prefs.couple.partners[0]}=7"
        )
    return match_partner(prefs, name, "--rating"), rating_value(value, f"--rating {text!r}")


def rating_value(value: str, where: str) -> int:
    value = value.strip()
    if not value.isdigit() or not 1 <= int(value) <= 10:
        raise UsageError(
            f"{where}: {value!r} is not a rating",
            hint="give a whole number from 1 (not safe) to 10 (fully safe)",
        )
    return int(value)


def parse_commit(prefs: Preferences, text: str) -> tuple[str, str]:
    name, sep, what = text.partition(":")
    if not sep or not name.strip() or not what.strip():
        raise UsageError(
            f'--commit {text!r}: expected "NAME: what NAME will do"',
            hint=f'for example --commit "{prefs.couple.partners[0]}: plan Saturday\'s walk"',
        )
    return match_partner(prefs, name, "--commit"), check_text(what, "--commit")


def _no_repeats(names: list[str], flag: str) -> None:
    seen = set()
    for n in names:
        if n in seen:
            raise UsageError(f"{flag}: {n} is given twice; one rating each")
        seen.add(n)


# --------------------------------------------------------------------------- asking


def _ask(
    prefs: Preferences, data_dir: Path, kind: str, day: dt.date
) -> tuple[list[tuple[str, int]], list[str], list[tuple[str, str]], str]:
    """Ask each partner at the terminal; Enter skips any question."""
    from ...core import history

    output.out(f"Recording the {label(kind)} of {day:%a %Y-%m-%d}. Press Enter to skip any question.")
    ratings: list[tuple[str, int]] = []
    if kind == "checkin":
        for name in prefs.couple.partners:
            while True:
                answer = str(
                    typer.prompt(
                        f"{name}: how safe did you feel to be open this week? (1-10)",
                        default="",
                        show_default=False,
                    )
                ).strip()
                if not answer:
                    break
                try:
                    ratings.append((name, rating_value(answer, "rating")))
                    break
                except UsageError:
                    output.err("  a whole number from 1 to 10, please (or Enter to skip)")

    kept: list[str] = []
    states = history.commitment_states(history.load(data_dir), day)
    for s in states:
        if s.kept_on is None and typer.confirm(f"Did {s.owner} keep “{s.text}” ({s.id})?", default=False):
            kept.append(s.id)

    commitments: list[tuple[str, str]] = []
    for name in prefs.couple.partners:
        while True:
            answer = str(
                typer.prompt(
                    f"{name}: one thing you will do this coming week (a commitment)",
                    default="",
                    show_default=False,
                )
            ).strip()
            if not answer:
                break
            try:
                commitments.append((name, check_text(answer, "commitment")))
                break
            except UsageError as exc:
                output.err(f"  {exc.message}")

    note = str(
        typer.prompt("A private note (kept only in history.toml)", default="", show_default=False)
    ).strip()
    return ratings, kept, commitments, check_text(note, "note", one_line=False)


# --------------------------------------------------------------------------- reporting


def _report(entry: history.Entry, *, replaced: bool) -> None:
    verb = "Updated" if replaced else "Recorded"
    extra = " (unplanned)" if entry.unplanned else ""
    output.out(f"{verb} the {label(entry.ritual)} of {entry.date:%a %Y-%m-%d}{extra} as held.")
    if entry.ratings:
        output.out("  ratings: " + ", ".join(f"{n} {r}" for n, r in entry.ratings))
    for c in entry.commitments:
        output.out(f"  commitment {c.id} ({c.owner}): {c.text}")
    if entry.kept:
        output.out(f"  kept: {', '.join(entry.kept)}. Following through builds trust: well done.")
    if entry.note:
        output.out("  note saved (private: it stays in history.toml)")
    if entry.commitments:
        output.out("The next check-in agenda opens with these commitments.")
