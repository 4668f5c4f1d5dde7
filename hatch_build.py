"""Build hook: the wheel ships the practice and idea libraries compiled.

Checks ``templates/library/*.toml`` (a wheel is never built from a library with a
problem) and puts the checked records, compiled, into the wheel beside
``ritualcli/core/library.py``, so an installed ``ritual`` never parses the TOML
(see ``ritualcli.core.library``). Nothing generated lives in git. An editable
install gets nothing here: it compiles into the user's cache folder on first use.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledLibraryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))  # the package being built, not any installed copy
        try:
            from ritualcli.core import library, library_check
            from ritualcli.core.errors import RitualError
        finally:
            sys.path.pop(0)
        if not Path(library.__file__).resolve().is_relative_to(root.resolve() / "src"):
            raise SystemExit(
                f"compiling the library: imported {library.__file__}, not the source being built"
            )
        folder = root / "templates" / "library"
        try:
            sources = library.read_sources(folder)
            blob = library.compiled(library_check.checked(folder, sources), library.fingerprint(sources))
        except RitualError as exc:
            raise SystemExit("\n".join(exc.lines())) from None
        self._tmp = tempfile.mkdtemp(prefix="ritual-build-")
        out = Path(self._tmp) / library.PACKAGED_FILE
        out.write_bytes(blob)
        build_data["force_include"][str(out)] = f"ritualcli/core/{library.PACKAGED_FILE}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_tmp", None):
            shutil.rmtree(self._tmp, ignore_errors=True)
