"""Compare a translation with its German source: same structure, same facts.

Translators may change every word, but not: the number of headings per level, the
link targets, e-mail addresses, phone numbers and years. Digits are normalised, so
Arabic-Indic and Persian digits count like 0-9.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .checks import MARKDOWN_LINK
from .errors import ContentError
from .fields import DEFAULT_LANGUAGE
from .pages import DOCS_DIR, display_path, language_pages, read_page
from .translation import status_of

# Arabic-Indic (U+0660..) and Extended Arabic-Indic/Persian (U+06F0..) digits -> ASCII
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
HEADING = re.compile(r"^(#{1,6})\s+\S", re.M)
HTML_LINK = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?:\+|\b0)\d[\d /-]{5,}\d")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
PLACEHOLDER = re.compile(r"<!--\s*daten:[^>]*-->")


def facts(markdown: str) -> dict[str, Counter]:
    text = FENCE.sub("", markdown).translate(DIGITS)
    links = [target for target in MARKDOWN_LINK.findall(text) + HTML_LINK.findall(text)]
    return {
        "headings": Counter(len(h) for h in HEADING.findall(text)),
        "links": Counter(links),
        "emails": Counter(e.lower() for e in EMAIL.findall(text)),
        "phones": Counter(re.sub(r"\D", "", p) for p in PHONE.findall(text)),
        "years": Counter(YEAR.findall(text)),
        "placeholders": Counter(p.replace(" ", "") for p in PLACEHOLDER.findall(text)),
    }


LABELS = {
    "headings": ("Überschriften", "Die Übersetzung braucht dieselben Überschriften (#, ##, ###) wie das deutsche Original."),
    "links": ("Links", "Übernehmen Sie die Linkziele in runden Klammern unverändert aus dem Original."),
    "emails": ("E-Mail-Adressen", "Übernehmen Sie E-Mail-Adressen unverändert aus dem Original."),
    "phones": ("Telefonnummern", "Übernehmen Sie Telefonnummern unverändert aus dem Original."),
    "years": ("Jahreszahlen", "Übernehmen Sie Jahreszahlen aus dem Original; es zählen nur die Ziffern."),
    "placeholders": ("Platzhalter", "Übernehmen Sie Zeilen wie <!-- daten: links --> unverändert."),
}


def _describe(kind: str, german: Counter, translated: Counter) -> str:
    if kind == "headings":
        show = lambda c: ", ".join(f"{n}× {'#' * level}" for level, n in sorted(c.items())) or "keine"
        return f"Original: {show(german)}; Übersetzung: {show(translated)}"
    missing = list((german - translated).elements())
    extra = list((translated - german).elements())
    parts = []
    if missing:
        parts.append(f"fehlt: {', '.join(map(str, missing))}")
    if extra:
        parts.append(f"zusätzlich: {', '.join(map(str, extra))}")
    return "; ".join(parts)


def compare(german_markdown: str, translated_markdown: str, file: str) -> list[ContentError]:
    source, target = facts(german_markdown), facts(translated_markdown)
    errors = []
    for kind, (label, hint) in LABELS.items():
        if source[kind] != target[kind]:
            errors.append(ContentError(file, f"{label} weichen vom deutschen Original ab ({_describe(kind, source[kind], target[kind])}).", hint))
    return errors


def check_translations(languages: list[str], docs_dir: Path = DOCS_DIR) -> list[ContentError]:
    german = language_pages(DEFAULT_LANGUAGE, docs_dir)
    errors: list[ContentError] = []
    for code in languages:
        if code == DEFAULT_LANGUAGE:
            continue
        for rel_path, path in language_pages(code, docs_dir).items():
            if rel_path in german:
                # An outdated translation differs on purpose; readers see the "outdated" notice.
                if status_of(rel_path, code, docs_dir).outdated:
                    continue
                try:
                    errors += compare(read_page(german[rel_path], docs_dir).body, read_page(path, docs_dir).body,
                                      display_path(path))
                except ContentError as error:
                    errors.append(error)
    return errors
