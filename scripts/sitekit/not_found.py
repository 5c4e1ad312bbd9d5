"""One 404 page for all languages: each language's message and a link to its start page."""

from __future__ import annotations

from pathlib import Path

from .build_state import BuildState
from .escaping import escape_strings


def not_found_languages(state: BuildState) -> list:
    """(language, its UI strings escaped) for the 404 template."""
    return [(lang, escape_strings(state.ui(lang.code))) for lang in state.site.languages]


def write_not_found_page(site_dir: str | Path, state: BuildState) -> None:
    """The German pass renders the 404 page with every language; later passes overwrote it."""
    if state.not_found_html:
        (Path(site_dir) / "404.html").write_text(state.not_found_html, encoding="utf-8")
