"""Saying which flag a value came from, when the core finds it wrong.

The core names what is wrong as the domain does ("commitment c-2026-11-29-3: no
commitment has that id") and, in ``InputError.field``, which of its inputs the
value was. A command declares once which flag feeds each input; ``flags`` then
turns the core's message into the one a person typing the command needs:
"--kept c-2026-11-29-3: no commitment has that id".
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from ..core.errors import InputError, UsageError

F = TypeVar("F", bound=Callable[..., Any])


def flags(**by_field: str) -> Callable[[F], F]:
    """Decorate a command with the flag that feeds each core input: ``kept="--kept"``."""

    def decorate(command: F) -> F:
        @functools.wraps(command)  # Typer reads the command's own signature through this
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except InputError as exc:
                raise flagged(exc, by_field) from None

        return run  # type: ignore[return-value]

    return decorate


def flagged(exc: InputError, by_field: dict[str, str]) -> UsageError:
    """The error as the command line says it: its flag in front, a remedy as its flag."""
    flag = by_field.get(exc.field or "")
    if flag is None:
        message = exc.message
    elif exc.given is None:
        message = f"{flag}: {exc.problem}"
    else:
        message = f"{flag} {exc.given}: {exc.problem}"
    hint = exc.hint
    remedy = by_field.get(exc.remedy.field) if exc.remedy else None
    if remedy is not None and exc.remedy is not None:
        offer = f"run it again with {remedy} {exc.remedy.does}"
        hint = f"{offer}; {hint}" if hint else offer
    return UsageError(message, hint=hint)
