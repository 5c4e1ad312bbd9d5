"""The exit path: ProperDocs (maintained drop-in continuation of MkDocs 1.x) builds this site
byte for byte as MkDocs does. Run the whole build tier on ProperDocs with SITE_BUILDER=properdocs."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from builder import site_builder
from conftest import ROOT, run_build
from sitemap_helpers import SITE

pytestmark = pytest.mark.build

# Files allowed to differ between the two builders, with the reason. None today: our frame
# writes no generator tag, and neither builder stamps a date or its name into the output.
EXPLAINED_DIFFERENCES: dict[str, str] = {}


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_properdocs_is_pinned_and_installed():
    pins = dict(line.split("==") for line in (ROOT / "requirements-test.txt").read_text(encoding="utf-8").splitlines()
                if "==" in line and not line.startswith("#"))
    assert importlib.metadata.version("properdocs") == pins["properdocs"]


def test_properdocs_builds_the_site_byte_identical_to_mkdocs(site, tmp_path):
    """The session's site (built by SITE_BUILDER, MkDocs by default) against the other builder's."""
    other = "properdocs" if site_builder() == "mkdocs" else "mkdocs"
    result = run_build(ROOT, tmp_path / other, builder=other)
    assert result.returncode == 0, f"{other} build failed:\n{result.stdout}\n{result.stderr}"
    ours, theirs = _files(site), _files(tmp_path / other)
    assert sorted(ours) == sorted(theirs), (set(ours) ^ set(theirs))
    differing = sorted(name for name in ours if ours[name] != theirs[name])
    assert differing == sorted(EXPLAINED_DIFFERENCES), differing
    pages = [name for name in ours if name == "index.html" or name.endswith("/index.html")]
    assert len(pages) >= len(SITE.languages) * len(SITE.source_pages)  # not two empty folders
