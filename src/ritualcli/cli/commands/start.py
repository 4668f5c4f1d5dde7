"""`ritual start [checkin|date-night|repair] [--date DATE]`: run the ritual itself, at the terminal.

The agenda `ritual agenda` would print, one section at a time, with its time box
as a countdown and whose turn it is; the questions `ritual done` would ask, each
where the agenda comes to it (ratings typed unseen, passing the keyboard); and at
the end the same recording `ritual done` makes (``history.record``, one Draft).
A check-in or date night planned for a later day is recorded as held today,
unplanned, as `ritual done --date TODAY --unplanned` would record it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from ...core.errors import UsageError
from .. import output
from ..options import ConfigOption, date_value
from . import changed, session
from .agenda import AgendaKind, OccurrenceDate, chosen

if TYPE_CHECKING:
    from ...core.history import Draft
    from ...core.preferences import Preferences
    from ...core.walkthrough import Walk
    from ..guide.run import How, View
    from ..session import Session


def start(
    ctx: typer.Context,
    kind: Annotated[
        AgendaKind,
        typer.Argument(
            metavar="[checkin|date-night|repair]",
            help="checkin (the default), date-night, or repair (for after a hard conversation).",
            show_default=False,
        ),
    ] = AgendaKind.checkin,
    date: OccurrenceDate = None,
    config: ConfigOption = None,
) -> None:
    """Run a check-in (or a date night, or a repair) at the terminal, section by section, and record it.

    Keys: Enter or Space moves on, b goes back, p pauses the clock (in a repair: a
    20-minute break), q leaves, n draws another question (date night). Nothing is
    recorded before the end unless you say so; `ritual undo` takes it back.
    """
    if not (output.stdin_is_terminal() and output.stdout().isatty()):
        if kind is AgendaKind.repair:  # nothing is recorded for a repair
            hint = "in a script, `ritual agenda repair` prints its steps"
        else:
            noun = "date-night" if kind is AgendaKind.date_night else "checkin"
            hint = (
                f"in a script, `ritual agenda {kind.value}` prints the agenda and "
                f'`ritual done {noun} --rating NAME=N --commit "NAME: text"` records it'
            )
        raise UsageError(
            "`ritual start` runs the ritual with the two of you at a terminal, and this is not one",
            hint=hint,
        )
    from ...core import clock, history
    from ..guide.run import run
    from ..guide.state import Guide

    sess = session(ctx, config)
    day = date_value(date, "--date")
    walk, draft, prefs, shown_day = _prepared(sess, kind, day)
    guide = Guide(walk, clock.Stopwatch(prefs.zone), draft)
    outcome = run(guide, _view(sess, prefs, shown_day), prefs)
    if outcome.draft is None:
        _nothing(outcome.how, walk)
        return
    from ...core.history import draft as drafts
    from .done import report

    drafts.one_rating_each(outcome.draft.ratings)
    # The recording is atomic either way; a Ctrl-C now would only leave them unsure.
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        change = history.record(sess.data_dir, outcome.draft)
    finally:
        signal.signal(signal.SIGINT, before)
    report(change, asked=True, name_ratings=True)
    if not change.nothing:
        changed(change.migrated, sess.data_dir)


class _Prepared(NamedTuple):
    walk: Walk
    draft: Draft | None  # the occurrence to fill in; None: nothing is recorded (a repair)
    prefs: Preferences
    day: str  # the day it is recorded as, in words


def _prepared(sess: Session, kind: AgendaKind, day: dt.date | None) -> _Prepared:
    """The walk through the agenda `ritual agenda` would print, and the Draft `ritual done` would fill."""
    from ...core import agenda as agendas
    from ...core import clock, history, paths, walkthrough
    from ...core.history import draft as drafts

    user_dir = paths.user_templates_dir(sess.config)
    if kind is AgendaKind.repair:
        if day is not None:
            raise UsageError("--date: a repair is not tied to a date; leave --date out")
        prefs = sess.load()
        text = agendas.render_repair(prefs, user_dir=user_dir)
        walk = walkthrough.plan(prefs, text, ritual=kind.value, minutes=None, history=None, day=None)
        return _Prepared(walk, None, prefs, "")
    prefs = sess.load_required("`ritual start` records the ritual into your own history")
    occ = chosen(prefs, kind.value, day)
    today = clock.today(prefs.zone)
    # Held ahead of its day, it is recorded as held today: `ritual done` records nothing ahead.
    held, unplanned = drafts.occurrence_day(
        prefs, kind.value, min(occ.date, today), today=today, unplanned=True, future_ok=False
    )
    hist = sess.history(prefs, held)
    text = agendas.render(prefs, occ, user_dir=user_dir, history=hist)
    deck = agendas.date_deck(prefs, occ, hist) if kind is AgendaKind.date_night else ()
    walk = walkthrough.plan(
        prefs,
        text,
        ritual=kind.value,
        minutes=prefs.ritual(kind.value).duration,
        history=hist,
        day=held,
        deck=deck,
    )
    shown = f"{held:%a %Y-%m-%d}" + (
        f" (unplanned: it is planned for {occ.date:%a %Y-%m-%d})" if unplanned else ""
    )
    return _Prepared(walk, history.Draft(kind.value, held, unplanned=unplanned), prefs, shown)


def _view(sess: Session, prefs: Preferences, day: str) -> View:
    """Full screen at a terminal that can show it; line by line for NO_COLOR and TERM=dumb."""
    from ...core import agenda as agendas
    from ...core import paths

    note = agendas.break_note(prefs, user_dir=paths.user_templates_dir(sess.config))
    if "NO_COLOR" in os.environ or not output.is_terminal():
        from ..guide.plain import Plain

        return Plain(note, day)
    from ..guide.screen import Screen

    return Screen(note, day)


def _nothing(how: How, walk: Walk) -> None:
    from ..guide.run import How

    if not walk.records:
        output.out("That was the repair. Nothing is recorded for a repair: it stays between the two of you.")
        return
    if how is How.INTERRUPTED:
        output.err("interrupted: nothing recorded")
        raise typer.Exit(130)
    output.out(
        "Nothing recorded. `ritual start` begins again; "
        f"`ritual done {walk.ritual}` records it later, with flags or questions."
    )
