"""What the couple says after a ritual, checked before it becomes a history entry.

A rating is written ``NAME=N``, a commitment ``NAME: what NAME will do`` (or
``we: …`` / ``both: …`` for one made together); a name matches a partner as
``preferences.name_key`` compares names (any letter case, any Unicode form). For
one partner recording alone (``--as NAME``), ``N`` and ``what NAME will do`` are
enough. Each function returns the checked value or raises an ``InputError`` that
names the input it came from (``field``: the Draft field, or ``date``), so a
command can say which of its flags was wrong.
"""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from .. import filecheck
from ..errors import InputError, Remedy
from ..filecheck import shown
from ..occurrence_finder import Absence, Look, find
from ..preferences import Preferences, name_key, ritual_noun
from .records import SHARED, History, Open, Topic
from .yearfile import MAX_TEXT

# What a commitment made together starts with, in place of a name.
TOGETHER = ("we", "both", "us")


def occurrence_day(
    prefs: Preferences, kind: str, given: dt.date | None, *, today: dt.date, unplanned: bool, future_ok: bool
) -> tuple[dt.date, bool]:
    """The date of the occurrence to record, and whether it is an unplanned one.

    Without ``given``: the occurrence of today, else the latest before it. A day with
    nothing planned is refused unless ``unplanned`` (held anyway); a day after
    ``today`` unless ``future_ok`` (a skip may be recorded ahead).
    """
    if given is None:
        found = find(prefs, kind, today, Look.ON_OR_BEFORE)
        if isinstance(found, Absence):
            raise InputError(
                found.message, remedy=Remedy("date", "YYYY-MM-DD to say which day"), hint=found.hint
            )
        return found.date, False
    if given > today and not future_ok:
        raise InputError(
            f"is after today ({today}); record a {ritual_noun(kind)} once it has happened",
            about=f"date {given}",
            field="date",
            given=str(given),
            hint="to leave out a day ahead, add it to [skip] dates in your preferences "
            "(`ritual plan` and the calendar follow them)",
        )
    found = find(prefs, kind, given)
    if not isinstance(found, Absence):
        return given, False
    if unplanned:
        return given, True
    raise InputError(
        found.message,
        remedy=Remedy("unplanned", "to record one held on a day with nothing planned"),
        hint=found.hint,
    )


def partner(prefs: Preferences, name: str, field: str) -> str:
    """A partner's name as the preferences spell it; any letter case is fine."""
    name = name.strip()
    found = prefs.couple.partner(name)
    if found is not None:
        return found
    partners = prefs.couple.partners
    tip = filecheck.did_you_mean(name, partners)
    raise InputError(
        f"{name!r} is not one of the partners",
        field=field,
        hint=f"{tip + ' ' if tip else ''}the partners are {', '.join(partners)}",
    )


def checked_text(value: str, field: str, *, one_line: bool = True) -> str:
    """A commitment, note or reason: trimmed, at most MAX_TEXT characters, no control characters."""
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise InputError(f"{len(value)} characters; at most {MAX_TEXT}, please", about=field, field=field)
    allowed = "" if one_line else "\n\t"
    if any((ord(ch) < 0x20 and ch not in allowed) or ord(ch) == 0x7F for ch in value):
        raise InputError(
            "one line of plain text, please (found a control character)", about=field, field=field
        )
    return value


def rating_number(value: str) -> int | None:
    """``value`` as a rating, 1 (not safe) to 10 (fully safe); None if it is not one."""
    value = value.strip()
    # isdecimal, not isdigit: "²" is a digit, but no number int() reads.
    if not (value.isdecimal() and len(value) <= 2):
        return None
    return int(value) if 1 <= int(value) <= 10 else None


def rating(prefs: Preferences, given: str, by: str | None = None) -> tuple[str, int]:
    """``NAME=N``: how safe NAME felt to be open, as (partner, rating); ``N`` alone for ``by``."""
    name, sep, value = given.rpartition("=")
    if by is not None and not sep:
        name, sep = by, "="
    if not sep or not name.strip():
        raise _bad_rating(given, "expected NAME=N", f"for example {prefs.couple.partners[0]}=7")
    number = rating_number(value)
    if number is None:
        hint = "give a whole number from 1 (not safe) to 10 (fully safe)"
        raise _bad_rating(given, f"{shown(value.strip())} is not a rating", hint)
    return partner(prefs, name, "ratings"), number


def _bad_rating(given: str, problem: str, hint: str) -> InputError:
    return InputError(problem, about=f"rating {shown(given)}", field="ratings", given=shown(given), hint=hint)


def commitment(prefs: Preferences, given: str, by: str | None = None) -> tuple[str, str]:
    """``NAME: what NAME will do`` or ``we: …``, as (owner, text); for ``by``, the text alone will do."""
    name, sep, what = given.partition(":")
    key = name_key(name) if sep else ""
    is_partner = bool(sep) and prefs.couple.partner(name) is not None
    together = bool(sep) and not is_partner and key in TOGETHER
    if by is not None and not (is_partner or together):
        return by, checked_text(given, "commitments")  # one partner recording: theirs
    if together and what.strip():
        return SHARED, checked_text(what, "commitments")
    if not sep or not name.strip() or not what.strip():
        raise InputError(
            'expected "NAME: what NAME will do"',
            about=f"commitment {shown(given)}",
            field="commitments",
            given=shown(given),
            hint=f'for example "{prefs.couple.partners[0]}: plan Saturday\'s walk", or "we: …" for one you share',
        )
    return partner(prefs, name, "commitments"), checked_text(what, "commitments")


def one_rating_each(ratings: Iterable[tuple[str, int]]) -> None:
    seen = set()
    for name, _ in ratings:
        if name_key(name) in seen:
            raise InputError(f"{name} is given twice; one rating each", about="ratings", field="ratings")
        seen.add(name_key(name))


class Questions(NamedTuple):
    """What a terminal asks about one occurrence (`ritual done`, `ritual start`), and of whom."""

    names: tuple[str, ...]  # who answers: both of you, or the one recording alone
    ratings: bool  # a rating each: check-ins only
    open: tuple[Open, ...]  # commitments made before the day, theirs or shared: how did each go?
    topics: tuple[Topic, ...]  # queued topics, for a check-in: which did you talk about?


def questions(
    prefs: Preferences, hist: History, ritual: str, day: dt.date, by: str | None = None
) -> Questions:
    """What to ask about the ``ritual`` of ``day``: everyone's questions, or with ``by`` that partner's."""
    from .followthrough import fold

    names = (by,) if by else tuple(prefs.couple.partners)
    mine = {name_key(n) for n in names}
    still_open = tuple(
        o
        for o in fold(hist, day).ledger().open
        if (o.owner == SHARED or name_key(o.owner) in mine) and o.made < day
    )
    checkin = ritual == "checkin"
    queue = tuple(t for t in hist.topics if t.added <= day) if checkin else ()
    return Questions(names, checkin, still_open, queue)
