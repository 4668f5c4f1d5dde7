"""Baseline B for bench/run.py: the least a Typer CLI can cost.

A group with a callback and one sub-command that prints a line, the same shape
as `ritual plan` (a Typer app dispatching to a sub-command), doing no work of its
own. Whatever `ritual` costs beyond this is ours.
"""

import typer

app = typer.Typer(no_args_is_help=True, pretty_exceptions_show_locals=False)


@app.callback()
def root() -> None:
    """A minimal Typer app."""


@app.command()
def hello() -> None:
    """Print a line."""
    print("hello")


if __name__ == "__main__":
    app()
