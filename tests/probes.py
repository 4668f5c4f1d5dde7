"""What a fresh `ritual` loaded: the CLI's main() run in a new interpreter (stdout a pipe,
not a terminal), then its sys.modules and the dataclasses ritual's own modules made."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Runs the CLI in-process with argv[2:] and writes what it imported to argv[1].
PROBE = """\
import json, sys
dest = sys.argv[1]
sys.argv = ["ritual", *sys.argv[2:]]
code = 0
try:
    from ritualcli.cli.app import main
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
dataclasses = sorted(
    f"{name}.{attr}"
    for name, module in list(sys.modules.items())
    if name.startswith("ritualcli")
    for attr, value in vars(module).items()
    if isinstance(value, type) and value.__module__ == name and "__dataclass_fields__" in vars(value)
)
with open(dest, "w") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules), "dataclasses": dataclasses}, fh)
"""


def probe(tmp_path: Path, *args: str) -> dict[str, Any]:
    """What `ritual ARGS…` loaded (it must succeed, on the example couple)."""
    dest = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RITUAL_")}  # HOME is isolated (conftest)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(dest), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert dest.exists(), f"the probe did not finish\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    result = json.loads(dest.read_text())
    assert result["code"] == 0, f"ritual {' '.join(args)} exited {result['code']}\n{proc.stderr}"
    assert "ritualcli.cli.app" in result["modules"]  # the probe really ran the CLI
    return result


def imported(tmp_path: Path, *args: str) -> set[str]:
    return set(probe(tmp_path, *args)["modules"])
