"""Issue #16 in a real browser: search loads on demand, the language bar and hint, reading offline
(service worker), and the offer pages' printed flyer with QR codes decoded by zbar."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SITE_URL, copy_project, run_build
from sitekit.browser import launch_chromium, serve_directory
from sitemap_helpers import SITE, german_pages

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
SEARCH_FILES = re.compile(r"search_index\.json|workers/search\.[0-9a-f]+\.min\.js|lunr/")


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def base_url(site):
    with serve_directory(site) as url:
        yield url


# ---------------------------------------------------------------- search on demand

@pytest.mark.parametrize("lang", SITE.languages, ids=lambda lang: lang.code)
def test_search_loads_only_when_the_reader_starts_and_finds_keys_typed_before_the_index(site, browser, base_url, lang):
    """No index, worker or stemmer at page load; the first key right after focus still finds the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + lang.url_prefix + "links/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if SEARCH_FILES.search(url)], requests
    index = json.loads((site / lang.url_prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    title = next(doc["title"] for doc in index["docs"] if doc["location"] == "kontakt/")
    word = max(title.replace("(", " ").replace(")", " ").split(), key=len)
    page.keyboard.press("/")                 # focus: the index starts loading now
    page.keyboard.insert_text(word)          # typed at once, before the index has arrived
    page.keyboard.press("End")               # a real key (keyup), as every keyboard sends
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    links = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href.split('?')[0])")
    assert base_url + lang.url_prefix + "kontakt/" in links
    assert [url for url in requests if url.endswith("search_index.json")] == [
        base_url + lang.url_prefix + "search/search_index.json"]
    assert any("/workers/search." in url for url in requests)
    context.close()


# ---------------------------------------------------------------- language bar and hint

def test_language_bar_on_every_page_above_the_fold_at_360_px(site, browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for lang in SITE.languages:
        for rel_path in ("index.md", "angebote/integrationskurs.md", "links.md"):
            path = SITE.site_path(lang.code, rel_path)
            page.goto(base_url + path)
            bar = page.locator("nav.site-languages")
            assert bar.get_attribute("aria-label")
            links = bar.locator("li > a")
            assert links.count() == len(SITE.languages)
            for i, other in enumerate(SITE.languages):
                link = links.nth(i)
                assert link.inner_text().strip() == other.name
                assert link.get_attribute("lang") == other.code and link.get_attribute("hreflang") == other.code
                assert link.get_attribute("dir") == other.direction
                assert (link.get_attribute("aria-current") == "true") == (other.code == lang.code)
                box = link.bounding_box()
                assert box and box["y"] + box["height"] <= 640 and 0 <= box["x"] and box["x"] + box["width"] <= 360, (path, other.code, box)
                assert link.evaluate("a => a.href") == base_url + SITE.site_path(other.code, rel_path)
    context.close()


@pytest.mark.parametrize("locale, page_path, expected", [
    ("ar", "angebote/integrationskurs/", "ar"),        # Arabic browser on a German page: hint in Arabic
    ("uk-UA", "", "uk"),
    ("de-DE", "ar/", "de"),
    ("es-ES", "angebote/", None),                          # Spanish is not built: no hint
])
def test_hint_in_the_browsers_language_without_redirect_or_storage(browser, base_url, locale, page_path, expected):
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 640})
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(base_url + page_path)
    assert page.url == base_url + page_path   # no redirect
    hint = page.locator(".site-languages__hint")
    if expected is None:
        page.wait_for_timeout(300)
        assert hint.count() == 0
        # The hint texts are fetched only when there is a hint to show.
        assert not [url for url in fetched if url.endswith("language-hints.json")]
        context.close()
        return
    hint.wait_for()
    strings = yaml_strings(expected)
    assert hint.get_attribute("lang") == expected
    assert hint.locator("a").inner_text() == strings["language_hint"]
    target = base_url + SITE.site_path(expected, page_path_to_rel(page_path))
    assert hint.locator("a").evaluate("a => a.href") == target
    close = hint.locator("button")
    assert close.get_attribute("aria-label") == strings["language_hint_close"]
    close.click()
    assert hint.count() == 0
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert context.cookies() == []
    # Within the site the hint does not come back (the reader comes from this site).
    page.locator("nav.site-languages li > a[aria-current]").click()
    page.wait_for_load_state()
    page.wait_for_timeout(200)
    assert page.locator(".site-languages__hint").count() == 0
    context.close()


def yaml_strings(code: str) -> dict:
    from sitekit.checks import load_data

    return load_data(SITE)[0].ui(code)


def page_path_to_rel(page_path: str) -> str:
    path = page_path
    for lang in SITE.languages:
        if lang.url_prefix and path.startswith(lang.url_prefix):
            path = path[len(lang.url_prefix):]
    return next(rel for rel in german_pages() if SITE.site_path("de", rel) == path)


def test_no_hint_and_nothing_changed_without_javascript(browser, base_url):
    context = browser.new_context(locale="ar", java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url)
    assert page.locator(".site-languages__hint").count() == 0
    assert page.locator(".site-offline").is_hidden()
    context.close()


# ---------------------------------------------------------------- reading offline

OFFLINE_PAGES = ["ar/kontakt/", "ar/links/", "ar/angebote/integrationskurs/"]


def _save_language(page, base: str, prefix: str) -> str:
    page.goto(base + prefix)
    page.wait_for_selector(".site-offline[data-state=unsaved]", timeout=10000)
    size = page.inner_text(".site-offline__size")
    page.click("[data-action=save]")
    page.wait_for_selector(".site-offline[data-state=saved]", timeout=60000)
    return size


def test_offline_reading_save_arabic_read_and_search_offline_then_update_and_remove(tmp_path, browser):
    """Chromium: nothing stored before asking; save Arabic; offline: three other Arabic pages and
    search work, an unsaved language shows the offline page; a rebuilt site with a changed page
    updates the saved copy; remove deletes everything."""
    project = copy_project(tmp_path / "project")
    site_dir = tmp_path / "site"
    assert run_build(project, site_dir).returncode == 0
    with serve_directory(site_dir) as base:
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        page = context.new_page()
        foreign = []
        context.on("request", lambda request: None if request.url.startswith(base) else foreign.append(request.url))
        page.goto(base + "ar/")
        page.wait_for_selector(".site-offline[data-state=unsaved]")
        assert page.evaluate("caches.keys()") == []
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
        size = _save_language(page, base, "ar/")
        assert re.search(r"\d", size)
        names = page.evaluate("caches.keys()")
        assert len(names) == 1 and names[0].startswith("offline / ar "), names
        manifest = json.loads((site_dir / "offline" / "ar.json").read_text(encoding="utf-8"))
        stored = page.evaluate("name => caches.open(name).then(c => c.keys()).then(k => k.map(r => r.url))", names[0])
        assert set(stored) == {base + path for path, _, _ in manifest["files"]} | {base + "offline/ar.json"}
        assert not [url for url in stored if re.match(re.escape(base) + r"(en|fa|uk|ru|tr|ps)/", url)]
        assert page.locator(".site-offline__status").inner_text().find(manifest["date_text"]) >= 0

        context.set_offline(True)
        for path in OFFLINE_PAGES:
            response = page.goto(base + path)
            assert response.ok and page.locator("html").get_attribute("lang") == "ar", path
            assert page.locator("article h1").is_visible()
        page.keyboard.press("/")
        page.keyboard.insert_text("Integrationskurs")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        page.goto(base + "en/kontakt/")
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("h1").inner_text() == yaml_strings("ar")["offline_page_title"]
        assert page.url == base + "en/kontakt/"
        context.set_offline(False)

        # The site changes and is rebuilt: the next visit online updates the saved copy in the background.
        page_file = project / "docs" / "ar" / "kontakt.md"
        page_file.write_text(page_file.read_text(encoding="utf-8") + "\n\nتحديث-الاختبار\n", encoding="utf-8")
        assert run_build(project, site_dir).returncode == 0
        new_version = json.loads((site_dir / "offline" / "ar.json").read_text(encoding="utf-8"))["version"]
        assert new_version != manifest["version"]
        page.goto(base + "ar/")
        page.wait_for_function("v => caches.keys().then(k => k.length === 1 && k[0].endsWith(' ' + v))", arg=new_version,
                               timeout=30000)
        context.set_offline(True)
        page.goto(base + "ar/kontakt/")
        assert "تحديث-الاختبار" in page.locator("article").inner_text()
        context.set_offline(False)

        page.goto(base + "ar/")
        page.wait_for_selector(".site-offline[data-state=saved]")
        page.click("[data-action=remove]")
        page.wait_for_selector(".site-offline[data-state=unsaved]")
        assert page.evaluate("caches.keys()") == []
        page.wait_for_function("navigator.serviceWorker.getRegistrations().then(r => r.length === 0)")
        assert foreign == []
        context.close()


def test_offline_worker_scope_is_the_sites_base_path_under_a_deeper_path(tmp_path, browser):
    """Served under /repo/pr-preview/pr-7/ (a preview): the worker's scope is that base path."""
    base_path = "repo/pr-preview/pr-7/"
    site_dir = tmp_path / "www" / base_path
    result = run_build(ROOT, site_dir, site_url="http://127.0.0.1:8000/" + base_path)
    assert result.returncode == 0, result.stderr
    with serve_directory(tmp_path / "www") as base:
        context = browser.new_context()
        page = context.new_page()
        _save_language(page, base + base_path, "ar/")
        scopes = page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.map(x => x.scope))")
        assert scopes == [base + base_path]
        assert page.evaluate("caches.keys()")[0].startswith(f"offline /{base_path} ar ")
        offline_html = (site_dir / "offline" / "ar.html").read_text(encoding="utf-8")
        assert f'href="/{base_path}assets/stylesheets/site.css"' in offline_html
        context.close()


# ---------------------------------------------------------------- flyers

def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _offer_paths() -> list[str]:
    return [rel for rel in german_pages() if rel.startswith("angebote/") and rel != "angebote/index.md"]


@pytest.mark.parametrize("lang", SITE.languages, ids=lambda lang: lang.code)
def test_offer_pages_print_on_one_a4_page(browser, base_url, lang):
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    long = []
    for rel_path in _offer_paths():
        page.goto(base_url + SITE.site_path(lang.code, rel_path))
        pages = _pdf_pages(page.pdf(format="A4", print_background=True))
        if pages != 1:
            long.append(f"{rel_path}: {pages} pages")
    context.close()
    assert not long, long


@pytest.mark.parametrize("code", ["de", "ar", "ru"])
def test_flyer_qr_codes_decode_to_the_exact_public_addresses(tmp_path, browser, base_url, code):
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg fehlt: scripts/install_test_tools.sh installiert zbar-tools")
    rel_path = "angebote/integrationskurs.md"
    context = browser.new_context(viewport={"width": 794, "height": 1123}, device_scale_factor=2)
    page = context.new_page()
    page.goto(base_url + SITE.site_path(code, rel_path))
    page.emulate_media(media="print")
    assert _pdf_pages(page.pdf(format="A4")) == 1
    shot = tmp_path / "flyer.png"
    page.screenshot(path=str(shot), full_page=True)
    context.close()
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True,
                             check=False).stdout.split()
    german = SITE_URL + SITE.site_path("de", rel_path)
    expected = {german, german + "#sprachen", SITE_URL + SITE.site_path(code, rel_path)}
    assert sorted(decoded) == sorted(expected), decoded
