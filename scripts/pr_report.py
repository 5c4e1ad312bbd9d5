#!/usr/bin/env python3
"""Bericht zu einer Änderung (Pull Request) auf Deutsch, als Markdown.

Vergleicht den Git-Stand BASE (z. B. origin/main) mit dem Arbeitsstand dieses Repositorys
(auch mit noch nicht eingecheckten Dateien) und schreibt:

- das Ergebnis der Prüfung (`make check`), neue Fehler markiert;
- welche Seiten sich ändern (Text, Übersetzung, Daten), mit Link in die Vorschau je Sprache;
- welche Übersetzungen dadurch veralten, aktuell bleiben oder wieder aktuell werden;
- hinzugefügte, geänderte und entfernte Dokumente;
- Bildschirmfotos jeder geänderten Seite in Handy-Breite (360 px) auf Deutsch und in einer
  Sprache, die von rechts nach links läuft (mit --site und --screenshots).

Beispiele:
  python scripts/pr_report.py --base origin/main
  make build && python scripts/pr_report.py --base main --site site --screenshots bilder

Exit codes: 0 report written (also when the check finds errors: the report says so);
2 usage error (unknown revision, not a git checkout, missing built site).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit.errors import ContentError  # noqa: E402
from sitekit.files import write_text_atomically  # noqa: E402
from sitekit.languages import EASY_LANGUAGE, SOURCE_LANGUAGE, babel_locale, text_direction  # noqa: E402
from sitekit.pages import is_offer_path  # noqa: E402
from sitekit.placeholders import PATTERN as PLACEHOLDER  # noqa: E402
from sitekit.site import REPOSITORY, Site  # noqa: E402

PHONE = (360, 780)            # CSS px: the narrowest common phone
MAX_SCREENSHOT_HEIGHT = 2400  # px of a page shown in the report (long pages are cut)
MAX_SCREENSHOT_PAGES = 8      # pages with screenshots in one report
MAX_LISTED_FILES = 20
DOCUMENTS_FOLDER = "docs/assets/dokumente/"
# Data file -> the placeholders whose output it changes.
DATA_PLACEHOLDERS = {
    "data/links.yml": {"links"},
    "data/contacts.yml": {"kontakt", "email", "adresse", "telefon"},
    "data/documents.yml": {"dokumente"},
    "data/documents.state.json": {"dokumente"},
}
SNAPSHOT_PARTS = ("docs", "data", "mkdocs.yml")  # what a base revision's content consists of


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------- what the report holds

@dataclass(frozen=True)
class PageChange:
    rel_path: str                 # below docs/<lang>/, e.g. angebote/integrationskurs.md
    title: str                    # German title (after the change; before it for a deleted page)
    status: str                   # "neu" | "geändert" | "gelöscht"
    details: tuple[str, ...]      # what changed, in German
    languages: tuple[str, ...]    # languages that have the page after the change (German first)


@dataclass(frozen=True)
class TranslationChange:
    rel_path: str
    title: str
    code: str
    change: str                   # a key of TRANSLATION_CHANGES


TRANSLATION_CHANGES = {
    "outdated": "Werden veraltet – die Seite zeigt dort den Hinweis „vielleicht nicht mehr aktuell“",
    "kept": "Bleiben aktuell",
    "current": "Werden wieder aktuell",
    "added": "Neu übersetzt",
    "removed": "Übersetzung gelöscht – die Sprache zeigt den deutschen Text",
    "reviewed": "Jetzt von einem Menschen geprüft",
    "still_outdated": "Waren schon veraltet und bleiben es",
}


@dataclass(frozen=True)
class DocumentChange:
    change: str                   # "hinzugefügt" | "geändert" | "entfernt"
    name: str                     # document id or file
    title: str
    source: str                   # data/documents.yml or the file under docs/


@dataclass(frozen=True)
class CheckResult:
    errors: tuple[str, ...]       # German messages of `make check`
    new: frozenset[str] = frozenset()  # those the base revision did not have
    languages: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Screenshot:
    rel_path: str
    code: str
    file: str                     # file name in the screenshot folder


@dataclass
class Report:
    base: str                                  # short commit id of the base
    check: CheckResult
    pages: list[PageChange] = field(default_factory=list)
    ui_texts: list[str] = field(default_factory=list)   # languages whose UI texts changed
    translations: list[TranslationChange] = field(default_factory=list)
    documents: list[DocumentChange] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    screenshots: list[Screenshot] = field(default_factory=list)
    languages: tuple[str, ...] = (SOURCE_LANGUAGE,)     # site languages, in site order
    site_paths: dict[tuple[str, str], str] = field(default_factory=dict)  # (code, rel) -> path below the site root
    preview_url: str | None = None
    screenshots_url: str | None = None
    screenshots_dir: str | None = None
    no_preview_note: str | None = None                  # why there is no preview address (e.g. a fork)


# ---------------------------------------------------------------------------- rendering (plain functions)

# Where CLDR's German name is not what editors call the language here.
LANGUAGE_LABELS = {"kmr": "Kurdisch (Kurmandschi)", "ckb": "Kurdisch (Sorani)", EASY_LANGUAGE: "Leichte Sprache"}


def language_label(code: str) -> str:
    """The language's name in German, e.g. ar -> Arabisch (CLDR)."""
    if code in LANGUAGE_LABELS:
        return LANGUAGE_LABELS[code]
    locale = babel_locale(code)
    name = locale.get_display_name("de") if locale is not None else None
    return (name[:1].upper() + name[1:]) if name else code


def md(text: str) -> str:
    """Text shown as text in GitHub Markdown (also in table cells): no markup, no HTML, no mentions."""
    out = []
    for char in str(text).replace("\r", " ").replace("\n", " "):
        out.append("\\" + char if char in "\\`*_[]<>|#~!@" else char)
    return "".join(out)


def preview_link(base_url: str, site_path: str) -> str:
    return base_url.rstrip("/") + "/" + site_path


def render_check(check: CheckResult) -> list[str]:
    lines = ["### Prüfung (`make check`)", ""]
    if check.ok:
        lines.append(f"✅ **Alles in Ordnung:** Inhalte und Daten in {check.languages} Sprachen geprüft.")
        return lines
    count = "1 Fehler" if len(check.errors) == 1 else f"{len(check.errors)} Fehler"
    new = sum(1 for error in check.errors if error in check.new)
    lines.append(f"❌ **{count} gefunden** ({new} davon neu durch diese Änderung). Solange die Prüfung Fehler "
                 "findet, wird die Website nicht gebaut und diese Änderung nicht veröffentlicht. "
                 "Jede Meldung nennt Datei, Zeile und was zu tun ist:")
    lines.append("")
    for error in check.errors:
        marker = "**neu:** " if error in check.new else "(bestand schon vorher) "
        lines.append(f"- {marker}{md(error)}")
    return lines


def render_links(report: Report, page: PageChange) -> str:
    if page.status == "gelöscht":
        return "–"
    links = []
    for code in page.languages:
        path = report.site_paths.get((code, page.rel_path), "")
        label = language_label(code)
        if report.preview_url:
            links.append(f"[{label}]({preview_link(report.preview_url, path)})")
        else:
            links.append(f"{label} `{path or '/'}`")
    return " · ".join(links)


def render_pages(report: Report) -> list[str]:
    lines = ["### Geänderte Seiten", ""]
    if not report.pages and not report.ui_texts:
        lines.append("Keine Seite ändert sich durch diese Änderung.")
        return lines
    if report.pages:
        lines += ["| Seite | Änderung | In der Vorschau |", "|---|---|---|"]
        for page in report.pages:
            what = page.status + (": " + "; ".join(md(d) for d in page.details) if page.details else "")
            lines.append(f"| {md(page.title)} (`{page.rel_path}`) | {what} | {render_links(report, page)} |")
    if report.ui_texts:
        files = ", ".join(f"{language_label(code)} (`data/ui/{code}.yml`)" for code in report.ui_texts)
        lines += ([""] if report.pages else []) + [
            f"Die Texte der Website (Hinweise, Fußzeile) ändern sich auf {files}: das betrifft alle Seiten "
            + ("dieser Sprache." if len(report.ui_texts) == 1 else "dieser Sprachen.")]
    return lines


def render_translations(report: Report) -> list[str]:
    lines = ["### Übersetzungen", ""]
    if not report.translations:
        new_pages = [page for page in report.pages if page.status == "neu"]
        lines.append("Der Stand der Übersetzungen ändert sich nicht." if not new_pages else
                     "Der Stand der vorhandenen Übersetzungen ändert sich nicht.")
    groups: dict[str, dict[str, list[TranslationChange]]] = {}
    for item in report.translations:
        groups.setdefault(item.change, {}).setdefault(item.rel_path, []).append(item)
    for change, label in TRANSLATION_CHANGES.items():
        if change not in groups:
            continue
        lines.append(f"- **{label}:**")
        for rel_path, items in groups[change].items():
            codes = ", ".join(language_label(item.code) for item in items)
            lines.append(f"  - {md(items[0].title)} (`{rel_path}`): {codes}")
    for page in report.pages:
        if page.status == "neu" and page.languages == (SOURCE_LANGUAGE,):
            lines.append(f"- Neue Seite {md(page.title)} (`{page.rel_path}`): noch in keiner anderen Sprache; "
                         "dort erscheint der deutsche Text mit einem Hinweis.")
    if "outdated" in groups:
        lines += ["", "War die Änderung am deutschen Text nur klein (z. B. ein Tippfehler), bleiben die Übersetzungen "
                      "aktuell mit: " + ", ".join(f"`python scripts/translations.py minor {rel} --since {report.base}`"
                                                  for rel in groups["outdated"])]
    return lines


def render_documents(report: Report) -> list[str]:
    lines = ["### Dokumente", ""]
    if not report.documents:
        lines.append("Keine Dokumente hinzugefügt oder entfernt.")
        return lines
    for item in report.documents:
        title = f" – {md(item.title)}" if item.title else ""
        lines.append(f"- **{item.change}:** `{item.name}`{title} (`{item.source}`)")
    return lines


def render_screenshots(report: Report) -> list[str]:
    if not report.screenshots:
        return []
    lines = ["### Bildschirmfotos (Handy, 360 px breit)", ""]
    codes = list(dict.fromkeys(shot.code for shot in report.screenshots))
    titles = {page.rel_path: page.title for page in report.pages}
    by_page: dict[str, dict[str, Screenshot]] = {}
    for shot in report.screenshots:
        by_page.setdefault(shot.rel_path, {})[shot.code] = shot
    if not report.screenshots_url:
        where = f" in `{report.screenshots_dir}`" if report.screenshots_dir else ""
        lines.append(f"Dateien{where}: " + ", ".join(f"`{shot.file}`" for shot in report.screenshots))
        return lines
    lines += ["| Seite | " + " | ".join(language_label(code) for code in codes) + " |",
              "|---" * (len(codes) + 1) + "|"]
    for rel_path, shots in by_page.items():
        cells = []
        for code in codes:
            shot = shots.get(code)
            if shot is None:
                cells.append("–")
                continue
            url = preview_link(report.screenshots_url, shot.file)
            alt = f"{titles.get(rel_path, rel_path)}, {language_label(code)}, Handy-Breite"
            alt = alt.replace('"', "'").replace("<", "").replace(">", "")
            cells.append(f'<a href="{url}"><img src="{url}" width="180" alt="{alt}"></a>')
        lines.append(f"| {md(titles.get(rel_path, rel_path))} | " + " | ".join(cells) + " |")
    return lines


def render_other_files(report: Report) -> list[str]:
    if not report.other_files:
        return []
    shown = report.other_files[:MAX_LISTED_FILES]
    more = len(report.other_files) - len(shown)
    lines = ["### Technische Änderungen", "",
             "Diese Dateien gehören nicht zu den Inhalten; sie können jede Seite betreffen (prüft das Web-Team):", ""]
    lines += [f"- `{name}`" for name in shown]
    if more:
        lines.append(f"- … und {more} weitere")
    return lines


def render_report(report: Report) -> str:
    """The whole report as GitHub Markdown (German)."""
    lines = ["## Vorschau und Bericht zu dieser Änderung", ""]
    if report.preview_url:
        lines.append(f"**Vorschau:** {report.preview_url} – noch nicht veröffentlicht. Sie wird bei jedem Push "
                     "aktualisiert und gelöscht, wenn der Pull Request geschlossen wird.")
    elif not report.check.ok:
        lines.append("**Keine neue Vorschau:** Die Website wird erst wieder gebaut, wenn die Prüfung keine Fehler mehr findet.")
    else:
        lines.append(f"**Vorschau:** {md(report.no_preview_note) if report.no_preview_note else 'keine Adresse (lokal: `make serve`).'}")
    lines += ["", f"Verglichen mit dem Stand `{report.base}`.", ""]
    for section in (render_check(report.check), render_pages(report), render_translations(report),
                    render_documents(report), render_screenshots(report), render_other_files(report)):
        if section:
            lines += section + [""]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------- collecting the facts

def git(root: Path, *args: str, binary: bool = False):
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=not binary)
    if result.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {(result.stderr if not binary else result.stderr.decode()).strip()}")
    return result.stdout


def resolve_base(root: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"„{rev}“ ist kein Git-Stand.")
    try:
        git(root, "rev-parse", "--is-inside-work-tree")
    except (UsageError, FileNotFoundError):
        raise UsageError(f"{root} ist kein Git-Arbeitsverzeichnis (git fehlt oder kein Repository).") from None
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except UsageError:
        raise UsageError(f"Den Git-Stand „{rev}“ gibt es nicht. Beispiele: main, origin/main, HEAD~1, eine Commit-Kennung.") from None


def extract_snapshot(root: Path, commit: str, target: Path) -> Path:
    """docs/, data/ and mkdocs.yml of ``commit`` in ``target`` (from git archive; nothing is checked out)."""
    data = git(root, "archive", "--format=tar", commit, binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = [m for m in archive.getmembers()
                   if (m.isfile() or m.isdir()) and PurePosixPath(m.name).parts[:1] and PurePosixPath(m.name).parts[0] in SNAPSHOT_PARTS]
        archive.extractall(target, members=members, filter="data")
    return target


def changed_files(root: Path, commit: str) -> list[str]:
    """Paths that differ between ``commit`` and the working tree, untracked files included."""
    names = git(root, "diff", "--name-only", "--no-renames", commit, "--").splitlines()
    names += git(root, "ls-files", "--others", "--exclude-standard").splitlines()
    return sorted(set(name for name in names if name))


def read_bytes(site: Site, rel: str) -> bytes | None:
    path = site.root / rel
    return path.read_bytes() if path.is_file() else None


def german_title(site: Site, rel_path: str) -> str:
    try:
        return str(site.page(SOURCE_LANGUAGE, rel_path).meta.get("title") or rel_path)
    except (ContentError, KeyError):
        return rel_path


def placeholder_pages(site: Site, names: set[str]) -> list[str]:
    """German pages (and pages whose translation) contain one of the placeholders ``names``."""
    found = []
    for rel_path in site.source_pages:
        for code in site.codes:
            path = site.pages(code).get(rel_path)
            if path and any(m.group("name") in names for m in PLACEHOLDER.finditer(path.read_text(encoding="utf-8", errors="replace"))):
                found.append(rel_path)
                break
    return found


def changed_contacts(base: Site, head: Site) -> set[str] | None:
    """Ids of contacts that differ; None if either file cannot be read (then every contact counts)."""
    from sitekit.data import load_contacts

    try:
        before = load_contacts(base.data_dir / "contacts.yml", "data/contacts.yml")
        after = load_contacts(head.data_dir / "contacts.yml", "data/contacts.yml")
    except (ContentError, OSError):
        return None
    return {key for key in set(before) | set(after) if before.get(key) != after.get(key)}


def contact_pages(site: Site, ids: set[str]) -> list[str]:
    found = []
    for rel_path in site.source_pages:
        for code in site.codes:
            path = site.pages(code).get(rel_path)
            if path and any(m.group("name") in DATA_PLACEHOLDERS["data/contacts.yml"] and m.group("arg") in ids
                            for m in PLACEHOLDER.finditer(path.read_text(encoding="utf-8", errors="replace"))):
                found.append(rel_path)
                break
    return found


def compare_pages(base: Site, head: Site) -> tuple[list[PageChange], list[str]]:
    """Changed pages (text, translation, data) and the languages whose UI texts changed."""
    codes = list(dict.fromkeys([*head.codes, *base.codes]))
    rel_paths = sorted(set(base.source_pages) | set(head.source_pages))
    details: dict[str, list[str]] = {}
    status: dict[str, str] = {}
    for rel_path in rel_paths:
        for code in codes:
            before = base.pages(code).get(rel_path) if code in base.codes else None
            after = head.pages(code).get(rel_path) if code in head.codes else None
            if before is None and after is None:
                continue
            if before is not None and after is not None and before.read_bytes() == after.read_bytes():
                continue
            if code == SOURCE_LANGUAGE:
                status[rel_path] = "neu" if before is None else "gelöscht" if after is None else "geändert"
                if status[rel_path] == "geändert":
                    details.setdefault(rel_path, []).insert(0, "deutscher Text")
                continue
            what = "neu" if before is None else "gelöscht" if after is None else "geändert"
            details.setdefault(rel_path, []).append(f"Übersetzung {language_label(code)} {what}")
            status.setdefault(rel_path, "geändert")
    for rel_path in [r for r in status if status[r] in ("neu", "gelöscht")]:
        details[rel_path] = [d for d in details.get(rel_path, []) if status[rel_path] != "gelöscht"]
    # Data files and what they feed.
    data_reasons: dict[str, list[str]] = {}
    for name, placeholders in DATA_PLACEHOLDERS.items():
        if read_bytes(base, name) == read_bytes(head, name):
            continue
        if name == "data/contacts.yml":
            ids = changed_contacts(base, head)
            pages = placeholder_pages(head, placeholders) if ids is None else contact_pages(head, ids)
            reason = "Kontaktdaten (data/contacts.yml)" if ids is None else \
                "Kontaktdaten " + ", ".join(sorted(ids)) + " (data/contacts.yml)"
        else:
            pages = placeholder_pages(head, placeholders)
            reason = f"Daten aus {name}"
        for rel_path in pages:
            data_reasons.setdefault(rel_path, []).append(reason)
    documents_changed = _document_files(base) != _document_files(head)
    if documents_changed:
        for rel_path in placeholder_pages(head, {"dokumente"}):
            data_reasons.setdefault(rel_path, []).append(f"Dateien in {DOCUMENTS_FOLDER}")
    if any(is_offer_path(rel) and (status[rel] != "geändert" or _card_changed(base, head, rel)) for rel in status):
        for rel_path in placeholder_pages(head, {"angebote"}):
            data_reasons.setdefault(rel_path, []).append("Karten der Angebote")
    for rel_path, reasons in data_reasons.items():
        if status.get(rel_path) in ("neu", "gelöscht"):
            continue
        status.setdefault(rel_path, "geändert")
        for reason in dict.fromkeys(reasons):
            details.setdefault(rel_path, []).append(reason)
    changes = []
    for rel_path in sorted(status, key=lambda r: ({"neu": 0, "geändert": 1, "gelöscht": 2}[status[r]], r)):
        site = base if status[rel_path] == "gelöscht" else head
        languages = tuple(code for code in head.codes if head.has_page(code, rel_path)) if status[rel_path] != "gelöscht" else ()
        if languages and languages[0] != SOURCE_LANGUAGE:
            languages = (SOURCE_LANGUAGE, *[c for c in languages if c != SOURCE_LANGUAGE])
        changes.append(PageChange(rel_path, german_title(site, rel_path), status[rel_path],
                                  tuple(details.get(rel_path, [])), languages))
    ui_texts = [code for code in head.codes
                if read_bytes(base, f"data/ui/{code}.yml") != read_bytes(head, f"data/ui/{code}.yml")]
    return changes, ui_texts


CARD_FIELDS = ("title", "summary", "icon", "order")


def _card_changed(base: Site, head: Site, rel_path: str) -> bool:
    """Whether an offer page's card on the overview changes (title, summary, icon, order in any language)."""
    def card(site: Site, code: str):
        try:
            meta = site.page_meta(code, rel_path)
        except (ContentError, KeyError):
            return None
        return tuple(str(meta.get(key)) for key in CARD_FIELDS)
    return any(card(base, code) != card(head, code) for code in head.codes)


def _document_files(site: Site) -> dict[str, bytes]:
    folder = site.root / DOCUMENTS_FOLDER
    if not folder.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def compare_translations(base: Site, head: Site) -> list[TranslationChange]:
    changes = []
    base_states, head_states = base.translation_states, head.translation_states
    for rel_path in head.source_pages:
        if not base.has_page(SOURCE_LANGUAGE, rel_path):
            continue  # a new page: said with the page
        german_changed = read_bytes(base, f"docs/{SOURCE_LANGUAGE}/{rel_path}") != read_bytes(head, f"docs/{SOURCE_LANGUAGE}/{rel_path}")
        title = german_title(head, rel_path)
        for code in head.codes:
            if code == SOURCE_LANGUAGE:
                continue
            after = head_states.status(rel_path, code)
            before = base_states.status(rel_path, code) if code in base.codes else None
            was_missing = before is None or before.missing
            change = None
            if after.missing and not was_missing:
                change = "removed"
            elif after.missing:
                continue
            elif was_missing:
                change = "added"
            elif after.outdated and not before.outdated:
                change = "outdated"
            elif before.outdated and not after.outdated:
                change = "current"
            elif before.machine and not after.machine:
                change = "reviewed"
            elif german_changed:
                change = "still_outdated" if after.outdated else "kept"
            if change:
                changes.append(TranslationChange(rel_path, title, code, change))
    return changes


def compare_documents(base: Site, head: Site) -> list[DocumentChange]:
    from sitekit.documents import load_manifest

    def entries(site: Site):
        try:
            return {entry.id: entry for entry in load_manifest(site.data_dir / "documents.yml", "data/documents.yml").entries}
        except (ContentError, OSError):
            return None

    changes = []
    before, after = entries(base), entries(head)
    if before is not None and after is not None:
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            entry = new or old
            title = entry.title.get(SOURCE_LANGUAGE, "") if entry.title else ""
            if old is None:
                changes.append(DocumentChange("hinzugefügt", key, title, "data/documents.yml"))
            elif new is None:
                changes.append(DocumentChange("entfernt", key, title, "data/documents.yml"))
            elif old != new:
                changes.append(DocumentChange("geändert", key, title, "data/documents.yml"))
    files_before, files_after = _document_files(base), _document_files(head)
    for name in sorted(set(files_before) | set(files_after)):
        old, new = files_before.get(name), files_after.get(name)
        if old != new:
            change = "hinzugefügt" if old is None else "entfernt" if new is None else "geändert"
            changes.append(DocumentChange(change, name, "", DOCUMENTS_FOLDER + name))
    return changes


def run_check(site: Site) -> tuple[str, ...]:
    from sitekit.checks import check_all

    try:
        errors, _ = check_all(site)
    except ContentError as error:
        errors = [error]
    return tuple(error.message for error in errors)


def load_site(root: Path) -> Site | None:
    try:
        site = Site.load(root)
    except (ContentError, OSError, KeyError, TypeError, ValueError):
        return None
    return site


def other_files(names: list[str], root: Path | None = None, outputs: list[Path | None] = ()) -> list[str]:
    """Changed files that are not content (pages, data, documents), without this run's own output folders."""
    skip = []
    for folder in outputs:
        if folder is not None and root is not None:
            try:
                skip.append(Path(folder).resolve().relative_to(root.resolve()).as_posix().rstrip("/") + "/")
            except ValueError:
                pass
    return [name for name in names if not name.startswith(("docs/de/", "docs/assets/dokumente/", "data/", *skip))
            and not (name.startswith("docs/") and name.endswith(".md"))]


# ---------------------------------------------------------------------------- screenshots

def screenshot_name(code: str, rel_path: str) -> str:
    stem = PurePosixPath(rel_path).with_suffix("").as_posix()
    if stem == "index":
        stem = "start"
    elif stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return f"{code}-{stem.replace('/', '-')}.png"


def take_screenshots(site_dir: Path, out: Path, targets: list[tuple[str, str, str]]) -> list[Screenshot]:
    """targets: (rel_path, code, path below the site root). PNGs at phone width into ``out``."""
    from sitekit.browser import launch_chromium, serve_directory

    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with serve_directory(site_dir) as base_url, launch_chromium() as browser:
        context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, is_mobile=True, has_touch=True)
        page = context.new_page()
        for rel_path, code, site_path in targets:
            page.goto(base_url + site_path)
            page.wait_for_load_state("networkidle")
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_SCREENSHOT_HEIGHT)
            name = screenshot_name(code, rel_path)
            page.screenshot(path=str(out / name), full_page=True,
                            clip={"x": 0, "y": 0, "width": PHONE[0], "height": max(height, PHONE[1])})
            shots.append(Screenshot(rel_path, code, name))
        context.close()
    return shots


# ---------------------------------------------------------------------------- the command

def collect(root: Path, base_rev: str, preview_url: str | None = None, site_dir: Path | None = None,
            screenshots_dir: Path | None = None, screenshots_url: str | None = None) -> Report:
    commit = resolve_base(root, base_rev)
    head = load_site(root)
    if head is None:
        raise UsageError(f"{root}/mkdocs.yml lässt sich nicht lesen.")
    with tempfile.TemporaryDirectory(prefix="pr-report-") as temp:
        base_root = extract_snapshot(root, commit, Path(temp))
        base = load_site(base_root) or Site(root=base_root, languages=head.languages, docs_dir=base_root / "docs")
        head_errors, base_errors = run_check(head), run_check(base)
        check = CheckResult(head_errors, frozenset(set(head_errors) - set(base_errors)), len(head.codes))
        pages, ui_texts = compare_pages(base, head)
        report = Report(base=commit[:10], check=check, pages=pages, ui_texts=ui_texts,
                        translations=compare_translations(base, head), documents=compare_documents(base, head),
                        other_files=other_files(changed_files(root, commit), root, [site_dir, screenshots_dir]),
                        languages=tuple(head.codes),
                        preview_url=preview_url, screenshots_url=screenshots_url)
    report.site_paths = {(code, page.rel_path): head.site_path(code, page.rel_path)
                         for page in pages for code in page.languages}
    if site_dir is not None and screenshots_dir is not None:
        rtl = next((code for code in head.codes if text_direction(code) == "rtl"), None)
        codes = [SOURCE_LANGUAGE] + ([rtl] if rtl else [])
        shown = [page for page in pages if page.status != "gelöscht"][:MAX_SCREENSHOT_PAGES]
        targets = [(page.rel_path, code, head.site_path(code, page.rel_path)) for page in shown for code in codes]
        report.screenshots = take_screenshots(site_dir, screenshots_dir, targets)
        report.screenshots_dir = str(screenshots_dir)
    return report


def http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"„{value}“ ist keine Adresse mit http:// oder https://")
    return value if value.endswith("/") else value + "/"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="Git-Stand vor der Änderung, z. B. origin/main")
    parser.add_argument("--preview-url", type=http_url, help="Adresse der Vorschau (die Links im Bericht führen dorthin)")
    parser.add_argument("--site", type=Path, help="gebaute Website (für die Bildschirmfotos), z. B. site")
    parser.add_argument("--screenshots", type=Path, help="Ordner für die Bildschirmfotos (braucht --site)")
    parser.add_argument("--screenshots-url", type=http_url, help="Adresse, unter der der Ordner --screenshots erscheint")
    parser.add_argument("--no-preview-note", help="Satz statt der Vorschau-Adresse, wenn es keine gibt (z. B. bei Forks)")
    parser.add_argument("--output", type=Path, help="Bericht in diese Datei schreiben (sonst: Ausgabe)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.screenshots and not args.site:
            raise UsageError("--screenshots braucht --site (die gebaute Website, z. B. nach `make build`: --site site).")
        if args.site and not (args.site / "index.html").is_file():
            raise UsageError(f"{args.site}/index.html fehlt: zuerst die Website bauen (make build).")
        report = collect(REPOSITORY, args.base, args.preview_url, args.site, args.screenshots, args.screenshots_url)
        report.no_preview_note = args.no_preview_note
    except UsageError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    text = render_report(report)
    if args.output:
        write_text_atomically(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
