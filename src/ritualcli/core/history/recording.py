"""Recording: the one way anything is added to the history.

``record`` takes a ``Draft`` (what `ritual done`, `ritual skip` or `ritual start`
gathered) and returns a ``Change`` (what it changed). An occurrence already
recorded is added to, never replaced: the ratings given are set and the others
kept, new commitments are appended, kept, partly and let-go ids are added, a note
is appended. So two partners can record the same check-in from two terminals,
one after the other, and both ratings and all commitments stay. Replacing a whole
entry is a hand edit (`ritual history edit`); taking back the last change is
`ritual undo`.

Also here: letting a commitment go between check-ins, and the topic queue. Each
is one ``transaction.Transaction``: checked, written atomically, undoable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..preferences import name_key, ritual_noun
from . import ledger, store, yearfile
from .records import SHARED, Change, Closed, Commitment, Draft, Entry, Ledger, LetGo, Open, Topic, next_id
from .transaction import Transaction


def record(data_dir: Path, draft: Draft) -> Change:
    """Add ``draft`` to its occurrence's entry (a new one if there is none yet)."""
    _only_theirs(draft)
    with Transaction(data_dir) as tx:
        year = draft.date.year
        text = tx.text(year)
        parsed = tx.parsed(year)
        evs = ledger.ordered(ledger.events(parsed.entries, parsed.let_go))
        fold = ledger.fold_until(tx.ledger_before(year), evs, draft.date)
        at_day = _Known(
            fold.ledger(), fold.log, {c.id: e.date for _, e in parsed.entries for c in e.commitments}
        )
        found = [(at, e) for at, e in parsed.entries if e.key == (draft.date, draft.ritual)]
        at, old = found[0] if found else (None, None)
        _same_status(old, draft)
        kept, partly, let_go = _closures(draft, old, at_day)
        discussed = _discussed(draft, tx.queue, old)

        entry, change = _merge(old, draft, parsed, kept, partly, discussed)
        if change.nothing and not let_go:
            tx.cancel()  # nothing new: the files stay as they are
            return change._replace(entry=old or entry)
        lets = [LetGo(cid, draft.date) for cid in let_go]
        tx.put(year, _with_records(text, year, at, entry, lets))
        if discussed:
            tx.put_queue(tuple(t for t in tx.queue if t not in discussed))
        opened = {o.id: o for o in at_day.ledger.open}
        change = change._replace(
            kept=tuple(_commitment(opened[c]) for c in kept),
            partly=tuple(_commitment(opened[c]) for c in partly),
            let_go=tuple(_commitment(opened[c]) for c in let_go),
            migrated=tx.migrated,
        )
        tx.what = describe(change)
    return change._replace(journal=tx.journal)


def _only_theirs(draft: Draft) -> None:
    """Recorded by one partner (`--as`): their rating only; commitments theirs or shared."""
    if draft.by is None:
        return
    mine = name_key(draft.by)
    for name, _ in draft.ratings:
        if name_key(name) != mine:
            raise InputError(
                f"recording for {draft.by} alone: {name}'s rating is {name}'s to give",
                field="ratings",
                hint=f"{name} records it, as {name}",
            )
    for owner, _ in draft.commitments:
        if owner != SHARED and name_key(owner) != mine:
            raise InputError(
                f"recording for {draft.by} alone: a commitment for {owner} is {owner}'s to make",
                field="commitments",
                hint='write "we: …" for one you make together',
            )


def _closures(draft: Draft, old: Entry | None, known: _Known) -> tuple[list[str], list[str], list[str]]:
    """The kept, partly-done and let-go ids ``draft`` adds to ``old``, each checked.

    Said again, an id already there is nothing new; partly done, then kept at the
    same check-in, is kept.
    """
    old_kept, old_partly = (set(old.kept), set(old.partly)) if old else (set(), set())
    kept = [c for c in _ids(draft.kept) if c not in old_kept]
    partly = [c for c in _ids(draft.partly) if c not in old_partly and c not in kept]
    for cid in partly:
        if cid in old_kept:
            raise _bad(cid, "partly", f"it is already marked kept at this {ritual_noun(draft.ritual)}")
    let_go = _ids(draft.let_go)
    for cid in let_go:
        if cid in kept or cid in partly or cid in old_kept:
            raise _bad(cid, "let_go", "it is kept or partly done here: one or the other")
    for cid, field in [*((c, "kept") for c in kept), *((c, "partly") for c in partly)]:
        _open_before(cid, field, draft.date, known, strictly=True)
    for cid in let_go:
        _open_before(cid, "let_go", draft.date, known, strictly=False)
    return kept, partly, let_go


def _same_status(old: Entry | None, draft: Draft) -> None:
    if old is None or old.status == draft.status:
        return
    what = f"the {ritual_noun(draft.ritual)} of {draft.date}"
    raise InputError(
        f"{what} is recorded as {old.status}, not {draft.status}",
        # Not just "`ritual undo`": it takes back the last change, which may be another one.
        hint=f"`ritual history edit --year {draft.date.year}` changes that entry by hand; "
        "`ritual undo` takes it back only if recording it was your last change",
    )


def _ids(given: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in given if i.strip()))


def _bad(cid: str, field: str, problem: str, hint: str | None = None) -> InputError:
    return InputError(problem, about=f"commitment {cid}", field=field, given=cid, hint=hint)


class _Known(NamedTuple):
    """What stands at the start of a day, with what the day's year says of each id."""

    ledger: Ledger
    closed: dict[str, Closed]  # closed this year before the day
    made: dict[str, dt.date]  # made this year, on any day


def _open_before(cid: str, field: str, day: dt.date, known: _Known, *, strictly: bool) -> None:
    found = next((o for o in known.ledger.open if o.id == cid), None)
    if found is not None and (found.made < day or (not strictly and found.made == day)):
        return
    closed = known.closed.get(cid) or next((c for c in known.ledger.closed if c.id == cid), None)
    if found is None and closed is None and cid in known.made:
        found_day: dt.date | None = known.made[cid]
    else:
        found_day = found.made if found is not None else None
    if found_day is not None:
        raise _bad(cid, field, f"it was made on {found_day}, not before {day}")
    if closed is not None:
        how = "marked kept" if closed.how == "kept" else "let go"
        raise _bad(cid, field, f"already {how} on {closed.on}")
    listing = ", ".join(o.id for o in known.ledger.open if o.made < day) or "none"
    raise _bad(
        cid,
        field,
        "no open commitment has that id",
        f"open before {day}: {listing} (see `ritual commitments`)",
    )


def _discussed(draft: Draft, queue: tuple[Topic, ...], old: Entry | None) -> tuple[Topic, ...]:
    done_here = {t.id for t in old.discussed} if old else set()
    out = []
    for tid in _ids(draft.discussed):
        if tid in done_here:
            continue
        topic = next((t for t in queue if t.id == tid), None)
        if topic is None:
            listing = ", ".join(t.id for t in queue) or "none"
            raise InputError(
                "no queued topic has that id",
                about=f"topic {tid}",
                field="discussed",
                given=tid,
                hint=f"queued: {listing} (see `ritual topic list`)",
            )
        out.append(topic)
    return tuple(out)


def _merge(
    old: Entry | None,
    draft: Draft,
    parsed: yearfile.Parsed,
    kept: list[str],
    partly: list[str],
    discussed: tuple[Topic, ...],
) -> tuple[Entry, Change]:
    base = old or Entry(draft.ritual, draft.date, draft.status)
    ratings = list(base.ratings)
    changed: list[tuple[str, int | None, int]] = []
    for name, value in draft.ratings:
        at = next((i for i, (n, _) in enumerate(ratings) if name_key(n) == name_key(name)), None)
        if at is None:
            ratings.append((name, value))
            changed.append((name, None, value))
        elif ratings[at][1] != value:  # the same number again changes nothing
            changed.append((name, ratings[at][1], value))
            ratings[at] = (name, value)

    have = {(name_key(c.owner), c.text.strip()) for c in base.commitments}
    used = [c.id for _, e in parsed.entries for c in e.commitments]
    added: list[Commitment] = []
    for owner, text in draft.commitments:
        if (name_key(owner), text.strip()) in have:
            continue  # the same commitment given again: recorded once
        have.add((name_key(owner), text.strip()))
        added.append(Commitment(next_id(f"c-{draft.date.isoformat()}-", used), owner, text))
        used.append(added[-1].id)

    note = _appended(base.note, draft.note, "\n", "note")
    reason = _appended(base.reason, draft.reason, "; ", "reason")
    entry = base._replace(
        ratings=tuple(ratings),
        commitments=base.commitments + tuple(added),
        kept=base.kept + tuple(kept),
        partly=tuple(p for p in base.partly if p not in kept) + tuple(partly),
        discussed=base.discussed + discussed,
        note=note,
        reason=reason,
        unplanned=base.unplanned or draft.unplanned,
    )
    return entry, Change(
        entry=entry,
        new=old is None,
        ratings=tuple(changed),
        commitments=tuple(added),
        discussed=discussed,
        note=note != base.note,
        reason=reason != base.reason,
    )


def _appended(old: str, new: str, sep: str, field: str) -> str:
    new = new.strip()
    if not new or new in old:
        return old
    merged = f"{old}{sep}{new}" if old else new
    if len(merged) > yearfile.MAX_TEXT:
        raise InputError(
            f"with the {field} already recorded it would be {len(merged)} characters; at most {yearfile.MAX_TEXT}",
            about=field,
            field=field,
            hint="shorten it, or edit the one recorded with `ritual history edit`",
        )
    return merged


def _commitment(o: Open) -> Commitment:
    return Commitment(o.id, o.owner, o.text)


def _with_records(text: str, year: int, at: str | None, entry: Entry, lets: list[LetGo]) -> str:
    """The year's file with ``entry`` in place of the one at ``at`` (or appended), and ``lets`` appended."""
    if not text.strip():
        return yearfile.render(year, [entry], lets)
    lines = text.splitlines(keepends=True)
    if at is not None:
        spans = store.record_spans(text)
        if at not in spans:  # a hand-made layout (say, `entry = [...]`): written afresh
            return _rewritten(text, year, at, entry, lets)
        first, last = spans[at]
        # The entry's own lines: comments and blank lines after it belong to what follows.
        while last > first and (not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")):
            last -= 1
        lines[first - 1 : last] = [yearfile.render_entry(entry)]
    out = "".join(lines)
    out = out if out.endswith("\n") else out + "\n"
    if at is None:
        out += "\n" + yearfile.render_entry(entry)
    return out + "".join("\n" + yearfile.render_let_go(g) for g in lets)


def _rewritten(text: str, year: int, at: str, entry: Entry, lets: list[LetGo]) -> str:
    from ..filecheck import Checker

    parsed = yearfile.read(text, Checker("", text), year=year)
    entries = [entry if a == at else e for a, e in parsed.entries]
    return yearfile.render(year, entries, [g for _, g in parsed.let_go] + lets)


def describe(change: Change) -> str:
    """What a change did, in a few words, as `ritual undo` names it (never a rating's number)."""
    e = change.entry
    what = f"the {ritual_noun(e.ritual)} of {e.date:%a %Y-%m-%d}"
    parts = []
    if change.ratings:
        names = [f"{n}'s" for n, _, _ in change.ratings]
        parts.append(" and ".join(names) + (" ratings" if len(names) > 1 else " rating"))
    for label, items in (
        ("commitment", change.commitments),
        ("kept", change.kept),
        ("partly done", change.partly),
        ("let go", change.let_go),
        ("topic discussed", change.discussed),
    ):
        if items:
            noun = label if label != "commitment" or len(items) == 1 else "commitments"
            parts.append(f"{len(items)} {noun}")
    if change.note:
        parts.append("a note")
    if change.reason:
        parts.append("a reason")
    head = f"recorded {what} as {e.status}" if change.new else f"added to {what}"
    return head + (f": {', '.join(parts)}" if parts else "")


# --------------------------------------------------------------------------- between check-ins


def let_go(data_dir: Path, cid: str, why: str, day: dt.date) -> tuple[Commitment, Path | None]:
    """Let a commitment go on ``day``: it closes, with no blame, and is carried no more.

    Returns it, and where the old single-file history was kept if this change split it.
    """
    with Transaction(data_dir) as tx:
        year = day.year
        parsed = tx.parsed(year)
        evs = ledger.ordered(ledger.events(parsed.entries, parsed.let_go))
        fold = ledger.fold_until(tx.ledger_before(year), evs, day + dt.timedelta(days=1))
        now = _Known(
            fold.ledger(), fold.log, {c.id: e.date for _, e in parsed.entries for c in e.commitments}
        )
        _open_before(cid, "id", day, now, strictly=False)
        item = next(o for o in now.ledger.open if o.id == cid)
        text = tx.text(year)
        base = text if text.strip() else yearfile.header(year)
        tx.put(
            year,
            (base if base.endswith("\n") else base + "\n")
            + "\n"
            + yearfile.render_let_go(LetGo(cid, day, why)),
        )
        owner = "both of you" if item.owner == SHARED else item.owner
        tx.what = f"let go of {cid} ({owner}: {item.text})"
    return _commitment(item), tx.migrated


def add_topic(data_dir: Path, text: str, by: str, day: dt.date) -> tuple[Topic, Path | None]:
    """Queue a topic for a check-in (``by``: who raised it, or ""); and where an old history went."""
    with Transaction(data_dir) as tx:
        used = [t.id for t in tx.queue]
        used += [t.id for _, e in tx.parsed(day.year).entries for t in e.discussed]
        topic = Topic(next_id(f"t-{day.isoformat()}-", used), text, by, day)
        tx.put_queue((*tx.queue, topic))
        tx.what = f"queued topic {topic.id}"
    return topic, tx.migrated


def _discussed_on(tx: Transaction, tid: str) -> dt.date | None:
    """The check-in that talked topic ``tid`` through, if one did: from its id's year on."""
    try:
        since = int(tid.split("-")[1])
    except (IndexError, ValueError):  # not an id ritual made: nothing talked it through
        return None
    for year in (y for y in tx.lay.years() if y >= since):
        for _, entry in tx.parsed(year).entries:
            if any(t.id == tid for t in entry.discussed):
                return entry.date
    return None


def drop_topic(data_dir: Path, tid: str) -> tuple[Topic, Path | None]:
    """Take a topic out of the queue without discussing it (`ritual undo` brings it back)."""
    with Transaction(data_dir) as tx:
        topic = next((t for t in tx.queue if t.id == tid), None)
        if topic is None:
            when = _discussed_on(tx, tid)
            listing = ", ".join(t.id for t in tx.queue) or "none"
            raise InputError(
                f"it was talked about at the check-in of {when}, so it is no longer queued"
                if when
                else "no queued topic has that id",
                about=f"topic {tid}",
                field="id",
                given=tid,
                hint=f"queued: {listing}",
            )
        tx.put_queue(tuple(t for t in tx.queue if t.id != tid))
        tx.what = f"dropped topic {tid}"
    return topic, tx.migrated
