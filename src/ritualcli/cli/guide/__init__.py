"""`ritual start` at the terminal: the walk through an agenda, drawn and driven by keys.

- ``state``: where the couple is (section, turn, prompt, time spent, pause); no I/O.
- ``keys``: single keys from a terminal in cbreak mode, and resizes.
- ``screen``: one section at a time, full screen, drawn with rich.
- ``plain``: the same flow line by line, for NO_COLOR and TERM=dumb.
- ``run``: the loop that joins them and asks the questions (``cli.ask``).

The core (``core.walkthrough``) decides what the sections are; this package only
draws them and keeps time.
"""
