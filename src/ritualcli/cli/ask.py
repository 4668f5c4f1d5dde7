"""Asking the couple at a terminal what a check-in came to: ratings in private, and the rest.

Used by `ritual done` and `ritual start`: each function asks one kind of question
and returns plain values for a ``history.Draft``; ``about`` asks several and puts
the answers in the draft. Enter skips any question. Only ever called when stdin
is a terminal.

Ratings are private: each partner types theirs with no echo, after a "pass the
keyboard" step, and the numbers are shown only once everyone's are in, so neither
answer can lean on the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from . import output

if TYPE_CHECKING:
    from ..core.history import Draft, Open, Topic
    from ..core.history.draft import Questions
    from ..core.preferences import Preferences

RATING_QUESTION = "how safe did you feel to be open this week?"
_CHOICES = {"k": "kept", "p": "partly", "n": "not yet", "l": "let go"}


def _line(text: str) -> str:
    return str(typer.prompt(text, default="", show_default=False)).strip()


def about(kinds: Sequence[str], q: Questions, prefs: Preferences, given: Draft) -> Draft:
    """Ask the questions ``kinds`` names (``core.sections.ASKS``) that ``q`` has, in that order;
    ``given`` with those answers in place of any it had (asked again, the new answers count)."""
    from ..core import sections

    for kind in kinds:
        if kind == sections.RATINGS and q.ratings:
            given = given._replace(ratings=tuple(ratings(q.names)))
        elif kind == sections.FOLLOW_THROUGH:
            kept, partly, let_go = (tuple(ids) for ids in follow_up(q.open))
            given = given._replace(kept=kept, partly=partly, let_go=let_go)
        elif kind == sections.TOPICS:
            given = given._replace(discussed=tuple(topics_discussed(q.topics)))
        elif kind == sections.COMMITMENTS:
            given = given._replace(commitments=tuple(commitments(prefs, q.names)))
    return given


def ratings(names: Sequence[str]) -> list[tuple[str, int]]:
    """Each name's 1-10 rating, typed unseen; shown together once all are in."""
    from ..core.history import draft

    together = len(names) > 1
    if together:
        output.out("Ratings are private: each of you types yours unseen; both are shown once both are in.")
    given: list[tuple[str, int]] = []
    for name in names:
        if together:
            _line(f"Pass the keyboard to {output.clean(name)}, then press Enter")
        while True:
            answer = str(
                typer.prompt(
                    f"{output.clean(name)}: {RATING_QUESTION} (1-10, not shown; Enter to skip)",
                    default="",
                    show_default=False,
                    hide_input=True,
                )
            ).strip()
            if not answer:
                break
            number = draft.rating_number(answer)
            if number is not None:
                given.append((name, number))
                break
            output.err("  a whole number from 1 to 10, please (or Enter to skip)")
    if together:
        shown = ", ".join(f"{n} {r}" for n, r in given) or "none given"
        skipped = [n for n in names if n not in dict(given)]
        output.out(
            f"All in. Ratings: {shown}" + (f" (skipped: {', '.join(skipped)})" if skipped else "") + "."
        )
    return given


def follow_up(items: Sequence[Open]) -> tuple[list[str], list[str], list[str]]:
    """How each open commitment went: (kept, partly, let go) ids; "not yet" leaves it open."""
    from ..core.history import SHARED

    kept: list[str] = []
    partly: list[str] = []
    let_go: list[str] = []
    for item in items:
        who = "Both of you" if item.owner == SHARED else item.owner
        while True:
            answer = _line(
                f"{output.clean(who)}: “{output.clean(item.text)}” ({item.id}): "
                "kept, partly, not yet, or let go? [k/p/n/l, Enter: not yet]"
            ).lower()
            choice = answer[:1] if answer else "n"
            if choice in _CHOICES:
                break
            output.err("  k (kept), p (partly), n (not yet) or l (let go), please")
        {"k": kept, "p": partly, "l": let_go}.get(choice, []).append(item.id)
    return kept, partly, let_go


def topics_discussed(queue: Sequence[Topic]) -> list[str]:
    """Which queued topics were talked about (their ids)."""
    if not queue:
        return []
    output.out("Your topics:")
    for i, t in enumerate(queue, start=1):
        by = f" (raised by {output.clean(t.by)})" if t.by else ""
        output.out(f"  {i}. {output.clean(t.text)}{by}")
    while True:
        answer = _line("Which did you talk about? (numbers, or Enter for none)")
        picks = answer.replace(",", " ").split()
        if all(p.isdecimal() and len(p) < 6 and 1 <= int(p) <= len(queue) for p in picks):
            return list(dict.fromkeys(queue[int(p) - 1].id for p in picks))
        output.err(f"  numbers from 1 to {len(queue)}, please (or Enter for none)")


def commitments(prefs: Preferences, names: Sequence[str]) -> list[tuple[str, str]]:
    """One new commitment per name (or one made together, written "we: …")."""
    from ..core.errors import InputError
    from ..core.history import draft

    out: list[tuple[str, str]] = []
    for name in names:
        while True:
            answer = _line(
                f"{output.clean(name)}: one small thing you will do before the next check-in "
                '("we: …" for one you share; Enter to skip)'
            )
            if not answer:
                break
            try:
                out.append(draft.commitment(prefs, answer, by=name))
                break
            except InputError as exc:
                output.err(f"  {exc.problem}")
    return out


def note() -> str:
    from ..core.history import draft

    return draft.checked_text(
        _line("A private note (kept only in your history files; Enter to skip)"), "note", one_line=False
    )
