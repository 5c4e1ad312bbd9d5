#!/usr/bin/env python3
"""Screenshots of built pages at phone and desktop width, with Debian's headless Chromium.

Serves a built site folder on 127.0.0.1 and writes PNGs into --out, e.g.
  python scripts/screenshots.py --site site --out build-artifacts/screens / angebote/ ar/ ar/integrationskonzept/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit.browser import launch_chromium, serve_directory  # noqa: E402

WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="page paths below the site root, e.g. / or ar/angebote/")
    parser.add_argument("--site", default="site", type=Path, help="built site folder (default: site)")
    parser.add_argument("--out", default="build-artifacts/screens", type=Path, help="output folder")
    parser.add_argument("--full-page", action="store_true", help="capture the whole page, not only the first screen")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site}/index.html fehlt: zuerst `make build` ausführen")
    args.out.mkdir(parents=True, exist_ok=True)
    with serve_directory(args.site) as base_url, launch_chromium() as browser:
        for path in args.paths:
            for label, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base_url + path.lstrip("/"))
                name = (path.strip("/").replace("/", "_") or "start") + f"-{label}.png"
                page.screenshot(path=str(args.out / name), full_page=args.full_page)
                page.close()
                print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
