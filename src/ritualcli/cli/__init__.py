"""The command line: a thin Typer layer (``app``, one module per command in ``commands``)
over the plain core in ``ritualcli.core``."""
