#!/usr/bin/env python3
"""Texte aus den Datendateien übersetzen (Links, Kontakte, Dokumente).

  export SPRACHE > datei.yml    Alle deutschen Texte der Datendateien mit leerem Feld für SPRACHE
  import SPRACHE datei.yml      Die ausgefüllten Übersetzungen in die Datendateien schreiben
                                (je Text eine Zeile „SPRACHE: …“ unter „de: …“; vorhandene ersetzt)

So kann eine Übersetzerin alle Texte einer Sprache in einer Datei bearbeiten.
Exit codes: 0 ok, 2 Fehler (nichts geschrieben).
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
from sitekit.fields import LANGUAGE_CODE, plain_text  # noqa: E402
from sitekit.files import locked, write_text_atomically  # noqa: E402
from sitekit.site import REPOSITORY as ROOT, Site  # noqa: E402
from sitekit.yamlfile import LineDict, load_yaml, parse_yaml  # noqa: E402

DATA_FILES = ("data/links.yml", "data/contacts.yml", "data/documents.yml")


def localized_texts(node, found: list, path: str = "") -> None:
    """Collect (path, mapping) for every text per language (a mapping with 'de' and only language keys).

    The path (e.g. ``groups[0].links[2].name``) identifies a text independently of line numbers,
    which change as translations are inserted.
    """
    if isinstance(node, LineDict):
        if "de" in node and all(isinstance(k, str) and LANGUAGE_CODE.fullmatch(k) for k in node):
            found.append((path, node))
            return
        for key, value in node.items():
            localized_texts(value, found, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            localized_texts(value, found, f"{path}[{index}]")


def texts(rel_path: str) -> list[tuple[str, LineDict]]:
    found: list[tuple[str, LineDict]] = []
    localized_texts(load_yaml(ROOT / rel_path, rel_path), found)
    return found


def cmd_export(args) -> int:
    Site.load().translation_language(args.language)
    entries = []
    for rel_path in DATA_FILES:
        for path, mapping in texts(rel_path):
            entries.append({"ref": f"{rel_path}:{path}", "de": str(mapping["de"]),
                            args.language: str(mapping.get(args.language, ""))})
    yaml.safe_dump(entries, sys.stdout, allow_unicode=True, sort_keys=False, width=1000)
    return 0


def cmd_import(args) -> int:
    Site.load().translation_language(args.language)
    with locked(ROOT / "data" / ".data-translations.lock"):
        return _import(args)


def _import(args) -> int:
    entries = load_yaml(Path(args.file), args.file) or []
    by_ref = {}
    for entry in entries:
        text = entry.get(args.language)
        if text:
            by_ref[entry["ref"]] = plain_text(text, args.file, None, entry["ref"])
    for rel_path in DATA_FILES:
        file = ROOT / rel_path
        lines = file.read_text(encoding="utf-8").split("\n")
        # bottom-up, so that inserted lines don't shift the lines still to come
        for text_path, mapping in sorted(texts(rel_path), key=lambda item: -item[1].line_of("de")):
            text = by_ref.get(f"{rel_path}:{text_path}")
            if not text:
                continue
            de_index = mapping.line_of("de") - 1
            indent = lines[de_index][: len(lines[de_index]) - len(lines[de_index].lstrip())]
            new_line = f"{indent}{args.language}: {json.dumps(text, ensure_ascii=False)}"
            if args.language in mapping:
                lines[mapping.line_of(args.language) - 1] = new_line
            else:
                last = max(mapping.line_of(k) for k in mapping) - 1
                lines.insert(last + 1, new_line)
        text = "\n".join(lines)
        parse_yaml(text, rel_path)  # refuse to write a file that no longer parses
        write_text_atomically(file, text)
    print(f"{len(by_ref)} Texte auf „{args.language}“ übernommen.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export")
    p.add_argument("language")
    p.set_defaults(run=cmd_export)
    p = sub.add_parser("import")
    p.add_argument("language")
    p.add_argument("file")
    p.set_defaults(run=cmd_import)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ContentError as error:
        return console.refuse(error)


if __name__ == "__main__":
    console.exit_with(main)
