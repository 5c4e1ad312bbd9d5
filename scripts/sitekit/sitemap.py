"""sitemap.xml with absolute hreflang alternates (translated pages only) and x-default."""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from .languages import SOURCE_LANGUAGE
from .site import Site


def sitemap_xml(site_url: str, site: Site) -> str:
    base = site_url.rstrip("/") + "/"
    entries = []
    for rel_path in site.source_pages:
        translated = site.available_languages(rel_path)
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{code}" href="{xml_escape(base + site.site_path(code, rel_path))}"/>'
            for code in translated
        ) + (f'<xhtml:link rel="alternate" hreflang="x-default" '
             f'href="{xml_escape(base + site.site_path(SOURCE_LANGUAGE, rel_path))}"/>')
        for code in translated:
            entries.append(f"<url><loc>{xml_escape(base + site.site_path(code, rel_path))}</loc>{alternates}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
            + "\n".join(entries) + "\n</urlset>\n")


def write_sitemap(site_dir: str | Path, site_url: str, site: Site, preview: bool = False) -> None:
    """The public site gets one sitemap.xml (+ .gz); a pull-request preview gets none at all, so
    that no search engine learns its addresses from it."""
    site_dir = Path(site_dir)
    if preview:
        (site_dir / "sitemap.xml").unlink(missing_ok=True)
        (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
    else:
        xml = sitemap_xml(site_url, site)
        (site_dir / "sitemap.xml").write_text(xml, encoding="utf-8")
        (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode("utf-8"), mtime=0))
    for lang in site.languages:  # per-language copies the i18n plugin leaves behind would lack x-default
        if lang.url_prefix:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (site_dir / lang.url_prefix / name).unlink(missing_ok=True)
