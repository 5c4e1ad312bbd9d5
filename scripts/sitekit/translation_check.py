"""Compare a translation with its German source: same structure, same facts, the same terms.

Translators may change every word, but not: the number of headings per level, the
link targets, e-mail addresses, phone numbers, years and placeholders. Digits are
normalised, so Arabic-Indic and Persian digits count like 0-9. Beyond facts, the
translation uses the glossary's approved terms (data/glossary.yml) and follows its
language's rules (data/languages.yml: number separators, words to flag).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import TYPE_CHECKING

from . import placeholders
from .errors import ContentError
from .glossary import Term, load_glossary, missing_terms
from .language_rules import Rules, load_rules, number_problems, word_problems
from .languages import SOURCE_LANGUAGE

if TYPE_CHECKING:
    from .site import Site

# Arabic-Indic (U+0660..) and Extended Arabic-Indic/Persian (U+06F0..) digits -> ASCII
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
OTHER_DIGITS = re.compile("[٠-٩۰-۹]")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
HEADING = re.compile(r"^(#{1,6})\s+\S", re.M)
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?:\+|\b0)\d[\d /-]{5,}\d")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@functools.lru_cache(maxsize=4096)  # a German page is compared with every language (callers only read)
def facts(markdown: str) -> dict[str, Counter]:
    text = FENCE.sub("", markdown)
    if OTHER_DIGITS.search(text):
        text = text.translate(DIGITS)
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
    """Every difference in facts between a German text and its translation."""
    source, target = facts(german_markdown), facts(translated_markdown)
    errors = []
    for kind, (label, hint) in LABELS.items():
        if source[kind] != target[kind]:
            errors.append(ContentError(file, f"{label} weichen vom deutschen Original ab ({_describe(kind, source[kind], target[kind])}).", hint))
    return errors


def compare_language(german_text: str, translated_text: str, file: str, code: str, terms: list[Term],
                     rules: Rules, file_text="") -> list[ContentError]:
    """Glossary terms not rendered as approved, numbers or words the language's readers read differently.
    ``file_text``: the whole translated file (or a function that reads it, called only for a finding),
    to name the line of a finding."""
    errors = [ContentError(file, finding.rstrip(".") + ".", GLOSSARY_HINT)
              for finding in missing_terms(list(terms), german_text, translated_text, code)]
    language = rules.of(code)
    if language is not None:
        numbers = number_problems(translated_text, language, rules.keep_as_is, german_text, rules.of(SOURCE_LANGUAGE))
        words = word_problems(translated_text, language)
        if (numbers or words) and callable(file_text):
            file_text = file_text()
        for finding in numbers:
            errors.append(ContentError(file, finding.rstrip(".") + ".", NUMBER_HINT, _line_of(file_text, finding)))
        for finding in words:
            errors.append(ContentError(file, f"Sprachform ({language.variant or code}): {finding.rstrip('.')}.", WORD_HINT,
                                       _line_of(file_text, finding)))
    return errors


GLOSSARY_HINT = ("Verwenden Sie die freigegebene Übersetzung aus data/glossary.yml (eine Sache, ein Wort). Ist sie "
                 "falsch, ändern Sie das Glossar – dann gilt es für alle Seiten.")
NUMBER_HINT = "Schreiben Sie die Zahl so, wie Lesende dieser Sprache sie lesen (Regeln: data/languages.yml)."
WORD_HINT = "Ersetzen Sie das Wort (Regeln der Sprachform: data/languages.yml)."


def _line_of(text: str, finding: str) -> int | None:
    """Line of the first quoted token of a finding in the translated file."""
    match = re.search(r"„([^“]+)“", finding)
    index = text.find(match.group(1)) if match and text else -1
    return None if index < 0 else text.count("\n", 0, index) + 1


LINK_TARGETS = re.compile(r"\]\([^)]*\)|<!--.*?-->|\bhref\s*=\s*[\"'][^\"']*[\"']", re.S)


def page_text(page) -> str:
    """What a translator translates on a page: the texts of the front matter and the body, without
    link targets and placeholders (a link to schulung-ehrenamt.md is no use of the word "Ehrenamt")."""
    head = "\n".join(str(page.meta[key]) for key in ("title", "description", "summary") if page.meta.get(key))
    return LINK_TARGETS.sub("]", head + "\n\n" + page.body)


def check_translations(site: "Site") -> list[ContentError]:
    """Compare every current translation with its German page (outdated ones differ on purpose)."""
    errors: list[ContentError] = []
    states = site.translation_states
    terms, rules = load_glossary(site), load_rules(site)
    for code in site.codes:
        if code == SOURCE_LANGUAGE:
            continue
        for rel_path in site.pages(code):
            if not site.has_page(SOURCE_LANGUAGE, rel_path) or states.status(rel_path, code).outdated:
                continue
            try:
                page, german = site.page(code, rel_path), site.page(SOURCE_LANGUAGE, rel_path)
                errors += compare(german.body, page.body, page.display)
                errors += compare_language(page_text(german), page_text(page), page.display, code, terms, rules,
                                           lambda: page.path.read_text(encoding="utf-8"))
            except ContentError as error:
                errors.append(error)
    return errors


def check_short_texts(pairs, terms: list[Term], rules: Rules) -> list[ContentError]:
    """Glossary and rules for short texts: UI strings, site names, data texts.
    ``pairs``: (file, field, language, German text, translated text)."""
    errors = []
    for file, field, code, german, translated in pairs:
        for finding in missing_terms(terms, german, translated, code, check_brackets=False):
            errors.append(ContentError(file, finding + ".", GLOSSARY_HINT, None, field))
        language = rules.of(code)
        if language is not None:
            for finding in number_problems(translated, language, rules.keep_as_is, german, rules.of(SOURCE_LANGUAGE)):
                errors.append(ContentError(file, finding + ".", NUMBER_HINT, None, field))
            for finding in word_problems(translated, language):
                errors.append(ContentError(file, f"Sprachform ({language.variant or code}): {finding}", WORD_HINT, None, field))
    return errors
