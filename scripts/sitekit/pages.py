"""Markdown pages: front matter with line numbers, and the checks editors rely on."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ContentError, display_path
from .fields import (DEFAULT_LANGUAGE, date_field, int_field, required, text_field, unknown_fields)
from .yamlfile import LineDict, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = ROOT / "docs"
OFFERS_DIR = "angebote"

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*\r?\n", re.S)
PAGE_FIELDS = {"title", "description", "stand", "order", "in_nav", "summary", "icon", "translation", "hide", "search"}
TRANSLATION_FIELDS = {"source_hash", "state"}
TRANSLATION_STATES = ("machine", "reviewed")


@dataclass(frozen=True)
class Page:
    """A Markdown page of one language, identified by its path below the language folder."""

    path: Path           # file on disk
    language: str        # folder it lives in
    rel_path: str        # e.g. "angebote/integrationskurs.md"
    meta: LineDict
    body: str

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def is_offer(self) -> bool:
        parts = PurePosixPath(self.rel_path).parts
        return len(parts) == 2 and parts[0] == OFFERS_DIR and parts[1] != "index.md"

    @property
    def order(self) -> int:
        value = self.meta.get("order")
        return value if isinstance(value, int) and not isinstance(value, bool) else 1000

    @property
    def stand(self) -> dt.date | None:
        value = self.meta.get("stand")
        return value if isinstance(value, dt.date) else None

    @property
    def translation(self) -> LineDict:
        value = self.meta.get("translation")
        return value if isinstance(value, dict) else LineDict()


def split_front_matter(text: str, display: str) -> tuple[LineDict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError(display, "Die Seite beginnt nicht mit Angaben zwischen zwei Zeilen „---“ (Front Matter).",
                           "Setzen Sie an den Anfang: ---, dann title:, description:, stand:, dann wieder ---.", 1)
    # Pad with one empty line so that YAML line numbers match the file (line 1 is "---").
    meta = parse_yaml("\n" + (match.group(1) or ""), display)
    if meta is None:
        meta = LineDict()
        meta.key_lines = {}
    if not isinstance(meta, dict):
        raise ContentError(display, "Die Angaben zwischen den Zeilen „---“ müssen Felder der Form „name: wert“ sein.",
                           "Prüfen Sie den Anfang der Datei.", 2)
    return meta, text[match.end():]


@functools.lru_cache(maxsize=2048)
def _read_page_cached(path: str, mtime_ns: int, docs_dir: str) -> Page:
    file = Path(path)
    rel = file.relative_to(docs_dir)
    language, rel_path = rel.parts[0], PurePosixPath(*rel.parts[1:]).as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(display_path(file), "Die Datei ist nicht in UTF-8 gespeichert.", "Speichern Sie sie als UTF-8.") from None
    meta, body = split_front_matter(text, display_path(file))
    return Page(path=file, language=language, rel_path=rel_path, meta=meta, body=body)


def read_page(path: Path, docs_dir: Path = DOCS_DIR) -> Page:
    path = Path(path).resolve()
    return _read_page_cached(str(path), path.stat().st_mtime_ns, str(Path(docs_dir).resolve()))


def language_pages(language: str, docs_dir: Path = DOCS_DIR) -> dict[str, Path]:
    """All Markdown files of one language folder, by path below the folder."""
    folder = Path(docs_dir) / language
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.md"))}


def icon_file(icon: str) -> Path | None:
    """The SVG of a Material icon name like ``material/school``; None if unknown."""
    import material  # the theme ships its icons; no network needed

    base = Path(material.__file__).parent / "templates" / ".icons"
    if not re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", icon or ""):
        return None
    candidate = base / f"{icon}.svg"
    return candidate if candidate.is_file() else None


def check_page(page: Page) -> None:
    """Validate a page's front matter; raise ContentError naming file, line and field."""
    name = display_path(page.path)
    meta = page.meta
    unknown_fields(meta, PAGE_FIELDS, name)
    text_field(meta, "title", name)
    text_field(meta, "description", name)
    date_field(meta, "stand", name)
    int_field(meta, "order", name, optional=True)
    if "in_nav" in meta and not isinstance(meta["in_nav"], bool):
        raise ContentError(name, "„in_nav“ muss true oder false sein.", "Schreiben Sie „in_nav: false“ oder löschen Sie die Zeile.",
                           meta.line_of("in_nav"), "in_nav")
    if page.is_offer:
        text_field(meta, "summary", name)
        int_field(meta, "order", name)
        icon = text_field(meta, "icon", name)
        if icon_file(icon) is None:
            raise ContentError(name, f"Das Symbol „{icon}“ gibt es nicht.",
                               "Wählen Sie ein Symbol aus https://pictogrammers.com/library/mdi/ und schreiben Sie es als "
                               "„material/name“, z. B. „material/school“.", meta.line_of("icon"), "icon")
    if page.language != DEFAULT_LANGUAGE:
        translation = required(meta, "translation", name, "\n  source_hash: …\n  state: machine")
        if not isinstance(translation, dict):
            raise ContentError(name, "„translation“ muss die Felder source_hash und state enthalten.",
                               "Legen Sie Übersetzungen mit scripts/translations.py start an.", meta.line_of("translation"), "translation")
        unknown_fields(translation, TRANSLATION_FIELDS, name)
        text_field(translation, "source_hash", name)
        state = text_field(translation, "state", name)
        if state not in TRANSLATION_STATES:
            raise ContentError(name, f"„{state}“ ist kein gültiger Übersetzungsstand.",
                               "Schreiben Sie „state: machine“ (maschinell, ungeprüft) oder „state: reviewed“ (von einem Menschen geprüft).",
                               translation.line_of("state"), "translation.state")
