"""Rules per language from data/languages.yml: number separators and words to flag.

Numbers: a number with a separator must be written the way readers of the language read
it – German "1.603" is one thousand six hundred and three, but an English or Arabic reader
reads 1.6. Words: variants a language's readers read differently (Iranian words and month
names on Dari pages), or statements that depend on the text direction (the menu side).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ContentError
from .fields import LANGUAGE_CODE, list_field, plain_text, require_mapping, unknown_fields
from .yamlfile import load_yaml

if TYPE_CHECKING:
    from .site import Site

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
NUMBER = re.compile(r"(?<![\d.,٫٬])\d+(?:[.,٫٬]\d+)+(?![\d])")
DATE = re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.(?:\d{2,4})?(?!\d)")
SEPARATOR_NAMES = {".": "Punkt", ",": "Komma", "٫": "arabisches Dezimalzeichen", "٬": "arabisches Tausenderzeichen",
                   " ": "Leerzeichen", "\u00a0": "geschütztes Leerzeichen", "\u202f": "schmales Leerzeichen"}


@dataclass(frozen=True)
class FlagWord:
    pattern: re.Pattern
    word: str
    instead: str
    reason: str


@dataclass(frozen=True)
class LanguageRules:
    code: str
    variant: str = ""
    decimal: tuple[str, ...] = (".",)
    group: tuple[str, ...] = (",",)
    flag_words: tuple[FlagWord, ...] = ()


@dataclass(frozen=True)
class Rules:
    languages: dict[str, LanguageRules] = field(default_factory=dict)
    keep_as_is: tuple[str, ...] = ()   # names with numbers that stay as they are (e.g. WCAG 2.1)
    feedback_contact: str | None = None

    def of(self, code: str) -> LanguageRules | None:
        return self.languages.get(code)


def load_rules(site: "Site") -> Rules:
    path = site.data_dir / "languages.yml"
    name = site.display(path)
    if not path.is_file():
        return Rules()
    data = require_mapping(load_yaml(path, name) or {}, name, "Die Datei")
    unknown_fields(data, {"languages", "keep_as_is", "translation_feedback"}, name)
    keep = tuple(plain_text(item, name, data.line_of("keep_as_is"), "keep_as_is")
                 for item in list_field(data, "keep_as_is", name, optional=True))
    feedback = require_mapping(data.get("translation_feedback") or {}, name, "„translation_feedback“")
    unknown_fields(feedback, {"contact"}, name)
    languages = {}
    raw_languages = require_mapping(data.get("languages") or {}, name, "„languages“", data.line_of("languages"))
    for code, raw in raw_languages.items():
        line = raw_languages.line_of(code)
        if not LANGUAGE_CODE.fullmatch(code):
            raise ContentError(name, f"„{code}“ ist kein Sprachkürzel.", "Verwenden Sie die Kürzel aus mkdocs.yml.", line, code)
        raw = require_mapping(raw or {}, name, f"„{code}“", line)
        unknown_fields(raw, {"variant", "numbers", "flag_words"}, name)
        numbers = require_mapping(raw.get("numbers") or {"decimal": ".", "group": ","}, name, f"„{code}.numbers“",
                                  raw.line_of("numbers"))
        unknown_fields(numbers, {"decimal", "group"}, name)
        words = []
        for item in list_field(raw, "flag_words", name, optional=True):
            item = require_mapping(item, name, f"Jeder Eintrag unter „{code}.flag_words“", raw.line_of("flag_words"))
            unknown_fields(item, {"word", "instead", "reason"}, name)
            word = plain_text(item.get("word"), name, item.line_of("word"), "word")
            words.append(FlagWord(re.compile(r"(?<!\w)" + re.escape(word).replace(r"\*", r"\w*") + r"(?!\w)", re.IGNORECASE),
                                  word.replace("*", ""), str(item.get("instead") or ""), str(item.get("reason") or "")))
        languages[code] = LanguageRules(
            code=code, variant=str(raw.get("variant") or ""),
            decimal=_separators(numbers.get("decimal", ".")), group=_separators(numbers.get("group", ",")),
            flag_words=tuple(words))
    return Rules(languages, keep, str(feedback.get("contact")) if feedback.get("contact") else None)


def _separators(value) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in values)


def _valid_number(rules: LanguageRules) -> re.Pattern:
    decimal = "|".join(re.escape(sep) for sep in rules.decimal)
    group = "|".join(re.escape(sep) for sep in rules.group)
    return re.compile(rf"(?P<int>\d{{1,3}}(?:(?:{group})\d{{3}})+|\d+)(?:(?:{decimal})(?P<fraction>\d+))?")


def number_value(token: str, rules: LanguageRules) -> str | None:
    """What a reader of the language reads in ``token`` ("1.603" -> "1603" in German, "1.603" in English)."""
    match = _valid_number(rules).fullmatch(token)
    if not match:
        return None
    integer = re.sub(r"\D", "", match.group("int"))
    return integer + (f".{match.group('fraction')}" if match.group("fraction") else "")


@functools.lru_cache(maxsize=4096)  # the German text of a page is read once for every language
def _numbers(text: str, keep_as_is: tuple[str, ...]) -> tuple[str, ...]:
    for name in keep_as_is:
        text = text.replace(name, " ")
    return tuple(NUMBER.findall(DATE.sub(" ", text.translate(DIGITS))))


def number_problems(text: str, rules: LanguageRules, keep_as_is: tuple[str, ...] = (),
                    german_text: str = "", german_rules: LanguageRules | None = None) -> list[str]:
    """Numbers written with separators the language's readers read differently – in general, and
    numbers copied from the German original that now mean something else ("1.603" = 1.6 in English)."""
    findings = []
    hint = (f"in dieser Sprache steht {_name(rules.decimal[0])} vor den Nachkommastellen und "
            f"{_name(rules.group[0])} zwischen den Tausendern")
    german_values = {}
    if german_rules is not None:
        german_values = {token: number_value(token, german_rules) for token in _numbers(german_text, keep_as_is)}
    for number in _numbers(text, keep_as_is):
        value = number_value(number, rules)
        if value is None:
            findings.append(f"Die Zahl „{number}“ ist so nicht richtig lesbar: {hint}")
        elif number in german_values and german_values[number] not in (None, value):
            german = german_values[number]
            shown = german.replace(".", rules.decimal[0])
            findings.append(f"„{number}“ ist im Original {german.replace('.', ',')}, wird hier aber als {value} gelesen: "
                            f"{hint} – schreiben Sie z. B. „{shown}“")
    return findings


def _name(separator: str) -> str:
    return f"„{separator}“ ({SEPARATOR_NAMES.get(separator, 'Zeichen')})"


def word_problems(text: str, rules: LanguageRules) -> list[str]:
    findings = []
    for flag in rules.flag_words:
        if flag.pattern.search(text):
            advice = f" – besser „{flag.instead}“" if flag.instead else ""
            findings.append(f"„{flag.word}“{advice}: {flag.reason}".rstrip(": "))
    return findings
