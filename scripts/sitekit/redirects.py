"""Redirect pages for old addresses (data/redirects.yml, written by scripts/pages.py move/delete).

A static host cannot send HTTP redirects, so each old address gets a small page in every
language: noindex, a canonical link to the new page, an immediate refresh to it and a
visible link for readers whose browser does not follow the refresh.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from mkdocs.utils import get_relative_url

from .errors import ContentError
from .fields import list_field, require_mapping, unknown_fields
from .languages import SOURCE_LANGUAGE
from .site import Site
from .yamlfile import load_yaml


def load_redirects(site: Site) -> dict[str, str]:
    """{old page: new page} (paths below docs/de/), checked: old is no page, new is one."""
    from .checks import SAFE_PAGE_PATH

    path = site.data_dir / "redirects.yml"
    if not path.is_file():
        return {}
    name = site.display(path)
    data = require_mapping(load_yaml(path, name) or {}, name, "Die Datei")
    unknown_fields(data, {"redirects"}, name)
    result = {}
    for item in list_field(data, "redirects", name, optional=True):
        item = require_mapping(item, name, "Jeder Eintrag unter „redirects:“")
        unknown_fields(item, {"from", "to"}, name)
        old, new = str(item.get("from", "")), str(item.get("to", ""))
        for key, value in (("from", old), ("to", new)):
            if not SAFE_PAGE_PATH.fullmatch(value):
                raise ContentError(name, f"„{value}“ ist kein Seitenpfad.", "Pfade unter docs/de/ mit .md, z. B. kontakt.md.",
                                   item.line_of(key), key)
        if site.has_page(SOURCE_LANGUAGE, old):
            raise ContentError(name, f"„{old}“ ist wieder eine Seite; die Weiterleitung würde sie verdecken.",
                               "Löschen Sie diesen Eintrag.", item.line_of("from"), "from")
        if not site.has_page(SOURCE_LANGUAGE, new):
            raise ContentError(name, f"Das Ziel „{new}“ gibt es nicht.",
                               "Tragen Sie eine vorhandene Seite ein oder löschen Sie den Eintrag.", item.line_of("to"), "to")
        result[old] = new
    return result


def redirect_page(to_href: str, canonical: str, language: str, direction: str, title: str) -> str:
    return (f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
            f'<meta name="robots" content="noindex"><meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<title>{escape(title)}</title><link rel="canonical" href="{escape(canonical)}">'
            f'<meta http-equiv="refresh" content="0; url={escape(to_href)}"></head>'
            f'<body><p><a href="{escape(to_href)}">{escape(title)}</a></p></body></html>\n')


def write_redirect_pages(site_dir: str | Path, site_url: str, site: Site, redirects: dict[str, str],
                         titles: dict[str, str]) -> None:
    """``titles``: the link text per language (the new page's title)."""
    base = site_url.rstrip("/") + "/"
    for old, new in redirects.items():
        for language in site.languages:
            old_path = site.site_path(language.code, old)
            new_path = site.site_path(language.code, new)
            target = Path(site_dir) / old_path / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(redirect_page(get_relative_url(new_path or "./", old_path), base + new_path,
                                            language.code, language.direction, titles.get(f"{language.code}:{new}", new)),
                              encoding="utf-8")
