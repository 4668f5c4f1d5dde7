"""The built-in example couple: what read-only commands show before `ritual init`."""

from __future__ import annotations

from .reading import parse_bytes
from .records import Preferences

EXAMPLE_TOML = """\
version = 1

[couple]
partners = ["Alex", "Sam"]
timezone = "America/New_York"
start = 2026-11-23

[checkin]
format = "weekly"
cadence = "weekly"
day = "sunday"
time = "19:00"

[date_night]
cadence = "monthly"
day = "friday"
week_of_month = 1
time = "19:30"
budget = 60
settings = ["home", "out", "outdoors"]
interests = ["cooking", "music", "hiking"]
avoid = ["crowds"]

[conversation]
depth = "medium"
off_limits = ["in-laws"]

[skip]
dates = [2026-12-25]
ranges = [{ from = 2027-07-01, to = 2027-07-14, note = "Vacation" }]
"""


def example() -> Preferences:
    """The built-in example couple, used by read-only commands when no file exists."""
    return parse_bytes(EXAMPLE_TOML.encode())
