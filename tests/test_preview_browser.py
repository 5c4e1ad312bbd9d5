"""A pull-request preview in Chromium: the whole site built with SITE_PREVIEW=true for
http://127.0.0.1:PORT/erkrath/pr-preview/pr-7/ and served only below that path.

Every page of every language: no broken link or asset, no console error, the noindex meta,
the banner in German and the page's language, hreflang/canonical under the base path, the
language switcher pointing to the same page; search finds a word and leads to a page of the
preview; the 404 page works; there is no sitemap. Also: the public site's 404 page, which
GitHub Pages serves for a missing address inside a preview, leads back into that preview."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from sitekit.browser import launch_chromium, serve_directory
from sitekit.checks import load_data
from sitemap_helpers import SITE
from browser_helpers import AXE, AXE_RUN, AXE_TAGS, crawl, page_urls, search_word, use_search

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
BASE_PATH = "/erkrath/pr-preview/pr-7/"
DESKTOP = {"width": 1280, "height": 800}
UI = load_data(SITE)[0]


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """(built folder, base URL): the server runs first, so the build knows its address."""
    out = tmp_path_factory.mktemp("preview")
    with serve_directory(out, base_path=BASE_PATH) as base_url:
        env = {**os.environ, "SITE_URL": base_url, "SITE_PREVIEW": "true", "NO_MKDOCS_2_WARNING": "1",
               "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        yield out, base_url


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


PAGE_FACTS = """() => ({
  lang: document.documentElement.lang,
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  switcher: [...document.querySelectorAll('.site-languages a')].map(a => [a.hreflang, a.href]),
  alternates: [...document.querySelectorAll('link[rel=alternate][hreflang], link[rel=canonical]')].map(l => l.href),
  robots: document.querySelector('meta[name=robots]')?.content || null,
  banner: [...document.querySelectorAll('.md-banner .site-preview span')].map(s => [s.lang, s.dir, s.textContent.trim()]),
  bannerShown: (() => { const b = document.querySelector('.md-banner'); const r = b && b.getBoundingClientRect();
                        return !!r && r.height > 10 && r.top >= 0 && r.top < 50; })(),
})"""


def test_every_page_of_every_language_works_under_the_base_path(preview):
    site, base = preview
    logs: dict[int, dict] = {}

    async def prepare(page):
        log = logs.setdefault(id(page), {"failed": [], "console": []})
        page.on("response", lambda r: log["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda r: log["failed"].append(f"failed {r.url}"))
        page.on("console", lambda m: log["console"].append(m.text) if m.type == "error" else None)

    async def check(page, url):
        await page.wait_for_load_state("networkidle")
        facts = await page.evaluate(PAGE_FACTS)
        log = logs[id(page)]
        facts["failed"], facts["console"] = list(log["failed"]), list(log["console"])
        log["failed"].clear()
        log["console"].clear()
        return facts

    urls = page_urls(site, base)
    results = crawl(urls, check, {"viewport": DESKTOP}, prepare=prepare)
    problems, targets = [], set()
    origin = base[: base.index("/", len("http://"))]
    german = UI.ui("de")["preview_banner"]
    for url, facts in sorted(results.items()):
        where = url.removeprefix(base) or "/"
        problems += [f"{where}: {entry}" for entry in facts["failed"] + facts["console"]]
        for href in facts["links"]:
            target = href.split("#")[0]
            if target.startswith(origin):
                if not target.startswith(base):
                    problems.append(f"{where}: link leaves the preview: {target}")
                targets.add(target)
        problems += [f"{where}: hreflang/canonical outside the preview: {h}" for h in facts["alternates"] if not h.startswith(base)]
        if facts["robots"] != "noindex":
            problems.append(f"{where}: robots meta is {facts['robots']!r}")
        code = facts["lang"]
        language = SITE.language(code)
        expected = [["de", "ltr", german]] + ([[code, language.direction, UI.ui(code)["preview_banner"]]] if code != "de" else [])
        if facts["banner"] != expected or not facts["bannerShown"]:
            problems.append(f"{where}: banner {facts['banner']} shown={facts['bannerShown']}")
        if url.endswith("404.html"):
            continue
        rel = url.removeprefix(base).removeprefix(language.url_prefix)
        for hreflang, href in facts["switcher"]:
            wanted = base + SITE.language(hreflang).url_prefix + rel
            if href != wanted:
                problems.append(f"{where}: switcher {hreflang} -> {href}, expected {wanted}")
    broken = sorted(f"{target} ({code})" for target in targets if (code := status(target)) != 200)
    assert len(results) == len(urls) > 150
    assert len(targets) > 150
    assert not problems, "\n".join(problems[:40])
    assert not broken, "broken links:\n" + "\n".join(broken)


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


@pytest.mark.parametrize("prefix", ["", "ar/", "uk/"])
def test_search_finds_a_word_and_leads_into_the_preview(preview, browser, prefix):
    site, base = preview
    word, location = search_word(site, prefix)
    page = browser.new_page(viewport=DESKTOP)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + prefix + "kontakt/")
    page.wait_for_load_state("networkidle")
    use_search(page, word)
    hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(base + prefix) for h in hrefs), hrefs
    assert base + prefix + "search/search_index.json" in requests
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(base + prefix) and page.locator("article h1").count() == 1
    page.close()


@pytest.mark.parametrize("start, target", [("", "ar"), ("ar/", "de"), ("fa/", "uk")])
def test_language_switcher_lands_on_the_same_page_in_the_preview(preview, browser, start, target):
    _, base = preview
    page = browser.new_page(viewport=DESKTOP)
    page.goto(base + start + "angebote/integrationskurs/")
    page.locator(f".site-languages a[hreflang={target}]").click()  # the language bar above the header
    wanted = base + SITE.language(target).url_prefix + "angebote/integrationskurs/"
    page.wait_for_url(wanted, timeout=5000)
    assert page.locator("html").get_attribute("lang") == target
    page.close()


def test_missing_page_gets_the_preview_404_page_with_working_links(preview, browser):
    _, base = preview
    page = browser.new_page(viewport=DESKTOP)
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and r.url != base + "gibt-es-nicht/" else None)
    response = page.goto(base + "gibt-es-nicht/")
    page.wait_for_load_state("networkidle")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "404"
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex"
    assert page.locator(".md-banner .site-preview").inner_text().strip() == UI.ui("de")["preview_banner"]
    homes = page.eval_on_selector_all("section.not-found a", "els => els.map(e => [e.hreflang, e.href])")
    assert homes == [[lang.code, base + lang.url_prefix] for lang in SITE.languages]
    assert all(status(href) == 200 for _, href in homes)
    assert not failed, failed
    page.close()


def test_preview_has_no_sitemap(preview):
    site, base = preview
    assert not list(site.rglob("sitemap.xml*"))
    assert status(base + "sitemap.xml") == 404


@pytest.mark.parametrize("path, viewport", [("", DESKTOP), ("ar/angebote/integrationskurs/", DESKTOP),
                                            ("ps/kontakt/", {"width": 360, "height": 740})])
def test_banner_passes_axe(preview, browser, path, viewport):
    _, base = preview
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(base + path)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    context.close()
    assert not violations, violations


def test_public_404_page_leads_back_into_the_preview(site, browser):
    """GitHub Pages serves the public site's root 404.html for a missing address inside a preview:
    its start-page links then point into that preview (not-found.js)."""
    with serve_directory(site) as base:
        page = browser.new_page(viewport=DESKTOP)
        response = page.goto(base + "pr-preview/pr-12/ar/gibt-es-nicht/")
        assert response.status == 404
        homes = page.eval_on_selector_all("section.not-found a", "els => els.map(e => e.href)")
        assert homes == [base + "pr-preview/pr-12/" + lang.url_prefix for lang in SITE.languages]
        page.goto(base + "gibt-es-nicht/")  # outside a preview: the public start pages
        homes = page.eval_on_selector_all("section.not-found a", "els => els.map(e => e.href)")
        assert homes == [urljoin(base, lang.url_prefix) for lang in SITE.languages]
        page.close()
