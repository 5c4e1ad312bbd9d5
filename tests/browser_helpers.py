"""What the browser tests share: axe-core, viewports, crawling many pages in a few tabs, search."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

from sitekit.browser import CHROMIUM_ARGS, chromium_path
from sitemap_helpers import all_built_pages

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
CONCURRENCY = 3


CSP_COLLECTOR = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + (e.sourceFile || '') + ':' + e.lineNumber + ')'));
"""


def page_urls(site: Path, base: str) -> list[str]:
    """URL of every page of every language, and of the 404 page."""
    urls = []
    for lang, rel_path, html_file in all_built_pages(site):
        assert html_file.exists(), html_file
        rel = html_file.relative_to(site).as_posix()
        urls.append(base + rel[: -len("index.html")])
    return urls + [base + "404.html"]


def short(url: str) -> str:
    return urlsplit(url).path


# ---------------------------------------------------------------- crawling many pages at once

def crawl(urls: list[str], check, context_options: dict, concurrency: int = CONCURRENCY,
          prepare=None) -> dict[str, object]:
    """Run ``async check(page, url)`` for every URL in a few tabs of one browser; {url: result}.
    ``async prepare(page)`` runs once per tab before its first page (e.g. to watch requests).
    Runs in its own thread with its own event loop (independent of the module's sync browser)."""
    from playwright.async_api import async_playwright

    results: dict[str, object] = {}
    errors: list[BaseException] = []

    async def main():
        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(executable_path=chromium_path(),
                                                        args=CHROMIUM_ARGS)
            queue: asyncio.Queue = asyncio.Queue()
            for url in urls:
                queue.put_nowait(url)

            async def worker():
                context = await chromium.new_context(**context_options)
                page = await context.new_page()
                if prepare is not None:
                    await prepare(page)
                while not queue.empty():
                    url = queue.get_nowait()
                    await page.goto(url)
                    results[url] = await check(page, url)
                await context.close()

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            await chromium.close()

    def run():
        try:
            asyncio.run(main())
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results


AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
     targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))"""


def search_word(site: Path, prefix: str) -> tuple[str, str]:
    """A word from the language's own index (a page title) and that page's location."""
    index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        if doc["location"].startswith("angebote/") and "#" not in doc["location"] and doc["location"] != "angebote/":
            word = max(re.split(r"[\s\-–:,()]+", doc["title"]), key=len)
            return word, doc["location"]
    raise AssertionError("no offer page in the index")


def use_search(page, word: str) -> None:
    page.wait_for_load_state("networkidle")  # search worker has its index (typing earlier is dropped)
    page.keyboard.press("/")  # Material's shortcut: opens and focuses the search
    page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')", timeout=3000)
    page.wait_for_timeout(300)  # as a person would: Material drops input typed while the dialog opens
    page.keyboard.type(word, delay=60)
    try:
        try:
            page.wait_for_selector(".md-search-result__item", timeout=4000)
        except Exception:
            # Known Material quirk: on a fresh visit a query typed while the worker is still
            # indexing is sometimes not run; one more keystroke runs it (as a reader would retype).
            page.keyboard.press("Backspace")
            page.keyboard.type(word[-1])
            page.wait_for_selector(".md-search-result__item", timeout=10000)
    except Exception as error:
        raise AssertionError(f"{page.url}: no search results for {word!r}: "
                             f"{page.locator('.md-search-result__meta').inner_text()!r}") from error
