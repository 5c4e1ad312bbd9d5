"""The preview build setting (SITE_PREVIEW): noindex, a banner in German and the page's language,
no sitemap – and a public build that is exactly what it was without the setting."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from minisite import build, make_minisite
from sitekit.build_state import BuildState, is_preview
from sitekit.checks import SiteData
from sitekit.page_build import preview_context
from sitekit.site import Site

ROOT = Path(__file__).resolve().parents[1]
ROBOTS = re.compile(r'\n\s*<meta name="robots" content="noindex">')
OFFLINE_SIZE = re.compile(r'<p class="site-offline__size">[^<]*</p>')
BANNER = re.compile(r'\n\s*<aside class="md-banner">\s*<div class="md-banner__inner md-grid md-typeset">\s*'
                    r'<p class="site-preview">.*?</p>\s*</div>\s*</aside>', re.S)


@pytest.mark.parametrize("value, expected", [(True, True), ("true", True), (1, True), ("yes", True),
                                             (False, False), ("false", False), (None, False), ("", False), (0, False)])
def test_preview_setting_values(value, expected):
    assert is_preview(SimpleNamespace(extra={"preview": value})) is expected
    assert is_preview(SimpleNamespace(extra={})) is False


def test_banner_texts_german_first_then_the_page_language_with_direction():
    site = Site.load(ROOT)
    strings = {"de": {"preview_banner": "Vorschau – noch nicht veröffentlicht"}, "ar": {"preview_banner": "معاينة"}}
    state = BuildState(site=site, data=SiteData(strings=strings), preview=True)
    context = preview_context(state, "ar")
    assert context["site_preview"] is True
    assert [(lang.code, lang.direction, str(text)) for lang, text in context["preview_banner"]] == [
        ("de", "ltr", "Vorschau – noch nicht veröffentlicht"), ("ar", "rtl", "معاينة")]
    assert [lang.code for lang, _ in preview_context(state, "de")["preview_banner"]] == ["de"]
    assert preview_context(BuildState(site=site, data=SiteData(strings=strings)), "ar") == {}


def test_every_language_has_its_own_banner_text():
    from sitekit.checks import load_data

    site = Site.load(ROOT)
    texts = {code: load_data(site)[0].ui(code)["preview_banner"] for code in site.codes}
    assert texts["de"] == "Vorschau – noch nicht veröffentlicht"
    others = [text for code, text in texts.items() if code != "de"]
    assert len(set(others)) == len(others) and "Vorschau – noch nicht veröffentlicht" not in others


def html_files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html"))}


@pytest.mark.build
def test_public_build_unchanged_and_preview_adds_only_noindex_banner_and_drops_the_sitemap(tmp_path):
    project = make_minisite(tmp_path / "project")
    public = build(project, tmp_path / "public")
    preview = build(project, tmp_path / "preview", SITE_PREVIEW="true")
    assert public.returncode == 0, public.stdout + public.stderr
    assert preview.returncode == 0, preview.stdout + preview.stderr
    public_html, preview_html = html_files(tmp_path / "public"), html_files(tmp_path / "preview")
    assert public_html.keys() == preview_html.keys() and len(public_html) > 5
    for name, html in public_html.items():
        if name.startswith("offline/"):
            continue  # the offline pages (shown by the service worker) are never indexed anyway
        assert "noindex" not in html and "site-preview" not in html and "md-banner" not in html, name
        stripped = BANNER.sub("", ROBOTS.sub("", preview_html[name], count=1), count=1)
        # the size of a language saved for offline reading includes the banner, of course
        assert OFFLINE_SIZE.sub("", stripped) == OFFLINE_SIZE.sub("", html), \
            f"{name}: the preview differs by more than the noindex meta and the banner"
        page = BeautifulSoup(preview_html[name], "html.parser")
        assert page.select_one("meta[name=robots]")["content"] == "noindex"
        spans = page.select(".md-banner .site-preview span")
        assert spans[0]["lang"] == "de" and spans[0].get_text() == "Vorschau – noch nicht veröffentlicht", name
    assert [s["lang"] for s in BeautifulSoup(preview_html["ar/kontakt/index.html"], "html.parser").select(".site-preview span")] == ["de", "ar"]
    assert (tmp_path / "public" / "sitemap.xml").is_file() and (tmp_path / "public" / "sitemap.xml.gz").is_file()
    assert not list((tmp_path / "preview").rglob("sitemap.xml*"))
    other = {p.relative_to(tmp_path / "public").as_posix() for p in (tmp_path / "public").rglob("*")
             if p.is_file() and p.suffix != ".html" and not p.name.startswith("sitemap.xml")
             and p.parent.name != "offline"}  # offline manifests list the (different) pages' hashes
    for name in other:
        assert (tmp_path / "public" / name).read_bytes() == (tmp_path / "preview" / name).read_bytes(), name
