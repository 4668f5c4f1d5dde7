"""What every command starts from: the preferences file it was pointed at."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ..core import paths, preferences
from ..core.errors import UsageError
from ..core.preferences import Preferences
from . import output


class Session(NamedTuple):
    config: Path  # where the preferences file is (or would be)

    @property
    def data_dir(self) -> Path:
        return paths.data_dir(self.config)

    def formats(self) -> tuple[str, ...]:
        """Check-in formats available: built-in templates plus the user's own."""
        from ..core import templates_dir

        return templates_dir.checkin_formats(paths.user_templates_dir(self.config))

    def load(self) -> Preferences:
        """The couple's preferences, or the example couple (with a note) if there are none."""
        if not self.config.exists():
            output.err(
                f"note: no preferences file at {self.config}; showing the built-in example couple. "
                "Run `ritual init` to create yours."
            )
            return preferences.example()
        return preferences.load(self.config, formats=self.formats())

    def load_required(self, why: str) -> Preferences:
        """For commands that record or change things: the example couple will not do."""
        if not self.config.exists():
            raise UsageError(
                f"no preferences file at {self.config}: {why}",
                hint="run `ritual init` first (or pass --config PATH)",
            )
        return preferences.load(self.config, formats=self.formats())


def open_session(config: Path | None) -> Session:
    return Session(paths.config_path(config))
