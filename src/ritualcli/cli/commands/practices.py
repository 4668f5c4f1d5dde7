"""`ritual practices`: the practice library, and where each practice comes from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ...core.errors import UsageError
from .. import output
from ..options import ListFormat

if TYPE_CHECKING:
    from ...core.library import Practice


def practices(
    practice_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="Show one practice in full, with its prompts.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        ListFormat,
        typer.Option("--format", "-f", help="text: to read; json: for scripts (every field and prompt)."),
    ] = ListFormat.text,
) -> None:
    """List the practice library: each practice's kind and minutes, why it helps, and the idea and article it comes from."""
    from ...core import library

    lib = library.load()
    chosen = lib.practices
    if practice_id is not None:
        found = lib.practice(practice_id.strip().lower())
        if found is None:
            from ...core.filecheck import did_you_mean

            ids = [p.id for p in lib.practices]
            tip = did_you_mean(practice_id.strip().lower(), ids)
            raise UsageError(
                f"no practice {practice_id!r}", hint=f"{tip} the practices are {', '.join(ids)}".lstrip()
            )
        chosen = (found,)
    if fmt is ListFormat.json:
        import json

        output.out(json.dumps([as_dict(p) for p in chosen], ensure_ascii=False, indent=2))
        return
    blocks = [detail(p) if practice_id else summary(p) for p in chosen]
    output.out("\n\n".join(blocks))


def as_dict(p: Practice) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "kind": p.kind,
        "path": p.path or None,
        "minutes": p.minutes,
        "origin": p.origin,
        "why": p.why,
        "exercise": p.exercise,
        "sources": list(p.sources),
        "tags": list(p.tags),
        "prompts": [{"text": q.text, "depth": q.depth, "tags": list(q.tags)} for q in p.prompts],
    }


def summary(p: Practice) -> str:
    step = f", step {p.path} of the first month" if p.path else ""
    return (
        f"{p.id}: {p.title}\n  {p.kind}{step} · {p.minutes} min\n  {p.why}\n"
        f"  the idea: {p.origin}\n  from: {'; '.join(p.sources)}"
    )


def detail(p: Practice) -> str:
    lines = [summary(p), "", f"  exercise: {p.exercise}", "", "  prompts:"]
    lines += [f"    [{q.depth}] {q.text}" + (f"  ({', '.join(q.tags)})" if q.tags else "") for q in p.prompts]
    return "\n".join(lines)
