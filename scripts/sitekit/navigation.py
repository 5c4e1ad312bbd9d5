"""The navigation, arranged from the pages' front matter (called by the navigation hook).

Order by ``order`` (then title), sections named after their index page and led by it
(``navigation.prune`` links a collapsed section to its first page), pages with
``in_nav: false`` only in the footer. Translations take order and in_nav from the German
page, so every language has the same menu.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .pages import order_of
from .site import Site

def _is_index(item) -> bool:
    file = getattr(item, "file", None)
    return bool(file) and PurePosixPath(file.src_uri).name == "index.md"


def _meta(item, site: Site, code: str) -> dict:
    file = getattr(item, "file", None)
    if file is None:  # a section: described by its index page
        index = next((child for child in getattr(item, "children", None) or [] if _is_index(child)), None)
        return _meta(index, site, code) if index else {}
    return site.page_meta(code, file.norm_src_uri)


def arrange(items: list, site: Site, code: str) -> list:
    kept = []
    for item in items:
        meta = _meta(item, site, code)
        if meta.get("in_nav") is False:
            continue
        if getattr(item, "children", None):
            item.children = arrange(item.children, site, code)
            if meta.get("title"):
                item.title = str(meta["title"])
        kept.append((item, order_of(meta)))
    return [item for item, _ in sorted(kept, key=lambda pair: (not _is_index(pair[0]), pair[1],
                                                                str(getattr(pair[0], "title", "") or "")))]


def pages_in(items: list) -> set[str]:
    """Source paths of every page in the arranged navigation, sections included (pruned or not).

    Asked once per language; the template asks per page whether its page is among them (walking
    the whole navigation in Jinja on every page made the build grow with the square of the pages)."""
    found: set[str] = set()
    for item in items:
        file = getattr(item, "file", None)
        if file is not None:
            found.add(file.src_uri)
        found |= pages_in(getattr(item, "children", None) or [])
    return found
