"""The couple's own topics: a queue in ``history/topics.toml``.

``ritual topic add`` puts one at the end; the next check-in agenda lists them all
and the couple picks one; ``ritual done --discussed ID`` moves it out of the queue
into that check-in's entry (``discussed``), where it stays as part of the history;
``ritual topic drop`` takes one out. The queue is short by nature, so it is its own
small file, read whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .. import filecheck, tomlwrite
from .records import Topic
from .yearfile import FIX_HINT, MAX_TEXT, READS, topic

NAME = "topics.toml"
MAX_FILE_BYTES = 1_000_000
VERSION = 2

HEADER = f"""\
# Topics you want to talk about at a check-in, oldest first. `ritual topic add`
# queues one; `ritual done --discussed ID` or `ritual topic drop ID` takes it out.
version = {VERSION}
"""


def read(text: str, source: str) -> tuple[Topic, ...]:
    c = filecheck.Checker(source, text, hint=FIX_HINT)
    doc = filecheck.parse_toml(text, source, "topics file", hint=FIX_HINT)
    c.unknown_keys("", doc, ("version", "topic"))
    version = doc.get("version", VERSION)
    if version not in READS or isinstance(version, bool):
        c.add("version", f"this ritual reads topics version {VERSION}, got {version!r}")
    raw = doc.get("topic", [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        c.add("topic", 'expected [[topic]] tables: id = "t-…", text = "…", added = YYYY-MM-DD')
        raw = []
    found: list[Topic] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        t = topic(f"topic[{i}]", item, c, find="id")
        if t is None:
            continue
        if t.id in seen:
            c.add(f"topic[{i}].id", f"id {t.id!r} is used twice; ids must be unique", find=t.id)
        seen.add(t.id)
        found.append(t)
    c.raise_if_any()
    return tuple(found)


def load(path: Path) -> tuple[Topic, ...]:
    text = filecheck.read_text_if_present(path, "topics file", MAX_FILE_BYTES)
    return () if text is None else read(text, str(path))


def render(queue: Iterable[Topic]) -> str:
    out = [HEADER]
    for t in queue:
        lines = ["[[topic]]", f"id = {tomlwrite.string(t.id)}", f"text = {tomlwrite.string(t.text)}"]
        if t.by:
            lines.append(f"by = {tomlwrite.string(t.by)}")
        lines.append(f"added = {t.added.isoformat()}")
        out.append("\n" + "\n".join(lines) + "\n")
    return "".join(out)


__all__ = ["MAX_TEXT", "NAME", "load", "read", "render"]
