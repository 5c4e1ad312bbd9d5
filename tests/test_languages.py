"""Languages: switcher, hreflang, sitemap, per-language search and the 404 page, on the real build."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from conftest import SITE_URL, soup
from sitemap_helpers import ROOT, SITE, all_built_pages, built_page, german_pages, resolve_link
from sitekit.checks import load_data

pytestmark = pytest.mark.build  # builds the site (the build tier)

LANGUAGES = SITE.languages


def test_languages_are_configured():
    codes = [lang.code for lang in LANGUAGES]
    assert codes[0] == "de" and {"en", "ar"} <= set(codes)
    assert {lang.code for lang in LANGUAGES if lang.direction == "rtl"} >= {"ar"}


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_switcher_lists_every_language_and_links_to_the_same_page(site, lang):
    for rel_path in german_pages():
        path = built_page(site, lang.url_prefix, rel_path)
        links = soup(path).select("nav.site-languages li > a")
        assert [a.get_text(strip=True) for a in links] == [other.name for other in LANGUAGES], path
        for a, other in zip(links, LANGUAGES):
            assert a["lang"] == other.code and a["hreflang"] == other.code and a["dir"] == other.direction
            assert resolve_link(path, site, a["href"]) == built_page(site, other.url_prefix, rel_path), (path, a["href"])
        current = [a["lang"] for a in links if a.get("aria-current")]
        assert current == [lang.code]


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_hreflang_alternates_are_absolute_with_x_default(site, lang):
    for rel_path in german_pages():
        html = soup(built_page(site, lang.url_prefix, rel_path))
        alternates = {link["hreflang"]: link["href"] for link in html.select('link[rel="alternate"][hreflang]')}
        assert alternates["x-default"] == SITE_URL + SITE.site_path(LANGUAGES[0].code, rel_path)
        assert alternates["de"] == alternates["x-default"]
        for code, href in alternates.items():
            assert href.startswith(SITE_URL), href
        translated = {other.code for other in LANGUAGES if (ROOT / "docs" / other.code / rel_path).is_file()}
        assert set(alternates) == translated | {"x-default"}


def test_sitemap_has_absolute_alternates_and_x_default(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = root.findall("s:url", ns)
    assert len(urls) >= len(german_pages())
    locs = {url.find("s:loc", ns).text for url in urls}
    for rel_path in german_pages():
        assert SITE_URL + SITE.site_path(LANGUAGES[0].code, rel_path) in locs
    for url in urls:
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert "x-default" in links and links["x-default"] == links["de"]
        assert all(href.startswith(SITE_URL) for href in links.values())
        assert url.find("s:loc", ns).text in links.values()


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_search_index_holds_only_its_languages_pages(site, lang):
    index = json.loads((site / lang.url_prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"], f"empty index for {lang.code}"
    for doc in index["docs"]:
        location = doc["location"].split("#")[0]
        page = site / lang.url_prefix / location / "index.html" if not location.endswith(".html") else site / lang.url_prefix / location
        assert page.is_file(), doc["location"]
        assert soup(page).html["lang"] == lang.code
    assert len({doc["location"] for doc in index["docs"] if "#" not in doc["location"]}) == len(german_pages())
    config = index["config"]
    from sitekit.material_compat import lunr_has_stemmer
    base = lang.code.split("-")[0]  # Leichte Sprache is searched like German
    if lunr_has_stemmer(base):
        assert config["lang"] == [base] and "pipeline" not in config
    else:  # no lunr stemmer: plain words, no English stemming or trimming
        assert config["lang"] == ["en"] and config["pipeline"] == []


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_each_language_loads_its_own_search_index(site, lang):
    html = soup(built_page(site, lang.url_prefix, "index.md"))
    config = json.loads(html.select_one("#__config").string)
    language_root = "/" + lang.url_prefix
    assert urljoin(language_root, config["base"].rstrip("/") + "/") == language_root, config["base"]


def test_one_404_page_speaks_every_language(site):
    html = soup(site / "404.html")
    sections = html.select("section.not-found")
    assert [s["lang"] for s in sections] == [lang.code for lang in LANGUAGES]
    for section, lang in zip(sections, LANGUAGES):
        assert section["dir"] == lang.direction
        link = section.select_one("a[href]")
        assert link["href"] == "/" + lang.url_prefix
        assert section.h2.get_text(strip=True)
    assert html.html["lang"] == "de"


def test_html_lang_and_dir_match_the_language(site):
    for lang, rel_path, path in all_built_pages(site):
        html = soup(path)
        assert html.html["lang"] == lang.code and html.html["dir"] == lang.direction
        assert html.body["dir"] == lang.direction


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang.direction == "rtl"], ids=lambda lang: lang.code)
def test_addresses_and_mail_stay_left_to_right_in_rtl_pages(site, lang):
    for rel_path in german_pages():
        html = soup(built_page(site, lang.url_prefix, rel_path))
        for a in html.select('article a[href^="mailto:"], article a[href^="tel:"]'):
            if "@" in a.get_text() or a["href"].startswith("tel:"):  # an address or number as link text
                assert a.get("dir") == "ltr", (rel_path, str(a))
        for card in html.select(".contact-card"):
            address = card.select_one('dd > bdi[lang="de"]')
            assert address is not None and address.get("dir") == "ltr", str(card)
            assert address.get_text() in {contact.address for contact in load_data(SITE)[0].contacts.values()}
