"""Follow-through: what the history means for the next agenda, for stats and for lists.

- The follow-through section of a check-in: commitments still open (and how many
  check-ins each has been carried to), kept or let go since the last check-in,
  and check-ins not recorded yet. A commitment carried to ``[support] carried``
  check-ins gets a suggestion to make it smaller or let it go: an unkept chore is
  not a reason to see a therapist.
- The opening: when someone rated at or below ``[support] low_rating`` at the last
  check-in, or the ratings were ``[support] gap`` points or more apart, the next
  check-in opens, before anything else, with room for whoever felt least safe.
  When low ratings have lasted ``low_streak`` check-ins, it suggests support.

Nothing here holds a note, and nothing here is ever given to a calendar or a mail
(``agenda`` leaves the opening out of shared agendas).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .. import schedule
from ..preferences import Preferences, name_key
from ..schedule import Occurrence
from . import ledger
from .records import SHARED, Closed, History, Ledger, Open

# A long stretch without records is a break, not a backlog: an agenda names at
# most this many check-ins whose commitments it could not know.
UNRECORDED_SHOWN = 4


class OpenCommitment(NamedTuple):
    id: str
    owner: str  # a partner, or "both" (SHARED) for one made together
    text: str
    made: dt.date
    checkins_open: int  # how many check-ins it has been carried to, this one included
    partly: dt.date | None = None  # when it was last said to be partly done
    long_open: bool = False  # carried to [support] carried check-ins: make it smaller, or let it go

    @property
    def shared(self) -> bool:
        return self.owner == SHARED


class Support(NamedTuple):
    """Low ratings for a while: the opening suggests support (its words: ``_support.md.j2``)."""

    low_rating: int
    low_streak: int

    # What a copy of the earlier _support.md.j2 asks for (`ritual templates copy`):
    # the support note no longer fires for an unkept commitment.
    @property
    def low_ratings(self) -> bool:
        return True

    @property
    def carried(self) -> int:
        return 0


class Opening(NamedTuple):
    """Why a check-in opens gently, from the check-ins before it. Never a number."""

    low: bool  # someone rated at or below [support] low_rating at the last check-in
    wide: bool  # the ratings there were [support] gap points or more apart
    first: str | None  # who felt least safe (as the preferences spell the name); None: the same
    support: Support | None  # low ratings for [support] low_streak check-ins: suggest support


class CarryOver(NamedTuple):
    """What a check-in agenda brings forward. Never a note, never a rating."""

    open: tuple[OpenCommitment, ...] = ()
    kept: tuple[OpenCommitment, ...] = ()  # kept since the last check-in: thanked once
    unrecorded: tuple[dt.date, ...] = ()  # earlier check-ins not recorded yet: unknown commitments
    opening: Opening | None = None  # the gentle opening, when the last check-ins call for it
    let_go: tuple[OpenCommitment, ...] = ()  # let go since the last check-in: said once, no blame

    @property
    def support(self) -> Support | None:
        """For a copy of the earlier _follow_through.md.j2, which showed the support note."""
        return self.opening.support if self.opening else None


class CommitmentState(NamedTuple):
    id: str
    owner: str
    text: str
    made: dt.date
    made_at: str  # the ritual it was made at
    state: str  # "open" | "kept" | "let-go" (a partly done one is open, with ``partly``)
    on: dt.date | None  # when it was kept or let go
    carried: int  # held check-ins it was brought to while open
    partly: dt.date | None = None
    why: str = ""  # why it was let go, if they said

    @property
    def kept_on(self) -> dt.date | None:
        return self.on if self.state == "kept" else None


# --------------------------------------------------------------------------- folding a loaded history


def fold(hist: History, day: dt.date) -> ledger.Fold:
    """The history folded up to the start of ``day`` (let-gos on ``day`` included)."""
    if hist.since is not None and day < hist.since:
        raise ValueError(f"a history loaded from {hist.since} cannot tell {day}")
    evs = ledger.events((("", e) for e in hist.entries), (("", g) for g in hist.let_go))
    return ledger.fold_until(hist.start, ledger.ordered(evs), day)


def _open(o: Open, checkins_open: int, limit: int) -> OpenCommitment:
    return OpenCommitment(o.id, o.owner, o.text, o.made, checkins_open, o.partly, checkins_open >= limit)


def _closed(c: Closed) -> OpenCommitment:
    return OpenCommitment(c.id, c.owner, c.text, c.made, c.carried)


def carry_over(prefs: Preferences, hist: History, occ: Occurrence) -> CarryOver:
    """What the agenda of ``occ`` brings forward from the history (no notes, ever)."""
    led = fold(hist, occ.date).ledger()
    this = 1 if occ.ritual == "checkin" else 0
    return CarryOver(
        open=tuple(_open(o, o.carried + this, prefs.support.carried) for o in led.open),
        kept=tuple(_closed(c) for c in led.closed if c.how == "kept"),
        unrecorded=unrecorded(prefs, led.last_recorded, occ.date),
        opening=opening(prefs, led),
        let_go=tuple(_closed(c) for c in led.closed if c.how == "let-go"),
    )


def unrecorded(prefs: Preferences, last_recorded: dt.date | None, before: dt.date) -> tuple[dt.date, ...]:
    """Planned check-ins after the last recorded one (held or skipped) and before ``before``."""
    if last_recorded is None or not prefs.checkin.enabled:
        return ()  # follow-through has not started: there is nothing to miss yet
    # Only the last few are shown: expand no further back than they can be (a monthly
    # ritual's slots are at most 31 days apart), so a long export stays linear.
    horizon = before - dt.timedelta(days=31 * UNRECORDED_SHOWN + 7)
    frm = max(last_recorded + dt.timedelta(days=1), horizon)
    # Dates only: working out each occurrence's time cost ~0.2 ms an agenda of an export.
    return tuple(schedule.planned_dates(prefs, prefs.checkin, frm, before)[-UNRECORDED_SHOWN:])


# --------------------------------------------------------------------------- the opening and support


def partner_name(prefs: Preferences, name: str) -> str:
    """A name from the history as the preferences spell it (ratings may say "sam")."""
    return prefs.couple.partner(name) or name


def low_streak(prefs: Preferences, led: Ledger) -> bool:
    """Has any partner rated at or below low_rating at each of their last low_streak check-ins?"""
    limit, streak = prefs.support.low_rating, prefs.support.low_streak
    mine: dict[str, list[int]] = {}
    for rated in led.rated:
        for name, value in rated.ratings:
            mine.setdefault(name_key(name), []).append(value)
    return any(len(v) >= streak and all(r <= limit for r in v[-streak:]) for v in mine.values())


def support(prefs: Preferences, led: Ledger) -> Support | None:
    if not low_streak(prefs, led):
        return None
    return Support(prefs.support.low_rating, prefs.support.low_streak)


def opening(prefs: Preferences, led: Ledger) -> Opening | None:
    """Whether (and why) the next check-in opens gently: the last held check-in's ratings."""
    last = led.rated[-1] if led.rated and led.rated[-1].date == led.last_held else None
    values = [r for _, r in last.ratings] if last else []
    low = any(r <= prefs.support.low_rating for r in values)
    wide = len(values) > 1 and max(values) - min(values) >= prefs.support.gap
    helped = support(prefs, led)
    if not (low or wide or helped):
        return None
    first = None
    if last is not None and values:
        lowest = min(values)
        least = [n for n, r in last.ratings if r == lowest]
        if len(least) == 1 and (low or wide):
            first = partner_name(prefs, least[0])
    return Opening(low, wide, first, helped)


def support_now(prefs: Preferences, hist: History, today: dt.date) -> Support | None:
    """The support the next check-in agenda would suggest, with today's records in."""
    return support(prefs, fold(hist, today + dt.timedelta(days=1)).ledger())


# --------------------------------------------------------------------------- listing


def commitment_states(hist: History, until: dt.date) -> list[CommitmentState]:
    """Every commitment the loaded history knows of, as things stood at the end of ``until``.

    Open ones always; kept and let-go ones for the years loaded (all, for a complete history).
    """
    f = fold(hist, until + dt.timedelta(days=1))
    out = [
        CommitmentState(o.id, o.owner, o.text, o.made, o.made_at, "open", None, o.carried, o.partly)
        for o in f.open_items()
    ]
    out += [
        CommitmentState(c.id, c.owner, c.text, c.made, c.made_at, c.how, c.on, c.carried, None, c.why)
        for c in f.log.values()
    ]
    return sorted(out, key=lambda s: (s.made, s.id))
