"""Compare a translation with its German source: same structure, same facts.

Translators may change every word, but not: the number of headings per level, the
link targets, e-mail addresses, phone numbers and years. Digits are normalised, so
Arabic-Indic and Persian digits count like 0-9.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from . import placeholders
from .errors import ContentError
from .languages import SOURCE_LANGUAGE

if TYPE_CHECKING:
    from .site import Site

# Arabic-Indic (U+0660..) and Extended Arabic-Indic/Persian (U+06F0..) digits -> ASCII
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
HEADING = re.compile(r"^(#{1,6})\s+\S", re.M)
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?:\+|\b0)\d[\d /-]{5,}\d")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def facts(markdown: str) -> dict[str, Counter]:
    text = FENCE.sub("", markdown).translate(DIGITS)
    # Anchors (#…) differ between languages: headings are translated. The check of each
    # page makes sure an anchor exists in the target page of the same language.
    links = [target.split("#")[0] or target for target in MARKDOWN_LINK.findall(text) + HTML_LINK.findall(text)]
    return {
        "headings": Counter(len(h) for h in HEADING.findall(text)),
        "links": Counter(links),
        "emails": Counter(e.lower() for e in EMAIL.findall(text)),
        "phones": Counter(re.sub(r"\D", "", p) for p in PHONE.findall(text)),
        "years": Counter(YEAR.findall(text)),
        "placeholders": Counter(placeholders.normalised(text)),
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


def check_translations(site: "Site") -> list[ContentError]:
    """Compare every current translation with its German page (outdated ones differ on purpose)."""
    errors: list[ContentError] = []
    states = site.translation_states
    for code in site.codes:
        if code == SOURCE_LANGUAGE:
            continue
        for rel_path in site.pages(code):
            if not site.has_page(SOURCE_LANGUAGE, rel_path) or states.status(rel_path, code).outdated:
                continue
            try:
                page = site.page(code, rel_path)
                errors += compare(site.page(SOURCE_LANGUAGE, rel_path).body, page.body, page.display)
            except ContentError as error:
                errors.append(error)
    return errors
