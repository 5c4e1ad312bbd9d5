#!/usr/bin/env python3
"""Übersetzungen verwalten: Stand anzeigen, Übersetzung beginnen, kleine Änderung markieren, prüfen.

  report [--json]            Stand jeder Seite je Sprache (current / outdated / machine / missing)
  start SEITE SPRACHE        Kopiert die deutsche Seite nach docs/SPRACHE/ mit den richtigen Angaben
                             (translation.source_hash, state: machine) – danach übersetzen.
  minor SEITE [--since REV]  Die Änderung der deutschen Seite seit REV (Standard: letzter Commit) ist
                             klein (z. B. Tippfehler): Übersetzungen, die vorher aktuell waren, bleiben aktuell.
  check                      Vergleicht jede Übersetzung mit dem Original (Überschriften, Links,
                             E-Mail-Adressen, Telefonnummern, Jahreszahlen).

SEITE ist der Pfad unter docs/de/, z. B. angebote/integrationskurs.md (docs/de/… geht auch).
Exit codes: 0 ok, 1 findings (check) or nothing to do, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit.errors import ContentError  # noqa: E402
from sitekit.fields import DEFAULT_LANGUAGE  # noqa: E402
from sitekit.languages import languages  # noqa: E402
from sitekit.pages import DOCS_DIR, FRONT_MATTER, ROOT  # noqa: E402
from sitekit.translation import STATES, report, source_hash, source_hash_of_text  # noqa: E402
from sitekit.translation_check import check_translations  # noqa: E402


class UsageError(Exception):
    pass


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def page_arg(value: str) -> str:
    rel = value.replace("\\", "/")
    for prefix in (f"docs/{DEFAULT_LANGUAGE}/", f"{DEFAULT_LANGUAGE}/"):
        if rel.startswith(prefix):
            rel = rel[len(prefix):]
    if not (DOCS_DIR / DEFAULT_LANGUAGE / rel).is_file():
        raise UsageError(f"Die deutsche Seite docs/{DEFAULT_LANGUAGE}/{rel} gibt es nicht. "
                         f"Geben Sie den Pfad unter docs/{DEFAULT_LANGUAGE}/ an, z. B. angebote/integrationskurs.md.")
    return rel


def language_arg(code: str) -> str:
    codes = [lang.code for lang in languages()]
    if code not in codes or code == DEFAULT_LANGUAGE:
        raise UsageError(f"Die Sprache „{code}“ ist nicht eingerichtet. Möglich: {', '.join(c for c in codes if c != DEFAULT_LANGUAGE)}.")
    return code


def set_translation_meta(text: str, source: str, state: str | None = None) -> str:
    """Rewrite translation.source_hash (and state) in a page's front matter, keeping the rest."""
    match = FRONT_MATTER.match(text)
    head = match.group(1) or "" if match else ""
    lines = [line for line in head.splitlines()]
    out, skipping, old_state = [], False, None
    for line in lines:
        if line.startswith("translation:"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "\t")):
            if line.strip().startswith("state:"):
                old_state = line.split(":", 1)[1].strip()
            continue
        skipping = False
        out.append(line)
    out += ["translation:", f"  source_hash: {source}", f"  state: {state or old_state or 'machine'}"]
    return "---\n" + "\n".join(out) + "\n---\n" + (text[match.end():] if match else text)


def cmd_report(args) -> int:
    codes = [lang.code for lang in languages()]
    table = report(codes)
    if args.json:
        print(json.dumps({"languages": codes, "pages": table}, ensure_ascii=False, indent=2))
        return 0
    width = max(len(page) for page in table) + 2
    print("Seite".ljust(width) + "".join(code.ljust(10) for code in codes))
    for page, states in table.items():
        print(page.ljust(width) + "".join(states[code].ljust(10) for code in codes))
    totals = {code: {state: sum(1 for s in table.values() if s[code] == state) for state in STATES} for code in codes}
    print()
    for code in codes:
        print(f"{code}: " + ", ".join(f"{n} {state}" for state, n in totals[code].items() if n))
    return 0


def cmd_start(args) -> int:
    rel, code = page_arg(args.page), language_arg(args.language)
    german = DOCS_DIR / DEFAULT_LANGUAGE / rel
    target = DOCS_DIR / code / rel
    if target.exists() and not args.force:
        raise UsageError(f"docs/{code}/{rel} gibt es schon. Mit --force wird sie überschrieben.")
    atomic_write(target, set_translation_meta(german.read_text(encoding="utf-8"), source_hash(german), "machine"))
    print(f"Angelegt: docs/{code}/{rel} – jetzt den Text übersetzen (Front Matter: title, description, summary auch).")
    return 0


def _git_show(rev: str, path: Path) -> str | None:
    result = subprocess.run(["git", "show", f"{rev}:{path.relative_to(ROOT).as_posix()}"], cwd=ROOT,
                            capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def cmd_minor(args) -> int:
    rel = page_arg(args.page)
    german = DOCS_DIR / DEFAULT_LANGUAGE / rel
    before = _git_show(args.since, german)
    if before is None:
        raise UsageError(f"Die Fassung von docs/{DEFAULT_LANGUAGE}/{rel} in „{args.since}“ ist nicht zu finden (git).")
    old_hash, new_hash = source_hash_of_text(before), source_hash(german)
    if old_hash == new_hash:
        print("Die deutsche Seite ist seit dieser Fassung unverändert; nichts zu tun.")
        return 1
    kept = []
    for lang in languages():
        path = DOCS_DIR / lang.code / rel
        if lang.default or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if f"source_hash: {old_hash}" in text:
            atomic_write(path, set_translation_meta(text, new_hash))
            kept.append(lang.code)
    print(f"Als kleine Änderung markiert; aktuell bleiben: {', '.join(kept) or 'keine (keine war vorher aktuell)'}.")
    return 0


def cmd_check(args) -> int:
    errors = check_translations([lang.code for lang in languages()])
    for error in errors:
        print(f"- {error.message}", file=sys.stderr)
    if errors:
        print(f"{len(errors)} Abweichungen gefunden.", file=sys.stderr)
        return 1
    print("Alle aktuellen Übersetzungen stimmen in Aufbau und Fakten mit dem Original überein.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="Stand der Übersetzungen")
    p.add_argument("--json", action="store_true", help="als JSON ausgeben")
    p.set_defaults(run=cmd_report)
    p = sub.add_parser("start", help="Übersetzung einer Seite beginnen")
    p.add_argument("page")
    p.add_argument("language")
    p.add_argument("--force", action="store_true", help="vorhandene Übersetzung überschreiben")
    p.set_defaults(run=cmd_start)
    p = sub.add_parser("minor", help="Änderung der deutschen Seite als klein markieren")
    p.add_argument("page")
    p.add_argument("--since", default="HEAD", help="Git-Stand vor der Änderung (Standard: HEAD)")
    p.set_defaults(run=cmd_minor)
    p = sub.add_parser("check", help="Übersetzungen mit dem Original vergleichen")
    p.set_defaults(run=cmd_check)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, ContentError) as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
