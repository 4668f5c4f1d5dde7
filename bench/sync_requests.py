"""How many requests `ritual sync` makes: `python bench/sync_requests.py` from the repository root.

Starts a local Radicale (tests/radicale_server.py: loopback only, a temporary
folder, stopped at the end), runs the installed `ritual sync` as a user would,
and counts the requests from the server's own log (each request is logged as
Radicale receives it), not from ritual's report:

- the first sync of a couple (both rituals, agendas on);
- a sync with nothing changed (the README promises one request);
- a sync after one change (a new check-in time);
- a sync after the date night is disabled.

Each is also timed (the median of a few runs of the no-change sync), for
information only: the count is the figure that matters, since on a phone
network each request costs a round trip. Needs the test extra (Radicale).
Reports and never fails.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from radicale_server import PASSWORD, USER, running_radicale  # noqa: E402

PREFS = """\
version = 1
[couple]
partners = ["Ana", "Ben"]
timezone = "Europe/London"
start = 2026-11-23
[checkin]
time = "09:00"
[date_night]
enabled = true
[skip]
dates = [2026-12-25]
[sync]
url = "{url}"
username = "{user}"
agendas = 4
"""
NO_CHANGE_RUNS = 5


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with running_radicale(folder / "server") as server:
            url = server.new_calendar("rituals")
            config = folder / "ritual.toml"
            config.write_text(PREFS.format(url=url, user=USER), encoding="utf-8")
            env = {
                **os.environ,
                "RITUAL_CONFIG": str(config),
                "RITUAL_SYNC_PASSWORD": PASSWORD,
                "RITUAL_TODAY": "2026-11-20",
            }

            def sync(label: str) -> float:
                mark = server.log_mark()
                start = time.perf_counter()
                done = subprocess.run(
                    ["ritual", "sync"], env=env, capture_output=True, text=True, check=False
                )
                elapsed = time.perf_counter() - start
                requests = server.requests_since(mark)
                methods = Counter(method for method, _ in requests)
                status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()}"
                shown = ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
                print(f"{label:<32} {len(requests):>2} request(s) ({shown}); {elapsed * 1000:.0f} ms; {status}")
                return elapsed

            sync("first sync (2 series, agendas)")
            times = [sync("no change") for _ in range(NO_CHANGE_RUNS)]
            config.write_text(config.read_text().replace('time = "09:00"', 'time = "09:30"'))
            sync("one change (check-in time)")
            config.write_text(config.read_text().replace("enabled = true", "enabled = false"))
            sync("date night disabled")
            print(
                f"no-change sync, median of {NO_CHANGE_RUNS}: {statistics.median(times) * 1000:.0f} ms (whole process)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
