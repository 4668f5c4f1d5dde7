"""The plain core of ritual: preferences, schedule, agendas, calendar, history.

Nothing here imports Typer (ruff bans it), prints, or exits: every module takes
values and returns values (or raises ``errors.RitualError``), so it can be driven from
a test or a notebook without a terminal.
"""
