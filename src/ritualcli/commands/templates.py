"""`ritual templates list|show|copy`."""

from __future__ import annotations

import typer

app = typer.Typer(help="Agenda templates: the built-in ones and your own.", no_args_is_help=True)
