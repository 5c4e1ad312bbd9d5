"""All content checks, used by the build (before anything is written) and by
``scripts/check_content.py``. Each finding is a ContentError in German."""

from __future__ import annotations

import re
from pathlib import Path

from . import data, documents
from .errors import ContentError
from .fields import DEFAULT_LANGUAGE
from .pages import DOCS_DIR, check_page, display_path, language_pages, read_page
from .strings import STRINGS_DIR, check_strings

PLACEHOLDER = re.compile(r"<!--\s*daten:\s*(?P<name>[a-z]+)(?:\s+(?P<arg>[a-z0-9-]+))?\s*-->")
PLACEHOLDER_LIKE = re.compile(r"<!--[^>]*\bdaten\b[^>]*-->", re.I)
PLACEHOLDERS = {"angebote": False, "links": False, "dokumente": False, "kontakt": True}  # name -> needs argument


def placeholders(body: str, file: str, contacts: dict, first_line: int = 1) -> list[tuple[int, int, str, str | None]]:
    """(start, end, name, argument) of each data placeholder; unknown ones raise ContentError."""
    found = []
    for match in PLACEHOLDER_LIKE.finditer(body):
        line = first_line + body.count("\n", 0, match.start())
        exact = PLACEHOLDER.fullmatch(match.group(0))
        known = ", ".join(f"<!-- daten: {name}{' ID' if arg else ''} -->" for name, arg in PLACEHOLDERS.items())
        if not exact or exact.group("name") not in PLACEHOLDERS:
            raise ContentError(file, f"Der Platzhalter „{match.group(0)}“ ist unbekannt.", f"Erlaubt sind: {known}.", line)
        name, arg = exact.group("name"), exact.group("arg")
        if PLACEHOLDERS[name] and not arg:
            raise ContentError(file, f"Dem Platzhalter „{match.group(0)}“ fehlt die Kennung.",
                               f"Schreiben Sie z. B. „<!-- daten: {name} integration -->“.", line)
        if name == "kontakt" and arg not in contacts:
            raise ContentError(file, f"Den Kontakt „{arg}“ gibt es nicht in data/contacts.yml.",
                               f"Vorhandene Kennungen: {', '.join(contacts) or 'keine'}.", line)
        found.append((match.start(), match.end(), name, arg))
    return found


SAFE_PAGE_PATH = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*\.md")
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def broken_page_links(body: str, rel_path: str, language: str, file: str, docs_dir: Path,
                      first_line: int = 1) -> list[ContentError]:
    """Relative links to pages or files that do not exist (in this language or in German)."""
    from posixpath import dirname, join, normpath
    errors = []
    for match in MARKDOWN_LINK.finditer(body):
        target = match.group(1).split("#")[0]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
            continue
        resolved = normpath(join(dirname(rel_path), target))
        candidates = [docs_dir / language / resolved, docs_dir / DEFAULT_LANGUAGE / resolved, docs_dir / resolved]
        if resolved.startswith("..") or not any(candidate.is_file() for candidate in candidates):
            line = first_line + body.count("\n", 0, match.start())
            errors.append(ContentError(file, f"Der Link „{match.group(1)}“ führt zu keiner vorhandenen Seite.",
                                       "Prüfen Sie den Dateinamen (mit .md) und den Ordner; Links zu anderen Websites "
                                       "beginnen mit https://.", line))
    return errors


def check_data() -> tuple[list[ContentError], dict]:
    """Load every data file; returns the errors and what could be loaded."""
    errors: list[ContentError] = []
    loaded: dict = {}
    for key, loader in (("links", data.load_links), ("contacts", data.load_contacts),
                        ("documents", documents.load_manifest)):
        try:
            loaded[key] = loader()
        except ContentError as error:
            errors.append(error)
    if "documents" in loaded:
        try:
            loaded["document_states"] = documents.load_state(loaded["documents"].state_path)
        except ContentError as error:
            errors.append(error)
    return errors, loaded


def check_pages(languages: list[str], contacts: dict, docs_dir: Path = DOCS_DIR) -> list[ContentError]:
    errors: list[ContentError] = []
    german = language_pages(DEFAULT_LANGUAGE, docs_dir)
    for code in languages:
        for rel_path, path in language_pages(code, docs_dir).items():
            name = display_path(path)
            try:
                if not SAFE_PAGE_PATH.fullmatch(rel_path):
                    raise ContentError(name, "Der Dateiname ist für eine Internetadresse nicht geeignet.",
                                       "Verwenden Sie nur Kleinbuchstaben a–z, Ziffern und Bindestriche, "
                                       "z. B. „sprach-cafe.md“ (ä → ae, ö → oe, ü → ue, ß → ss).")
                page = read_page(path, docs_dir)
                check_page(page)
                if code != DEFAULT_LANGUAGE and rel_path not in german:
                    raise ContentError(name, "Zu dieser Übersetzung gibt es keine deutsche Seite.",
                                       f"Benennen Sie die Datei wie die deutsche Seite in docs/{DEFAULT_LANGUAGE}/ oder löschen Sie sie.")
                front_lines = page.path.read_text(encoding="utf-8").count("\n") - page.body.count("\n")
                placeholders(page.body, name, contacts, front_lines + 1)
                errors += broken_page_links(page.body, rel_path, code, name, docs_dir, front_lines + 1)
            except ContentError as error:
                errors.append(error)
    return errors


def check_all(languages: list[str], docs_dir: Path = DOCS_DIR, strings_dir: Path = STRINGS_DIR) -> tuple[list[ContentError], dict]:
    errors, loaded = check_data()
    errors += check_pages(languages, loaded.get("contacts", {}), docs_dir)
    try:
        check_strings(languages, strings_dir)
    except ContentError as error:
        errors.append(error)
    if not errors:  # compare translations only once every page parses
        from .translation_check import check_translations
        errors += check_translations(languages, docs_dir)
    return errors, loaded
