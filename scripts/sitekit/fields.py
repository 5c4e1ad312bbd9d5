"""Typed field readers for data files and front matter.

Each reader returns the clean value or raises a ContentError in German that names
file, line and field and says what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ContentError
from .yamlfile import LineDict

DEFAULT_LANGUAGE = "de"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&[a-zA-Z#][a-zA-Z0-9]*;")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 /()-]{3,}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")

TYPE_NAMES = {str: "ein Text", int: "eine ganze Zahl", list: "eine Liste", dict: "ein Abschnitt mit Feldern"}


def _line(mapping: Any, key: str) -> int | None:
    return mapping.line_of(key) if isinstance(mapping, LineDict) else getattr(mapping, "line", None)


def require_mapping(value: Any, file: str | Path, what: str, line: int | None = None) -> LineDict:
    if not isinstance(value, dict):
        raise ContentError(
            file,
            f"{what} muss ein Abschnitt mit Feldern (Name: Wert) sein.",
            "Schreiben Sie die Felder eingerückt untereinander, jeweils „name: wert“.",
            getattr(value, "line", None) or line,
        )
    return value


def required(mapping: LineDict, key: str, file: str | Path, example: str = "") -> Any:
    if key not in mapping or mapping[key] in (None, ""):
        hint = f"Ergänzen Sie die Zeile „{key}: …“"
        if example:
            hint += f", zum Beispiel „{key}: {example}“"
        raise ContentError(file, "Pflichtfeld fehlt oder ist leer.", hint + ".", _line(mapping, key), key)
    return mapping[key]


def plain_text(value: Any, file: str | Path, line: int | None, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ContentError(
            file, f"Hier wird ein Text erwartet, gefunden wurde {TYPE_NAMES.get(type(value), type(value).__name__)}.",
            "Schreiben Sie den Text in eine Zeile, bei Sonderzeichen in Anführungszeichen.", line, field,
        )
    text = str(value).strip()
    if HTML_TAG.search(text):
        raise ContentError(
            file, "Der Text enthält HTML (zum Beispiel <b> oder &amp;). HTML ist in Datendateien nicht erlaubt.",
            "Schreiben Sie reinen Text ohne spitze Klammern; die Gestaltung übernimmt die Website.", line, field,
        )
    return text


def text_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> str | None:
    if optional and mapping.get(key) in (None, ""):
        return None
    return plain_text(required(mapping, key, file), file, _line(mapping, key), key)


def localized_text(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> dict[str, str] | None:
    """A text per language: ``{de: …, en: …}``; a plain text counts as German."""
    if optional and mapping.get(key) in (None, ""):
        return None
    value = required(mapping, key, file, "\n    de: Text auf Deutsch")
    line = _line(mapping, key)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return {DEFAULT_LANGUAGE: plain_text(value, file, line, key)}
    if not isinstance(value, dict):
        raise ContentError(
            file, f"Hier wird ein Text je Sprache erwartet, gefunden wurde {TYPE_NAMES.get(type(value), type(value).__name__)}.",
            "Schreiben Sie darunter eingerückt je Sprache eine Zeile, z. B. „de: …“ und „en: …“.", line, key,
        )
    result: dict[str, str] = {}
    for language, text in value.items():
        sub_line = _line(value, str(language))
        if not isinstance(language, str) or not LANGUAGE_CODE.match(language):
            raise ContentError(file, f"„{language}“ ist kein Sprachkürzel.",
                               "Verwenden Sie Kürzel wie de, en, ar, fa, uk, ru, tr, ps.", sub_line, key)
        if text in (None, ""):
            continue
        result[language] = plain_text(text, file, sub_line, f"{key}.{language}")
    if DEFAULT_LANGUAGE not in result:
        raise ContentError(file, "Der deutsche Text fehlt.", "Ergänzen Sie eine Zeile „de: …“ mit dem deutschen Text.", line, key)
    return result


def url_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False,
              schemes: tuple[str, ...] = ("https", "mailto", "tel")) -> str | None:
    if optional and mapping.get(key) in (None, ""):
        return None
    value = plain_text(required(mapping, key, file, "https://www.beispiel.de/"), file, _line(mapping, key), key)
    return check_url(value, file, _line(mapping, key), key, schemes)


def check_url(value: str, file: str | Path, line: int | None, field: str,
              schemes: tuple[str, ...] = ("https", "mailto", "tel")) -> str:
    allowed = ", ".join(f"{scheme}:" for scheme in schemes)
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if any(ch.isspace() for ch in value):
        raise ContentError(file, f"Die Adresse „{value}“ enthält Leerzeichen.",
                           "Entfernen Sie die Leerzeichen (in Webadressen %20 verwenden).", line, field)
    if scheme not in schemes:
        if scheme == "http":
            hint = "Verwenden Sie die sichere Adresse mit https:// (im Browser prüfen, ob sie funktioniert)."
        elif not scheme:
            hint = "Schreiben Sie die vollständige Adresse, beginnend mit https://."
        else:
            hint = f"Nur Adressen mit {allowed} sind erlaubt."
        raise ContentError(file, f"Die Adresse „{value}“ ist nicht erlaubt (erlaubt: {allowed}).", hint, line, field)
    if scheme == "https" and (not parts.hostname or "." not in parts.hostname):
        raise ContentError(file, f"Die Adresse „{value}“ hat keinen gültigen Servernamen.",
                           "Schreiben Sie sie in der Form https://www.beispiel.de/seite.", line, field)
    if scheme == "mailto" and not EMAIL.match(parts.path):
        raise ContentError(file, f"„{value}“ ist keine gültige E-Mail-Adresse.",
                           "Schreiben Sie sie in der Form mailto:name@beispiel.de.", line, field)
    if scheme == "tel" and not PHONE.match(parts.path):
        raise ContentError(file, f"„{value}“ ist keine gültige Telefonnummer.",
                           "Schreiben Sie sie in der Form tel:+492104123456 (nur Ziffern).", line, field)
    return value


def slug_field(mapping: LineDict, key: str, file: str | Path) -> str:
    value = required(mapping, key, file, "mein-eintrag")
    if not isinstance(value, str) or not SLUG.match(value):
        raise ContentError(
            file, f"„{value}“ ist als Kennung nicht erlaubt.",
            "Verwenden Sie nur Kleinbuchstaben a–z, Ziffern und Bindestriche, z. B. „integrationskonzept-2019“.",
            _line(mapping, key), key,
        )
    return value


def date_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> dt.date | None:
    if optional and mapping.get(key) in (None, ""):
        return None
    value = required(mapping, key, file, "2026-11-27")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ContentError(
        file, f"„{value}“ ist kein Datum in der erwarteten Form.",
        "Schreiben Sie das Datum als Jahr-Monat-Tag, z. B. 2026-11-27.", _line(mapping, key), key,
    )


def int_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> int | None:
    if optional and mapping.get(key) in (None, ""):
        return None
    value = required(mapping, key, file, "1")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(file, f"„{value}“ ist keine ganze Zahl.", "Schreiben Sie eine Zahl ohne Anführungszeichen, z. B. 3.",
                           _line(mapping, key), key)
    return value


def list_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> list:
    if optional and mapping.get(key) in (None, ""):
        return []
    value = required(mapping, key, file)
    if not isinstance(value, list):
        raise ContentError(
            file, f"Hier wird eine Liste erwartet, gefunden wurde {TYPE_NAMES.get(type(value), type(value).__name__)}.",
            "Schreiben Sie jeden Eintrag in eine eigene Zeile, beginnend mit „- “.", _line(mapping, key), key,
        )
    return value


def unknown_fields(mapping: LineDict, allowed: set[str], file: str | Path) -> None:
    for key in mapping:
        if key not in allowed:
            raise ContentError(
                file, f"Das Feld „{key}“ ist unbekannt.",
                f"Prüfen Sie die Schreibweise. Erlaubt sind: {', '.join(sorted(allowed))}.", _line(mapping, str(key)), str(key),
            )
