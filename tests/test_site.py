"""The built site: every page, the generated sections, the footer, and no third-party resources."""

from __future__ import annotations

import pytest
import re


from conftest import soup
from sitemap_helpers import SITE, all_built_pages, built_page, german_pages, resolve_link
from sitekit.checks import load_data

pytestmark = pytest.mark.build  # builds the site (the build tier)


def test_every_page_of_every_language_is_built(site):
    missing = [str(path) for _, _, path in all_built_pages(site) if not path.is_file()]
    assert not missing
    assert len(german_pages()) >= 19  # start, overview, 9 offers, concept, aid, links, contact, 2 access, 3 legal


def test_every_page_has_title_description_and_stand(site):
    for lang, rel_path, path in all_built_pages(site):
        html = soup(path)
        assert html.title and html.title.string.strip(), path
        description = html.find("meta", attrs={"name": "description"})
        assert description and len(description["content"]) > 20, path
        stand = html.select_one(".page-stand")
        assert stand is not None and re.search(r"\d{4}", stand.get_text()), f"no Stand on {path}"


def test_footer_links_to_legal_pages_on_every_page(site):
    for lang, rel_path, path in all_built_pages(site):
        links = soup(path).select(".site-footer__legal a[href]")
        targets = {resolve_link(path, site, a["href"]) for a in links}
        assert {"impressum", "datenschutz", "barrierefreiheit", "leichte-sprache"} <= set(SITE.footer_pages)
        expected = {built_page(site, lang.url_prefix, name) for name in SITE.footer_pages.values()}
        assert expected <= targets, f"{path}: footer lacks {expected - targets}"


def test_all_internal_linksresolve_link(site):
    broken = []
    for html_file in site.rglob("*.html"):
        if html_file.name == "404.html":
            continue
        for a in soup(html_file).find_all(["a", "link"], href=True):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:", "tel:", "#", "javascript:")):
                continue
            if not resolve_link(html_file, site, href.split("#")[0]).exists():
                broken.append(f"{html_file.relative_to(site)} -> {href}")
    assert not broken, "\n".join(broken[:20])


def test_offer_overview_lists_exactly_the_offer_pages(site):
    overview = built_page(site, "", "angebote/index.md")
    cards = soup(overview).select(".offer-card a[href]")
    linked = {resolve_link(overview, site, a["href"]) for a in cards}
    offers = {rel for rel, path in german_pages().items() if SITE.page('de', rel).is_offer}
    assert len(offers) == 9
    assert linked == {built_page(site, "", rel) for rel in offers}
    # Cards follow the front matter order and show title and summary from it.
    ordered = sorted((SITE.page('de', rel) for rel in offers), key=lambda p: p.meta['order'])
    titles = [card.get_text(strip=True) for card in soup(overview).select(".offer-card__title")]
    assert titles == [page.title for page in ordered]
    summaries = [s.get_text(strip=True) for s in soup(overview).select(".offer-card__summary")]
    assert summaries == [str(page.meta["summary"]) for page in ordered]


def test_offer_pages_appear_in_navigation(site):
    overview = built_page(site, "", "angebote/index.md")
    nav_targets = {resolve_link(overview, site, a["href"]) for a in soup(overview).select(".md-nav--primary a[href]")}
    for rel, path in german_pages().items():
        if SITE.page('de', rel).is_offer:
            assert built_page(site, "", rel) in nav_targets


def test_links_page_renders_every_entry_of_the_data_file(site):
    page = soup(built_page(site, "", "links.md"))
    groups = load_data(SITE)[0].links
    assert [h.get_text(strip=True) for h in page.select(".link-group h2")] == [g.title["de"] for g in groups]
    rendered = page.select(".link-item")
    entries = [link for group in groups for link in group.links]
    assert len(rendered) == len(entries)
    for item, link in zip(rendered, entries):
        anchor = item.select_one("a.external-link")
        assert anchor["href"] == link.url
        assert link.name["de"] in anchor.get_text()
        # visible mark (icon) and a text for screen readers
        assert anchor.select_one(".external-mark[aria-hidden=true]") is not None
        assert anchor.select_one(".visually-hidden").get_text(strip=True) == "(andere Website)"
        assert item.select_one(".link-item__description").get_text(strip=True) == link.description["de"]
        if link.languages:
            assert [s["lang"] for s in item.select(".link-item__languages span[lang]")] == list(link.languages)


def test_documents_section_renders_every_entry(site):
    manifest = load_data(SITE)[0].documents
    page = soup(built_page(site, "", "integrationskonzept.md"))
    items = page.select(".document-list .document")
    assert len(items) == len(manifest.entries)
    if not manifest.entries:
        assert page.select_one(".documents-none") is not None


def test_markdown_links_to_other_sites_are_marked(site):
    for _, _, path in all_built_pages(site):
        for a in soup(path).select(".md-content a[href^='https://']"):
            assert "external-link" in a.get("class", []), f"{path}: {a}"
            assert a.select_one(".visually-hidden") is not None


RESOURCE_PATTERNS = [
    re.compile(r"<(?:script|img|iframe|source|video|audio|embed|track|input)\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", re.I),
    re.compile(r"<link\b(?![^>]*\brel\s*=\s*[\"']?(?:alternate|canonical)\b)[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//", re.I),
    re.compile(r"<object\b[^>]*\bdata\s*=\s*[\"']?\s*(?:https?:)?//", re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?\s*(?:https?:)?//", re.I),
    re.compile(r"url\(\s*[\"']?\s*(?:https?:)?//", re.I),
    re.compile(r"\bsrcset\s*=\s*[\"'][^\"']*(?:https?:)?//", re.I),
]


def test_no_resource_from_another_host(site):
    offenders = []
    for path in site.rglob("*"):
        if path.suffix not in {".html", ".css", ".js"} or "search" in path.parts and path.suffix == ".js":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in RESOURCE_PATTERNS:
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(site)}: {text[match.start():match.start() + 100]}")
    assert not offenders, "\n".join(offenders[:20])


def test_resource_check_catches_a_google_font(tmp_path):
    """The check above must be able to fail."""
    (tmp_path / "x.html").write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">')
    (tmp_path / "y.css").write_text("@font-face{src:url(//fonts.gstatic.com/x.woff2)}")
    hits = [p for f in tmp_path.iterdir() for p in RESOURCE_PATTERNS if p.search(f.read_text())]
    assert len(hits) == 2


def test_print_stylesheet_hides_navigation_and_prints_link_targets(site):
    css = (site / "assets/stylesheets/site.css").read_text()
    print_css = css[css.index("@media print"):]
    assert ".md-sidebar" in print_css and "display: none" in print_css
    assert 'content: " (" attr(href) ")"' in print_css


def test_html_lang_and_skip_link(site):
    for lang, _, path in all_built_pages(site):
        html = soup(path)
        assert html.html["lang"] == lang.code and html.html["dir"] == lang.direction, path
        skip = html.select_one("a.md-skip")
        assert skip is not None and html.select_one(skip["href"]) is not None, path


def test_offline_manifest_per_language_lists_its_own_pages_shared_assets_and_hashes(site):
    """offline/<lang>.json: the language's pages and files (existing, with the right size and hash),
    never another language's pages; the worker at the site root; an offline page per language."""
    import hashlib
    import json

    assert (site / "sw.js").is_file() and not (site / "assets" / "javascripts" / "offline-worker.js").exists()
    versions = set()
    for lang in SITE.languages:
        manifest = json.loads((site / "offline" / f"{lang.code}.json").read_text(encoding="utf-8"))
        paths = [path for path, _, _ in manifest["files"]]
        assert manifest["language"] == lang.code and manifest["prefix"] == lang.url_prefix
        for rel_path in german_pages():
            assert SITE.site_path(lang.code, rel_path) in paths
        others = [other for other in SITE.languages if other.code != lang.code and other.url_prefix]
        assert not [p for p in paths if any(p.startswith(other.url_prefix) for other in others)], lang.code
        assert f"{lang.url_prefix}search/search_index.json" in paths
        assert f"offline/{lang.code}.html" in paths
        assert any(p.startswith("assets/javascripts/bundle.") for p in paths)
        assert any(p.startswith("assets/javascripts/workers/search-on-demand.js?worker=search.") for p in paths)
        for path, size, digest in manifest["files"]:
            file = site / path.split("?")[0]
            file = file / "index.html" if path == "" or path.endswith("/") else file
            data = file.read_bytes()
            assert (len(data), hashlib.sha256(data).hexdigest()[:16]) == (size, digest), path
        assert manifest["version"] == hashlib.sha256(json.dumps(manifest["files"]).encode()).hexdigest()[:16]
        versions.add(manifest["version"])
        offline_page = soup(site / "offline" / f"{lang.code}.html")
        assert offline_page.html["lang"] == lang.code and offline_page.html["dir"] == lang.direction
        start = (built_page(site, lang.url_prefix, "index.md")).read_text(encoding="utf-8")
        assert "<!--offline-size-->" not in start and 'class="site-offline"' in start
    assert len(versions) == len(SITE.languages)


def test_language_hint_texts_are_one_shared_file_not_part_of_every_page(site):
    import json

    hints = json.loads((site / "assets/javascripts/language-hints.json").read_text(encoding="utf-8"))
    data = load_data(SITE)[0]
    assert hints == {lang.code: {"offer": data.ui(lang.code)["language_hint"], "close": data.ui(lang.code)["language_hint_close"]}
                     for lang in SITE.languages}
    bar = soup(built_page(site, "uk", "links.md")).select_one("nav.site-languages")
    assert len(bar.select("a[hreflang]")) == len(SITE.languages)
    assert not bar.select("[data-hint]")
