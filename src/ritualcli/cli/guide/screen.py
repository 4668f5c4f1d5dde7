"""The full-screen guide: one section at a time, drawn with rich on the terminal's alternate screen.

Each frame is drawn whole from the top left, line by line over the last one (no
clearing, so nothing flickers), at the terminal's size at that moment: a resize
just draws the next frame at the new size. The section's text scrolls when it is
longer than the screen. Questions are asked in the terminal's line mode on a
cleared screen, then the frames come back.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.control import Control
from rich.markdown import Markdown
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from .. import output
from . import words
from .keys import RESIZE, Keys

if TYPE_CHECKING:
    from .state import Guide

SOFT = "yellow"  # the time-up cue: a change of colour, never a bell or a flash


class Screen:
    def __init__(self, break_note: str, day: str) -> None:
        self.console: Console = output.console()
        self.keys = Keys(sys.stdin.fileno())
        self.break_note = break_note
        self.day = day

    def __enter__(self) -> Screen:
        self.keys.__enter__()
        self.console.set_alt_screen(True)
        self.console.show_cursor(False)
        return self

    def __exit__(self, *exc: object) -> None:
        self.console.show_cursor(True)
        self.console.set_alt_screen(False)
        self.keys.__exit__()

    @contextlib.contextmanager
    def lines(self, heading: str) -> Iterator[None]:
        """A cleared screen in line mode, for questions."""
        self.console.clear()
        self.console.show_cursor(True)
        self.console.print(Rule(Text(heading, style="bold"), align="left"))
        with self.keys.lines():
            yield
        self.console.show_cursor(False)

    def read(self, g: Guide) -> list[str]:
        keys = self.keys.read(g.next_change())
        return [k for k in keys if k != RESIZE] or ([RESIZE] if RESIZE in keys else [])

    # ------------------------------------------------------------------ drawing

    def draw(self, g: Guide) -> None:
        width, height = self.console.size
        top = self._render([self._header(g)], width)
        body = self._render([self._body(g)], width)
        bottom = self._render(self._footer(g, width, scrolls=False), width)
        scrolls = len(body) > height - len(top) - len(bottom)
        if scrolls:  # the help line names the arrows; a line below the text says where
            bottom = self._render(self._footer(g, width, scrolls=True), width)
        room = max(0, height - len(top) - len(bottom) - scrolls)
        g.scroll = min(g.scroll, max(0, len(body) - room))
        shown = body[g.scroll : g.scroll + room]
        shown += [[Segment(" " * width)]] * (room - len(shown))
        if scrolls:
            above, below = g.scroll > 0, g.scroll + room < len(body)
            where = "↑↓ more" if above and below else "↓ more below" if below else "↑ more above"
            shown += self._render([Text(f" {where}", style="dim")], width)
        lines = (top + shown + bottom)[:height]
        with self.console:  # one write: the frame replaces the last in one go
            self.console.control(Control.home())
            for i, line in enumerate(lines):
                self.console.print(_Line(line), end="\n" if i < len(lines) - 1 else "")

    def _render(self, parts: list[RenderableType], width: int) -> list[list[Segment]]:
        options = self.console.options.update(width=width, height=None)
        return [line for part in parts for line in self.console.render_lines(part, options, pad=True)]

    def _header(self, g: Guide) -> RenderableType:
        head = Table.grid(expand=True)
        head.add_column(ratio=1)
        head.add_column(justify="right")
        head.add_row(
            Text(output.clean(g.walk.title), style="dim"),
            Text(f"{words.part(g)} · {g.clock.wall():%H:%M}", style="dim"),
        )
        title = Text(output.clean(words.title(g)), style="bold")
        if words.box(g):
            title.append(f" · {words.box(g)}", style="dim")
        return Group(head, Rule(title, align="left"), Text(""))

    def _body(self, g: Guide) -> RenderableType:
        if g.break_began is not None:
            return Markdown(output.clean(self.break_note))
        s = g.section
        text = s.body if s else words.closing(g, self.day)
        return Markdown(output.clean(text)) if text else Text("")

    def _footer(self, g: Guide, width: int, *, scrolls: bool) -> list[RenderableType]:
        parts: list[RenderableType] = [Text("")]
        if g.break_began is None:  # during a break, the break is all there is to see
            if g.prompt is not None:
                card = Text(g.prompt.text, style="bold")
                parts.append(Panel(card, title=words.card(g), title_align="left", padding=(1, 2)))
            if answered := words.answers(g):
                parts.append(Text(output.clean(answered), style="green"))
            if turn := words.turn(g):
                parts.append(Text(output.clean(turn), style="bold cyan"))
        parts.append(self._bar(g, width))
        parts.append(Text(words.total(g), style="dim"))
        help_line = Text()
        for i, (key, what) in enumerate(words.keys(g, scrolls=scrolls)):
            help_line.append(" · " if i else "", style="dim")
            help_line.append(key, style="bold")
            help_line.append(f": {what}", style="dim")
        parts.append(help_line)
        return parts

    def _bar(self, g: Guide, width: int) -> RenderableType:
        breaking = g.break_left
        if breaking is not None:
            from ...core.agenda import BREAK_MINUTES

            total, left = BREAK_MINUTES * 60.0, breaking
            label = words.BREAK_OVER if left <= 0 else f"Break: {words.clock(left, left=True)} left"
        elif g.paused:
            return Text(words.PAUSED, style=SOFT)
        elif g.box is not None:
            total, left = g.box, g.box_left or 0.0
            label = words.box_left(g)
        else:
            return Text("")
        over = left <= 0
        row = Table.grid(expand=True, padding=(0, 1))
        row.add_column(width=max(10, width // 3))
        row.add_column(ratio=1)
        bar = ProgressBar(total=total, completed=min(total, total - left), finished_style=SOFT)
        row.add_row(bar, Text(label, style=SOFT if over else ""))
        return row


class _Line:
    """One line of segments, printed as it is."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def __rich_console__(self, console: Console, options: object) -> Iterator[Segment]:
        yield from self.segments
