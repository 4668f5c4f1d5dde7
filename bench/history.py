"""What twenty years of history cost the daily commands: `python bench/history.py`.

Issue 14: with ~1,100 entries (~400 KB) in the single history.toml, `ritual agenda
checkin` took 2.5x its time with no history, because every command parsed the
whole file. The budget: `agenda`, `done`, `plan` and `weekly` at most 1.2x their
empty-history time at twenty years; only `history`, `stats --all` and
`commitments --all` may read everything.

Three homes, each with the same preferences (a couple since 2006, weekly
check-ins, monthly date nights) and today pinned to Sunday 2026-11-29:

- empty: no history yet;
- by year: twenty years generated into history/YYYY.toml (the layout now), with
  the index built by one run beforehand, as it is after the first run of a day;
- one file: the same records in the old single history.toml, which still loads
  as it is until the first change splits it (shown for comparison: the "before").

Every figure is the median of fresh processes, run interleaved (bench/run.py's
spawner), output to a file. A `done` run writes: its home is put back from a
copy before every run, outside the timed part. Reports ratios and never fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from run import PY, Spawner, child_env, find_ritual, say

from ritualcli.core.history import Commitment, Entry, LetGo, render

TODAY = dt.date(2026, 11, 29)  # a Sunday: today's check-in is the one `done` records
FIRST = dt.date(2006, 12, 3)  # twenty years of Sundays before it
BUDGET = 1.2

PREFERENCES = """\
version = 1
[couple]
partners = ["Alex", "Sam"]
timezone = "Europe/London"
start = 2006-12-01
"""


def twenty_years(seed: int = 14) -> tuple[list[Entry], list[LetGo]]:
    """Weekly check-ins and first-Friday date nights, as a couple would record them.

    Most check-ins are held, with both ratings, a commitment each (most kept the week
    after, some partly, the rest let go within a few weeks, as the agenda suggests)
    and often a note; a few are skipped or never recorded. About 1,100 entries.
    """
    rng = random.Random(seed)
    entries: list[Entry] = []
    lets: list[LetGo] = []
    previous: list[str] = []
    lingering: list[tuple[str, dt.date]] = []  # partly done: open a while longer
    day = FIRST
    while day < TODAY:
        roll = rng.random()
        if roll < 0.13:  # never recorded: a busy week
            day += dt.timedelta(weeks=1)
            continue
        if roll < 0.2:
            entries.append(Entry("checkin", day, "skipped", reason="travelling for work, back on Thursday"))
            day += dt.timedelta(weeks=1)
            continue
        kept = tuple(c for c in previous if rng.random() < 0.75)
        left = [c for c in previous if c not in kept]
        partly = tuple(c for c in left if rng.random() < 0.5)
        lets += [LetGo(c, day, "it no longer fits") for c in left if c not in partly]
        old = [c for c, since in lingering if (day - since).days > 35]
        lets += [LetGo(c, day, "too big for now") for c in old]
        lingering = [(c, since) for c, since in lingering if c not in old] + [(c, day) for c in partly]
        made = (
            Commitment(f"c-{day}-1", "Alex", "plan Saturday's walk and ask Sam where to go"),
            Commitment(f"c-{day}-2", "Sam", "call my sister about the holidays before Friday"),
        )
        previous = [c.id for c in made]
        note = (
            "We talked about work and the kids; it felt easier than last week." if rng.random() < 0.6 else ""
        )
        ratings = (("Alex", rng.randint(5, 9)), ("Sam", rng.randint(5, 9)))
        entries.append(
            Entry("checkin", day, ratings=ratings, commitments=made, kept=kept, partly=partly, note=note)
        )
        day += dt.timedelta(weeks=1)
    month = dt.date(FIRST.year, FIRST.month, 1)
    while month < TODAY:
        friday = month + dt.timedelta(days=(4 - month.weekday()) % 7)
        if FIRST <= friday < TODAY and rng.random() < 0.85:
            entries.append(Entry("date-night", friday, note="Dinner at the Italian place; a long walk home."))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    entries.sort(key=lambda e: (e.date, e.ritual != "checkin"))
    return entries, lets


def homes(root: Path) -> dict[str, Path]:
    entries, lets = twenty_years()
    out = {}
    for name in ("empty", "by year", "one file"):
        home = root / name.replace(" ", "-")
        (home / "cfg").mkdir(parents=True)
        (home / "cfg" / "ritual.toml").write_text(PREFERENCES)
        out[name] = home
    folder = out["by year"] / "cfg" / "history"
    folder.mkdir()
    for year in range(FIRST.year, TODAY.year + 1):
        mine = [e for e in entries if e.date.year == year]
        (folder / f"{year}.toml").write_text(render(year, mine, [g for g in lets if g.date.year == year]))
    (out["one file"] / "cfg" / "history.toml").write_text(render(None, entries, lets))
    size = sum(p.stat().st_size for p in folder.glob("*.toml"))
    say(
        f"generated {len(entries)} entries and {len(lets)} let-gos: {size / 1024:.0f} KB in {len(list(folder.glob('*.toml')))} year files"
    )
    return out


CASES = {
    "plan": ["plan"],
    "agenda checkin": ["agenda", "checkin"],
    "done checkin (a new entry)": [
        "done",
        "checkin",
        "--rating",
        "Alex=7",
        "--rating",
        "Sam=8",
        "--note",
        "x",
    ],
    "weekly --stdout": ["weekly", "--stdout"],
    "weekly --out DIR": ["weekly", "--out", "{home}/agendas"],
    "stats (12 weeks)": ["stats"],
}
WRITES = {"done checkin (a new entry)", "weekly --out DIR"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=11, help="fresh processes per command and home (default 11)"
    )
    opts = parser.parse_args(argv)
    ritual = find_ritual()
    if ritual is None:
        print("no `ritual` beside this Python or on PATH: activate the venv and `pip install -e .`")
        return 0
    with tempfile.TemporaryDirectory(prefix="ritual-bench-history-") as tmp:
        root = Path(tmp)
        (root / "log").mkdir()
        found = homes(root / "homes")
        env = child_env(root)
        env["RITUAL_TODAY"] = TODAY.isoformat()
        spawner = Spawner(env)

        def argv_for(case: str, home: Path) -> list[str]:
            cfg = home / "cfg" / "ritual.toml"
            return [str(ritual), *(a.replace("{home}", str(home)) for a in CASES[case]), "--config", str(cfg)]

        def run(case: str, home: Path) -> tuple[float, int]:
            elapsed, _, code, _ = spawner.run(
                argv_for(case, home), root, root / "log" / "out", root / "log" / "err"
            )
            return elapsed, code

        # What a `done` or `weekly --out` run starts from: the home as warmed up (the
        # index built), but the old single file as it was: its first change splits it.
        pristine = {name: root / "pristine" / home.name for name, home in found.items()}
        shutil.copytree(found["one file"], pristine["one file"])
        say("warming up (bytecode cache; the index of the years before this one) …")
        for home in found.values():
            for case in CASES:
                run(case, home)
        for name in ("empty", "by year"):
            shutil.copytree(found[name], pristine[name])

        def restore(name: str) -> None:
            shutil.rmtree(found[name])
            shutil.copytree(pristine[name], found[name])

        restore("one file")
        times: dict[tuple[str, str], list[float]] = {(c, n): [] for c in CASES for n in found}
        failed: dict[tuple[str, str], str] = {}
        pairs = list(times)
        for r in range(opts.runs):
            say(f"round {r + 1}/{opts.runs} …")
            shift = r % len(pairs)
            for case, name in pairs[shift:] + pairs[:shift]:
                if case in WRITES or name == "one file":  # a write there splits the old file
                    restore(name)
                elapsed, code = run(case, found[name])
                if code != 0:
                    lines = (root / "log" / "err").read_text().strip().splitlines()
                    failed[(case, name)] = lines[-1] if lines else f"exit {code}"
                else:
                    times[(case, name)].append(elapsed * 1000)
        spawner.close()

    print(f"median of {opts.runs} fresh processes each, interleaved; Python {sys.version.split()[0]}; {PY}\n")
    print("| command | empty ms | 20 years, by year ms | × empty | 20 years, one old file ms | × empty |")
    print("|---|---:|---:|---:|---:|---:|")
    verdicts = []
    for case in CASES:
        cells = []
        base = statistics.median(times[(case, "empty")]) if times[(case, "empty")] else None
        for name in ("empty", "by year", "one file"):
            if (case, name) in failed or not times[(case, name)]:
                cells.append(f"failed: {failed.get((case, name), '?')}")
                if name != "empty":
                    cells.append("")
                continue
            ms = statistics.median(times[(case, name)])
            cells.append(f"{ms:.1f}")
            if name != "empty":
                cells.append(f"{ms / base:.2f}×" if base else "—")
                if name == "by year" and base and case != "stats (12 weeks)":
                    verdicts.append((case, ms / base))
        print(f"| {case} | " + " | ".join(cells) + " |")
    print(f"\nBudget (issue 14): at most {BUDGET}× the empty-history time, with twenty years by year:")
    for case, ratio in verdicts:
        print(f"{'PASS' if ratio <= BUDGET else 'FAIL'}  {case}: {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
