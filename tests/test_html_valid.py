"""Every built page is valid HTML: the Nu HTML Checker (vnu.jar), all files in one Java run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(site):
    java = shutil.which("java")
    if not java or not VNU.exists():
        pytest.skip("Java oder vnu-jar fehlt: scripts/install_test_tools.sh installiert beides")
    files = sorted(str(path) for path in site.rglob("*.html"))
    assert len(files) > 150
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]
    lines = [f"{Path(m.get('url', '')).relative_to('file:' + str(site)) if m.get('url', '').startswith('file:' + str(site)) else m.get('url')}"
             f":{m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '').strip()[:160]}" for m in errors]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(lines[:60])
