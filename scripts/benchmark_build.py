#!/usr/bin/env python3
"""Time full builds of the site and report pages per second.

Runs `mkdocs build --strict` (all languages) into a temporary folder N times and prints
the best and median wall time, the number of HTML pages written and pages per second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_once(site_dir: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"Build fehlgeschlagen:\n{result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="number of builds (default 3)")
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as temp:
        site_dir = Path(temp) / "site"
        for _ in range(args.runs):
            times.append(build_once(site_dir))
        pages = sum(1 for p in site_dir.rglob("index.html"))
        size = sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())
    best, median = min(times), statistics.median(times)
    print(f"builds:          {args.runs}")
    print(f"pages (HTML):    {pages}")
    print(f"best / median:   {best:.2f} s / {median:.2f} s")
    print(f"pages per second (best): {pages / best:.1f}")
    print(f"site size:       {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
