"""Unit tests of the shared library's plain functions (the hook only forwards to them)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sitekit.search_index import split_search_index
from sitekit.site import page_url_in_language
from sitekit.errors import ContentError
from sitekit.fields import check_url, localized_text
from sitekit.languages import Language, format_long_date
from sitekit.render import file_size, language_name, mark_external_links
from sitekit.translation import source_hash_of_text
from sitekit.yamlfile import parse_yaml

STRINGS = {"external_link": "(andere Website)"}


@pytest.mark.parametrize("url", ["https://www.erkrath.de/", "mailto:integration@erkrath.de", "tel:+492104123456"])
def test_allowed_urls(url):
    assert check_url(url, "x.yml", 3, "url") == url


@pytest.mark.parametrize("url, words", [
    ("javascript:alert(1)", "nicht erlaubt"),
    ("http://www.erkrath.de/", "https://"),
    ("data:text/html,hi", "nicht erlaubt"),
    ("//www.erkrath.de/", "vollständige Adresse"),
    ("https://localhost/", "Servernamen"),
    ("mailto:kein-at-zeichen", "keine gültige E-Mail-Adresse"),
    ("tel:abc", "keine gültige Telefonnummer"),
    ("https://www.erkrath .de/", "Leerzeichen"),
])
def test_refused_urls_name_file_line_field(url, words):
    with pytest.raises(ContentError) as caught:
        check_url(url, "data/links.yml", 7, "url")
    message = str(caught.value)
    assert message.startswith("data/links.yml, Zeile 7: Feld „url“:") and words in message


def test_yaml_line_numbers_and_duplicates():
    data = parse_yaml("a: 1\nliste:\n  - name: x\n    url: y\n", "f.yml")
    assert data.line_of("liste") == 2 and data["liste"][0].line_of("url") == 4
    with pytest.raises(ContentError, match=r"f.yml, Zeile 3: Der Schlüssel „a“ steht zweimal"):
        parse_yaml("a: 1\nb: 2\na: 3\n", "f.yml")


def test_localized_text_accepts_plain_german_and_needs_german():
    assert localized_text(parse_yaml("t: Hallo\n", "f"), "t", "f") == {"de": "Hallo"}
    assert localized_text(parse_yaml("t:\n  de: Hallo\n  ar: مرحبا\n", "f"), "t", "f") == {"de": "Hallo", "ar": "مرحبا"}
    with pytest.raises(ContentError, match="deutsche Text fehlt"):
        localized_text(parse_yaml("t:\n  en: Hello\n", "f"), "t", "f")
    with pytest.raises(ContentError, match="kein Sprachkürzel"):
        localized_text(parse_yaml("t:\n  de: Hallo\n  Deutsch: x\n", "f"), "t", "f")


def test_source_hash_covers_translated_text_only():
    page = "---\ntitle: T\nstand: 2026-01-01\norder: 3\n---\n# T\n\nEin  Satz.  \r\nZweite Zeile\n"
    same = [page.replace("2026-01-01", "2026-02-01"), page.replace("order: 3", "order: 4"),
            page.replace("\r\n", "\n"), page.replace("Ein  Satz.", "Ein Satz."), page + "\n\n\n"]
    assert {source_hash_of_text(text) for text in same} == {source_hash_of_text(page)}
    for changed in (page.replace("Zweite", "Dritte"), page.replace("title: T", "title: U"),
                    page.replace("---\n#", "description: neu\n---\n#")):
        assert source_hash_of_text(changed) != source_hash_of_text(page)


@pytest.mark.parametrize("rel_path, url", [("index.md", ""), ("kontakt.md", "kontakt/"),
                                           ("angebote/index.md", "angebote/"), ("angebote/x.md", "angebote/x/")])
def test_page_urls(rel_path, url):
    assert page_url_in_language(rel_path) == url


def test_sizes_and_dates_in_each_language():
    assert file_size(1_234_567, "de") == "1,2\u00a0MB" and file_size(1_234_567, "en") == "1.2\u00a0MB"
    assert file_size(5_300, "de") == "5,3\u00a0kB"
    assert format_long_date(dt.date(2019, 2, 26), "de") == "26. Februar 2019"
    assert format_long_date(dt.date(2019, 2, 26), "en") == "26 February 2019"
    assert "2019" in format_long_date(dt.date(2019, 2, 26), "ps")


def test_language_names_in_their_own_script():
    assert language_name("ar") == "العربية" and language_name("uk") == "Українська" and language_name("de") == "Deutsch"


def test_direction_from_the_language():
    assert [Language(c, c).direction for c in ("de", "ar", "fa", "ps", "uk", "ckb", "de-x-ls")] == ["ltr", "rtl", "rtl", "rtl", "ltr", "rtl", "ltr"]


def test_external_links_are_marked_and_mail_links_stay_ltr():
    html = ('<p><a href="https://www.fkfe.de/">FKFE</a> <a href="mailto:a@b.de">a@b.de</a> '
            '<a href="../kontakt/">Kontakt</a></p>')
    marked = mark_external_links(html, STRINGS)
    assert 'class="external-link" rel="external noopener"' in marked and "(andere Website)" in marked
    assert '<a href="mailto:a@b.de" dir="ltr">' in marked
    assert '<a href="../kontakt/">Kontakt</a>' in marked


def test_search_index_split_per_language(tmp_path):
    languages = (Language("de", "Deutsch", True), Language("en", "English", False), Language("fa", "فارسی", False))
    (tmp_path / "search").mkdir()
    docs = [{"location": "", "title": "Start", "text": "a"}, {"location": "kontakt/", "title": "Kontakt", "text": "b"},
            {"location": "en/", "title": "Start", "text": "c"}, {"location": "fa/kontakt/", "title": "تماس", "text": "d"}]
    (tmp_path / "search/search_index.json").write_text(json.dumps({"config": {"lang": ["de", "en"], "separator": "x"}, "docs": docs}))
    split_search_index(tmp_path, languages)
    de = json.loads((tmp_path / "search/search_index.json").read_text())
    en = json.loads((tmp_path / "en/search/search_index.json").read_text())
    fa = json.loads((tmp_path / "fa/search/search_index.json").read_text())
    assert [d["location"] for d in de["docs"]] == ["", "kontakt/"] and de["config"]["lang"] == ["de"]
    assert [d["location"] for d in en["docs"]] == [""] and en["config"]["lang"] == ["en"]
    assert [d["location"] for d in fa["docs"]] == ["kontakt/"]
    assert fa["config"]["lang"] == ["en"] and fa["config"]["pipeline"] == []


@pytest.mark.parametrize("html, expected", [
    # the sentence's full stop stays outside the run, an abbreviation keeps its dot
    ("<p>العنوان: Düsseldorfer Str. 47, 40822 Mettmann.</p>", "<p>العنوان: <bdi>Düsseldorfer Str. 47, 40822 Mettmann</bdi>.</p>"),
    ("<p>انجمن Freundeskreis für Flüchtlinge in Erkrath e.V. (انجمن)</p>",
     "<p>انجمن <bdi>Freundeskreis für Flüchtlinge in Erkrath e.V.</bdi> (انجمن)</p>"),
    ("<p>بلدية Erkrath.</p>", "<p>بلدية <bdi>Erkrath</bdi>.</p>"),
    ("<p>شارع Bahnstr. في</p>", "<p>شارع <bdi>Bahnstr.</bdi> في</p>"),
    # a postal address line is one unit, numbers first included
    ("<p>في 40699 Erkrath، نعم</p>", "<p>في <bdi>40699 Erkrath</bdi>، نعم</p>"),
    # e-mail, phone, date in Latin digits: isolated whole, left to right
    ("<p>أو info@fkfe.de. هاتف +49 2104 123456.</p>",
     '<p>أو <bdi dir="ltr">info@fkfe.de</bdi>. هاتف <bdi dir="ltr">+49 2104 123456</bdi>.</p>'),
    ("<p>في 26.02.2019 قرر</p>", '<p>في <bdi dir="ltr">26.02.2019</bdi> قرر</p>'),
    # left alone: entities, attributes, code, time, elements with their own dir, lone letters and numbers
    ('<p>&amp; &#x27; <a href="https://x.de/a b">Bürgerhaus</a> <code>a b</code> <time datetime="2019">2019</time></p>',
     '<p>&amp; &#x27; <a href="https://x.de/a b"><bdi>Bürgerhaus</bdi></a> <code>a b</code> <time datetime="2019">2019</time></p>'),
    ('<div lang="de" dir="ltr"><p>Deutscher Text.</p></div><p>منذ 2018 نعم</p>',
     '<div lang="de" dir="ltr"><p>Deutscher Text.</p></div><p>منذ 2018 نعم</p>'),
])
def test_ltr_units_in_rtl_text_are_isolated_without_sentence_punctuation(html, expected):
    from sitekit.bidi import isolate_ltr_runs
    assert isolate_ltr_runs(html) == expected


# ---------------------------------------------------------------- Material internals (material_compat)

def test_installed_material_matches_what_the_site_assumes():
    from sitekit import material_compat

    assert material_compat.problems() == []


def test_bundle_patches_apply_once_and_fail_loudly_when_material_changes():
    from sitekit import material_compat

    bundle = next((material_compat.templates_dir() / "assets" / "javascripts").glob("bundle.*.min.js"))
    text = bundle.read_text(encoding="utf-8")
    patched = material_compat.patch_bundle_text(text)
    assert material_compat.SEARCH_INDEX_ON_DEMAND in patched and material_compat.SEARCH_INDEX_AT_LOAD not in patched
    assert material_compat.HIGHLIGHT_INDEX_ON_DEMAND in patched
    assert material_compat.patch_bundle_text(patched) == patched  # a second build pass changes nothing
    changed = text.replace(material_compat.SEARCH_INDEX_AT_LOAD, 'L($(location.protocol!=="file:"),Xe("search"))')
    with pytest.raises(material_compat.MaterialChanged, match="setupSearchWorker"):
        material_compat.patch_bundle_text(changed)


def test_search_worker_config_names_material_worker_without_a_hand_written_hash():
    from sitekit import material_compat

    config = material_compat.search_worker_config()
    shim, worker = config.split("?worker=")
    assert shim == material_compat.SEARCH_WORKER_SHIM
    assert "workers/" + worker == material_compat.search_worker_path().split("javascripts/", 1)[1]
    from sitekit.site import REPOSITORY

    assert (REPOSITORY / "docs" / shim).is_file()


def test_compact_html_drops_indentation_but_keeps_preformatted_text():
    from sitekit.page_build import compact_html

    html = "<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>\n<pre>  x\n    y\n</pre>\n  <textarea>\n  t\n</textarea>"
    assert compact_html(html) == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<pre>  x\n    y\n</pre>\n<textarea>\n  t\n</textarea>"


# ---------------------------------------------------------------- readability (scripts/readability.py)

def test_readability_measure_counts_sentences_words_and_syllables():
    from readability import measure, syllables
    assert [syllables(w) for w in ("Kurs", "Integrations-Kurs", "Beratung", "Integrationsbeauftragte")] == [1, 5, 3, 7]
    text = "# Titel\n\nSie lernen Deutsch. Der Kurs ist gut!\n\n- Ein Punkt\n- Noch ein Punkt\n\n<!-- daten: kontakt x -->"
    result = measure(text)
    assert (result.sentences, result.words) == (5, 13)
    assert measure("Integrationsbeauftragte beraten Zugewanderte.").long_share > measure("Sie lernen Deutsch.").long_share
    assert measure("Kurz. Klar.").flesch_amstad > measure("Die Integrationsbeauftragten beraten Zugewanderte umfassend.").flesch_amstad


def test_page_configuration_keeps_letters_but_stays_safe_in_a_script_element():
    import jinja2

    from sitekit.template_cache import use_plain_json

    env = use_plain_json(jinja2.Environment())
    out = env.from_string("<script>{{ value | tojson }}</script>").render(value={"t": "Скопійовано </script><b>'&"})
    assert "Скопійовано" in out
    assert out.count("</script>") == 1 and "<b>" not in out and "'" not in out.removeprefix("<script>")
    assert json.loads(out.removeprefix("<script>").removesuffix("</script>")) == {"t": "Скопійовано </script><b>'&"}
