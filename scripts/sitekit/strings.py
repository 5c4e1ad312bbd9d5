"""UI strings of our own templates, one YAML file per language in data/ui/.

A string may contain placeholders such as ``{date}``; a translation must use exactly the
placeholders of the German string, without format specifications (``{date:>300000000}``
would write gigabytes) – checked here, and filled in only by ``fill``.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from .errors import ContentError
from .fields import plain_text, require_mapping
from .languages import SOURCE_LANGUAGE
from .yamlfile import load_yaml

NAME = re.compile(r"[a-z_]+")


def placeholders_of(text: str, file: str, line: int | None, key: str) -> list[str]:
    """The ``{name}`` placeholders of a UI string; anything else with braces raises ContentError."""
    names = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        parsed = None
    for literal, name, spec, conversion in parsed or [("", "", "x", None)]:
        if name is None:
            continue
        if not NAME.fullmatch(name or "") or spec or conversion:
            raise ContentError(file, "Der Text enthält geschweifte Klammern, die kein gültiger Platzhalter sind.",
                               "Platzhalter stehen genau so wie im deutschen Text, z. B. {date} – ohne Zusätze "
                               "wie {date:…} oder {date!r}; einzelne Klammern { } sind nicht erlaubt.", line, key)
        names.append(name)
    return names


def fill(template: str, **values: str) -> str:
    """A UI string with its placeholders filled (only names checked by ``check_strings``)."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def load_strings(path: Path, name: str) -> dict[str, str]:
    data = require_mapping(load_yaml(path, name), name, "Die Datei")
    result = {}
    for key, value in data.items():
        text = plain_text(value, name, data.line_of(key), key)
        placeholders_of(text, name, data.line_of(key), key)
        result[key] = text
    return result


def check_strings(strings: dict[str, dict[str, str]], files: dict[str, Path], display) -> list[ContentError]:
    """Every language has every German key with the same placeholders, and no unknown key."""
    errors = []
    german = strings.get(SOURCE_LANGUAGE, {})
    for code, own in strings.items():
        name = display(files[code])
        for key, text in german.items():
            if key not in own:
                errors.append(ContentError(name, f"Der Text „{key}“ fehlt.",
                                           f"Übernehmen Sie die Zeile „{key}: …“ aus {SOURCE_LANGUAGE}.yml und übersetzen Sie sie."))
                continue
            wanted = sorted(placeholders_of(text, name, None, key))
            have = sorted(placeholders_of(own[key], name, None, key))
            if wanted != have:
                shown = lambda names: ", ".join("{" + n + "}" for n in names) or "keine"  # noqa: E731
                errors.append(ContentError(name, f"Der Text „{key}“ hat die Platzhalter {shown(have)}, "
                                                 f"der deutsche Text {shown(wanted)}.",
                                           "Übernehmen Sie die Platzhalter in geschweiften Klammern genau wie im deutschen "
                                           "Text; übersetzt wird nur der Text darum herum.", None, key))
        for key in own:
            if key not in german:
                errors.append(ContentError(name, f"Der Text „{key}“ ist unbekannt.",
                                           f"Prüfen Sie die Schreibweise (Vorlage: {SOURCE_LANGUAGE}.yml).", None, key))
    return errors
