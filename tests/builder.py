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
    """`<builder> build --strict` into ``site_dir``, run with this Python (the project's venv)."""
    return [sys.executable, "-m", builder or site_builder(), "build", "--strict", "--site-dir", str(site_dir)]
