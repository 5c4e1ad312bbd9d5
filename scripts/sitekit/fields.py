"""Typed field readers for data files and front matter.

Each reader returns the clean value or raises a ContentError in German that names
file, line and field and says what to do.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ContentError
from .languages import SOURCE_LANGUAGE
from .text import check_characters, code_point_name, invisible_in_url, markdown_in, markup_in
from .yamlfile import LineDict, as_date

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?[0-9][0-9 /()-]{3,}")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
MAX_HOSTNAME = 253
URL_SCHEMES = ("https", "mailto", "tel")

TYPE_NAMES = {str: "ein Text", int: "eine ganze Zahl", float: "eine Zahl", bool: "ein Ja/Nein-Wert (true/false)",
              list: "eine Liste", dict: "ein Abschnitt mit Feldern", LineDict: "ein Abschnitt mit Feldern",
              dt.date: "ein Datum", type(None): "nichts"}


def type_name(value: Any) -> str:
    for kind in type(value).__mro__:
        if kind in TYPE_NAMES:
            return TYPE_NAMES[kind]
    return type(value).__name__


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
    """A one-line plain text: no markup, no Markdown, no invisible control characters."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ContentError(
            file, f"Hier wird ein Text erwartet, gefunden wurde {type_name(value)}.",
            "Schreiben Sie den Text in eine Zeile; beginnt er mit {, [, * oder enthält er „: “, "
            "setzen Sie ihn in Anführungszeichen.", line, field,
        )
    text = str(value).strip()
    check_characters(text, str(file), field=field, line=line)
    markup = markup_in(text)
    if markup:
        raise ContentError(
            file, f"Der Text enthält HTML („{markup}“). HTML ist in Titeln und Datentexten nicht erlaubt.",
            "Schreiben Sie reinen Text; die Gestaltung übernimmt die Website. Zeichen wie < oder & allein "
            "(z. B. „Kinder < 12“) sind erlaubt.", line, field,
        )
    markdown = markdown_in(text)
    if markdown:
        raise ContentError(
            file, f"Der Text enthält Markdown-Zeichen („{markdown}“). Sie würden so angezeigt, wie sie da stehen.",
            "Schreiben Sie reinen Text ohne **, `, # oder [Link](…); Links gehören in das Feld url.", line, field,
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
    value = required(mapping, key, file, f"\n    {SOURCE_LANGUAGE}: Text auf Deutsch")
    line = _line(mapping, key)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return {SOURCE_LANGUAGE: plain_text(value, file, line, key)}
    if not isinstance(value, dict):
        raise ContentError(
            file, f"Hier wird ein Text je Sprache erwartet, gefunden wurde {type_name(value)}.",
            "Schreiben Sie darunter eingerückt je Sprache eine Zeile, z. B. „de: …“ und „en: …“.", line, key,
        )
    result: dict[str, str] = {}
    for language, text in value.items():
        sub_line = _line(value, str(language))
        if not LANGUAGE_CODE.fullmatch(language):
            raise ContentError(file, f"„{language}“ ist kein Sprachkürzel.",
                               "Verwenden Sie Kürzel wie de, en, ar, fa, uk, ru, tr, ps.", sub_line, key)
        if text in (None, ""):
            continue
        result[language] = plain_text(text, file, sub_line, f"{key}.{language}")
    if SOURCE_LANGUAGE not in result:
        raise ContentError(file, "Der deutsche Text fehlt.", "Ergänzen Sie eine Zeile „de: …“ mit dem deutschen Text.", line, key)
    return result


def url_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False,
              schemes: tuple[str, ...] = URL_SCHEMES) -> str | None:
    if optional and mapping.get(key) in (None, ""):
        return None
    value = required(mapping, key, file, "https://www.beispiel.de/")
    if not isinstance(value, str):
        raise ContentError(file, f"Hier wird eine Adresse erwartet, gefunden wurde {type_name(value)}.",
                           "Schreiben Sie die vollständige Adresse, beginnend mit https://.", _line(mapping, key), key)
    return check_url(value.strip(), file, _line(mapping, key), key, schemes)


def has_control_characters(text: str) -> bool:
    """True if ``text`` contains a control character (newline, tab, NUL, escape, DEL ...)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def hostname_ascii(host: str) -> str | None:
    """The host as it goes over the wire, or None if it is no valid host.

    Valid are host names of at least two labels (``www.erkrath.de``): each label 1–63
    letters, digits or hyphens, not starting or ending with a hyphen, no empty label
    (``www..erkrath.de``, a trailing dot), at most 253 characters in all, the last label
    not only digits (``www.erkrath.123`` is a mistyped address, not a name). Names with
    umlauts (``dökumente.erkrath.de``) are IDNA-encoded (UTS 46, as browsers do) and the
    result must follow the same rules. The result is lower case.

    IP address literals (``127.0.0.1``, ``[::1]`` in a URL) are accepted as they are:
    they cannot be malformed the way a name can, and the local test servers of the link
    check and the document update are reached by address.
    """
    if not host:
        return None
    try:
        return str(ipaddress.ip_address(host.strip("[]") if host.startswith("[") else host))
    except ValueError:
        pass
    if host.isascii():
        name = host.lower()
    else:
        import idna  # only for names with non-ASCII letters; the package is large
        try:
            name = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    labels = name.split(".")
    if len(name) > MAX_HOSTNAME or len(labels) < 2 or labels[-1].isdigit():
        return None
    for label in labels:
        if not HOST_LABEL.fullmatch(label):
            return None
        if label.startswith("xn--") and not _valid_punycode(label):
            return None
    return name


def valid_hostname(host: str) -> bool:
    """Whether ``host`` (as in ``urlsplit(url).hostname``) is a valid host name or IP address."""
    return hostname_ascii(host) is not None


def _valid_punycode(label: str) -> bool:
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return False
    return bool(decoded) and not decoded.isascii()


def valid_port(parts) -> bool:
    """Whether the port of a ``urlsplit`` result is absent or 1–65535."""
    try:
        port = parts.port
    except ValueError:
        return False
    return port is None or port > 0


def check_url(value: str, file: str | Path, line: int | None, field: str,
              schemes: tuple[str, ...] = URL_SCHEMES) -> str:
    """An address readers can follow: allowed scheme, real host, nothing invisible."""
    allowed = ", ".join(f"{scheme}:" for scheme in schemes)
    invisible = invisible_in_url(value)
    if invisible is not None:
        if invisible == " " or invisible.isspace():
            raise ContentError(file, f"Die Adresse „{value}“ enthält Leerzeichen.",
                               "Entfernen Sie die Leerzeichen (in Webadressen %20 verwenden).", line, field)
        raise ContentError(file, f"Die Adresse enthält das unsichtbare Zeichen {code_point_name(invisible)}.",
                           "Tippen Sie die Adresse neu oder kopieren Sie sie direkt aus der Adresszeile des Browsers.",
                           line, field)
    if markup_in(value) or any(char in value for char in "<>\"'`\\"):
        raise ContentError(file, f"Die Adresse „{value}“ enthält Zeichen, die in Adressen nicht vorkommen (< > \" ' ` \\).",
                           "Kopieren Sie die Adresse direkt aus der Adresszeile des Browsers.", line, field)
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ContentError(file, f"„{value}“ ist keine gültige Adresse.",
                           "Schreiben Sie sie in der Form https://www.beispiel.de/seite.", line, field) from None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        if scheme == "http":
            hint = "Verwenden Sie die sichere Adresse mit https:// (im Browser prüfen, ob sie funktioniert)."
        elif not scheme:
            hint = "Schreiben Sie die vollständige Adresse, beginnend mit https://."
        elif re.fullmatch(r"h?t?t?p?s?", scheme) or scheme in ("htps", "htttps", "hhtps", "https:"):
            hint = "Prüfen Sie die Schreibweise: Die Adresse beginnt mit https://."
        else:
            hint = f"Nur Adressen mit {allowed} sind erlaubt."
        raise ContentError(file, f"Die Adresse „{value}“ ist nicht erlaubt (erlaubt: {allowed}).", hint, line, field)
    if scheme == "https":
        if not value.lower().startswith("https://") or parts.username or parts.password \
                or not valid_hostname(parts.hostname or ""):
            raise ContentError(file, f"Die Adresse „{value}“ hat keinen gültigen Servernamen.",
                               "Schreiben Sie sie in der Form https://www.beispiel.de/seite (ohne doppelte Punkte, "
                               "ohne Punkt am Ende, ohne Name und Kennwort vor @).", line, field)
        if not valid_port(parts):
            raise ContentError(file, f"Die Adresse „{value}“ hat eine ungültige Portnummer.",
                               "Lassen Sie „:Zahl“ nach dem Servernamen weg oder schreiben Sie eine Zahl von 1 bis 65535.",
                               line, field)
    if scheme == "mailto" and not EMAIL.fullmatch(parts.path):
        raise ContentError(file, f"„{value}“ ist keine gültige E-Mail-Adresse.",
                           "Schreiben Sie sie in der Form mailto:name@beispiel.de.", line, field)
    if scheme == "tel" and not PHONE.fullmatch(parts.path):
        raise ContentError(file, f"„{value}“ ist keine gültige Telefonnummer.",
                           "Schreiben Sie sie in der Form tel:+492104123456 (nur Ziffern).", line, field)
    return value


def email_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> str | None:
    if optional and mapping.get(key) in (None, ""):
        return None
    value = text_field(mapping, key, file)
    if not EMAIL.fullmatch(value) or invisible_in_url(value):
        raise ContentError(file, f"„{value}“ ist keine gültige E-Mail-Adresse.",
                           "Schreiben Sie nur die Adresse, z. B. „integration@erkrath.de“ (ohne mailto:).",
                           _line(mapping, key), key)
    return value


def slug_field(mapping: LineDict, key: str, file: str | Path) -> str:
    value = required(mapping, key, file, "mein-eintrag")
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ContentError(
            file, f"„{value}“ ist als Kennung nicht erlaubt.",
            "Verwenden Sie nur Kleinbuchstaben a–z, Ziffern und Bindestriche, z. B. „integrationskonzept-2019“.",
            _line(mapping, key), key,
        )
    return value


def date_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False,
               not_after: dt.date | None = None) -> dt.date | None:
    """A date as year-month-day (quoted or not); ``not_after`` refuses later dates (e.g. today)."""
    if optional and mapping.get(key) in (None, ""):
        return None
    value = required(mapping, key, file, "2026-11-27")
    try:
        date = as_date(value)
    except ValueError:
        raise ContentError(file, f"„{value}“ ist kein gültiges Datum (diesen Tag gibt es nicht).",
                           "Prüfen Sie Tag und Monat; schreiben Sie Jahr-Monat-Tag, z. B. 2026-11-27.",
                           _line(mapping, key), key) from None
    if date is None:
        raise ContentError(
            file, f"„{value}“ ist kein Datum in der erwarteten Form.",
            "Schreiben Sie das Datum als Jahr-Monat-Tag, z. B. 2026-11-27.", _line(mapping, key), key,
        )
    if not_after is not None and date > not_after:
        raise ContentError(file, f"Das Datum {date.isoformat()} liegt in der Zukunft.",
                           f"Tragen Sie das Datum ein, an dem Sie die Angaben geprüft haben (spätestens heute, "
                           f"{not_after.isoformat()}).", _line(mapping, key), key)
    return date


def int_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> int | None:
    if optional and mapping.get(key) in (None, ""):
        return None
    value = required(mapping, key, file, "1")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(file, f"„{value}“ ist keine ganze Zahl.", "Schreiben Sie eine Zahl ohne Anführungszeichen, z. B. 3.",
                           _line(mapping, key), key)
    return value


def bool_field(mapping: LineDict, key: str, file: str | Path) -> bool | None:
    if key not in mapping:
        return None
    if not isinstance(mapping[key], bool):
        raise ContentError(file, f"„{key}“ muss true oder false sein.", f"Schreiben Sie „{key}: false“ oder löschen Sie die Zeile.",
                           _line(mapping, key), key)
    return mapping[key]


def list_field(mapping: LineDict, key: str, file: str | Path, *, optional: bool = False) -> list:
    if optional and mapping.get(key) in (None, ""):
        return []
    value = required(mapping, key, file)
    if not isinstance(value, list):
        raise ContentError(
            file, f"Hier wird eine Liste erwartet, gefunden wurde {type_name(value)}.",
            "Schreiben Sie jeden Eintrag in eine eigene Zeile, beginnend mit „- “.", _line(mapping, key), key,
        )
    return value


def unknown_fields(mapping: LineDict, allowed: set[str], file: str | Path, hint: str = "") -> None:
    for key in mapping:
        if key not in allowed:
            raise ContentError(
                file, f"Das Feld „{key}“ ist unbekannt.",
                hint or f"Prüfen Sie die Schreibweise. Erlaubt sind: {', '.join(sorted(allowed))}.", _line(mapping, str(key)), str(key),
            )
