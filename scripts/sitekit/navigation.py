"""The navigation, arranged from the pages' front matter (called by the navigation hook).

Order by ``order`` (then title), sections named after their index page, pages with
``in_nav: false`` only in the footer. Translations take order and in_nav from the German
page, so every language has the same menu.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .pages import order_of
from .site import Site

def _meta(item, site: Site, code: str) -> dict:
    file = getattr(item, "file", None)
    if file is None:  # a section: described by its index page
        index = next((child for child in getattr(item, "children", None) or []
                      if getattr(child, "file", None) and PurePosixPath(child.file.src_uri).name == "index.md"), None)
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
    return [item for item, _ in sorted(kept, key=lambda pair: (pair[1], str(getattr(pair[0], "title", "") or "")))]
