#!/usr/bin/env python3
"""Übersetzungen verwalten: Stand anzeigen, beginnen, prüfen, als geprüft markieren, Änderungen zeigen.

  report [--json]              Stand jeder Seite je Sprache (aktuell / veraltet / maschinell / fehlt)
  start SEITE SPRACHE          Legt docs/SPRACHE/SEITE als Übersetzung der deutschen Seite an
                               (translation.source_hash, state: machine) – danach übersetzen.
  review SEITE SPRACHE --by R  Ein Mensch hat die Übersetzung mit dem Original verglichen: Stand
                               „geprüft“, mit Rolle oder Organisation R (nie ein Personenname) und Datum.
  diff SEITE SPRACHE           Was sich im deutschen Text geändert hat, seit die Übersetzung entstand.
  minor SEITE [--since REV]    Die Änderung der deutschen Seite seit REV (Standard: letzter Commit) ist
                               klein (z. B. Tippfehler): Übersetzungen, die vorher aktuell waren, bleiben aktuell.
                               Ändern sich Fakten (Jahreszahl, Link, E-Mail, Telefon, Überschriften), lehnt
                               das Werkzeug ab: dann müssen die Übersetzungen angepasst werden.
  apply-trailers --range A..B  Für CI: Commits mit der Zeile „Übersetzungen: unverändert“ in der Nachricht
                               wie „minor“ behandeln (Redakteurinnen brauchen dafür kein Python).
  check                        Vergleicht jede Übersetzung mit dem Original (Überschriften, Links,
                               E-Mail-Adressen, Telefonnummern, Jahreszahlen, Platzhalter).

SEITE ist der Pfad unter docs/de/, z. B. angebote/integrationskurs.md (docs/de/… geht auch).
Exit codes: 0 ok, 1 findings (check) or nothing to do, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit import console  # noqa: E402
from sitekit.errors import ContentError  # noqa: E402
from sitekit.files import write_text_atomically  # noqa: E402
from sitekit.languages import SOURCE_LANGUAGE  # noqa: E402
from sitekit.pages import FRONT_MATTER, split_front_matter  # noqa: E402
from sitekit.reviewers import load_reviewers  # noqa: E402
from sitekit.site import Site  # noqa: E402
from sitekit.translation import STATE_WORDS, STATES, source_hash_of, source_hash_of_text  # noqa: E402
from sitekit.translation_check import check_translations, compare  # noqa: E402


class UsageError(Exception):
    pass


def page_arg(site: Site, value: str) -> str:
    rel = value.replace("\\", "/")
    for prefix in (f"docs/{SOURCE_LANGUAGE}/", f"{SOURCE_LANGUAGE}/"):
        if rel.startswith(prefix):
            rel = rel[len(prefix):]
    if not site.has_page(SOURCE_LANGUAGE, rel):
        raise UsageError(f"Die deutsche Seite docs/{SOURCE_LANGUAGE}/{rel} gibt es nicht. "
                         f"Geben Sie den Pfad unter docs/{SOURCE_LANGUAGE}/ an, z. B. angebote/integrationskurs.md.")
    return rel


def set_translation_meta(text: str, **values: str) -> str:
    """Rewrite the ``translation:`` block of a page's front matter, keeping everything else.

    ``values`` replace fields of the block (source_hash, state, reviewed_by, reviewed_on);
    a value of None removes the field.
    """
    match = FRONT_MATTER.match(text.removeprefix("\ufeff"))
    head = (match.group(1) or "") if match else ""
    body = text.removeprefix("\ufeff")[match.end():] if match else text
    lines, old, skipping = [], {}, False
    for line in head.splitlines():
        if line.startswith("translation:"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "\t")):
            key, _, value = line.strip().partition(":")
            old[key] = value.strip()
            continue
        skipping = False
        lines.append(line)
    fields = {**{"source_hash": "", "state": "machine"}, **old, **values}
    lines.append("translation:")
    for key in ("source_hash", "state", "reviewed_by", "reviewed_on"):
        if fields.get(key) not in (None, ""):
            value = fields[key]
            lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False) if key == 'reviewed_by' else value}")
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def cmd_report(site: Site, args) -> int:
    table = site.translation_states.report()
    if args.json:
        print(json.dumps({"languages": site.codes, "pages": table}, ensure_ascii=False, indent=2))
        return 0
    width = max(len(page) for page in table) + 2
    print("Seite".ljust(width) + "".join(code.ljust(12) for code in site.codes))
    for page, states in table.items():
        print(page.ljust(width) + "".join(STATE_WORDS[states[code]].ljust(12) for code in site.codes))
    print()
    for code in site.codes:
        counts = {state: sum(1 for s in table.values() if s[code] == state) for state in STATES}
        print(f"{code}: " + ", ".join(f"{n} {STATE_WORDS[state]}" for state, n in counts.items() if n))
    return 0


def cmd_start(site: Site, args) -> int:
    rel, code = page_arg(site, args.page), site.translation_language(args.language)
    german = site.page(SOURCE_LANGUAGE, rel)
    target = site.docs_dir / code / rel
    if target.exists() and not args.force:
        raise UsageError(f"docs/{code}/{rel} gibt es schon. Mit --force wird sie überschrieben.")
    source_text = german.path.read_text(encoding="utf-8")
    own_fields = "|".join(["stand", "order", "in_nav", "icon", "hide", "search", "footer"])
    text = re.sub(rf"^(?:{own_fields}):.*\n(?:[ \t]+.*\n)*", "", source_text, flags=re.M)
    write_text_atomically(target, set_translation_meta(text, source_hash=source_hash_of(german.meta, german.body),
                                                       state="machine", reviewed_by=None, reviewed_on=None))
    print(f"Angelegt: docs/{code}/{rel} – jetzt den Text übersetzen (Front Matter: title, description, summary auch).")
    return 0


def cmd_review(site: Site, args) -> int:
    rel, code = page_arg(site, args.page), site.translation_language(args.language)
    if not site.has_page(code, rel):
        raise UsageError(f"docs/{code}/{rel} gibt es noch nicht. Legen Sie sie mit „start“ an und übersetzen Sie sie.")
    reviewers = load_reviewers(site)
    reviewer = reviewers.find(args.by)
    if reviewer is None:
        raise UsageError(f"„{args.by}“ steht nicht in data/reviewers.yml. Tragen Sie dort die Rolle oder Organisation "
                         f"ein (nie den Namen einer Person). Vorhanden: {', '.join(reviewers.ids) or 'keine'}.")
    german = site.page(SOURCE_LANGUAGE, rel)
    path = site.docs_dir / code / rel
    today = (args.date or dt.date.today()).isoformat()
    write_text_atomically(path, set_translation_meta(path.read_text(encoding="utf-8"),
                                                     source_hash=source_hash_of(german.meta, german.body),
                                                     state="reviewed", reviewed_by=reviewer.id, reviewed_on=today))
    print(f"Als geprüft markiert: docs/{code}/{rel} (von {reviewer.id}, am {today}).")
    return 0


def _git(site: Site, *args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=site.root, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def german_text_at_hash(site: Site, rel: str, wanted: str) -> str | None:
    """The German page's text in the version whose source hash a translation records (from git)."""
    path = f"docs/{SOURCE_LANGUAGE}/{rel}"
    for commit in (_git(site, "log", "--format=%H", "--", path) or "").split():
        text = _git(site, "show", f"{commit}:{path}")
        if text is not None:
            try:
                if source_hash_of_text(text) == wanted:
                    return text
            except ContentError:
                continue
    return None


def cmd_diff(site: Site, args) -> int:
    rel, code = page_arg(site, args.page), site.translation_language(args.language)
    if not site.has_page(code, rel):
        raise UsageError(f"docs/{code}/{rel} gibt es noch nicht.")
    status = site.translation_states.status(rel, code)
    if not status.outdated:
        print(f"docs/{code}/{rel} ist aktuell: Der deutsche Text hat sich seit der Übersetzung nicht geändert.")
        return 0
    recorded = str(site.page(code, rel).translation.get("source_hash", ""))
    before = german_text_at_hash(site, rel, recorded)
    if before is None:
        raise UsageError(f"Die deutsche Fassung, aus der docs/{code}/{rel} übersetzt wurde, ist im Git-Verlauf nicht zu "
                         "finden. Vergleichen Sie die Übersetzung mit dem ganzen deutschen Text.")
    print(german_diff(before, site.page(SOURCE_LANGUAGE, rel).path.read_text(encoding="utf-8"), rel))
    return 0


def german_diff(before: str, after: str, rel: str) -> str:
    """A readable diff of what a translator must carry over (front-matter texts and body)."""
    def lines(text):
        meta, body, _ = split_front_matter(text, rel)
        head = [f"{key}: {meta[key]}" for key in ("title", "description", "summary") if key in meta]
        return head + [""] + body.strip().split("\n")
    return "\n".join(difflib.unified_diff(lines(before), lines(after), f"damals/{rel}", f"jetzt/{rel}", lineterm=""))


def cmd_minor(site: Site, args) -> int:
    rel = page_arg(site, args.page)
    path = f"docs/{SOURCE_LANGUAGE}/{rel}"
    before = _git(site, "show", f"{args.since}:{path}")
    if before is None:
        raise UsageError(f"Die Fassung von {path} in „{args.since}“ ist nicht zu finden (git).")
    old_hash = source_hash_of_text(before, path)
    new_hash = site.translation_states.source_hash(rel)
    if old_hash == new_hash:
        print("Die deutsche Seite ist seit dieser Fassung (im übersetzten Text) unverändert; nichts zu tun.")
        return 0
    changed = changed_facts(before, site.page(SOURCE_LANGUAGE, rel).path.read_text(encoding="utf-8"), path)
    if changed:
        raise UsageError(f"Die Änderung an {path} betrifft Fakten ({changed}). Übersetzungen müssen angepasst werden; "
                         "„minor“ ist nur für Änderungen ohne neue Fakten (Tippfehler, Satzbau, Wortwahl).")
    kept = mark_minor(site, rel, old_hash, new_hash)
    print(f"Als kleine Änderung markiert; aktuell bleiben: {', '.join(kept) or 'keine (keine war vorher aktuell)'}.")
    return 0


def changed_facts(before: str, after: str, path: str) -> str:
    """What changed in the facts between two versions of a German page ("" if nothing)."""
    return "; ".join(error.problem.replace(" weichen vom deutschen Original ab", "").rstrip(".")
                     for error in compare(split_front_matter(before, path)[1], split_front_matter(after, path)[1], path))


TRAILER = re.compile(r"^\s*(?:Übersetzungen|Uebersetzungen)\s*:\s*unverändert\s*$", re.I | re.M)


def cmd_apply_trailers(site: Site, args) -> int:
    """Commits in the range whose message says „Übersetzungen: unverändert“: their German changes are minor."""
    commits = (_git(site, "rev-list", "--reverse", args.range) or "").split()
    applied = 0
    for commit in commits:
        if not TRAILER.search(_git(site, "log", "-1", "--format=%B", commit) or ""):
            continue
        changed = (_git(site, "diff-tree", "--no-commit-id", "--name-only", "-r", commit, "--",
                        f"docs/{SOURCE_LANGUAGE}/") or "").split()
        for path in changed:
            rel = path.removeprefix(f"docs/{SOURCE_LANGUAGE}/")
            before, after = _git(site, "show", f"{commit}^:{path}"), _git(site, "show", f"{commit}:{path}")
            if before is None or after is None or not site.has_page(SOURCE_LANGUAGE, rel):
                continue
            facts_changed = changed_facts(before, after, path)
            if facts_changed:
                print(f"{commit[:8]} {path}: nicht übernommen – Fakten geändert ({facts_changed}); die Übersetzungen "
                      "müssen angepasst werden.")
                continue
            kept = mark_minor(site, rel, source_hash_of_text(before, path), source_hash_of_text(after, path))
            site._parsed.clear()
            print(f"{commit[:8]} {path}: aktuell bleiben {', '.join(kept) or 'keine'}.")
            applied += 1
    print(f"{applied} Änderungen als „Übersetzungen: unverändert“ übernommen.")
    return 0


def mark_minor(site: Site, rel: str, old_hash: str, new_hash: str) -> list[str]:
    """Translations made from ``old_hash`` now count as made from ``new_hash``; returns their languages."""
    kept = []
    for code in site.codes:
        if code == SOURCE_LANGUAGE or not site.has_page(code, rel):
            continue
        path = site.docs_dir / code / rel
        if str(site.page(code, rel).translation.get("source_hash")) == old_hash:
            write_text_atomically(path, set_translation_meta(path.read_text(encoding="utf-8"), source_hash=new_hash))
            kept.append(code)
    return kept


def cmd_check(site: Site, args) -> int:
    errors = check_translations(site)
    for error in errors:
        print(f"- {error.message}", file=sys.stderr)
    if errors:
        print(f"{len(errors)} Abweichungen gefunden.", file=sys.stderr)
        return 1
    print("Alle aktuellen Übersetzungen stimmen in Aufbau und Fakten mit dem Original überein.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="Stand der Übersetzungen")
    p.add_argument("--json", action="store_true", help="als JSON ausgeben (Zustände: current, outdated, machine, missing)")
    p.set_defaults(run=cmd_report)
    p = sub.add_parser("start", help="Übersetzung einer Seite beginnen")
    p.add_argument("page")
    p.add_argument("language")
    p.add_argument("--force", action="store_true", help="vorhandene Übersetzung überschreiben")
    p.set_defaults(run=cmd_start)
    p = sub.add_parser("review", help="Übersetzung als von einem Menschen geprüft markieren")
    p.add_argument("page")
    p.add_argument("language")
    p.add_argument("--by", required=True, help="Kennung der Rolle oder Organisation aus data/reviewers.yml")
    p.add_argument("--date", type=dt.date.fromisoformat, help="Datum der Prüfung (Standard: heute), Jahr-Monat-Tag")
    p.set_defaults(run=cmd_review)
    p = sub.add_parser("diff", help="Änderungen am deutschen Text seit der Übersetzung zeigen")
    p.add_argument("page")
    p.add_argument("language")
    p.set_defaults(run=cmd_diff)
    p = sub.add_parser("minor", help="Änderung der deutschen Seite als klein markieren")
    p.add_argument("page")
    p.add_argument("--since", default="HEAD", help="Git-Stand vor der Änderung (Standard: HEAD)")
    p.set_defaults(run=cmd_minor)
    p = sub.add_parser("apply-trailers", help="für CI: „Übersetzungen: unverändert“ aus Commit-Nachrichten anwenden")
    p.add_argument("--range", required=True, help="Git-Bereich, z. B. origin/main..HEAD")
    p.set_defaults(run=cmd_apply_trailers)
    p = sub.add_parser("check", help="Übersetzungen mit dem Original vergleichen")
    p.set_defaults(run=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(Site.load(), args)
    except (UsageError, ContentError) as error:
        return console.refuse(error)


if __name__ == "__main__":
    console.exit_with(main)
