"""`ritual done`: record a check-in or date night as held, or add to one already recorded.

Ratings are each partner's 1–10 answer to "how safe did I feel to be open this
week"; commitments are what each promised for the coming week. The next
check-in agenda opens with them (follow-through). Recording again adds: the
ratings given are set, the others kept; commitments, kept/partly/let-go ids and
topics are added; a note is appended. `--as NAME` records one partner's answers,
so each can record from their own terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .. import output
from ..flags import flags
from ..options import ConfigOption, ReplaceOption, RitualArg, date_value, replace_is_gone
from . import changed, session

if TYPE_CHECKING:
    from ...core.history import Change, Commitment, Draft, History
    from ...core.preferences import Preferences


@flags(
    date="--date",
    ratings="--rating",
    commitments="--commit",
    kept="--kept",
    partly="--partly",
    let_go="--let-go",
    discussed="--discussed",
    note="--note",
    unplanned="--unplanned",
    by="--as",
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
            help="NAME=N: how safe NAME felt to be open this week, 1-10 (with --as, N alone). Repeat for each partner.",
            show_default=False,
        ),
    ] = None,
    commit: Annotated[
        list[str] | None,
        typer.Option(
            "--commit",
            help='"NAME: what NAME will do this week", or "we: …" for one you share. Repeatable.',
            show_default=False,
        ),
    ] = None,
    kept: Annotated[
        list[str] | None,
        typer.Option(
            "--kept", help="Id of an earlier commitment that was kept (see `ritual commitments`). Repeatable."
        ),
    ] = None,
    partly: Annotated[
        list[str] | None,
        typer.Option("--partly", help="Id of an earlier commitment partly done: it stays open. Repeatable."),
    ] = None,
    let_go: Annotated[
        list[str] | None,
        typer.Option("--let-go", help="Id of an earlier commitment to let go, with no blame. Repeatable."),
    ] = None,
    discussed: Annotated[
        list[str] | None,
        typer.Option("--discussed", help="Id of a queued topic you talked about (see `ritual topic list`)."),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help="A private note. It stays in your history files: never in agendas, stats or calendars.",
            show_default=False,
        ),
    ] = None,
    unplanned: Annotated[
        bool, typer.Option("--unplanned", help="Record one held on a day with nothing planned.")
    ] = False,
    as_: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Record one partner's answers only (at a terminal, ask only theirs), e.g. from their own terminal.",
            show_default=False,
        ),
    ] = None,
    replace: ReplaceOption = False,
    config: ConfigOption = None,
) -> None:
    """Record a check-in or date night as held: ratings, commitments, what was kept.

    At a terminal, with none of --rating/--commit/--kept/--partly/--let-go/--discussed/--note,
    it asks: ratings first, each typed unseen, then how each open commitment went,
    which topic you talked about, a new commitment each, and a note. Recording an
    occurrence again adds to it; `ritual undo` takes back the last change.
    """
    from ...core import clock, history
    from ...core.history import draft

    if replace:
        replace_is_gone()
    sess = session(ctx, config)
    prefs = sess.load_required("`ritual done` records into your own history")
    kind = ritual.value
    today = clock.today(prefs.zone)
    day, is_unplanned = draft.occurrence_day(
        prefs, kind, date_value(date, "--date"), today=today, unplanned=unplanned, future_ok=False
    )
    by = draft.partner(prefs, as_, "by") if as_ is not None else None
    given = history.Draft(
        ritual=kind,
        date=day,
        ratings=tuple(draft.rating(prefs, r, by) for r in rating or []),
        commitments=tuple(draft.commitment(prefs, c, by) for c in commit or []),
        kept=tuple(kept or []),
        partly=tuple(partly or []),
        let_go=tuple(let_go or []),
        discussed=tuple(discussed or []),
        note=draft.checked_text(note or "", "note", one_line=False),
        unplanned=is_unplanned,
        by=by,
    )
    asked = False
    said = any((rating, commit, kept, partly, let_go, discussed)) or note is not None
    if not said and output.stdin_is_terminal():
        given, asked = _ask(prefs, sess.history(prefs, day), given), True
    draft.one_rating_each(given.ratings)
    change = history.record(sess.data_dir, given)
    report(change, asked=asked)
    if not change.nothing:
        changed(change.migrated, sess.data_dir)


# --------------------------------------------------------------------------- asking


def _ask(prefs: Preferences, hist: History, given: Draft) -> Draft:
    """Ask at the terminal: everyone's questions, or with --as only that partner's."""
    from ...core.history import draft
    from ...core.preferences import ritual_noun
    from ...core.sections import ASKS
    from .. import ask

    whose = f" ({given.by}'s answers)" if given.by else ""
    output.out(
        f"Recording the {ritual_noun(given.ritual)} of {given.date:%a %Y-%m-%d}{whose}. "
        "Press Enter to skip any question."
    )
    q = draft.questions(prefs, hist, given.ritual, given.date, given.by)
    return ask.about(ASKS, q, prefs, given)._replace(note=ask.note())


# --------------------------------------------------------------------------- reporting


def report(change: Change, *, asked: bool, name_ratings: bool = False) -> None:
    """What a recording saved, one line each (`ritual start` says it the same way).

    ``asked``: the ratings were typed at the terminal and shown once all were in,
    so their numbers are not shown again (``name_ratings``: whose were saved is).
    """
    from ...core.history import SHARED
    from ...core.preferences import ritual_noun

    e = change.entry
    what = f"the {ritual_noun(e.ritual)} of {e.date:%a %Y-%m-%d}"
    if change.nothing:
        output.out(f"Nothing new to add: {what} is already recorded with all of that.")
        return
    extra = " (unplanned)" if e.unplanned and change.new else ""
    output.out(f"Recorded {what}{extra} as held." if change.new else f"Added to {what}.")
    if change.ratings and asked and name_ratings:  # the numbers were shown once all were in
        output.out(f"  ratings: saved for {' and '.join(n for n, _, _ in change.ratings)}")
    elif change.ratings and not asked:  # asked: they were shown once all were in
        output.out(
            "  ratings: "
            + ", ".join(
                f"{n} {now}" if before in (None, now) else f"{n} {before} → {now}"
                for n, before, now in change.ratings
            )
        )

    def who(owner: str) -> str:
        return "both" if owner == SHARED else owner

    for c in change.commitments:
        output.out(f"  commitment {c.id} ({who(c.owner)}): {c.text}")
    if change.kept:
        output.out(f"  kept: {_listed(change.kept)}. Following through builds trust: well done.")
    if change.partly:
        output.out(f"  partly done: {_listed(change.partly)}. It stays open: what smaller step fits next?")
    if change.let_go:
        output.out(f"  let go: {_listed(change.let_go)}. No blame: it is carried no more.")
    for t in change.discussed:
        output.out(f"  talked about: {t.text} ({t.id}); it leaves the topic queue")
    if change.note:
        output.out("  note saved (private: it stays in your history files)")
    if change.commitments:
        output.out("The next check-in agenda opens with these commitments.")


def _listed(items: tuple[Commitment, ...]) -> str:
    return ", ".join(f"{c.id} ({c.text})" for c in items)
