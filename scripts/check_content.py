#!/usr/bin/env python3
"""Prüft Inhalte und Daten der Website, ohne sie zu bauen.

Checks the files under docs/, every page (front matter, text, HTML, links, placeholders),
the YAML data files and the UI text files of every language, and the translations
against their German pages – with the same code the build runs first. Exit code 0: all
fine; 1: errors found (German messages naming file, line, field and what to do);
2: usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit.checks import check_all  # noqa: E402
from sitekit.errors import ContentError  # noqa: E402
from sitekit.site import Site  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    try:
        site = Site.load()
        errors, _ = check_all(site)
    except ContentError as error:  # mkdocs.yml itself unreadable
        errors = [error]
    if errors:
        print(f"{len(errors)} Fehler gefunden:", file=sys.stderr)
        for error in errors:
            print(f"- {error.message}", file=sys.stderr)
        return 1
    print(f"Alles in Ordnung: Inhalte und Daten in {len(site.codes)} Sprachen geprüft.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
