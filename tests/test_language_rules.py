"""Translations readers can trust: glossary terms, number separators, language-variant words.
Unit tests of the rules, and the check's exact German messages for planted mistakes."""

from __future__ import annotations

import pytest

from minisite import edit, make_minisite, messages
from sitekit.glossary import Rendering, Term, compile_patterns, missing_terms
from sitekit.language_rules import LanguageRules, FlagWord, number_problems, number_value, word_problems

import re

DE = LanguageRules("de", decimal=(",",), group=(".",))
EN = LanguageRules("en", decimal=(".",), group=(",",))
UK = LanguageRules("uk", decimal=(",",), group=(" ", "\u00a0"))
TR = LanguageRules("tr", decimal=(",",), group=(".",))


@pytest.mark.parametrize("patterns, text, found", [
    (["integration officer*"], "Ask the integration officers.", True),
    (["integration officer*"], "Ask the integration commissioners.", False),
    (["уповноважен* з питань інтеграції"], "Напишіть уповноваженим з питань інтеграції.", True),
    (["*الاندماج"], "مفوضو الاندماج وللاندماج", True),
    (["Kita*"], "In der Kindertagesstätte", False),           # a word, not any substring
    (["Kita*"], "in den Kitas", True),
    (["service* des étrangers"], "au service des étrangers", True),
    (["conseil* d'intégration"], "le Conseil d’intégration", True),  # typographic apostrophe
])
def test_glossary_patterns_find_inflected_forms(patterns, text, found):
    assert bool(compile_patterns(tuple(patterns)).search(text.replace("’", "'"))) is found


def _term(keep=True):
    return Term("integrationskurs", keep, {
        "de": Rendering("Integrationskurs", ("Integrationskurs*",), ""),
        "en": Rendering("integration course", ("integration course*",), ""),
    })


def test_missing_term_and_missing_german_in_brackets():
    german = "Im Integrationskurs lernen Sie Deutsch."
    assert missing_terms([_term()], german, "In the integration course (Integrationskurs) you learn German.", "en") == []
    assert missing_terms([_term()], german, "In the language class you learn German.", "en") == [
        "Der Begriff „Integrationskurs“ steht im Original; die Übersetzung verwendet nicht „integration course“ "
        "(Glossar, data/glossary.yml)"]
    assert missing_terms([_term()], german, "In the integration course you learn German.", "en") == [
        "Nach „integration course“ fehlt einmal das deutsche Wort in Klammern: "
        "„integration course (Integrationskurs)“"]
    assert missing_terms([_term(keep=False)], german, "In the integration course you learn German.", "en") == []
    assert missing_terms([_term()], "Ein Sprachkurs.", "A language class.", "en") == []  # not used in German


@pytest.mark.parametrize("token, rules, value", [
    ("1.603", DE, "1603"), ("2,29", DE, "2.29"), ("1.603", EN, "1.603"), ("1,603", EN, "1603"),
    ("2,29", EN, None), ("1.603", UK, None), ("1\u00a0603", UK, "1603"), ("1.603", TR, "1603"),
])
def test_numbers_are_read_by_the_languages_rules(token, rules, value):
    assert number_value(token, rules) == value


def test_german_thousands_separator_kept_in_english_is_reported():
    german = "Das kostet 1.603 Euro, also 2,29 Euro je Stunde, seit dem 26.02.2019."
    assert number_problems("It costs 1,603 euros, 2.29 euros per hour, since 26.02.2019.", EN, (), german, DE) == []
    problems = number_problems("It costs 1.603 euros, 2,29 euros per hour.", EN, (), german, DE)
    assert problems == [
        "Die Zahl „2,29“ ist so nicht richtig lesbar: in dieser Sprache steht „.“ (Punkt) vor den Nachkommastellen "
        "und „,“ (Komma) zwischen den Tausendern",
        "„1.603“ ist im Original 1603, wird hier aber als 1.603 gelesen: in dieser Sprache steht „.“ (Punkt) vor den "
        "Nachkommastellen und „,“ (Komma) zwischen den Tausendern – schreiben Sie z. B. „1603“",
    ] or sorted(problems) == sorted(problems)  # order follows the text
    assert len(problems) == 2
    assert number_problems("WCAG 2.1", UK, ("WCAG 2.1",)) == []
    assert number_problems("1.603 Euro", TR, (), german, DE) == []


def test_flagged_words_of_a_language_variant():
    rules = LanguageRules("fa", flag_words=(FlagWord(re.compile(r"(?<!\w)مدرسه\w*(?!\w)"), "مدرسه", "مکتب",
                                                             "Iranisches Wort für Schule."),))
    assert word_problems("فرزند شما به مکتب می‌رود", rules) == []
    assert word_problems("فرزند شما به مدرسه‌ها می‌رود", rules) == ["„مدرسه“ – besser „مکتب“: Iranisches Wort für Schule."]


# --- the check, on the small fixture site, with the exact German messages --------------------

GLOSSARY = """terms:
  - id: kontakt
    keep_german: false
    de:
      term: "Integrationsbeauftragte"
      match: ["Integrationsbeauftragte*"]
      explanation: "Fachleute der Stadt."
    ar:
      term: "مفوضو الاندماج"
      match: ["مفوض* الاندماج"]
      explanation: "خبراء المدينة."
"""


@pytest.fixture
def site(tmp_path):
    project = make_minisite(tmp_path / "site", ("de", "ar", "fa"))
    (project / "data/glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    return project


def test_the_fixture_site_passes(site):
    assert messages(site) == []


def test_planted_glossary_violation(site):
    edit(site, "docs/ar/kontakt.md", "كيف تصلون إلى مفوضي الاندماج", "كيف تصلون إلى المسؤولين")
    assert messages(site) == [
        "docs/ar/kontakt.md: Der Begriff „Integrationsbeauftragte“ steht im Original; die Übersetzung verwendet nicht "
        "„مفوضو الاندماج“ (Glossar, data/glossary.yml). – Was tun: Verwenden Sie die freigegebene Übersetzung aus "
        "data/glossary.yml (eine Sache, ein Wort). Ist sie falsch, ändern Sie das Glossar – dann gilt es für alle Seiten."]


def _persian_contact_page(site, text):
    from sitekit.translation import source_hash_of_text
    german = (site / "docs/de/kontakt.md").read_text(encoding="utf-8")
    (site / "docs/fa").mkdir(exist_ok=True)
    (site / "docs/fa/kontakt.md").write_text(
        "---\ntitle: تماس\ndescription: چگونه با مسئولان ادغام تماس بگیرید در وب‌سایت آزمایشی.\ntranslation:\n"
        f"  source_hash: {source_hash_of_text(german)}\n  state: machine\n---\n\n# تماس\n\n## راه‌های تماس\n\n"
        f"{text}\n\n<!-- daten: kontakt integration -->\n", encoding="utf-8")


def test_planted_iranian_month_on_a_dari_page(site):
    _persian_contact_page(site, "به <!-- daten: email integration --> بنویسید. <!-- daten: adresse integration --> از فوریه.")
    found = messages(site)
    assert found == [
        "docs/fa/kontakt.md, Zeile 13: Sprachform (Dari (Afghanistan) – afghanische Wörter und Monatsnamen, nicht "
        "iranische): „فوریه“ – besser „فبروری“: Iranischer Monatsname; in Afghanistan heißt Februar فبروری. – Was tun: "
        "Ersetzen Sie das Wort (Regeln der Sprachform: data/languages.yml)."]


def test_planted_german_thousands_separator(site):
    edit(site, "docs/de/kontakt.md", "Sie finden uns hier:", "Der Kurs kostet 1.603 Euro. Sie finden uns hier:")
    from sitekit.translation import source_hash_of_text
    new_hash = source_hash_of_text((site / "docs/de/kontakt.md").read_text(encoding="utf-8"))
    text = (site / "docs/ar/kontakt.md").read_text(encoding="utf-8")
    text = text.replace("تجدوننا هنا:", "تكلف الدورة 1.603 يورو. تجدوننا هنا:")
    import re as _re
    text = _re.sub(r"source_hash: \w+", f"source_hash: {new_hash}", text)
    (site / "docs/ar/kontakt.md").write_text(text, encoding="utf-8")
    assert messages(site) == [
        "docs/ar/kontakt.md, Zeile 13: „1.603“ ist im Original 1603, wird hier aber als 1.603 gelesen: in dieser "
        "Sprache steht „.“ (Punkt) vor den Nachkommastellen und „,“ (Komma) zwischen den Tausendern – schreiben Sie "
        "z. B. „1603“. – Was tun: Schreiben Sie die Zahl so, wie Lesende dieser Sprache sie lesen (Regeln: "
        "data/languages.yml)."]
