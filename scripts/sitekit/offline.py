"""Reading offline, by the reader's choice (issue #16): what the build writes for it.

After the last language is built:

- ``offline/<lang>.json`` per language: the manifest the service worker stores when the reader
  saves that language – every URL it needs (the language's pages, its search index, the shared
  assets its pages and the search load, the published documents its pages link to, its offline
  page), each with size and content hash, and a version hash over all of them. The worker compares
  versions to update a saved language in the background and copies unchanged files from the old copy.
- ``offline/<lang>.html`` per language: the page shown for a page that is not saved, while offline.
- ``sw.js`` at the site root (from docs/assets/javascripts/offline-worker.js): its scope is the
  site's base path, so it covers every page of this site – and of no other site under the same host.
- the size of the language, written into its start page's offline panel.

Nothing here runs in the reader's browser before the reader asks (see the privacy page, § 25 TDDDG).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from . import material_compat
from .build_state import BuildState
from .files import write_text_atomically
from .languages import format_long_date
from .render import file_size

WORKER_SOURCE = "assets/javascripts/offline-worker.js"
WORKER_FILE = "sw.js"
FOLDER = "offline"
SIZE_MARKER = "<!--offline-size-->"   # in the start page's panel (page_context), replaced by the size
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; worker-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'")
LOCAL_REFERENCE = re.compile(r'\b(?:href|src)="([^"#?:]+)[^"]*"')


def page_paths(state: BuildState, code: str) -> list[str]:
    """URL paths (below the site root) of every page of a language, e.g. "ar/kontakt/"."""
    return [state.site.site_path(code, rel_path) for rel_path in state.site.source_pages]


def _referenced_files(site_dir: Path, page_path: str, html: str, is_file: dict[str, bool] | None = None) -> set[str]:
    """Files (not pages) below the site root that a page's HTML links to or loads.

    ``is_file``: answers already known (every page of a language loads the same assets)."""
    known = {} if is_file is None else is_file
    found = set()
    for target in LOCAL_REFERENCE.findall(html):
        if target.endswith("/"):  # a page (directory address), not a file
            continue
        path = posixpath.normpath(posixpath.join("/" + page_path, unquote(target))).lstrip("/")
        if not path or path.startswith(".."):
            continue
        if path not in known:
            known[path] = (site_dir / path).is_file()
        if known[path]:
            found.add(path)
    return found


def _file_of(site_dir: Path, path: str) -> Path:
    path = path.split("?", 1)[0]
    return site_dir / path / "index.html" if path == "" or path.endswith("/") else site_dir / path


def _search_files(site_dir: Path, prefix: str, code: str) -> list[str]:
    # The shim is stored under the address the page asks for: a worker's own address (with ?worker=)
    # comes from the stored response.
    files = [f"{prefix}search/search_index.json", material_compat.search_worker_config(),
             material_compat.search_worker_path(), *material_compat.lunr_files(code)]
    return [path for path in files if _file_of(site_dir, path).is_file()]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def language_files(site_dir: Path, state: BuildState, code: str) -> list[str]:
    """Every URL path a saved language needs, sorted: pages first (as directory URLs), then files."""
    prefix = state.site.language(code).url_prefix
    # every page in a full build (missing translations show German); only its own while serving one language
    pages = [path for path in page_paths(state, code) if (site_dir / path / "index.html").is_file()]
    files: set[str] = set(_search_files(site_dir, prefix, code)) | {f"{FOLDER}/{code}.html"}
    is_file: dict[str, bool] = {}
    for path in pages:
        html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        files |= {file for file in _referenced_files(site_dir, path, html, is_file) if not file.endswith(".html")}
    files.discard(WORKER_FILE)
    return pages + sorted(files)


def offline_page(state: BuildState, code: str, root: str) -> str:
    """The page shown offline for a page that is not saved: standalone, absolute paths (it answers
    for any address of the site), the site's own stylesheet only."""
    language = state.site.language(code)
    strings = state.ui(code)
    title = escape(strings["offline_page_title"])
    return (f'<!doctype html>\n<html lang="{code}" dir="{language.direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<title>{title}</title>\n<meta name="robots" content="noindex">\n'
            f'<link rel="stylesheet" href="{root}assets/stylesheets/site.css">\n'
            f'<link rel="icon" href="{root}assets/images/favicon.svg" type="image/svg+xml">\n</head>\n'
            f'<body class="offline-page">\n<main>\n<h1>{title}</h1>\n<p>{escape(strings["offline_page_text"])}</p>\n'
            f'<p><a href="{root}{language.url_prefix}">{escape(strings["offline_page_home"])}</a></p>\n'
            f'</main>\n</body>\n</html>\n')


def write_offline_files(site_dir: str | Path, state: BuildState, site_url: str, today: dt.date | None = None) -> None:
    site_dir = Path(site_dir)
    today = today or dt.date.today()
    root = urlsplit(site_url or "/").path or "/"
    root = root if root.endswith("/") else root + "/"
    worker = site_dir / WORKER_SOURCE
    write_text_atomically(site_dir / WORKER_FILE, worker.read_text(encoding="utf-8"))
    worker.unlink()
    for lang in state.site.languages:
        write_text_atomically(site_dir / FOLDER / f"{lang.code}.html", offline_page(state, lang.code, root))
    all_pages = [path for lang in state.site.languages for path in page_paths(state, lang.code)]
    listed = {lang.code: language_files(site_dir, state, lang.code) for lang in state.site.languages}
    for lang in state.site.languages:
        size = sum(_file_of(site_dir, path).stat().st_size for path in listed[lang.code])
        start = site_dir / lang.url_prefix / "index.html"
        html = start.read_text(encoding="utf-8")
        if SIZE_MARKER in html:
            write_text_atomically(start, html.replace(SIZE_MARKER, file_size(size, lang.code)))
    for lang in state.site.languages:
        files = []
        for path in listed[lang.code]:
            data = _file_of(site_dir, path).read_bytes()
            files.append([path, len(data), _digest(data)])
        version = _digest(json.dumps(files).encode())
        manifest = {"language": lang.code, "prefix": lang.url_prefix, "version": version,
                    "date": today.isoformat(), "date_text": format_long_date(today, lang.code),
                    "bytes": sum(size for _, size, _ in files), "files": files, "pages": all_pages}
        write_text_atomically(site_dir / FOLDER / f"{lang.code}.json",
                              json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))
