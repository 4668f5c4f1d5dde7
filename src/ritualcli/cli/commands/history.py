"""`ritual history [--format json] [--last N]` and `ritual history edit`: see it, fix it by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ...core.errors import UsageError
from .. import output
from ..options import ConfigOption, ListFormat, ListFormatOption
from . import session

if TYPE_CHECKING:
    from pathlib import Path

    from ...core.history import Entry, LetGo

app = typer.Typer(
    help="Every check-in and date night recorded; `edit` opens a year of it in your editor.",
    invoke_without_command=True,
)


@app.callback()
def history(
    ctx: typer.Context,
    fmt: ListFormatOption = ListFormat.text,
    last: Annotated[
        int | None, typer.Option("--last", "-n", help="Only the last N records.", show_default=False)
    ] = None,
    config: ConfigOption = None,
) -> None:
    """List what you recorded, oldest first. Ratings show at a terminal or with --format json only."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    if last is not None and last < 1:
        raise UsageError(f"--last {last}: give a number of records, 1 or more")
    sess = session(ctx, config)
    prefs = sess.load()
    hist = sess.history(prefs)  # everything: this command may read every year
    records: list[Entry | LetGo] = sorted([*hist.entries, *hist.let_go], key=lambda r: r.date)
    if last is not None:
        records = records[-last:]
    if fmt is ListFormat.json:
        output.out(json.dumps([_row(r) for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        output.out("Nothing recorded yet.")
        output.err("after a check-in: ritual done checkin")
        return
    ratings = output.is_terminal()
    for r in records:
        for line in _lines(r, ratings=ratings):
            output.out(line)
    if not ratings and any(getattr(r, "ratings", ()) for r in records):
        output.err("ratings are shown at a terminal, or with --format json")


def _lines(r: Entry | LetGo, *, ratings: bool) -> list[str]:
    from ...core.history import Entry
    from ...core.preferences import ritual_noun

    if not isinstance(r, Entry):
        why = f": {r.why}" if r.why else ""
        return [f"{r.date:%a %Y-%m-%d}  let go      {r.id}{why}"]
    head = f"{r.date:%a %Y-%m-%d}  {ritual_noun(r.ritual):<10}  {r.status}"
    if r.unplanned:
        head += " (unplanned)"
    if r.ratings:
        head += "  " + (
            " · ".join(f"{n} {v}" for n, v in r.ratings) if ratings else f"{len(r.ratings)} rated"
        )
    out = [head]
    for c in r.commitments:
        out.append(f"    commitment {c.id}  {c.owner}: {c.text}")
    closed = [f"kept {i}" for i in r.kept] + [f"partly {i}" for i in r.partly]
    if closed:
        out.append("    " + " · ".join(closed))
    out += [f"    talked about {t.id}: {t.text}" for t in r.discussed]
    private = [w for w, v in (("a note", r.note), ("a reason", r.reason)) if v]
    if private:
        out.append(f"    {' and '.join(private)} (private: `ritual history edit` shows it)")
    return out


def _row(r: Entry | LetGo) -> dict[str, Any]:
    from ...core.history import SHARED, Entry

    if not isinstance(r, Entry):
        return {"record": "let-go", "date": r.date.isoformat(), "id": r.id, "why": r.why or None}
    return {
        "record": "entry",
        "ritual": r.ritual,
        "date": r.date.isoformat(),
        "status": r.status,
        "unplanned": r.unplanned,
        "ratings": dict(r.ratings),
        "commitments": [
            {"id": c.id, "owner": c.owner, "shared": c.owner == SHARED, "text": c.text} for c in r.commitments
        ],
        "kept": list(r.kept),
        "partly": list(r.partly),
        "discussed": [
            {"id": t.id, "text": t.text, "by": t.by or None, "added": t.added.isoformat()}
            for t in r.discussed
        ],
        "note": r.note or None,
        "reason": r.reason or None,
    }


@app.command("edit")
def edit(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            "-y",
            help="Which year's file (default: this year's, else the newest).",
            show_default=False,
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Open a year of your history in $VISUAL or $EDITOR, then check it.

    An invalid edit never replaces the good file: at a terminal you can edit again;
    otherwise your edit is kept beside it as NAME.rejected. `ritual undo` takes a
    saved edit back.
    """
    from ...core import clock, filecheck, history
    from ...core.history.store import MAX_FILE_BYTES
    from ..editing import edit_checked

    sess = session(ctx, config)
    prefs = sess.load_required("`ritual history edit` edits your own history")
    path = history.edit_target(sess.data_dir, year, this_year=clock.today(prefs.zone).year)
    before = _decoded_or_none(filecheck.read_bytes(path, "history file", MAX_FILE_BYTES), path)

    def text(data: bytes) -> str:
        return filecheck.decode(data, str(path))

    def save(original: bytes, edited: bytes) -> str:
        history.save_edit(sess.data_dir, path, text(original), text(edited))
        return f"saved {path}; `ritual undo` takes it back"

    edit_checked(
        path,
        what="history file",
        max_bytes=MAX_FILE_BYTES,
        check=lambda edited: history.check_edit(
            sess.data_dir, path, text(edited), original=before, partners=prefs.couple.partners
        ),
        save=save,
        command="ritual history edit",
    )


def _decoded_or_none(data: bytes, path: Path) -> str | None:
    """The file as it was before the edit, or None if it is not text (then every record
    of the edit counts as changed): the edit may be what fixes it."""
    from ...core import filecheck
    from ...core.errors import FileProblemsError

    try:
        return filecheck.decode(data, str(path))
    except FileProblemsError:
        return None
