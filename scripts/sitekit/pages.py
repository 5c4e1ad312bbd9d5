"""Markdown pages: front matter with line numbers, and the rules for it.

A German page owns everything about the page (date checked, order, icon, footer role);
a translation carries only its translated texts and its translation state, and takes the
rest from the German page, so that menus and dates cannot drift between languages.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ContentError
from .fields import (bool_field, date_field, int_field, list_field, required, text_field, unknown_fields)
from .languages import SOURCE_LANGUAGE
from .yamlfile import BOM, LineDict, parse_yaml

OFFERS_DIR = "angebote"
MAX_PAGE_BYTES = 200_000

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
TRANSLATED_FIELDS = {"title", "description", "summary"}
# Belong to the German page; translations take them from there.
SOURCE_FIELDS = {"stand", "order", "in_nav", "icon", "hide", "search", "footer"}
TRANSLATION_FIELDS = {"source_hash", "state", "reviewed_by", "reviewed_on"}
TRANSLATION_STATES = ("machine", "reviewed")
HIDE_VALUES = {"navigation", "toc", "footer"}
ICON = re.compile(r"[a-z0-9-]+/[a-z0-9-]+")
# Pages with a role in the footer of every page, in footer order; the first four are required.
FOOTER_ROLES = ("leichte-sprache", "gebaerdensprache", "barrierefreiheit", "impressum", "datenschutz")
REQUIRED_FOOTER_ROLES = ("leichte-sprache", "barrierefreiheit", "impressum", "datenschutz")
FOOTER_ROLE_NAMES = {"leichte-sprache": "Leichte Sprache", "gebaerdensprache": "Gebärdensprache",
                     "barrierefreiheit": "Erklärung zur Barrierefreiheit", "impressum": "Impressum",
                     "datenschutz": "Datenschutzerklärung"}


@dataclass(frozen=True)
class Page:
    """A Markdown page of one language, identified by its path below the language folder."""

    path: Path           # file on disk
    language: str        # folder it lives in
    rel_path: str        # e.g. "angebote/integrationskurs.md"
    meta: LineDict       # its own front matter
    body: str
    body_line: int       # file line of the body's first line
    display: str         # the file as editors know it, e.g. docs/de/kontakt.md

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def is_offer(self) -> bool:
        return is_offer_path(self.rel_path)

    @property
    def translation(self) -> LineDict:
        value = self.meta.get("translation")
        return value if isinstance(value, dict) else LineDict()


UNORDERED = 1000


def order_of(meta: dict) -> int:
    """A page's place in menus and lists (``order``; pages without a valid one come last)."""
    value = meta.get("order")
    return value if isinstance(value, int) and not isinstance(value, bool) else UNORDERED


def is_offer_path(rel_path: str) -> bool:
    parts = PurePosixPath(rel_path).parts
    return len(parts) == 2 and parts[0] == OFFERS_DIR and parts[1] != "index.md"


def split_front_matter(text: str, display: str) -> tuple[LineDict, str, int]:
    """(front matter, body, file line where the body starts)."""
    text = text.removeprefix(BOM)  # Windows Notepad saves one
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError(display, "Die Seite beginnt nicht mit Angaben zwischen zwei Zeilen „---“ (Front Matter).",
                           "Setzen Sie an den Anfang: ---, dann title:, description:, stand:, dann wieder ---.", 1)
    meta = parse_yaml(match.group(1) or "", display, first_line=2)
    if meta is None:
        meta = LineDict()
        meta.line = 2
    if not isinstance(meta, dict):
        raise ContentError(display, "Die Angaben zwischen den Zeilen „---“ müssen Felder der Form „name: wert“ sein.",
                           "Prüfen Sie den Anfang der Datei.", 2)
    return meta, text[match.end():], text.count("\n", 0, match.end()) + 1


def read_page(path: Path, language: str, rel_path: str, display: str) -> Page:
    """Read and parse one page file; too big, not UTF-8 or no front matter is a ContentError."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise ContentError(display, f"Die Seite ist mit {size // 1000} kB zu groß (höchstens {MAX_PAGE_BYTES // 1000} kB).",
                           "Teilen Sie den Text auf mehrere Seiten auf.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(display, "Die Datei ist nicht in UTF-8 gespeichert.", "Speichern Sie sie als UTF-8.") from None
    meta, body, body_line = split_front_matter(text, display)
    return Page(path=path, language=language, rel_path=rel_path, meta=meta, body=body, body_line=body_line,
                display=display)


def icon_file(icon: str) -> Path | None:
    """The SVG of a Material icon name like ``material/school``; None if unknown."""
    if not isinstance(icon, str) or not ICON.fullmatch(icon):
        return None
    return _icon_file(icon)


@functools.lru_cache(maxsize=None)  # looked up for every offer card on every page that lists them
def _icon_file(icon: str) -> Path | None:
    import material  # the theme ships its icons; no network needed

    candidate = Path(material.__file__).parent / "templates" / ".icons" / f"{icon}.svg"
    return candidate if candidate.is_file() else None


def _check_icon(meta: LineDict, name: str) -> None:
    icon = text_field(meta, "icon", name)
    if icon_file(icon) is None:
        raise ContentError(name, f"Das Symbol „{icon}“ gibt es nicht.",
                           "Wählen Sie ein Symbol aus https://pictogrammers.com/library/mdi/ und schreiben Sie es als "
                           "„material/name“, z. B. „material/school“.", meta.line_of("icon"), "icon")


def _check_source_fields(page: Page, today: dt.date) -> None:
    meta, name = page.meta, page.display
    date_field(meta, "stand", name, not_after=today)
    int_field(meta, "order", name, optional=True)
    bool_field(meta, "in_nav", name)
    if "icon" in meta or page.is_offer:
        _check_icon(meta, name)
    if page.is_offer:
        text_field(meta, "summary", name)
        int_field(meta, "order", name)
    if "hide" in meta:
        values = list_field(meta, "hide", name)
        unknown = [value for value in values if value not in HIDE_VALUES]
        if unknown:
            raise ContentError(name, f"„{unknown[0]}“ kann nicht ausgeblendet werden.",
                               f"Erlaubt: {', '.join(sorted(HIDE_VALUES))}.", meta.line_of("hide"), "hide")
    if "search" in meta:
        search = meta["search"]
        if not isinstance(search, dict) or set(search) != {"exclude"} or not isinstance(search["exclude"], bool):
            raise ContentError(name, "„search“ kennt nur „exclude: true“.",
                               "Schreiben Sie „search:“ und darunter eingerückt „exclude: true“, oder löschen Sie die Zeilen.",
                               meta.line_of("search"), "search")
    if "footer" in meta:
        role = meta["footer"]
        if role not in FOOTER_ROLES:
            raise ContentError(name, f"„{role}“ ist keine Rolle für die Fußzeile.",
                               f"Erlaubt: {', '.join(FOOTER_ROLES)}.", meta.line_of("footer"), "footer")


def _check_translation_fields(page: Page) -> None:
    meta, name = page.meta, page.display
    for key in meta:
        if key in SOURCE_FIELDS:
            raise ContentError(name, f"Das Feld „{key}“ gehört zur deutschen Seite.",
                               f"Löschen Sie die Zeile; die Übersetzung übernimmt „{key}“ aus docs/{SOURCE_LANGUAGE}/{page.rel_path}.",
                               meta.line_of(key), key)
    translation = required(meta, "translation", name, "\n  source_hash: …\n  state: machine")
    if not isinstance(translation, dict):
        raise ContentError(name, "„translation“ muss die Felder source_hash und state enthalten.",
                           "Legen Sie Übersetzungen mit scripts/translations.py start an.", meta.line_of("translation"), "translation")
    unknown_fields(translation, TRANSLATION_FIELDS, name)
    text_field(translation, "source_hash", name)
    state = text_field(translation, "state", name)
    if state not in TRANSLATION_STATES:
        raise ContentError(name, f"„{state}“ ist kein gültiger Übersetzungsstand.",
                           "Schreiben Sie „state: machine“ (maschinell, ungeprüft) oder „state: reviewed“ (von einem Menschen "
                           "geprüft, mit scripts/translations.py review).", translation.line_of("state"), "translation.state")
    if state == "reviewed":
        text_field(translation, "reviewed_by", name)
        date_field(translation, "reviewed_on", name)


def check_front_matter(page: Page, today: dt.date | None = None) -> None:
    """Validate a page's front matter; raise ContentError naming file, line and field."""
    meta, name = page.meta, page.display
    source = page.language == SOURCE_LANGUAGE
    allowed = TRANSLATED_FIELDS | (SOURCE_FIELDS if source else SOURCE_FIELDS | {"translation"})
    unknown_fields(meta, allowed, name)
    text_field(meta, "title", name)
    text_field(meta, "description", name)
    if page.is_offer:
        text_field(meta, "summary", name)
    elif "summary" in meta:
        text_field(meta, "summary", name)
    if source:
        _check_source_fields(page, today or dt.date.today())
    else:
        _check_translation_fields(page)
