"""Search per language in a real browser: each language finds its own pages, also without a lunr stemmer."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sitekit.browser import launch_chromium, serve_directory
from sitemap_helpers import SITE

pytestmark = pytest.mark.browser
LANGUAGES = SITE.languages


@pytest.fixture(scope="module")
def browser_and_url(site):
    with serve_directory(site) as base_url, launch_chromium() as browser:
        yield browser, base_url


def a_word_of_a_title(site, lang) -> str:
    """A word from the title of the contact page in this language, as a reader would type it."""
    index = json.loads((site / lang.url_prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    title = next(doc["title"] for doc in index["docs"] if doc["location"] == "kontakt/")
    return max(title.replace("(", " ").replace(")", " ").split(), key=len)


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_search_finds_pages_of_the_readers_language_only(site, browser_and_url, lang):
    browser, base_url = browser_and_url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + lang.url_prefix)
    page.wait_for_load_state("networkidle")  # the search worker has loaded its index
    word = a_word_of_a_title(site, lang)
    page.keyboard.press("/")  # Material's shortcut focuses the search field
    search = page.locator(".md-search__input")
    search.fill(word)
    try:
        page.wait_for_selector(".md-search-result__item", timeout=5000)
    except PlaywrightTimeout:
        # Material may drop a query typed while its worker starts; a reader would type on.
        search.press("End")
        search.press("Backspace")
        search.type(word[-1])
        page.wait_for_selector(".md-search-result__item", timeout=15000)
    links = [urlsplit(href)._replace(query="", fragment="").geturl()
             for href in page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")]
    assert links, f"no result for {word!r} in {lang.code}"
    for href in links:
        path = href.removeprefix(base_url)
        other_prefixes = [other.url_prefix for other in LANGUAGES if not other.default and other.code != lang.code]
        assert not any(path.startswith(prefix) for prefix in other_prefixes), (lang.code, href)
        if not lang.default:
            assert path.startswith(lang.url_prefix), (lang.code, href)
    assert base_url + lang.url_prefix + "kontakt/" in links, links
    # only this language's index was loaded
    indexes = [url for url in requests if url.endswith("search_index.json")]
    assert indexes == [base_url + lang.url_prefix + "search/search_index.json"]
    page.close()
