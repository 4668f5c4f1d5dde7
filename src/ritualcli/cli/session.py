"""What every command starts from: the preferences file it was pointed at."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..core import paths, preferences
from ..core.errors import UsageError, WorkError
from ..core.preferences import Preferences
from . import output

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ..core.history import History


class Session(NamedTuple):
    config: Path  # where the preferences file is (or would be)
    # Named by --config or $RITUAL_CONFIG, not the default place: a file someone named
    # that is not there is a typo in a script or a cron line, never "show the example".
    named: bool = False

    @property
    def data_dir(self) -> Path:
        return paths.data_dir(self.config)

    def formats(self) -> tuple[str, ...]:
        """Check-in formats available: built-in templates plus the user's own."""
        from ..core import templates_dir

        return templates_dir.checkin_formats(paths.user_templates_dir(self.config))

    def load(self) -> Preferences:
        """The couple's preferences, or the example couple (with a note) if there are none
        in the default place."""
        if not self.config.exists():
            if self.config.is_symlink():  # a link to a file that is gone: never the example
                raise UsageError(
                    f"no preferences file at {self.config}: it is a link to "
                    f"{os.readlink(self.config)}, which is not there",
                    hint="restore the file it points to, or run `ritual init` to create it there",
                )
            if self.named:
                raise UsageError(
                    f"no preferences file at {self.config}",
                    hint="check the path given by --config or RITUAL_CONFIG, "
                    "or create the file with `ritual init --config PATH`",
                )
            output.err(
                f"note: no preferences file at {self.config}; showing the built-in example couple. "
                "Run `ritual init` to create yours."
            )
            return preferences.example()
        return self._read()

    def load_required(self, why: str) -> Preferences:
        """For commands that record or change things: the example couple will not do."""
        if not self.config.exists():
            raise UsageError(
                f"no preferences file at {self.config}: {why}",
                hint="run `ritual init` first (or pass --config PATH)",
            )
        return self._read()

    def _read(self) -> Preferences:
        if self.config.is_dir():
            # Named: the folder instead of the file in it. The default place: a folder
            # where ritual keeps its file, which only moving it out of the way mends.
            hint = (
                f"point --config (or RITUAL_CONFIG) at the file, e.g. {self.config / paths.CONFIG_NAME}"
                if self.named
                else "move that folder out of the way; `ritual init` then writes the file there"
            )
            raise UsageError(f"{self.config} is a folder, not a preferences file", hint=hint)
        try:
            prefs = preferences.load(self.config, formats=self.formats())
        except WorkError as exc:  # a folder, a pipe, no permission: the path is wrong, not the file
            exc.hint = exc.hint or "point --config (or RITUAL_CONFIG) at your preferences file"
            raise
        # The rules the calendar has published: the schedule's past follows them.
        from ..core import calendar_state

        series = calendar_state.load(calendar_state.path_for(self.config)).series
        return prefs._replace(series=series) if series else prefs

    def locked(self, prefs: Preferences) -> AbstractContextManager[None]:
        """The data folder's lock, while a command reads what ``ritual done`` writes and
        writes what it shares; none for the example couple, whose folder may not exist."""
        import contextlib

        from ..core import fsio

        return contextlib.nullcontext() if prefs.is_example else fsio.locked(self.data_dir)

    def history(self, prefs: Preferences, since: dt.date | None = None) -> History:
        """The couple's history, read once for the command; empty for the example couple.

        ``since``: the earliest day the command asks about; the years before it are
        summed up from the index, not read (None: read everything).
        """
        from ..core import history

        return history.History() if prefs.is_example else history.load(self.data_dir, since)


def open_session(config: Path | None) -> Session:
    named = config is not None or bool(os.environ.get(paths.CONFIG_ENV))
    return Session(paths.config_path(config, app_dir), named)


def app_dir() -> Path:
    """ritual's folder in the platform's config folder (honours XDG_CONFIG_HOME)."""
    import typer

    return Path(typer.get_app_dir("ritual"))
