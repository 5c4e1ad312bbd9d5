"""The glossary (data/glossary.yml): one approved rendering per key German term and language.

Each term has, per language, the approved ``term``, ``match`` patterns that find it in
text (``*`` stands for the letters of an inflected ending or a prefix such as Arabic
"ال"), and an ``explanation`` for readers (the lexicon page). ``keep_german: true``
means the German word follows the rendering in brackets at its first use on a page.

The translation check reports, per translated text, every term the German source uses
whose approved rendering the translation lacks.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ContentError
from .fields import LANGUAGE_CODE, bool_field, list_field, plain_text, require_mapping, slug_field, unknown_fields
from .languages import SOURCE_LANGUAGE
from .yamlfile import load_yaml

if TYPE_CHECKING:
    from .site import Site

APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})
_APOSTROPHE_VARIANTS = re.compile("[’ʼ`]")


def _unify_apostrophes(text: str) -> str:
    # str.translate looks up every character; most texts have none of these
    return text.translate(APOSTROPHES) if _APOSTROPHE_VARIANTS.search(text) else text


@dataclass(frozen=True)
class Rendering:
    term: str
    match: tuple[str, ...]
    explanation: str
    line: int | None = None

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        return compile_patterns(self.match or (self.term,))

    def found_in(self, text: str) -> bool:
        return self.found_in_normalized(_unify_apostrophes(text))

    def found_in_normalized(self, text: str) -> bool:
        """``text`` with apostrophes already unified (once per text, not once per term)."""
        return bool(self.pattern.search(text))


@dataclass(frozen=True)
class Term:
    id: str
    keep_german: bool
    renderings: dict[str, Rendering] = field(default_factory=dict)
    line: int | None = None

    @property
    def german(self) -> Rendering:
        return self.renderings[SOURCE_LANGUAGE]


def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern:
    """``*`` = letters (word characters) of an ending or prefix; otherwise whole words, any case."""
    parts = []
    for pattern in patterns:
        text = pattern.translate(APOSTROPHES).strip()
        body = r"\w*".join(re.escape(piece) for piece in text.split("*"))
        start = "" if text.startswith("*") else r"(?<!\w)"
        end = "" if text.endswith("*") else r"(?!\w)"
        parts.append(f"{start}{body}{end}")
    return re.compile("|".join(parts), re.IGNORECASE)


def load_glossary(site: "Site") -> list[Term]:
    path = site.data_dir / "glossary.yml"
    name = site.display(path)
    if not path.is_file():
        return []
    data = require_mapping(load_yaml(path, name) or {}, name, "Die Datei")
    unknown_fields(data, {"terms"}, name)
    terms, seen = [], set()
    for raw in list_field(data, "terms", name, optional=True):
        raw = require_mapping(raw, name, "Jeder Begriff unter „terms:“")
        term_id = slug_field(raw, "id", name)
        if term_id in seen:
            raise ContentError(name, f"Der Begriff „{term_id}“ kommt zweimal vor.", "Geben Sie jedem Begriff eine eigene Kennung.",
                               raw.line_of("id"), "id")
        seen.add(term_id)
        renderings = {}
        for key, value in raw.items():
            if key in ("id", "keep_german"):
                continue
            if not LANGUAGE_CODE.fullmatch(key):
                raise ContentError(name, f"„{key}“ ist weder ein Feld noch ein Sprachkürzel.",
                                   "Erlaubt: id, keep_german und je Sprache ein Abschnitt (de:, en:, …).", raw.line_of(key), key)
            renderings[key] = _rendering(value, name, raw.line_of(key), f"{term_id}.{key}")
        if SOURCE_LANGUAGE not in renderings:
            raise ContentError(name, f"Dem Begriff „{term_id}“ fehlt der deutsche Abschnitt „de:“.",
                               "Ergänzen Sie „de:“ mit term, match und explanation.", raw.line, "de")
        terms.append(Term(term_id, bool(bool_field(raw, "keep_german", name)), renderings, raw.line))
    return terms


def _rendering(value, name: str, line: int | None, where: str) -> Rendering:
    value = require_mapping(value, name, f"„{where}“", line)
    unknown_fields(value, {"term", "match", "explanation"}, name)
    term = plain_text(value.get("term"), name, value.line_of("term"), f"{where}.term")
    patterns = tuple(plain_text(p, name, value.line_of("match"), f"{where}.match")
                     for p in list_field(value, "match", name, optional=True))
    if any(not pattern.strip("* ") for pattern in patterns):
        raise ContentError(name, "Ein Suchmuster besteht nur aus * oder ist leer.", "Schreiben Sie das Wort, * nur für Endungen.",
                           value.line_of("match"), f"{where}.match")
    explanation = plain_text(value.get("explanation", ""), name, value.line_of("explanation"), f"{where}.explanation") \
        if value.get("explanation") else ""
    rendering = Rendering(term, patterns, explanation, line)
    if not rendering.found_in(term):
        raise ContentError(name, f"Die Suchmuster von „{where}“ finden das Wort „{term}“ selbst nicht.",
                           "Passen Sie „match:“ an (mit * für Endungen).", value.line_of("match"), f"{where}.match")
    return rendering


def missing_terms(terms: list[Term], german_text: str, translated_text: str, code: str,
                  check_brackets: bool = True) -> list[str]:
    """German-language descriptions of each glossary term the translation does not render as approved."""
    findings = []
    translated_text = _unify_apostrophes(translated_text)
    in_german = _found_in(tuple(term.german for term in terms), german_text)
    for term, found in zip(terms, in_german):
        own = term.renderings.get(code)
        if own is None or not found:
            continue
        if not own.found_in_normalized(translated_text):
            findings.append(f"Der Begriff „{term.german.term}“ steht im Original; die Übersetzung verwendet nicht "
                            f"„{own.term}“ (Glossar, data/glossary.yml)")
        elif check_brackets and term.keep_german and code != SOURCE_LANGUAGE and not term.german.found_in_normalized(translated_text):
            findings.append(f"Nach „{own.term}“ fehlt einmal das deutsche Wort in Klammern: „{own.term} ({term.german.term})“")
    return findings


@functools.lru_cache(maxsize=4096)  # every German text of a large site: the check compares it 12 times
def _found_in(renderings: tuple[Rendering, ...], text: str) -> tuple[bool, ...]:
    """Which renderings ``text`` uses; cached because every language compares with the same German text."""
    text = _unify_apostrophes(text)
    return tuple(rendering.found_in_normalized(text) for rendering in renderings)
