"""UI strings of our own templates, one YAML file per language in data/ui/."""

from __future__ import annotations

import functools
from pathlib import Path

from .errors import ContentError, display_path
from .fields import DEFAULT_LANGUAGE, plain_text, require_mapping
from .yamlfile import load_yaml

ROOT = Path(__file__).resolve().parents[2]
STRINGS_DIR = ROOT / "data" / "ui"


@functools.lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int) -> dict[str, str]:
    name = display_path(path)
    data = require_mapping(load_yaml(path, name), name, "Die Datei")
    return {key: plain_text(value, name, data.line_of(key), key) for key, value in data.items()}


def _read(path: Path) -> dict[str, str]:
    return _load(str(path), path.stat().st_mtime_ns) if path.is_file() else {}


def strings(language: str, strings_dir: Path = STRINGS_DIR) -> dict[str, str]:
    """Strings for ``language``; a key the language lacks falls back to German."""
    german = _read(strings_dir / f"{DEFAULT_LANGUAGE}.yml")
    return {**german, **_read(strings_dir / f"{language}.yml")}


def check_strings(languages: list[str], strings_dir: Path = STRINGS_DIR) -> None:
    """Every language needs every German key (and no unknown key)."""
    german = _read(strings_dir / f"{DEFAULT_LANGUAGE}.yml")
    for code in languages:
        path = strings_dir / f"{code}.yml"
        name = display_path(path)
        if not path.is_file():
            raise ContentError(name, "Die Datei mit den Texten der Website für diese Sprache fehlt.",
                               f"Kopieren Sie {DEFAULT_LANGUAGE}.yml nach {code}.yml und übersetzen Sie die Texte.")
        own = _read(path)
        for key in german:
            if key not in own:
                raise ContentError(name, f"Der Text „{key}“ fehlt.", f"Übernehmen Sie die Zeile „{key}: …“ aus {DEFAULT_LANGUAGE}.yml und übersetzen Sie sie.")
        for key in own:
            if key not in german:
                raise ContentError(name, f"Der Text „{key}“ ist unbekannt.", f"Prüfen Sie die Schreibweise (Vorlage: {DEFAULT_LANGUAGE}.yml).")
