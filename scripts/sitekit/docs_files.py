"""Which files may live under docs/ (everything there is published as it is).

Pages (.md) in a language folder, PDFs, raster images, SVG without scripts, and the
project's own CSS and JavaScript listed by name below. No symbolic links: the build
must never read a file outside the repository. Checked before MkDocs collects files.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import ContentError

# The site's own stylesheets and scripts (a new one is added here, in a reviewed code change).
OWN_ASSETS = {
    "assets/stylesheets/site.css",
    "assets/javascripts/md-scope.js",
    "assets/javascripts/language-hint.js",
    "assets/javascripts/offline.js",
    "assets/javascripts/offline-worker.js",
    "assets/javascripts/workers/search-on-demand.js",
    "assets/javascripts/not-found.js",
}
MAX_BYTES = {".md": 200_000, ".pdf": 50_000_000, ".png": 2_000_000, ".jpg": 2_000_000, ".jpeg": 2_000_000,
             ".webp": 2_000_000, ".svg": 200_000}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".svg"}
MAGIC = {".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
         ".webp": (b"RIFF",)}
SVG_URL_ATTRIBUTES = {"href", "{http://www.w3.org/1999/xlink}href", "src"}


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",") + " MB" if size >= 1_000_000 else f"{size // 1000} kB"


def svg_problem(data: bytes) -> str | None:
    """Why an SVG may not be published (scripts, event handlers, outside references), or None."""
    text = data.decode("utf-8", "replace")
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.I):
        return "eine DOCTYPE- oder ENTITY-Angabe"
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return "ungültiges SVG (die Datei lässt sich nicht lesen)"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name in ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"):
            return f"ein <{name}>-Element"
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return f"einen Event-Handler ({local})"
            if attribute in SVG_URL_ATTRIBUTES and not value.strip().startswith("#"):
                return f"einen Verweis nach außen ({local}=\"{value[:40]}\")"
            if re.search(r"url\(\s*['\"]?\s*(?!#)", value, re.I) or "javascript:" in value.lower():
                return f"einen Verweis nach außen ({local})"
        if name == "style" and re.search(r"@import|url\(\s*['\"]?\s*(?!#)", element.text or "", re.I):
            return "einen Stil mit Verweis nach außen"
    return None


def check_docs_files(docs_dir: Path, languages: list[str], display) -> list[ContentError]:
    """One error per file that must not be published."""
    errors: list[ContentError] = []
    for current, folders, files in os.walk(docs_dir):  # never follows links
        here = Path(current)
        for name in list(folders):
            path = here / name
            if path.is_symlink():
                errors.append(ContentError(display(path), "Der Ordner ist eine Verknüpfung (symbolischer Link).",
                                           "Löschen Sie die Verknüpfung; legen Sie Dateien direkt in docs/ ab."))
        folders[:] = sorted(name for name in folders if not name.startswith(".") and not (here / name).is_symlink())
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(docs_dir).as_posix()
            shown = display(path)
            if path.is_symlink():
                errors.append(ContentError(shown, "Die Datei ist eine Verknüpfung (symbolischer Link).",
                                           "Löschen Sie die Verknüpfung und legen Sie die echte Datei hier ab."))
                continue
            if name.startswith("."):
                continue  # never published (MkDocs skips dot files); the update script stages here
            error = _check_file(path, rel, shown, languages)
            if error:
                errors.append(error)
    return errors


def _check_file(path: Path, rel: str, shown: str, languages: list[str]) -> ContentError | None:
    suffix = path.suffix.lower()
    top = rel.split("/", 1)[0]
    if suffix == ".md":
        if top not in languages or "/" not in rel:
            return ContentError(shown, "Seiten gehören in einen Sprachordner.",
                                "Verschieben Sie die Datei nach docs/de/ (oder in den Ordner ihrer Sprache).")
    elif rel in OWN_ASSETS:
        return None
    elif suffix not in MAX_BYTES:
        allowed = "Seiten (.md), PDF, Bilder (.png, .jpg, .webp, .svg)"
        return ContentError(shown, f"Dateien dieser Art ({suffix or 'ohne Endung'}) werden nicht veröffentlicht.",
                            f"Erlaubt sind {allowed}. Eigene Stile und Skripte kommen nur mit einer Änderung am "
                            "Programm hinzu (OWN_ASSETS in scripts/sitekit/docs_files.py).")
    size = path.stat().st_size
    if size > MAX_BYTES[suffix]:
        return ContentError(shown, f"Die Datei ist mit {_megabytes(size)} zu groß (höchstens {_megabytes(MAX_BYTES[suffix])}).",
                            "Verkleinern Sie die Datei (Bilder: geringere Auflösung; PDF: „für das Web optimieren“).")
    if suffix in MAGIC or suffix == ".svg":
        with open(path, "rb") as handle:
            head = handle.read(16 if suffix != ".svg" else MAX_BYTES[".svg"])
        if suffix in MAGIC and not head.startswith(MAGIC[suffix]):
            return ContentError(shown, f"Der Inhalt passt nicht zur Endung {suffix}.",
                                "Speichern Sie die Datei noch einmal im richtigen Format.")
        if suffix == ".svg":
            problem = svg_problem(head)
            if problem:
                return ContentError(shown, f"Die SVG-Grafik enthält {problem}.",
                                    "Verwenden Sie eine SVG ohne Skripte und ohne Verweise nach außen, oder eine PNG-Datei.")
    return None
