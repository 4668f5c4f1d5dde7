"""How fast `ritual` starts and how its cost grows: `python bench/run.py` from the repository root.

Every figure is the median of fresh processes, run interleaved (one of each per
round, in a rotating order) so that machine drift hits all of them alike. Times
are shown in milliseconds and as a ratio to baseline B, a minimal Typer app: what
`ritual` costs beyond that is ours. The budget of issue 7 is checked on ratios
from the same run, so it holds on a fast or a slow machine.

Each process runs in a temporary directory with HOME, XDG_CONFIG_HOME and
XDG_CACHE_HOME pointed there (so `ritual` uses its built-in example couple and
nothing is written in the repository or the real cache; the warm-up run fills
that cache, as a person's first run does), output to a file (not a terminal, as
under cron), and with Python's bytecode cache enabled in that directory, as an
installed wheel has it (`--no-pyc` leaves ritual's own modules out of that
cache, so every run compiles them, as with PYTHONDONTWRITEBYTECODE=1 and an
editable install).

It reports and never fails: the exit status is 0 even when a budget is missed or
a command fails (such a command is reported as failed, not timed).
Standard library only, so it measures nothing but `ritual` itself.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable

# The budget (issue 7), as ratios to baselines measured in the same run.
MAX_VS_B = 1.3
MAX_VS_A = 8.0
GOAL_VS_A = 6.0
MAX_MS_PER_AGENDA = 1.0
MAX_PEAK_MB = 80.0
ICS_MAX_AGENDAS = 100  # `ritual export ics --agendas` takes 0..100

# Modules worth knowing about when a command loads them: each costs tens of ms.
HEAVY = ("rich", "jinja2", "icalendar", "dateutil", "pydantic", "recurring_ical_events")

# Runs the CLI's main() in-process and records what it imported (argv[1] is where).
PROBE = """\
import json, sys
dest = sys.argv[1]
sys.argv = ["ritual", *sys.argv[2:]]
from ritualcli.cli.app import main
try:
    main()
except SystemExit:
    pass
finally:
    with open(dest, "w") as fh:
        json.dump(sorted(sys.modules), fh)
"""


@dataclass
class Case:
    label: str
    argv: list[str]  # "{out}" is replaced by a fresh path for each run
    ritual: bool = False  # a `ritual` command (probed for its imports, held to the memory budget)
    agendas: int | None = None  # how many occurrences the command writes, when that is the point
    times: list[float] = field(default_factory=list)  # seconds, wall clock
    cpu: list[float] = field(default_factory=list)  # seconds of CPU (user + system)
    peak_kb: int = 0
    failed: str | None = None
    imports: list[str] | None = None

    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000

    def iqr_ms(self) -> float:
        if len(self.times) < 2:
            return 0.0
        q = statistics.quantiles(self.times, n=4)
        return (q[2] - q[0]) * 1000


class Bench:
    def __init__(self, ritual: Path, root: Path) -> None:
        self.ritual = ritual
        self.root = root
        self.work = root / "cwd"
        self.work.mkdir()
        (root / "config").mkdir()
        self.env = child_env(root)
        self.spawner = Spawner(self.env)
        self.serial = 0

    def drop_own_bytecode(self) -> None:
        """From now on, compile ritual's modules on every run; everything else stays cached."""
        spec = importlib.util.find_spec("ritualcli")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            shutil.rmtree(self.root / "pycache" / Path(folder).resolve().relative_to("/"), ignore_errors=True)
        self.env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.spawner.close()
        self.spawner = Spawner(self.env)

    def cmd(self, *args: str) -> list[str]:
        return [str(self.ritual), *args]

    def _fresh_out(self) -> Path:
        self.serial += 1
        return self.root / "out" / str(self.serial)

    def run(self, case: Case) -> tuple[float, float, int, int, Path]:
        """One fresh process: (seconds, CPU seconds, exit status, peak RSS in KB, output path).

        What a run writes stays until the whole benchmark ends (the temporary folder
        goes then). Deleting hundreds of files between runs made the next run's file
        creations slower on some file systems (ext4 without a journal looks through
        recently freed inodes: 0.57-0.85 s instead of 0.36-0.47 s for a 520-week
        export here), which would charge the benchmark's own clean-up to ritual.
        """
        out = self._fresh_out()
        argv = [a.replace("{out}", str(out)) for a in case.argv]
        log = self.root / "log"
        elapsed, cpu, code, peak = self.spawner.run(argv, self.work, log / "stdout", log / "stderr")
        return elapsed, cpu, code, peak, out

    def warm_up(self, case: Case) -> None:
        """Run once (filling the bytecode cache) and note a failure instead of timing it."""
        _, _, code, peak, out = self.run(case)
        if code != 0:
            case.failed = f"exit {code}: {last_line(self.root / 'log' / 'stderr')}"
        elif "{out}" in " ".join(case.argv) and out.is_dir() and case.agendas is None:
            case.agendas = sum(1 for p in out.rglob("*.md"))
        case.peak_kb = max(case.peak_kb, peak)

    def probe(self, case: Case) -> None:
        dest = self.root / "modules.json"
        out = self._fresh_out()
        args = [a.replace("{out}", str(out)) for a in case.argv[1:]]
        subprocess.run(
            [PY, "-c", PROBE, str(dest), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.work,
            env=self.env,
            check=False,
        )
        try:
            loaded = set(json.loads(dest.read_text()))
        except (OSError, ValueError):
            return
        case.imports = [m for m in HEAVY if m in loaded]

    def count_occurrences(self, weeks: int) -> int | None:
        """How many occurrences `ritual plan` lists in ``weeks`` weeks (None if it cannot tell)."""
        proc = subprocess.run(
            self.cmd("plan", "--format", "json", "--weeks", str(weeks)),
            capture_output=True,
            cwd=self.work,
            env=self.env,
            check=False,
        )
        try:
            return len(json.loads(proc.stdout))
        except (ValueError, TypeError):
            return None


# A small process that starts each measured command and times it. Peak RSS as the
# kernel reports it for a child includes the memory of whoever forked it (the
# forked copy counts until exec), so a big parent would put a floor under every
# figure; this helper imports next to nothing (-S: not even site), keeping that
# floor below `python -c pass`. It reads one JSON request a line and answers
# "seconds cpu-seconds exit-status peak-KB".
SPAWNER = """\
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(req["cwd"])
            null = os.open(os.devnull, os.O_RDONLY)
            out = os.open(req["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            err = os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(null, 0); os.dup2(out, 1); os.dup2(err, 2)
            os.closerange(3, 256)
            os.execv(req["argv"][0], req["argv"])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    sys.stdout.write("%r %r %d %d\\n" % (elapsed, cpu, os.waitstatus_to_exitcode(status), peak))
    sys.stdout.flush()
"""


class Spawner:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [PY, "-S", "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
        )

    def run(self, argv: list[str], cwd: Path, stdout: Path, stderr: Path) -> tuple[float, float, int, int]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        req = {"argv": argv, "cwd": str(cwd), "stdout": str(stdout), "stderr": str(stderr)}
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        elapsed, cpu, code, peak = self.proc.stdout.readline().split()
        return float(elapsed), float(cpu), int(code), int(peak)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def child_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RITUAL_")}
    env.update(HOME=str(root), XDG_CONFIG_HOME=str(root / "config"), XDG_DATA_HOME=str(root / "data"))
    # A cache of our own too: the warm-up fills it (compiled templates; in a checkout,
    # the compiled library), as a person's first run does.
    env["XDG_CACHE_HOME"] = str(root / "cache")
    # A bytecode cache of our own, filled by the warm-up, for every module (stdlib included).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    return env


def last_line(path: Path) -> str:
    lines = [ln for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
    if not lines:
        return "(nothing on stderr)"
    errors = [ln for ln in lines if ln.startswith("error")]
    return (errors or lines)[-1].strip()[:120]


def find_ritual() -> Path | None:
    name = "ritual.exe" if os.name == "nt" else "ritual"
    beside = Path(PY).parent / name
    if beside.exists():
        return beside
    found = shutil.which("ritual")
    return Path(found) if found else None


def version_of(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base > 0 else "—"


def mb(kb: int) -> float:
    return kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="fresh processes per command (default 15; 5 with --quick)")
    parser.add_argument("--quick", action="store_true", help="5 runs, and scaling at 52 and 520 weeks only")
    parser.add_argument("--no-pyc", action="store_true", help="every run compiles ritual's own modules")
    opts = parser.parse_args(argv)
    runs = max(1, opts.runs or (5 if opts.quick else 15))
    scale_weeks = (52, 520) if opts.quick else (52, 260, 520)

    ritual = find_ritual()
    if ritual is None:
        print("no `ritual` beside this Python or on PATH: activate the venv and `pip install -e .`")
        return 0

    with tempfile.TemporaryDirectory(prefix="ritual-bench-") as tmp:
        root = Path(tmp)
        (root / "log").mkdir()
        bench = Bench(ritual, root)
        say(f"counting occurrences for {', '.join(map(str, scale_weeks))} weeks …")
        occ = {w: bench.count_occurrences(w) for w in scale_weeks}

        base_a = Case("baseline A: python -c pass", [PY, "-c", "pass"])
        base_b = Case("baseline B: minimal Typer app", [PY, str(HERE / "baseline_typer.py"), "hello"])
        imp_jinja = Case("python -c 'import jinja2'", [PY, "-c", "import jinja2"])
        imp_ical = Case("python -c 'import icalendar'", [PY, "-c", "import icalendar"])
        imp_both = Case("python -c 'import icalendar, jinja2'", [PY, "-c", "import icalendar, jinja2"])

        def rc(label: str, *args: str, agendas: int | None = None) -> Case:
            return Case(f"ritual {label}", bench.cmd(*args), ritual=True, agendas=agendas)

        help_ = rc("--help", "--help")
        version = rc("--version", "--version")
        plan = rc("plan", "plan")
        plan_json = rc("plan --format json --weeks 52", "plan", "--format", "json", "--weeks", "52")
        agenda = rc("agenda checkin", "agenda", "checkin")
        ics8 = rc(
            "export ics --agendas 8", "export", "ics", "--agendas", "8", "--out", "{out}.ics", agendas=8
        )
        weekly = rc("weekly --stdout", "weekly", "--stdout")
        md = {
            w: rc(f"export markdown --weeks {w}", "export", "markdown", "--weeks", str(w), "--out", "{out}")
            for w in scale_weeks
        }
        # --agendas counts occurrences and stops at ICS_MAX_AGENDAS: from none, through
        # a year's worth (when that fits), to the most the command takes.
        year = min(occ[52] or 52, ICS_MAX_AGENDAS)
        counts = sorted({0, 8, ICS_MAX_AGENDAS} | (set() if opts.quick else {year}))
        ics = [
            ics8
            if k == 8
            else rc(
                f"export ics --agendas {k}",
                "export",
                "ics",
                "--agendas",
                str(k),
                "--out",
                "{out}.ics",
                agendas=k,
            )
            for k in counts
        ]

        md_520 = md[scale_weeks[-1]]
        main_table = [base_a, base_b, help_, version, plan, plan_json, agenda, ics8, md_520, weekly]
        imports = [imp_jinja, imp_ical, imp_both]
        scaling = [c for c in [*md.values(), *ics] if c not in main_table]
        cases = main_table + imports + scaling

        say(f"warming up {len(cases)} commands (fills the bytecode cache) …")
        for case in cases:
            bench.warm_up(case)
            if case.ritual and not case.failed:
                bench.probe(case)
        if opts.no_pyc:
            bench.drop_own_bytecode()
        live = [c for c in cases if not c.failed]
        started = time.perf_counter()
        for r in range(runs):
            say(f"round {r + 1}/{runs} …")
            shift = r % len(live)
            for case in live[shift:] + live[:shift]:
                elapsed, cpu, code, peak, _ = bench.run(case)
                case.peak_kb = max(case.peak_kb, peak)
                if code != 0:
                    case.failed = f"exit {code} on a timed run: {last_line(root / 'log' / 'stderr')}"
                else:
                    case.times.append(elapsed)
                    case.cpu.append(cpu)
        say(f"done in {time.perf_counter() - started:.0f} s")
        bench.spawner.close()

    report(opts, runs, main_table, imports, list(md.values()), ics, occ, [c for c in cases if c.ritual])
    return 0


def per_agenda(small: Case, big: Case) -> float | None:
    """Milliseconds each extra agenda costs, start-up and imports cancelled out."""
    if not (timed(small) and timed(big)) or small.agendas is None or big.agendas is None:
        return None
    if big.agendas <= small.agendas:
        return None
    return (big.median_ms() - small.median_ms()) / (big.agendas - small.agendas)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def timed(case: Case) -> bool:
    return not case.failed and bool(case.times)


def report(
    opts: argparse.Namespace,
    runs: int,
    main_table: list[Case],
    imports: list[Case],
    md: list[Case],
    ics: list[Case],
    occ: dict[int, int | None],
    everything: list[Case],
) -> None:
    base_a, base_b = main_table[0], main_table[1]
    a = base_a.median_ms() if timed(base_a) else 0.0
    b = base_b.median_ms() if timed(base_b) else 0.0
    cpu = os.cpu_count() or 0
    print(
        f"ritual {version_of('ritualcli')} · typer {version_of('typer')} · Python {platform.python_version()}"
        f" · {platform.system()} {platform.machine()}, {cpu} CPUs"
    )
    cache = "ritual's own modules compiled on every run (--no-pyc)" if opts.no_pyc else "bytecode cached"
    print(f"median of {runs} fresh processes each, interleaved; output not a terminal; {cache}\n")

    print("| command | median ms | IQR ms | × B | CPU ms | peak MB | heavy imports |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for case in main_table + imports:
        if not timed(case):
            print(f"| {case.label} | failed | | | | | {case.failed} |")
            continue
        heavy = "—" if case.imports is None else (", ".join(case.imports) or "none")
        print(
            f"| {case.label} | {case.median_ms():.1f} | {case.iqr_ms():.1f} | {ratio(case.median_ms(), b)}"
            f" | {case.cpu_ms():.1f} | {mb(case.peak_kb):.1f} | {heavy if case.ritual else ''} |"
        )

    print("\nHow cost grows with the number of agendas written (example couple):\n")
    print("| command | agendas | median ms | CPU ms | ms per extra agenda |")
    print("|---|---:|---:|---:|---:|")
    slopes: dict[str, float | None] = {}
    for name, series in (("export markdown", md), ("export ics", ics)):
        prev: Case | None = None
        for case in series:
            n = "?" if case.agendas is None else str(case.agendas)
            if not timed(case):
                print(f"| {case.label} | {n} | failed: {case.failed} | | |")
                prev = None
                continue
            step = "—"
            if prev is not None and (per := per_agenda(prev, case)) is not None:
                step = f"{per:.2f}"
            print(f"| {case.label} | {n} | {case.median_ms():.1f} | {case.cpu_ms():.1f} | {step} |")
            prev = case
        slopes[name] = per_agenda(series[0], series[-1])
    counts = ", ".join(f"{n if n is not None else '?'} in {w} weeks" for w, n in occ.items())
    print(f"\noccurrences that `ritual plan` lists: {counts}")

    print("\nBudget (issue 7):")
    budget(main_table, imports, everything, a, b, md, slopes)


def budget(
    main_table: list[Case],
    imports: list[Case],
    everything: list[Case],
    a: float,
    b: float,
    md: list[Case],
    slopes: dict[str, float | None],
) -> None:
    if a <= 0 or b <= 0:
        print("FAIL  baselines: could not be measured, so no ratio can be checked")
        return
    by_label = {c.label: c for c in main_table}
    imp_jinja, imp_ical, imp_both = imports

    def extra(case: Case) -> float:
        return max(0.0, case.median_ms() - a) if timed(case) else 0.0

    def line(ok: bool, text: str) -> None:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")

    for label in ("ritual --version", "ritual plan"):
        case = by_label[label]
        if not timed(case):
            line(False, f"{label}: the command failed ({case.failed})")
            continue
        t = case.median_ms()
        goal = "met" if t <= GOAL_VS_A * a else "not yet"
        line(
            t <= MAX_VS_B * b and t <= MAX_VS_A * a,
            f"{label}: {t:.1f} ms = {t / b:.2f}× B (limit {MAX_VS_B}) and {t / a:.2f}× A "
            f"(limit {MAX_VS_A:g}; goal {GOAL_VS_A:g}: {goal})",
        )

    for label, lib, allowance in (
        ("ritual agenda checkin", "jinja2", extra(imp_jinja)),
        # --agendas renders agendas (jinja2) into the calendar (icalendar): both are needed.
        ("ritual export ics --agendas 8", "icalendar + jinja2", extra(imp_both)),
    ):
        case = by_label[label]
        if not timed(case):
            line(False, f"{label}: the command failed ({case.failed})")
            continue
        t = case.median_ms()
        limit = MAX_VS_B * (b + allowance)
        line(
            t <= limit,
            f"{label}: {t:.1f} ms (limit {MAX_VS_B} × (B {b:.1f} + import {lib} {allowance:.1f}) = {limit:.1f} ms)",
        )
    if timed(imp_ical):
        print(
            f"      (import icalendar alone: {extra(imp_ical):.1f} ms over A; jinja2 alone: {extra(imp_jinja):.1f})"
        )

    slope = slopes.get("export markdown")
    first, last = md[0], md[-1]
    if slope is None or first.agendas is None or last.agendas is None:
        line(False, f"{last.label}: no per-agenda cost ({last.failed or 'too few agendas to tell'})")
    else:
        cpu = (last.cpu_ms() - first.cpu_ms()) / (last.agendas - first.agendas)
        line(
            slope < MAX_MS_PER_AGENDA,
            f"{last.label}: {slope:.2f} ms per agenda after imports (limit {MAX_MS_PER_AGENDA:g}; "
            f"{cpu:.2f} ms of it CPU), between {first.agendas} and {last.agendas} agendas",
        )

    measured = [c for c in everything if c.peak_kb]
    if measured:
        worst = max(measured, key=lambda c: c.peak_kb)
        line(
            mb(worst.peak_kb) < MAX_PEAK_MB,
            f"peak memory: {mb(worst.peak_kb):.1f} MB at most, in {worst.label} (limit {MAX_PEAK_MB:g} MB)",
        )
    checked = {"ritual --version", "ritual plan", "ritual agenda checkin", "ritual export ics --agendas 8"}
    for case in everything:
        if case.failed and case.label not in checked and case is not last:
            line(False, f"{case.label}: the command failed ({case.failed})")


if __name__ == "__main__":
    sys.exit(main())
