"""The CalDAV password: from a command, else the environment. Never from a file.

``sync.password_command`` is run as vdirsyncer and khal run theirs: split like
a shell would (``shlex``) but without one (no globbing, no pipes, nothing
expanded), its standard input and error the terminal's (so ``pass`` or
``gpg`` can ask for a passphrase there), the first line of its output taken.
Else ``$RITUAL_SYNC_PASSWORD``. A prompt at a terminal is the command's to ask
(the core never prompts). No message here ever holds the password, the
command's output, or the command line itself (someone may have written
``echo hunter2``): only the program's name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .errors import UsageError, WorkError
from .preferences import Sync

ENV = "RITUAL_SYNC_PASSWORD"
COMMAND_TIMEOUT = 60  # seconds: time to type a passphrase into pass or gpg
_KEY = "sync.password_command"


def password(settings: Sync, env: Mapping[str, str] | None = None) -> str | None:
    """The password, from the command or the environment; None when neither gives one."""
    if settings.password_command.strip():
        return run_command(settings.password_command)
    value = (os.environ if env is None else env).get(ENV)
    return value if value else None


def run_command(command: str) -> str:
    import shlex
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError as exc:  # an unclosed quote
        raise UsageError(f"{_KEY}: cannot be split into words ({exc})") from None
    if not argv:
        raise UsageError(f"{_KEY}: is empty")
    program = os.path.basename(argv[0])
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, timeout=COMMAND_TIMEOUT, check=False)
    except FileNotFoundError:
        raise UsageError(f"{_KEY}: no program {program!r} (not found on PATH)") from None
    except PermissionError:
        raise UsageError(f"{_KEY}: {program!r} cannot be run (permission denied)") from None
    except subprocess.TimeoutExpired:
        raise WorkError(f"{_KEY}: {program!r} gave no password within {COMMAND_TIMEOUT} s") from None
    except OSError as exc:
        raise WorkError(f"{_KEY}: {program!r} could not be started ({exc.strerror or 'error'})") from None
    if done.returncode != 0:
        raise WorkError(
            f"{_KEY}: {program!r} failed (exit status {done.returncode}); its own message, if any, is above"
        )
    try:
        text = done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkError(f"{_KEY}: {program!r} printed something that is not UTF-8 text") from None
    first = text.splitlines()[0] if text.splitlines() else ""
    if not first:
        raise WorkError(f"{_KEY}: {program!r} printed no password (its first line is empty)")
    return first


def none_given(settings: Sync) -> UsageError:
    """No command, no variable, no terminal to ask at: the three ways, named."""
    return UsageError(
        f'sync: no password for user "{settings.username}" at {settings.url}',
        hint=f'set {_KEY} (e.g. "pass show cloud/rituals"), or ${ENV}, or run `ritual sync` at a '
        "terminal to be asked",
    )
