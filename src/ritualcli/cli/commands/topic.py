"""`ritual topic add|list|drop`: the couple's own topics, queued for a check-in."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output
from ..flags import flags
from ..options import ConfigOption, ListFormat, ListFormatOption
from . import changed, session

app = typer.Typer(
    help="Your own topics for a check-in: add one any time; the next check-in agenda lists them.",
    no_args_is_help=True,
)


@app.command("add")
@flags(text="TEXT", by="--by")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What you want to talk about, in a line.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who raises it (they speak first).", show_default=False)
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Queue a topic for a check-in. It stays private: never in a calendar."""
    from ...core import clock, history
    from ...core.errors import InputError
    from ...core.history import draft

    sess = session(ctx, config)
    prefs = sess.load_required("`ritual topic` keeps topics in your own history")
    what = draft.checked_text(text, "text")
    if not what:
        raise InputError("say what you want to talk about", field="text", given='""')
    who = draft.partner(prefs, by, "by") if by is not None else ""
    topic, migrated = history.add_topic(sess.data_dir, what, who, clock.today(prefs.zone))
    output.out(f"Queued {topic.id}: {topic.text}" + (f" (raised by {topic.by})" if topic.by else ""))
    output.out(
        "The next check-in agenda lists it; `ritual done checkin --discussed ID` takes it off the queue."
    )
    changed(migrated, sess.data_dir)


@app.command("list")
def list_(
    ctx: typer.Context,
    fmt: ListFormatOption = ListFormat.text,
    config: ConfigOption = None,
) -> None:
    """The queued topics, oldest first."""
    import json

    from ...core import history

    sess = session(ctx, config)
    prefs = sess.load()
    queue = () if prefs.is_example else history.load_topics(sess.data_dir)
    if fmt is ListFormat.json:
        rows = [{"id": t.id, "text": t.text, "by": t.by or None, "added": t.added.isoformat()} for t in queue]
        output.out(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not queue:
        output.out("No topics queued.")
        output.err('add one: ritual topic add "…" [--by NAME]')
        return
    for t in queue:
        by = f" (raised by {t.by})" if t.by else ""
        output.out(f"{t.id}  {t.text}{by}  (added {t.added})")


@app.command("drop")
@flags(id="ID")
def drop(
    ctx: typer.Context,
    tid: Annotated[str, typer.Argument(metavar="ID", help="The topic's id (see `ritual topic list`).")],
    config: ConfigOption = None,
) -> None:
    """Take a topic off the queue without talking about it."""
    from ...core import history

    sess = session(ctx, config)
    sess.load_required("`ritual topic` keeps topics in your own history")
    topic, migrated = history.drop_topic(sess.data_dir, tid.strip())
    output.out(f"Dropped {topic.id}: {topic.text}")
    changed(migrated, sess.data_dir)
