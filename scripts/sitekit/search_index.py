"""One search index per language (called by the search hook after the last language).

The i18n plugin writes one index with every language; a reader searching in Arabic would
get German and English hits too, and load every language's stemmer. Each language gets
``<lang>/search/search_index.json`` with its own entries and its lunr stemmer, or no
stemming where lunr has none (Persian, Ukrainian, Pashto: plain words are found).
"""

from __future__ import annotations

import json
from pathlib import Path

from .languages import Language
from .material_compat import lunr_has_stemmer


def split_search_index(site_dir: str | Path, languages: tuple[Language, ...]) -> None:
    index_file = Path(site_dir) / "search" / "search_index.json"
    if not index_file.exists():
        return
    combined = json.loads(index_file.read_text(encoding="utf-8"))
    prefixes = [(lang.code, lang.url_prefix) for lang in languages if lang.url_prefix]
    default = next((lang.code for lang in languages if not lang.url_prefix), None)
    docs_by_language: dict[str, list] = {lang.code: [] for lang in languages}
    for doc in combined["docs"]:
        owner = next((code for code, prefix in prefixes if doc["location"].startswith(prefix)), default)
        if owner is not None:
            docs_by_language[owner].append(doc)
    for lang in languages:
        docs = [{**doc, "location": doc["location"][len(lang.url_prefix):]} for doc in docs_by_language[lang.code]]
        base = lang.code.split("-")[0]  # Leichte Sprache (de-x-ls) is German for the stemmer
        stemmer = lunr_has_stemmer(base)
        config = {**combined["config"], "lang": [base if stemmer else "en"]}
        if stemmer:
            config.pop("pipeline", None)
        else:
            config["pipeline"] = []  # no English stemming or trimming of Persian, Ukrainian, Pashto words
        target = Path(site_dir) / lang.url_prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
