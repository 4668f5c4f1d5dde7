"""Where ritual keeps its files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

CONFIG_ENV = "RITUAL_CONFIG"
CONFIG_NAME = "ritual.toml"
# Beside the preferences file (history, calendar_state and sync_state name their files from these).
HISTORY_NAME = "history.toml"  # the single file of ritual before 0.2: migrated into HISTORY_FOLDER
HISTORY_FOLDER = "history"  # one file per year, the topics, the undo journal
CALENDAR_STATE_NAME = "calendar-state.toml"
SYNC_STATE_NAME = "sync-state.toml"
# What ritual keeps beside a file it rewrites: the previous version, an edit not accepted.
KEPT_SUFFIXES = (".bak", ".rejected")


def config_path(explicit: Path | None, app_dir: Callable[[], Path]) -> Path:
    """--config, else $RITUAL_CONFIG, else ritual.toml in ``app_dir()``: the platform's
    folder for the app's settings, which the command line knows (Typer's get_app_dir)."""
    if explicit is not None:
        return explicit.expanduser()
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return app_dir() / CONFIG_NAME


def written_to(config: Path) -> Path:
    """Where a rewrite of the preferences file goes: through a symbolic link to the file
    it names (one kept with a person's dotfiles), so the link stays a link and the file
    in their dotfiles is the one that changes; else the path itself. (The data folder,
    history and the .bak stay beside the link: ``data_dir``.)"""
    return Path(os.path.realpath(config)) if config.is_symlink() else config


def data_dir(config: Path) -> Path:
    """History, calendar state and user templates live beside the preferences file."""
    return config.parent


def user_templates_dir(config: Path) -> Path:
    return data_dir(config) / "templates"


def own_files(config: Path) -> tuple[Path, ...]:
    """Every file ritual keeps for itself beside the preferences ``config``: the
    preferences, the history, the calendar and sync states with their .bak and .rejected,
    and the lock. ``--out`` never replaces one of them."""
    from .fsio import LOCK_NAME

    folder = data_dir(config)
    kept = (config, folder / HISTORY_NAME, folder / CALENDAR_STATE_NAME, folder / SYNC_STATE_NAME)
    variants = [p.with_name(p.name + suffix) for p in kept for suffix in ("", *KEPT_SUFFIXES)]
    return (*variants, folder / LOCK_NAME)


def own_folders(config: Path) -> tuple[Path, ...]:
    """The folders beside the preferences that hold only ritual's own files (and the
    couple's templates): ``--out`` writes nothing inside them."""
    folder = data_dir(config)
    return (folder / HISTORY_FOLDER, user_templates_dir(config))
