"""Everything this site knows about Material for MkDocs' internals, in one place.

Written for the version in ``MATERIAL_VERSION``. ``problems()`` (run by a fast test)
compares the installed Material with what the code and the forked templates in
overrides/ assume, and says what to re-check after an update:

- the forked templates below (copies of Material's with small accessibility or CSP changes)
  and the hash of the Material original each was made from;
- the hashed file name of the search worker (taken from the installed package, never
  written by hand);
- the selector in the JavaScript bundle that switches off the language helper;
- search on demand: the bundle patch that fetches the search index only when the reader
  opens the search, and what our worker shim (docs/assets/javascripts/workers/) assumes
  about Material's search worker;
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
    # frame.html copies base.html's config block; main.html and 404.html filter base.html's markup
    "partials/frame.html": ("base.html", "a919e32d2225e09e"),
}
# Material's language-switch helper fetches "<alternate URL>/sitemap.xml" for every
# <link rel=alternate> in the head: 404s and console errors in this layout (see
# STACK.md). We keep the hreflang links for search engines and turn the helper off.
BUNDLE_SELECTOR = 'M("link[rel=alternate]")'
BUNDLE_SELECTOR_OFF = 'M("link[rel=alternate][data-md-switch]")'

# Search on demand (issue #16): most readers never search, yet Material starts its search worker
# and fetches the language's index (and the worker its lunr stemmer) on every page load.
# 1. Index: Material's setupSearchWorker() (integrations/search/worker/_/index.ts) subscribes to the
#    index once `merge(of(location.protocol !== "file:"), watchToggle("search"))` is true, i.e. at
#    once over http(s), and only when the search opens for file:// pages. The patch makes it behave
#    as for file:// everywhere: the index is fetched when the search toggle turns on, which Material
#    does when the search field gets focus (click, tap, "/", "s", "f", ?q= deep link). Keys typed
#    before the index arrives are kept: mountSearchQuery() sends the latest query when the worker
#    reports READY.
#    The "search.highlight" feature subscribes to the index at load too (mountSearchHiglight():
#    combineLatest([index$, location$ with ?h=])); patched to fetch the index only for a page opened
#    from a search result (?h=...): location$.pipe(startWith, filter, switchMap(url => index$ + url)).
# 2. Worker: the "search" URL in the page's __config points to our shim
#    (SEARCH_WORKER_SHIM), which loads Material's worker with importScripts() when the first message
#    (the index, see 1.) arrives and hands that message on. The shim lives next to Material's worker,
#    so the worker's relative stemmer paths ("../lunr/min/...") still resolve.
SEARCH_INDEX_AT_LOAD = 'L($(location.protocol!=="file:"),Je("search"))'
SEARCH_INDEX_ON_DEMAND = 'L($(!1),Je("search"))'
HIGHLIGHT_INDEX_AT_LOAD = 'z([t,r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")))])'
HIGHLIGHT_INDEX_ON_DEMAND = 'r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")),b(o=>t.pipe(m(n=>[n,o]))))'
SEARCH_WORKER_SHIM = "assets/javascripts/workers/search-on-demand.js"
# What the shim needs from Material's worker: a "message" listener (it re-dispatches the first
# message to it) and stemmers loaded relative to the worker's folder.
WORKER_ASSUMPTIONS = ('addEventListener("message",', '"../lunr"')


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


def search_worker_config() -> str:
    """The "search" entry of the page config: our shim, told which Material worker to load on demand."""
    return f"{SEARCH_WORKER_SHIM}?worker={search_worker_path().rsplit('/', 1)[1]}"


def lunr_files(code: str) -> list[str]:
    """What Material's worker loads for a language's stemmer, below the site root (none for English
    and for languages searched without stemming)."""
    if code == "en" or not lunr_has_stemmer(code):
        return []
    return ["assets/javascripts/lunr/min/lunr.stemmer.support.min.js", f"assets/javascripts/lunr/min/lunr.{code}.min.js"]


def lunr_has_stemmer(code: str) -> bool:
    return code == "en" or (templates_dir() / "assets" / "javascripts" / "lunr" / "min" / f"lunr.{code}.min.js").exists()


BUNDLE_PATCHES = (
    (BUNDLE_SELECTOR, BUNDLE_SELECTOR_OFF,
     "Material's language-switch helper changed; update BUNDLE_SELECTOR"),
    (SEARCH_INDEX_AT_LOAD, SEARCH_INDEX_ON_DEMAND,
     "Material's setupSearchWorker() changed (search index fetched at page load); re-check how it subscribes "
     "to the index and update SEARCH_INDEX_AT_LOAD / SEARCH_INDEX_ON_DEMAND"),
    (HIGHLIGHT_INDEX_AT_LOAD, HIGHLIGHT_INDEX_ON_DEMAND,
     "Material's mountSearchHiglight() changed (search index fetched at page load); re-check it and update "
     "HIGHLIGHT_INDEX_AT_LOAD / HIGHLIGHT_INDEX_ON_DEMAND"),
)


def patch_bundle_text(text: str, name: str = "bundle") -> str:
    """The bundle with every patch applied once; MaterialChanged if a patched spot is not found exactly once."""
    for original, patched, hint in BUNDLE_PATCHES:
        count = text.count(original)
        if count == 1:
            text = text.replace(original, patched)
        elif count or text.count(patched) != 1:
            raise MaterialChanged(f"{name}: {hint} in scripts/sitekit/material_compat.py "
                                  f"(found {count} times, expected once)")
    return text


def patch_bundle(site_dir: str | Path) -> None:
    bundles = list((Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise MaterialChanged(f"expected one Material bundle in {site_dir}, found {len(bundles)}")
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        patched = patch_bundle_text(text, str(bundle))
        if patched != text:
            bundle.write_text(patched, encoding="utf-8")


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
    for original, _, hint in BUNDLE_PATCHES:
        if sum(bundle.read_text(encoding="utf-8").count(original) for bundle in bundles) != 1:
            found.append(f"Material's bundle: {hint}.")
    try:
        worker = (templates / search_worker_path()).read_text(encoding="utf-8")
    except MaterialChanged:
        worker = ""
    for assumption in WORKER_ASSUMPTIONS:
        if worker and assumption not in worker:
            found.append(f"Material's search worker no longer contains {assumption}: re-check "
                         f"docs/{SEARCH_WORKER_SHIM} (it re-dispatches the first message and must sit in the "
                         "worker's folder).")
    return found
