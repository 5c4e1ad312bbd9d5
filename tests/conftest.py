"""Shared fixtures: a real build of the site (once per test session) and throwaway
copies of the project for tests that break content on purpose."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "http://127.0.0.1:8000/"

sys.path.insert(0, str(ROOT / "scripts"))

from builder import build_command  # noqa: E402
from sitekit.site import copy_project  # noqa: E402


def run_build(project: Path, site_dir: Path, site_url: str = SITE_URL, builder: str | None = None
              ) -> subprocess.CompletedProcess:
    """Build ``project`` with MkDocs, or with ProperDocs when SITE_BUILDER=properdocs (or ``builder``)."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(build_command(site_dir, builder), cwd=project, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built with --strict from the repository's content."""
    site_dir = tmp_path_factory.mktemp("site")
    result = run_build(ROOT, site_dir)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture
def project(tmp_path) -> Path:
    """A throwaway copy of the project to break on purpose."""
    return copy_project(tmp_path / "project")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def minisite(tmp_path) -> Path:
    """The small de+ar fixture site (tests/fixtures/minisite) in a throwaway folder."""
    from minisite import make_minisite
    return make_minisite(tmp_path / "minisite")
