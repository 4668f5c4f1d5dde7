"""How checking a preferences file grows with its size: `python bench/validation.py`.

A file with 50,000 unknown keys (about 700 KB, under the 1 MB cap) once hung every
command: each problem rescanned the file for its line. Checking must stay linear in
the file's size, so this reports the time per KB for files of 2,000 to 50,000
unknown keys as a ratio to the time per KB of a small valid file (the built-in
example couple), measured in the same run: a ratio that stays flat as the file grows
is linear; one that grows with it is not.

In-process (the import and start-up costs are bench/run.py's), median of several
runs each, interleaved. It reports and never fails.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable

from ritualcli.core import preferences
from ritualcli.core.errors import FileProblemsError

COUPLE = '[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/Berlin"\n'


def unknown_keys(count: int) -> bytes:
    """A file whose [checkin] table has ``count`` keys it does not know (14 bytes each)."""
    return (COUPLE + "[checkin]\n" + "".join(f"key_{i:05d} = 1\n" for i in range(count))).encode()


def check(data: bytes) -> int:
    """Problems found in ``data`` (0 for a valid file)."""
    try:
        preferences.parse_bytes(data)
    except FileProblemsError as exc:
        return len(exc.problems)
    return 0


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per file (default 5)")
    opts = parser.parse_args(argv)

    small = preferences.EXAMPLE_TOML.encode()
    files = {"example couple (valid)": small}
    files |= {f"{n:,} unknown keys": unknown_keys(n) for n in (2_000, 5_000, 10_000, 20_000, 50_000)}
    found = {label: check(data) for label, data in files.items()}  # warm-up: imports, caches
    times: dict[str, list[float]] = {label: [] for label in files}
    for r in range(max(1, opts.runs)):
        order = list(files)
        shift = r % len(order)
        for label in order[shift:] + order[:shift]:
            times[label].append(timed(functools.partial(check, files[label])))

    def per_kb(label: str) -> float:
        return statistics.median(times[label]) * 1000 / (len(files[label]) / 1024)

    base = per_kb("example couple (valid)")
    print(f"median of {opts.runs} runs each, in-process; Python {sys.version.split()[0]}\n")
    print("| file | KB | problems | median ms | ms per KB | per KB × small valid file |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, data in files.items():
        ms = statistics.median(times[label]) * 1000
        print(
            f"| {label} | {len(data) / 1024:.1f} | {found[label]:,} | {ms:.1f} | {per_kb(label):.3f}"
            f" | {per_kb(label) / base:.2f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
