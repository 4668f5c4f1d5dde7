"""`ritual done`: record a check-in or date night as held.

Ratings are each partner's 1–10 answer to "how safe did I feel to be open this
week"; commitments are what each promised for the coming week. The next
check-in agenda opens with them (follow-through).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from ...core.errors import InputError
from .. import output
from ..flags import flags
from ..options import ConfigOption, ReplaceOption, RitualArg, date_value
from . import session

if TYPE_CHECKING:
    from ...core.history import Entry, History
    from ...core.preferences import Preferences


@flags(
    date="--date",
    ratings="--rating",
    commitments="--commit",
    kept="--kept",
    note="--note",
    unplanned="--unplanned",
    replace_existing="--replace",
)
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
    from ...core import clock, history
    from ...core.history import draft

    sess = session(ctx, config)
    prefs = sess.load_required("`ritual done` records into your own history")
    kind = ritual.value
    given = date_value(date, "--date")
    today = clock.today(prefs.zone)
    day, is_unplanned = draft.occurrence_day(
        prefs, kind, given, today=today, unplanned=unplanned, future_ok=False
    )
    ratings = [draft.rating(prefs, r) for r in rating or []]
    commitments = [draft.commitment(prefs, c) for c in commit or []]
    kept_ids = [k.strip() for k in kept or []]
    note_text = draft.checked_text(note or "", "note", one_line=False)

    if not (ratings or commitments or kept_ids or note is not None) and output.stdin_is_terminal():
        ratings, kept_ids, commitments, note_text = _ask(prefs, sess.history(prefs), kind, day)

    draft.one_rating_each(ratings)
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


# --------------------------------------------------------------------------- asking


def _ask(
    prefs: Preferences, hist: History, kind: str, day: dt.date
) -> tuple[list[tuple[str, int]], list[str], list[tuple[str, str]], str]:
    """Ask each partner at the terminal; Enter skips any question."""
    from ...core.history import commitment_states, draft
    from ...core.preferences import ritual_noun

    output.out(f"Recording the {ritual_noun(kind)} of {day:%a %Y-%m-%d}. Press Enter to skip any question.")
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
                number = draft.rating_number(answer)
                if number is not None:
                    ratings.append((name, number))
                    break
                output.err("  a whole number from 1 to 10, please (or Enter to skip)")

    kept: list[str] = []
    states = commitment_states(hist, day)
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
                commitments.append((name, draft.checked_text(answer, "commitment")))
                break
            except InputError as exc:
                output.err(f"  {exc.message}")

    note = str(
        typer.prompt("A private note (kept only in history.toml)", default="", show_default=False)
    ).strip()
    return ratings, kept, commitments, draft.checked_text(note, "note", one_line=False)


# --------------------------------------------------------------------------- reporting


def _report(entry: Entry, *, replaced: bool) -> None:
    from ...core.preferences import ritual_noun

    verb = "Updated" if replaced else "Recorded"
    extra = " (unplanned)" if entry.unplanned else ""
    output.out(f"{verb} the {ritual_noun(entry.ritual)} of {entry.date:%a %Y-%m-%d}{extra} as held.")
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
