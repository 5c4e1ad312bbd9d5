"""The pruned navigation (navigation.prune): every page lists the top level and its own section;
a collapsed section leads to its overview page. Keeps a page's HTML small as the site grows."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from conftest import soup
from sitemap_helpers import SITE, built_page

pytestmark = pytest.mark.build

OFFERS = [rel for rel in SITE.source_pages if SITE.page("de", rel).is_offer]


def _targets(site, page):
    """Pages the primary navigation links to, as paths below the site root."""
    base = "http://x/" + page.relative_to(site).parent.as_posix() + "/"
    return {urljoin(base, a["href"]).removeprefix("http://x/")
            for a in soup(page).select(".md-sidebar--primary .md-nav--primary a[href]")}


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_outside_a_section_its_pages_are_not_listed_and_it_leads_to_its_overview(site, prefix):
    page = built_page(site, prefix, "kontakt.md")
    targets = _targets(site, page)
    assert not {f"{prefix}{rel.removesuffix('.md')}/" for rel in OFFERS} & targets
    pruned = soup(page).select(".md-nav--primary .md-nav__item--pruned > a[href]")
    assert len(pruned) == 1
    assert urljoin(f"http://x/{prefix}kontakt/", pruned[0]["href"]) == f"http://x/{prefix}angebote/"
    assert pruned[0].get_text(strip=True) == SITE.page_meta(prefix.strip("/") or "de", "angebote/index.md")["title"]


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_inside_a_section_every_page_of_it_is_listed(site, prefix):
    for rel in ("angebote/index.md", "angebote/integrationskurs.md"):
        targets = _targets(site, built_page(site, prefix, rel))
        assert {f"{prefix}{offer.removesuffix('.md')}/" for offer in OFFERS} <= targets, rel
