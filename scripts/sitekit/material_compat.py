"""Everything this site knows about Material for MkDocs' internals, in one place.

Written for the version in ``MATERIAL_VERSION``. ``problems()`` (run by a fast test)
compares the installed Material with what the code and the forked templates in
overrides/ assume, and says what to re-check after an update:

- the forked templates below (copies of Material's with small accessibility or CSP changes)
  and the hash of the Material original each was made from;
- the hashed file name of the search worker (taken from the installed package, never
  written by hand);
- the selector in the JavaScript bundle that switches off the language helper;
- the lunr stemmers that ship with Material.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
from pathlib import Path

MATERIAL_VERSION = "9.8.2"
# override in overrides/ -> (Material template it replaces or depends on, sha256/16 of that template in MATERIAL_VERSION)
FORKS = {
    "partials/header.html": ("partials/header.html", "8cf3fb15bcf969ff"),
    "partials/nav-item.html": ("partials/nav-item.html", "89895208f22d68ce"),
    "partials/search.html": ("partials/search.html", "bfd556535abcddb9"),
    "partials/toc.html": ("partials/toc.html", "fde48f583563364b"),
    "partials/javascripts/base.html": ("partials/javascripts/base.html", "d6113712bc4deb30"),
    "partials/javascripts/content.html": ("partials/javascripts/content.html", "3722e156f0f6339d"),
    "partials/alternate.html": ("partials/alternate.html", "572b1d4dae611aa5"),
    # frame.html copies base.html's config block; main.html and 404.html filter base.html's markup
    "partials/frame.html": ("base.html", "a919e32d2225e09e"),
}
# Material's language-switch helper fetches "<alternate URL>/sitemap.xml" for every
# <link rel=alternate> in the head: 404s and console errors in this layout (see
# STACK.md). We keep the hreflang links for search engines and turn the helper off.
BUNDLE_SELECTOR = 'M("link[rel=alternate]")'
BUNDLE_SELECTOR_OFF = 'M("link[rel=alternate][data-md-switch]")'


class MaterialChanged(Exception):
    pass


def templates_dir() -> Path:
    spec = importlib.util.find_spec("material")
    return Path(spec.origin).parent / "templates"


def installed_version() -> str:
    return importlib.metadata.version("mkdocs-material")


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@functools.lru_cache(maxsize=1)  # asked for on every page; the installed Material does not change during a build
def search_worker_path() -> str:
    """Material's search worker below the site root, e.g. assets/javascripts/workers/search.a7633da7.min.js."""
    workers = sorted((templates_dir() / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise MaterialChanged(f"expected one search worker in Material {installed_version()}, found {len(workers)}")
    return f"assets/javascripts/workers/{workers[0].name}"


def lunr_has_stemmer(code: str) -> bool:
    return code == "en" or (templates_dir() / "assets" / "javascripts" / "lunr" / "min" / f"lunr.{code}.min.js").exists()


def patch_bundle(site_dir: str | Path) -> None:
    for bundle in (Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js"):
        text = bundle.read_text(encoding="utf-8")
        if BUNDLE_SELECTOR in text:
            bundle.write_text(text.replace(BUNDLE_SELECTOR, BUNDLE_SELECTOR_OFF), encoding="utf-8")
        elif BUNDLE_SELECTOR_OFF not in text:
            raise MaterialChanged(f"{bundle}: Material's language-switch helper changed; update BUNDLE_SELECTOR "
                                  "in scripts/sitekit/material_compat.py")


def problems() -> list[str]:
    """What to re-check because the installed Material differs from what this site was written for."""
    found = []
    version = installed_version()
    if version != MATERIAL_VERSION:
        found.append(f"Material {version} is installed, this site was written for {MATERIAL_VERSION}: re-check the "
                     "forked templates, the bundle patch and the search worker, then update MATERIAL_VERSION.")
    templates = templates_dir()
    for override, (original, expected) in FORKS.items():
        path = templates / original
        if not path.is_file():
            found.append(f"Material no longer has {original} (overrides/{override} is based on it).")
        elif _hash(path) != expected:
            found.append(f"Material's {original} changed: compare it with overrides/{override}, carry the changes "
                         f"over, then set its hash in FORKS to {_hash(path)}.")
    try:
        search_worker_path()
    except MaterialChanged as error:
        found.append(str(error))
    bundles = list((templates / "assets" / "javascripts").glob("bundle.*.min.js"))
    if not any(BUNDLE_SELECTOR in bundle.read_text(encoding="utf-8") for bundle in bundles):
        found.append("The language-switch helper's selector is not in Material's bundle: update BUNDLE_SELECTOR.")
    return found
