"""History of held and skipped check-ins and date nights: ratings, commitments, topics.

- ``records``: the values (entries, commitments, let-gos, topics, the ledger, the
  ``Draft`` a command gathers and the ``Change`` a recording makes).
- ``yearfile``: one history file read, checked and written; ``topics``: the queue.
- ``ledger``: the records folded in date order into what follow-through needs.
- ``store``: where the files are (one per year), and loading them; ``index``: the
  cache that spares reading old years; ``transaction``: the one way to change
  them; ``journal``: the undo journal; ``byhand``: `history edit` and `undo`.
- ``recording``: ``record`` (a Draft in, a Change out: `done`, `skip`, `start`),
  letting go, the topic queue. ``draft`` checks what the couple types.
- ``followthrough``: what the history means for an agenda, stats and lists.

A command loads the history once (``load``, from the day it needs) and passes the
``History`` value on: nothing here reads files behind its caller's back.

Reading is what most commands do, ``ritual plan`` among them: the records and the
store load with the package. Follow-through, and what changes the history (with
the lock, the undo journal and the atomic writer), load when a command first names
them (``history.record``), so a command that only reads pays for neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .records import SHARED, Change, Closed, Commitment, Draft, Entry, History, Ledger, LetGo, Open, Topic
from .store import history_path, load, load_topics, parse
from .yearfile import MAX_TEXT, render, render_entry

if TYPE_CHECKING:
    from .byhand import check_edit, edit_target, save_edit, undo
    from .followthrough import (
        CarryOver,
        CommitmentState,
        OpenCommitment,
        Opening,
        Support,
        carry_over,
        commitment_states,
        opening,
        support_now,
        unrecorded,
    )
    from .recording import add_topic, describe, drop_topic, let_go, record

# The names loaded when first asked for (PEP 562), by the module they live in.
_LATER = {
    name: module
    for module, names in (
        ("byhand", ("check_edit", "edit_target", "save_edit", "undo")),
        (
            "followthrough",
            (
                "CarryOver",
                "CommitmentState",
                "OpenCommitment",
                "Opening",
                "Support",
                "carry_over",
                "commitment_states",
                "opening",
                "support_now",
                "unrecorded",
            ),
        ),
        ("recording", ("add_topic", "describe", "drop_topic", "let_go", "record")),
    )
    for name in names
}


def __getattr__(name: str) -> Any:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_LATER[name]}", __name__), name)


__all__ = [
    "MAX_TEXT",
    "SHARED",
    "CarryOver",
    "Change",
    "Closed",
    "Commitment",
    "CommitmentState",
    "Draft",
    "Entry",
    "History",
    "Ledger",
    "LetGo",
    "Open",
    "OpenCommitment",
    "Opening",
    "Support",
    "Topic",
    "add_topic",
    "carry_over",
    "check_edit",
    "commitment_states",
    "describe",
    "drop_topic",
    "edit_target",
    "history_path",
    "let_go",
    "load",
    "load_topics",
    "opening",
    "parse",
    "record",
    "render",
    "render_entry",
    "save_edit",
    "support_now",
    "undo",
    "unrecorded",
]
