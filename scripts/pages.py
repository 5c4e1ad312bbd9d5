#!/usr/bin/env python3
"""Seiten umbenennen, verschieben oder löschen – in allen Sprachen zugleich.

  move ALT.md NEU.md                  Benennt die Seite in allen Sprachen um (oder verschiebt sie in
                                      einen anderen Ordner), passt jeden Link auf allen Seiten an und
                                      leitet die alte Adresse auf die neue weiter.
  delete SEITE.md [--redirect-to Z]   Löscht die Seite in allen Sprachen. Verlinken andere Seiten sie,
                                      geben Sie mit --redirect-to an, wohin Links und alte Adresse führen.

Pfade unter docs/de/, z. B. angebote/sprachcafe.md (docs/de/… geht auch). Pflichtseiten
(Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache, Gebärdensprache) werden nicht
gelöscht. Übersetzungen, die aktuell waren, bleiben aktuell. Danach: make check, dann committen.
Exit codes: 0 ok, 2 Fehler (nichts geändert).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit import console  # noqa: E402
from sitekit.errors import ContentError  # noqa: E402
from sitekit.page_moves import delete, move  # noqa: E402
from sitekit.site import Site  # noqa: E402


def report(change, what: str) -> None:
    print(what)
    for title, items in (("Verschoben", change.moved), ("Gelöscht", change.deleted),
                         ("Links angepasst", change.relinked), ("Übersetzungen bleiben aktuell", change.kept_current)):
        if items:
            print(f"{title}:")
            for item in items:
                print(f"  - {item}")
    print("Prüfen Sie das Ergebnis mit „make check“ und committen Sie alle geänderten Dateien.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("move", help="Seite umbenennen oder verschieben (alle Sprachen)")
    p.add_argument("old", metavar="ALT.md")
    p.add_argument("new", metavar="NEU.md")
    p = sub.add_parser("delete", help="Seite löschen (alle Sprachen)")
    p.add_argument("page", metavar="SEITE.md")
    p.add_argument("--redirect-to", metavar="ZIEL.md", help="wohin Links und die alte Adresse führen sollen")
    args = parser.parse_args(argv)
    site = Site.load()
    try:
        if args.command == "move":
            report(move(site, args.old, args.new), f"Seite verschoben: {args.old} → {args.new} (alte Adresse leitet weiter).")
        else:
            report(delete(site, args.page, args.redirect_to), f"Seite gelöscht: {args.page}.")
    except ContentError as error:
        return console.refuse(error)
    return 0


if __name__ == "__main__":
    console.exit_with(main)
