"""`ritual export ics|markdown`: files to import or to keep."""

from __future__ import annotations

import typer

from . import export_ics, export_markdown

app = typer.Typer(help="Write a calendar (.ics) or Markdown agendas to files.", no_args_is_help=True)
app.command("ics")(export_ics.ics)
app.command("markdown")(export_markdown.markdown)
