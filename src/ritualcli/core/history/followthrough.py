"""Follow-through: what the history says about commitments, for agendas and stats.

Words used below:

- a commitment is *open* until an entry marks it ``kept``;
- a commitment is *carried* to each check-in it is brought to unkept: the one
  right after it was made counts 1. Skipped and unrecorded check-ins carry
  nothing (a missed week is not a failure, and not a count against anyone).

Nothing here holds a note: the agenda's carry-over, stats and calendars are built
from these types alone.
"""

import datetime as dt
from typing import NamedTuple

from .. import schedule
from ..preferences import Preferences
from ..schedule import Occurrence
from .records import History

# A long stretch without records is a break, not a backlog: an agenda names at
# most this many check-ins whose commitments it could not know.
UNRECORDED_SHOWN = 4


class OpenCommitment(NamedTuple):
    id: str
    owner: str
    text: str
    made: dt.date
    checkins_open: int  # how many check-ins it has been carried to, this one included


class Support(NamedTuple):
    """Why a gentle note suggests outside support, with the numbers; never who.

    The note's words are the template ``_support.md.j2``.
    """

    low_ratings: bool  # someone rated at or below low_rating at each of their last low_streak check-ins
    low_rating: int
    low_streak: int
    carried: int  # check-ins the longest-open commitment has been carried to, once that is a reason; else 0


class CarryOver(NamedTuple):
    """What a check-in agenda's follow-through section opens with. Never a note."""

    open: tuple[OpenCommitment, ...] = ()
    kept: tuple[OpenCommitment, ...] = ()  # kept since the last check-in: celebrate once
    unrecorded: tuple[dt.date, ...] = ()  # earlier check-ins not recorded yet: unknown commitments
    support: Support | None = None  # when a gentle suggestion of outside support applies


class CommitmentState(NamedTuple):
    id: str
    owner: str
    text: str
    made: dt.date
    made_at: str  # the ritual it was made at
    kept_on: dt.date | None
    carried: int  # held check-ins it was brought to unkept, up to the day asked about


def _held_checkins(hist: History, before: dt.date) -> list[dt.date]:
    return [e.date for e in hist.entries if e.ritual == "checkin" and e.held and e.date < before]


def commitment_states(hist: History, before: dt.date) -> list[CommitmentState]:
    """Every commitment made before ``before``, as things stood then."""
    held_checkins = _held_checkins(hist, before)
    kept_on = {cid: d for cid, d in hist.kept_on().items() if d < before}
    out = []
    for e, c in hist.commitments():
        if e.date >= before:
            continue
        until = kept_on.get(c.id, before)
        # brought to a check-in unkept: every held one after it was made, up to the one
        # that marked it kept (a kept one was still carried to that check-in).
        carried = sum(1 for d in held_checkins if e.date < d <= until and (d < until or c.id in kept_on))
        out.append(CommitmentState(c.id, c.owner, c.text, e.date, e.ritual, kept_on.get(c.id), carried))
    return out


def _open(state: CommitmentState, carried: int) -> OpenCommitment:
    return OpenCommitment(state.id, state.owner, state.text, state.made, carried)


def carry_over(prefs: Preferences, hist: History, occ: Occurrence) -> CarryOver:
    """What the agenda of ``occ`` brings forward from earlier check-ins (no notes, ever)."""
    this = 1 if occ.ritual == "checkin" else 0
    states = commitment_states(hist, occ.date)
    still_open = tuple(_open(s, s.carried + this) for s in states if s.kept_on is None)

    # Kept ones are celebrated at the first check-in after they were marked, then drop off.
    held = _held_checkins(hist, occ.date)
    since = held[-1] if held else dt.date.min
    kept = tuple(_open(s, s.carried) for s in states if s.kept_on is not None and s.kept_on >= since)

    return CarryOver(
        open=still_open,
        kept=kept,
        unrecorded=unrecorded(prefs, hist, occ.date),
        support=support_signal(prefs, hist, occ.date, max((c.checkins_open for c in still_open), default=0)),
    )


def unrecorded(prefs: Preferences, hist: History, before: dt.date) -> tuple[dt.date, ...]:
    """Planned check-ins after the last recorded one (held or skipped) and before ``before``."""
    recorded = [e.date for e in hist.entries if e.ritual == "checkin" and e.date < before]
    if not recorded or not prefs.checkin.enabled:
        return ()  # follow-through has not started: there is nothing to miss yet
    # Only the last few are shown: expand no further back than they can be (a monthly
    # ritual's slots are at most 31 days apart), so a long export stays linear.
    horizon = before - dt.timedelta(days=31 * UNRECORDED_SHOWN + 7)
    frm = max(recorded[-1] + dt.timedelta(days=1), horizon)
    # Dates only: working out each occurrence's time cost ~0.2 ms an agenda of an export.
    return tuple(schedule.planned_dates(prefs, prefs.checkin, frm, before)[-UNRECORDED_SHOWN:])


def low_streak(prefs: Preferences, hist: History, before: dt.date) -> bool:
    """Has any partner rated at or below low_rating at each of their last low_streak check-ins?"""
    limit, streak = prefs.support.low_rating, prefs.support.low_streak
    rated = [e for e in hist.entries if e.ritual == "checkin" and e.held and e.date < before]
    names = {n for e in rated for n, _ in e.ratings}
    for name in names:
        mine = [r for e in rated if (r := e.rating(name)) is not None]
        if len(mine) >= streak and all(r <= limit for r in mine[-streak:]):
            return True
    return False


def support_signal(prefs: Preferences, hist: History, before: dt.date, most_carried: int) -> Support | None:
    """Whether (and why) to suggest a couples therapist, gently, at a check-in on ``before``."""
    low = low_streak(prefs, hist, before)
    carried = most_carried if most_carried >= prefs.support.carried else 0
    if not (low or carried):
        return None
    return Support(low, prefs.support.low_rating, prefs.support.low_streak, carried)


def support_now(prefs: Preferences, hist: History, today: dt.date) -> Support | None:
    """The support signal the next check-in agenda would show, with today's records in."""
    after = today + dt.timedelta(days=1)
    carried = [s.carried for s in commitment_states(hist, after) if s.kept_on is None]
    coming = 1 if prefs.checkin.enabled else 0  # the next check-in they would be carried to
    return support_signal(prefs, hist, after, max(carried, default=-coming) + coming)
