#!/usr/bin/env python3
"""Glossar übersetzen: die freigegebenen Begriffe einer Sprache in einer Datei bearbeiten.

  export SPRACHE > datei.yml     Alle Begriffe mit dem deutschen Wort und der deutschen Erklärung,
                                 dazu die vorhandene Übersetzung oder leere Felder für SPRACHE
  import SPRACHE datei.yml       Die ausgefüllten Begriffe in data/glossary.yml übernehmen
                                 (vorhandene Einträge der Sprache werden ersetzt)
  check                          Das Glossar prüfen und je Sprache zählen, was fehlt

Je Begriff: term (die EINE freigegebene Übersetzung), match (Suchmuster; * für Endungen),
explanation (kurze Erklärung für Lesende). Exit codes: 0 ok, 1 Lücken (check), 2 Fehler.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from sitekit import console  # noqa: E402
from sitekit.errors import ContentError  # noqa: E402
from sitekit.files import locked, write_text_atomically  # noqa: E402
from sitekit.glossary import Rendering, Term, _rendering, load_glossary  # noqa: E402
from sitekit.site import Site  # noqa: E402
from sitekit.yamlfile import load_yaml  # noqa: E402


def render_glossary(header: str, terms: list[Term], order: list[str]) -> str:
    """The file's text: the header comments, then each term with its languages in site order."""
    quote = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
    lines = [header.rstrip("\n"), "terms:"]
    for term in terms:
        lines += [f"  - id: {term.id}", f"    keep_german: {'true' if term.keep_german else 'false'}"]
        codes = sorted(term.renderings, key=lambda code: (order.index(code) if code in order else len(order), code))
        for code in codes:
            rendering = term.renderings[code]
            lines += [f"    {code}:", f"      term: {quote(rendering.term)}"]
            if rendering.match:
                lines.append(f"      match: [{', '.join(quote(m) for m in rendering.match)}]")
            if rendering.explanation:
                lines.append(f"      explanation: {quote(rendering.explanation)}")
    return "\n".join(lines) + "\n"


def cmd_export(site: Site, args) -> int:
    site.translation_language(args.language)
    entries = []
    for term in load_glossary(site):
        own = term.renderings.get(args.language)
        entries.append({"id": term.id, "de": term.german.term, "de_explanation": term.german.explanation,
                        "term": own.term if own else "", "match": list(own.match) if own else [],
                        "explanation": own.explanation if own else ""})
    yaml.safe_dump(entries, sys.stdout, allow_unicode=True, sort_keys=False, width=1000)
    return 0


def cmd_import(site: Site, args) -> int:
    site.translation_language(args.language)
    entries = load_yaml(Path(args.file), args.file) or []
    given: dict[str, Rendering] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("term"):
            continue
        value = {key: entry[key] for key in ("term", "match", "explanation") if key in entry}
        from sitekit.yamlfile import LineDict
        mapping = LineDict(value)
        mapping.line = getattr(entry, "line", None)
        mapping.key_lines = getattr(entry, "key_lines", {})
        given[str(entry.get("id"))] = _rendering(mapping, args.file, mapping.line, f"{entry.get('id')}")
    path = site.data_dir / "glossary.yml"
    with locked(site.data_dir / ".glossary.lock"):
        text = path.read_text(encoding="utf-8")
        header = text[: text.index("\nterms:")] + "\n"
        terms = load_glossary(site)
        unknown = set(given) - {term.id for term in terms}
        if unknown:
            raise ContentError(args.file, f"Unbekannte Begriffe: {', '.join(sorted(unknown))}.",
                               "Verwenden Sie die Kennungen aus „python scripts/glossary.py export“.")
        for term in terms:
            if term.id in given:
                term.renderings[args.language] = given[term.id]
        new_text = render_glossary(header, terms, site.codes)
        write_text_atomically(path, new_text)
    print(f"{len(given)} Begriffe auf „{args.language}“ übernommen.")
    return 0


def cmd_check(site: Site, args) -> int:
    terms = load_glossary(site)
    gaps = 0
    for code in site.codes:
        missing = [term.id for term in terms if code not in term.renderings]
        gaps += len(missing)
        print(f"{code}: {len(terms) - len(missing)} von {len(terms)} Begriffen" + (f" (fehlt: {', '.join(missing)})" if missing else ""))
    return 1 if gaps else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export", help="Begriffe einer Sprache zum Übersetzen ausgeben")
    p.add_argument("language")
    p.set_defaults(run=cmd_export)
    p = sub.add_parser("import", help="übersetzte Begriffe übernehmen")
    p.add_argument("language")
    p.add_argument("file")
    p.set_defaults(run=cmd_import)
    p = sub.add_parser("check", help="Glossar prüfen, Lücken je Sprache zählen")
    p.set_defaults(run=cmd_check)
    args = parser.parse_args(argv)
    try:
        return args.run(Site.load(), args)
    except ContentError as error:
        return console.refuse(error)


if __name__ == "__main__":
    console.exit_with(main)
