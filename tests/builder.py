"""Which site generator the build tier runs: MkDocs (default) or ProperDocs, its maintained
drop-in continuation (SITE_BUILDER=properdocs; see README, "Which builder")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BUILDERS = ("mkdocs", "properdocs")


def site_builder() -> str:
    name = os.environ.get("SITE_BUILDER") or "mkdocs"
    if name not in BUILDERS:
        raise ValueError(f"SITE_BUILDER={name!r}: expected one of {', '.join(BUILDERS)}")
    return name


def build_command(site_dir: Path, builder: str | None = None) -> list[str]:
    """`<builder> build --strict` into ``site_dir``, run with this Python (the project's venv).
    ProperDocs is given mkdocs.yml by name (found by itself, it prints a notice asking to rename it)."""
    name = builder or site_builder()
    config = ["-f", "mkdocs.yml"] if name == "properdocs" else []
    return [sys.executable, "-m", name, "build", "--strict", *config, "--site-dir", str(site_dir)]
