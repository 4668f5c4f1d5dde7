"""Editing a file in $VISUAL / $EDITOR, checked before it replaces the good one.

`ritual config edit` and `ritual history edit` both work this way: the edit is
made on a copy beside the file (``NAME.rejected``), checked as ritual reads that
kind of file, and only a valid edit is saved. An invalid one never replaces the
good file: at a terminal you can edit again; otherwise the edit stays in the copy,
and the next `edit` reopens it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import typer

from ..core.errors import FileProblemsError, UsageError, WorkError
from . import output


def edit_checked(
    path: Path,
    *,
    what: str,
    max_bytes: int,
    check: Callable[[bytes], None],
    save: Callable[[bytes, bytes], str],
    command: str,
) -> None:
    """Let a person edit ``path``; ``check`` raises FileProblemsError for an edit that will not do.

    ``save(original, edited)`` writes a valid edit and returns what to say. ``what``
    names the kind of file ("preferences file"), ``command`` the command that reopens a draft.
    """
    from ..core import filecheck, fsio

    def read(file: Path) -> bytes:  # a regular file only: a FIFO here would hang
        return filecheck.read_bytes(file, what, max_bytes)

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise WorkError("no editor: set $EDITOR (or $VISUAL)", hint=f"e.g. EDITOR=nano {command}")
    # As it is, even if it is not UTF-8 or not valid: the edit is how a person fixes that.
    original = read(path)
    draft = path.with_name(path.name + ".rejected")
    if not draft.exists():
        fsio.write_bytes_atomic(draft, original)
    else:
        output.err(f"note: continuing your earlier edit in {draft}")
    while True:
        try:
            _run_editor(editor, draft)
        except WorkError as exc:
            # Keep a draft only if it holds an edit worth coming back to.
            if read(draft) == original:
                draft.unlink()
            else:
                exc.hint = f"your draft is in {draft}; `{command}` reopens it"
            raise
        edited = read(draft)
        try:
            check(edited)
        except FileProblemsError as exc:
            if Path(exc.source) == path:
                # The lines are the edit's, and the edit is in the draft: name it, or a
                # person opens the good file at a line it does not have. (A problem it
                # causes in another file, a later year, keeps that file's name.)
                exc = FileProblemsError(str(draft), exc.problems, hint=exc.hint)
            for line in exc.lines():
                output.err(line)
            if output.stdin_is_terminal() and typer.confirm("Edit again?", default=True):
                continue
            raise UsageError(
                f"kept {path} unchanged; your edit is in {draft}", hint=f"`{command}` reopens it"
            ) from None
        break
    if edited == original:
        draft.unlink()
        output.out(f"no changes to {path}")
        return
    said = save(original, edited)
    draft.unlink()
    output.out(said)


def _run_editor(editor: str, target: Path) -> None:
    import shlex
    import subprocess

    try:
        argv = shlex.split(editor)
    except ValueError:
        argv = [editor]
    try:
        subprocess.run([*argv, str(target)], check=True)
    except FileNotFoundError:
        raise WorkError(
            f"editor {argv[0]!r} not found", hint="set $EDITOR to an editor on your PATH"
        ) from None
    except subprocess.CalledProcessError as exc:
        raise WorkError(
            f"the editor exited with status {exc.returncode}; "
            f"{target.name.removesuffix('.rejected')} is unchanged"
        ) from None
