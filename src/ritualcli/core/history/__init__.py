"""History of held and skipped check-ins and date nights: ratings, commitments, notes.

``records`` are the values; ``store`` reads, checks and writes ``history.toml``
(one ``[[entry]]`` per occurrence); ``draft`` checks what the couple types before
it is recorded; ``followthrough`` works out what that means for the next agenda
and for stats: open and kept commitments, check-ins not recorded yet, and when to
suggest outside support. A command loads the history once (``load``) and passes
the ``History`` value on: nothing here reads files behind its caller's back.
"""

from .followthrough import (
    CarryOver,
    CommitmentState,
    OpenCommitment,
    Support,
    carry_over,
    commitment_states,
    support_now,
    unrecorded,
)
from .records import Commitment, Draft, Entry, History
from .store import MAX_TEXT, history_path, load, parse, record, render, render_entry

__all__ = [
    "MAX_TEXT",
    "CarryOver",
    "Commitment",
    "CommitmentState",
    "Draft",
    "Entry",
    "History",
    "OpenCommitment",
    "Support",
    "carry_over",
    "commitment_states",
    "history_path",
    "load",
    "parse",
    "record",
    "render",
    "render_entry",
    "support_now",
    "unrecorded",
]
