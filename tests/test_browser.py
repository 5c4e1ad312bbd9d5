"""The built site in a real browser (headless Chromium): accessibility (axe-core) on every
page, keyboard use, reflow at 320 CSS px, privacy (own origin only, no cookies), the
Content-Security-Policy, and use without JavaScript.

One browser per module; pages come from the session's real build (fixture ``site``), served
on 127.0.0.1 with the site's own 404 page. The crawls over every page run several tabs at
once (Playwright's async API in a worker thread) to keep the suite fast."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser_helpers import (AXE, AXE_RUN, AXE_TAGS, CSP_COLLECTOR, DESKTOP, PHONE, crawl, page_urls, search_word, short,
                             use_search)
from sitekit.browser import launch_chromium, serve_directory
from sitemap_helpers import SITE


pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
# Pages whose behaviour the privacy, CSP and no-JS tests look at (German paths; other
# languages under /<code>/).
KEY_PAGES = ["", "angebote/", "angebote/integrationskurs/", "links/", "integrationskonzept/", "kontakt/", "impressum/"]
PRIVACY_PAGES = ["", "angebote/integrationskurs/", "links/", "integrationskonzept/"]
MISSING_PAGE = "gibt-es-nicht/"  # served with the site's 404 page
PRIVACY_LANGUAGES = ["", "ar/", "uk/"]

def _chromium_or_skip() -> None:
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser")):
        pytest.skip("Chromium fehlt: scripts/install_test_tools.sh installiert es")


@pytest.fixture(scope="module")
def base_url(site):
    with serve_directory(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    _chromium_or_skip()
    with launch_chromium() as chromium:
        yield chromium


async def _axe(page, url):
    await page.add_script_tag(path=str(AXE))
    return await page.evaluate(AXE_RUN, AXE_TAGS)


def _axe_report(results: dict) -> str:
    lines = []
    for url, violations in sorted(results.items()):
        for v in violations:
            lines.append(f"{short(url)}: {v['id']} ({v['impact']}) {v['help']}: {', '.join(v['targets'])}")
    return "\n".join(lines)


def test_axe_finds_no_violations_on_any_page(site, base_url):
    """axe-core (WCAG 2.1 A/AA + best practices) on every page of every language and the 404 page.
    CSP bypass only lets axe's script in; the policy itself is tested below."""
    urls = page_urls(site, base_url)
    assert len(urls) > 150
    results = crawl(urls, _axe, {"viewport": DESKTOP, "bypass_csp": True})
    assert not _axe_report(results), "axe violations:\n" + _axe_report(results)


def test_axe_phone_width_with_open_drawer(site, base_url):
    """Phone layout: start and offer pages of every language with the navigation drawer open, and 404."""
    urls = [base_url + lang.url_prefix + path
            for lang in SITE.languages for path in ("", "angebote/integrationskurs/")] + [base_url + "404.html"]

    async def check(page, url):
        await page.locator(".md-header label[for=__drawer]").click()
        await page.wait_for_timeout(300)
        return await _axe(page, url)

    results = crawl(urls, check, {"viewport": PHONE, "bypass_csp": True, "is_mobile": True, "has_touch": True})
    assert not _axe_report(results), "axe violations:\n" + _axe_report(results)


# ---------------------------------------------------------------- reflow

NO_SCROLL = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.mark.parametrize("name, options", [
    ("320px", {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}),
    ("1280px-400pct", {"viewport": {"width": 320, "height": 200}, "device_scale_factor": 4}),
])
def test_no_horizontal_scrolling_at_320_css_px(site, base_url, name, options):
    """WCAG 1.4.10: at 320 px, and at a 1280 px window zoomed to 400 % (= 320 CSS px at 4 device
    pixels per CSS px), no page of any language scrolls sideways."""

    async def check(page, url):
        return await page.evaluate(NO_SCROLL)

    results = crawl(page_urls(site, base_url), check, options, concurrency=4)
    wide = {short(url): sizes for url, sizes in results.items() if sizes[0] > sizes[1]}
    assert not wide, f"horizontal scrolling at {name} (scrollWidth, clientWidth): {wide}"


# ---------------------------------------------------------------- keyboard

SHOWN = """e => {
  const r = e.getBoundingClientRect();
  let opacity = 1;
  for (let n = e; n && n.nodeType === 1; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
  return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth
         && getComputedStyle(e).visibility !== 'hidden' && opacity > 0.5;
}"""


def _shown(page, selector: str) -> bool:
    """Really on screen: in the viewport, not transparent (also through its ancestors)."""
    return page.eval_on_selector(selector, SHOWN)


def _focused(page) -> dict:
    page.wait_for_timeout(30)
    return page.evaluate("""() => {
      const shown = """ + SHOWN + """;
      const e = document.activeElement;
      if (!e || e === document.body) return {tag: 'body'};
      const s = getComputedStyle(e);
      return {tag: e.tagName.toLowerCase(), cls: e.className && e.className.baseVal === undefined ? e.className : '',
              href: e.getAttribute('href'), hreflang: e.getAttribute('hreflang'), for: e.getAttribute('for'),
              outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none',
              visible: shown(e),
              inSidebar: !!e.closest('.md-sidebar--primary'), inContent: !!e.closest('.md-content'),
              text: (e.textContent || '').trim().slice(0, 40)};
    }""")


def _tab_until(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = _focused(page)
        if predicate(info):
            return info
    raise AssertionError(f"not reached with Tab in {limit} steps; last focus: {info}")


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_skip_link_is_first_visible_on_focus_and_jumps_to_content(desktop, base_url, prefix):
    page = desktop
    page.goto(base_url + prefix + "angebote/integrationskurs/")
    skip = page.locator("a.md-skip")
    page.keyboard.press("Tab")
    info = _focused(page)
    assert "md-skip" in info["cls"], f"first focusable element is not the skip link: {info}"
    page.wait_for_timeout(300)  # Material fades it in
    info = _focused(page)
    assert info["visible"] and (info["outline"] or info["shadow"]), info
    target = skip.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert unquote(page.url).endswith(target)
    top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target.lstrip("#"))
    assert 0 <= top < DESKTOP["height"] / 2, "skip target not scrolled into view"
    # Focus navigation continues from the target: the next Tab lands in the main content.
    page.keyboard.press("Tab")
    assert _focused(page)["inContent"], _focused(page)


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_focus_is_always_visible(desktop, phone, base_url, prefix):
    for page in (desktop, phone):
        page.goto(base_url + prefix + "angebote/integrationskurs/")
        seen = []
        for _ in range(45):
            page.keyboard.press("Tab")
            info = _focused(page)
            if info["tag"] == "body":
                continue
            seen.append(info)
            assert info["outline"] or info["shadow"], f"focus not visible: {info}"
        assert len(seen) > 20


@pytest.mark.parametrize("prefix, target", [("", "ar"), ("ar/", "de"), ("en/", "uk")])
def test_language_bar_by_keyboard(desktop, base_url, prefix, target):
    """The language bar comes right after the skip link; each language is a visible link with focus ring."""
    page = desktop
    page.goto(base_url + prefix + "angebote/integrationskurs/")
    info = _tab_until(page, lambda i: i["hreflang"] == target, limit=12)
    assert info["visible"] and (info["outline"] or info["shadow"]), f"language link focused but not visible: {info}"
    wanted = base_url + ("" if target == "de" else target + "/") + "angebote/integrationskurs/"
    page.keyboard.press("Enter")
    page.wait_for_url(wanted, timeout=5000)
    assert page.locator("html").get_attribute("lang") == target


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_navigation_drawer_by_keyboard_on_phone(phone, base_url, prefix):
    page = phone
    page.goto(base_url + prefix)
    assert not _shown(page, ".md-sidebar--primary a.md-nav__link[href='links/']")
    _tab_until(page, lambda i: i["for"] == "__drawer")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert page.evaluate("() => document.getElementById('__drawer').checked"), "Enter did not open the drawer"
    info = _tab_until(page, lambda i: i["inSidebar"] and i["href"] == "links/")
    assert info["visible"], f"focused drawer link is not visible: {info}"
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + prefix + "links/")


@pytest.mark.parametrize("prefix, viewport", [("", DESKTOP), ("ar/", DESKTOP), ("ar/", PHONE), ("uk/", PHONE)])
def test_search_by_keyboard_opens_result_in_same_language(browser, site, base_url, prefix, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(base_url + prefix + "links/")
    page.wait_for_load_state("networkidle")  # search worker has its index
    word, _ = search_word(site, prefix)
    if viewport is PHONE:
        _tab_until(page, lambda i: i["for"] == "__search")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')", timeout=3000)
    else:
        _tab_until(page, lambda i: "md-search__input" in (i["cls"] or ""))
    page.wait_for_timeout(300)  # as a person would: Material drops input typed while the dialog opens
    page.keyboard.type(word, delay=60)
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/links/"), timeout=5000)
    assert page.url.startswith(base_url + prefix) and page.url != base_url + prefix + "links/", page.url
    if prefix:
        assert page.locator("html").get_attribute("lang") == prefix.strip("/")
    else:
        assert not any(page.url.startswith(base_url + lang.url_prefix) for lang in SITE.languages if lang.url_prefix)
    context.close()


# ---------------------------------------------------------------- privacy, CSP, console

class Recorder:
    def __init__(self, context, page):
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console: list[str] = []
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        context.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        page.on("console", lambda m: m.type in ("error", "warning") and self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))


@pytest.mark.parametrize("prefix", PRIVACY_LANGUAGES)
def test_only_own_origin_no_cookies_no_errors(browser, site, base_url, prefix):
    """Start page, an offer, links, integration concept and the 404 page, with search used:
    every request goes to our server, nothing fails, no console errors, no cookies."""
    own = base_url.rstrip("/")
    problems = []
    for path in PRIVACY_PAGES + [MISSING_PAGE]:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.add_init_script(CSP_COLLECTOR)
        rec = Recorder(context, page)
        url = base_url + prefix + path
        # The one 404 page for all languages is a German page frame: German search index.
        index_prefix = "" if path == MISSING_PAGE else prefix
        page.goto(url)
        page.wait_for_load_state("networkidle")
        use_search(page, search_word(site, index_prefix)[0])
        page.wait_for_load_state("networkidle")
        foreign = [r for r in rec.requests if not (r.startswith(own + "/") or r.startswith("data:"))]
        failed = rec.failed
        console = rec.console
        if path == MISSING_PAGE:  # the document itself is a 404 by design
            failed = [f for f in failed if not f.startswith(url)]
            console = [c for c in console if "404" not in c]
        if foreign:
            problems.append(f"{short(url)}: requests to other origins: {foreign}")
        if failed:
            problems.append(f"{short(url)}: failed requests: {failed}")
        if console:
            problems.append(f"{short(url)}: console: {console}")
        if context.cookies() or page.evaluate("document.cookie"):
            problems.append(f"{short(url)}: cookies: {context.cookies()} {page.evaluate('document.cookie')!r}")
        if not any("search_index.json" in r for r in rec.requests):
            problems.append(f"{short(url)}: search index not loaded")
        wrong_index = [r for r in rec.requests if "search_index.json" in r and r != base_url + index_prefix + "search/search_index.json"]
        if wrong_index:
            problems.append(f"{short(url)}: another language's search index: {wrong_index}")
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("prefix", ["", "ar/", "fa/", "ps/"])
def test_content_security_policy_is_never_violated(browser, site, base_url, prefix):
    """Every kind of page (start, overview, offer, links, concept, contact, legal, 404), also
    after using search: no securitypolicyviolation event, no CSP console message."""
    word, _ = search_word(site, prefix)
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(CSP_COLLECTOR)
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    problems = []
    for path in KEY_PAGES + [MISSING_PAGE]:
        messages.clear()
        page.goto(base_url + prefix + path)
        assert "default-src 'self'" in page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
        use_search(page, word if path != MISSING_PAGE else search_word(site, "")[0])  # 404: German frame
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        csp_messages = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
        if violations or csp_messages:
            problems.append(f"{prefix}{path}: {violations} {csp_messages}")
    context.close()
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- without JavaScript

@pytest.fixture
def no_js(browser):
    contexts = []

    def make(viewport):
        context = browser.new_context(viewport=viewport, java_script_enabled=False)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_without_javascript_desktop_navigation_and_search_notice(no_js, site, base_url, prefix):
    page = no_js(DESKTOP)
    page.goto(base_url + prefix + "angebote/integrationskurs/")
    assert page.locator("article h1").is_visible()
    nav_links = page.locator(".md-sidebar--primary a.md-nav__link")
    visible = [nav_links.nth(i) for i in range(nav_links.count()) if nav_links.nth(i).is_visible()]
    assert len(visible) >= 10, "sidebar navigation not visible without JavaScript"
    notice = page.locator(".site-search-nojs")
    assert notice.is_visible(), "no visible note that search needs JavaScript"
    from sitekit.checks import load_data  # noqa: PLC0415
    language = prefix.strip("/") or "de"
    assert notice.inner_text().strip() == load_data(SITE)[0].ui(language)["search_needs_js"]
    assert page.evaluate("() => !!document.querySelector('.site-search-nojs').closest('header')")
    visible[-1].click()
    page.wait_for_load_state()
    assert page.url.startswith(base_url + prefix)


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_without_javascript_drawer_works_on_phone(no_js, base_url, prefix):
    page = no_js(PHONE)
    page.goto(base_url + prefix)
    link = page.locator(".md-sidebar--primary a.md-nav__link[href*='links']").first
    assert not _in_viewport(link)
    assert page.locator(".site-search-nojs").is_visible()
    sizes = page.evaluate(NO_SCROLL)
    assert sizes[0] <= sizes[1], "the search notice makes the page scroll sideways"
    page.locator(".md-header label[for=__drawer]").click()
    page.wait_for_timeout(400)
    assert _in_viewport(link), "drawer did not open without JavaScript"
    link.click()
    page.wait_for_load_state()
    assert "/links/" in page.url


def _in_viewport(locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["width"] > 0 and box["x"] >= -1 and box["x"] + box["width"] <= PHONE["width"] + 1


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_without_javascript_language_bar(no_js, base_url, prefix):
    page = no_js(DESKTOP)
    start = base_url + prefix + "angebote/integrationskurs/"
    page.goto(start)
    links = page.locator("nav.site-languages li > a")
    assert links.count() == len(SITE.languages)
    for i in range(links.count()):
        code = links.nth(i).get_attribute("hreflang")
        assert links.nth(i).is_visible()
        page.locator(f"nav.site-languages a[hreflang={code}]").click()
        page.wait_for_load_state()
        expected = base_url + ("" if code == "de" else code + "/") + "angebote/integrationskurs/"
        assert page.url == expected
        assert page.locator("html").get_attribute("lang") == code
        page.goto(start)


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_without_javascript_every_link_works(no_js, site, base_url, prefix):
    """Every internal link on every page of the language leads to a page that exists (HTTP 200)."""
    page = no_js(DESKTOP)
    own = base_url.rstrip("/")
    pages = [u for u in page_urls(site, base_url) if u.startswith(base_url + prefix) and
             (prefix or not any(u.startswith(base_url + lang.url_prefix) for lang in SITE.languages if lang.url_prefix))]
    checked: dict[str, int] = {}
    broken = []
    for url in pages:
        if url.endswith("404.html"):
            continue
        page.goto(url)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            target = href.split("#")[0]
            if not target.startswith(own + "/"):
                continue
            if target not in checked:
                checked[target] = page.request.get(target).status
            if checked[target] != 200:
                broken.append(f"{short(url)} -> {short(target)} ({checked[target]})")
    assert len(checked) > 20
    assert not broken, "\n".join(broken)


# ---------------------------------------------------------------- nothing on any page leaves the site

def test_every_page_stays_on_the_site_and_runs_only_its_own_scripts(site, base_url):
    """Every built page with all requests to other hosts blocked: no navigation away (e.g. a meta
    refresh), no script but the site's own files, no request to another host, no inline script."""
    own_scripts = {"/" + path.relative_to(site).as_posix() for path in site.rglob("*.js")}
    origin = base_url.rstrip("/")
    seen: dict[int, dict] = {}

    async def prepare(page):
        log = seen.setdefault(id(page), {"foreign": [], "scripts": [], "navigations": []})

        async def block(route):
            log["foreign"].append(route.request.url)
            await route.abort()
        await page.route(lambda url: not url.startswith(origin), block)
        page.on("request", lambda request: log["scripts"].append(urlsplit(request.url).path)
                if request.resource_type == "script" else None)
        page.on("framenavigated", lambda frame: log["navigations"].append(frame.url) if frame == page.main_frame else None)
        await page.add_init_script(CSP_COLLECTOR)

    async def check(page, url):
        log = seen[id(page)]
        await page.wait_for_load_state("load")
        await page.wait_for_timeout(150)  # a meta refresh or script redirect would fire now
        result = {
            "url": page.url,
            "navigations": [u for u in log["navigations"] if u != url],
            "foreign": list(log["foreign"]),
            "scripts": [s for s in log["scripts"] if s not in own_scripts],
            "inline": await page.evaluate("""[...document.scripts].filter(s => !s.src && s.type !== 'application/json')
                                             .map(s => s.textContent.slice(0, 60))"""),
            "refresh": await page.evaluate("document.querySelectorAll('meta[http-equiv]:not([http-equiv=Content-Security-Policy])').length"),
            "csp": await page.evaluate("window.__cspViolations"),
        }
        for key in ("foreign", "scripts", "navigations"):
            log[key].clear()
        return result

    urls = page_urls(site, base_url)
    results = crawl(urls, check, {"viewport": DESKTOP}, prepare=prepare)
    problems = []
    for url, result in sorted(results.items()):
        if result["url"] != url:
            problems.append(f"{short(url)}: left the page for {result['url']}")
        for key in ("navigations", "foreign", "scripts", "inline", "csp"):
            if result[key]:
                problems.append(f"{short(url)}: {key}: {result[key][:3]}")
        if result["refresh"]:
            problems.append(f"{short(url)}: meta http-equiv on the page")
    assert len(results) == len(urls)
    assert not problems, "\n".join(problems)
