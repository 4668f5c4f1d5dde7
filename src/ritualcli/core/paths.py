"""Where ritual keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_ENV = "RITUAL_CONFIG"
CONFIG_NAME = "ritual.toml"


def app_dir() -> Path:
    # typer.get_app_dir honours XDG_CONFIG_HOME; import lazily so the core stays
    # usable without the CLI layer.
    import typer

    return Path(typer.get_app_dir("ritual"))


def config_path(explicit: Path | None = None) -> Path:
    """--config, else $RITUAL_CONFIG, else ritual.toml in the app config dir."""
    if explicit is not None:
        return explicit.expanduser()
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return app_dir() / CONFIG_NAME


def data_dir(config: Path) -> Path:
    """History, calendar state and user templates live beside the preferences file."""
    return config.parent


def user_templates_dir(config: Path) -> Path:
    return data_dir(config) / "templates"
