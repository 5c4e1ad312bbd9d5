"""What the tests need to know about the site's structure, derived from the repository."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sitekit.site import Site, page_url_in_language

ROOT = Path(__file__).resolve().parents[1]
SITE = Site.load(ROOT)


def german_pages() -> dict[str, Path]:
    return SITE.source_pages


def built_page(site: Path, language_prefix: str, rel_path: str) -> Path:
    return site / language_prefix / page_url_in_language(rel_path) / "index.html"


def all_built_pages(site: Path):
    """(language, rel_path, html file) for every page in every built language."""
    for lang in SITE.languages:
        for rel_path in german_pages():
            yield lang, rel_path, built_page(site, lang.url_prefix, rel_path)


def resolve_link(page_file: Path, site: Path, href: str) -> Path:
    """The file a relative link on a built page leads to."""
    base = "/" + page_file.parent.relative_to(site).as_posix() + "/"
    target = urlsplit(urljoin(base, href)).path
    resolved = site / target.lstrip("/")
    return resolved / "index.html" if target.endswith("/") else resolved
