"""Load YAML that editors write: safely, with line numbers and German messages.

Editors never need anchors, aliases or tags, and they are how YAML is abused (an alias
"bomb" of a few hundred bytes expands to gigabytes; tags construct objects). So the
tokens are scanned first, in linear time, and any of them is refused before anything
is built. Keys must be plain texts.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError
from .text import check_characters

MAX_YAML_BYTES = 1_000_000
BOM = "\ufeff"


class LineDict(dict):
    """A mapping from YAML that remembers the line of itself and of each key (1-based)."""

    line: int | None = None
    key_lines: dict[str, int]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines = {}

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int | None = None


class _Refused(Exception):
    """A YAML feature editors must not use; carries the German text and the line."""

    def __init__(self, problem: str, hint: str, line: int):
        super().__init__(problem)
        self.problem, self.hint, self.line = problem, hint, line


class _LineLoader(yaml.SafeLoader):
    """SafeLoader with line numbers, plain-text keys, no duplicate keys, checked dates."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "…"
            raise _Refused(f"„{shown}“ ist als Feldname nicht möglich: Feldnamen sind einfache Wörter.",
                           "Schreiben Sie „name: wert“ – ohne Klammern, Listen oder Zahlen als Name. Beginnt ein Wert "
                           "mit { oder [, setzen Sie ihn in Anführungszeichen.", line)
        key = loader.construct_scalar(key_node)
        if key in result:
            raise _Refused(f"Der Schlüssel „{key}“ steht zweimal in diesem Abschnitt.",
                           "Löschen Sie einen der beiden Einträge oder benennen Sie ihn um.", line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise _Refused(f"„{node.value}“ ist kein gültiges Datum (diesen Tag gibt es nicht).",
                       "Prüfen Sie Tag und Monat; schreiben Sie Jahr-Monat-Tag, z. B. 2026-11-27.",
                       node.start_mark.line + 1) from None


_FAST = bool(getattr(yaml, "__with_libyaml__", False))


class _FastLineLoader(yaml.CSafeLoader if _FAST else yaml.SafeLoader):
    """The same loader on libyaml's parser (C, about ten times faster); used where PyYAML has it.

    Only its successes are used: on any problem the text is parsed again by _LineLoader,
    so that editors get exactly the same message (libyaml words some errors differently).
    Texts with a tab go to _LineLoader directly: libyaml accepts tabs in places where PyYAML
    refuses them ("a:<tab>b"), and editors keep the message that tabs are not allowed."""


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
# Sets and ordered maps would need tags, which are refused anyway.


_FORBIDDEN_TOKENS = {
    yaml.AnchorToken: ("Anker („&name“)", "Schreiben Sie den Text an jeder Stelle aus."),
    yaml.AliasToken: ("Verweis („*name“)", "Schreiben Sie den Text an jeder Stelle aus."),
    yaml.TagToken: ("Typangabe („!…“)", "Löschen Sie die Angabe mit „!“; Texte mit „!“ am Anfang in Anführungszeichen setzen."),
    yaml.DirectiveToken: ("Direktive („%…“)", "Löschen Sie die Zeile mit „%“ am Anfang."),
}

# PyYAML's English problems, in the words an editor understands.
_PROBLEMS = [
    (r"found character '\\t'", "Hier steht ein Tabulator.", "Rücken Sie nur mit Leerzeichen ein, nie mit der Tabulatortaste."),
    (r"mapping values are not allowed", "Hier steht ein Doppelpunkt, wo keiner erwartet wird.",
     "Setzen Sie einen Text mit „: “ darin in Anführungszeichen, z. B. title: \"Beratung: Kurs\"."),
    (r"could not find expected ':'", "Einer Zeile fehlt der Doppelpunkt nach dem Feldnamen.",
     "Schreiben Sie „name: wert“; prüfen Sie auch die Anführungszeichen der Zeile davor."),
    (r"while scanning a quoted scalar", "Ein Anführungszeichen wird geöffnet, aber nicht geschlossen.",
     "Schließen Sie den Text in dieser Zeile mit demselben Anführungszeichen (\" oder ')."),
    (r"expected <block end>, but found|did not find expected key|expected <block mapping start>",
     "Die Einrückung passt nicht.", "Rücken Sie Felder, die zusammengehören, gleich weit mit Leerzeichen ein."),
    (r"did not find expected '-' indicator|expected <block sequence start>|while parsing a block collection",
     "Die Einrückung der Liste passt nicht.", "Beginnen Sie jeden Listeneintrag mit „- “, alle gleich weit eingerückt."),
    (r"while parsing a flow|expected ',' or '[\]}]'|unexpected end of stream|while scanning a simple key",
     "Eine Klammer oder ein Anführungszeichen ist nicht geschlossen.",
     "Prüfen Sie [ ], { } und Anführungszeichen in dieser Zeile; Texte mit Klammern in Anführungszeichen setzen."),
    (r"found unknown escape character", "Im Text in doppelten Anführungszeichen steht ein unbekanntes \\-Zeichen.",
     "Schreiben Sie den Text in einfache Anführungszeichen ' … ' oder verdoppeln Sie den Rückstrich."),
    (r"found character .* that cannot start any token", "Eine Zeile beginnt mit einem Zeichen, das hier nicht stehen darf (z. B. @ oder `).",
     "Setzen Sie den Text in Anführungszeichen."),
]
_GENERIC = ("Der Aufbau stimmt an dieser Stelle nicht.",
            "Prüfen Sie Einrückung (nur Leerzeichen), Doppelpunkte und Anführungszeichen in dieser Zeile und in der Zeile davor.")


def yaml_error(path: str | Path, error: yaml.YAMLError) -> ContentError:
    """A PyYAML error as one German message; the line is where the editor must look."""
    problem = " ".join(filter(None, [getattr(error, "context", None), getattr(error, "problem", None), str(error)]))
    mark = getattr(error, "problem_mark", None)
    german, hint = _GENERIC
    for pattern, text, advice in _PROBLEMS:
        if re.search(pattern, problem):
            german, hint = text, advice
            break
    if "quoted scalar" in problem and getattr(error, "context_mark", None) is not None:
        mark = error.context_mark  # where the quote was opened, not where the file ended
    line = mark.line + 1 if mark is not None else None
    return ContentError(path, f"Die Datei ist kein gültiges YAML: {german}", hint, line)


def _scan_for_forbidden(text: str, path: str, loader=yaml.SafeLoader) -> None:
    for token in yaml.scan(text, Loader=loader):
        for token_type, (what, hint) in _FORBIDDEN_TOKENS.items():
            if isinstance(token, token_type):
                raise ContentError(path, f"{what} ist in den Dateien dieser Website nicht erlaubt.", hint,
                                   token.start_mark.line + 1)


def _load(text: str, shown: str, loader_class) -> Any:
    _scan_for_forbidden(text, shown, loader_class)
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def parse_yaml(text: str, path: str | Path, first_line: int = 1) -> Any:
    """Parse editor YAML; ``first_line`` is the file line of the text's first line."""
    shown = str(path)
    text = text.removeprefix(BOM)
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise ContentError(shown, f"Die Datei ist größer als {MAX_YAML_BYTES // 1000} kB.",
                           "Teilen Sie die Angaben auf oder entfernen Sie, was nicht gebraucht wird.")
    check_characters(text, shown, first_line)
    text = "\n" * (first_line - 1) + text  # so that every mark is the file's line
    if _FAST and "\t" not in text:
        try:
            return _load(text, shown, _FastLineLoader)
        except (ContentError, _Refused, yaml.YAMLError):
            pass  # parsed again below, for the message editors know
    try:
        data = _load(text, shown, _LineLoader)
    except _Refused as refused:
        raise ContentError(shown, refused.problem, refused.hint, refused.line) from None
    except yaml.YAMLError as error:
        raise yaml_error(shown, error) from None
    return data


def load_yaml(path: str | Path, display: str | None = None) -> Any:
    """Parse a YAML file; errors name ``display`` (the path as editors know it)."""
    path = Path(path)
    shown = display or str(path)
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise ContentError(shown, f"Die Datei ist größer als {MAX_YAML_BYTES // 1000} kB.",
                               "Teilen Sie die Angaben auf oder entfernen Sie, was nicht gebraucht wird.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(shown, "Die Datei fehlt.", "Stellen Sie die Datei wieder her (siehe Git-Verlauf).") from None
    except UnicodeDecodeError:
        raise ContentError(shown, "Die Datei ist nicht in UTF-8 gespeichert.", "Speichern Sie sie als UTF-8.") from None
    return parse_yaml(text, shown)


def as_date(value: Any) -> dt.date | None:
    """A YAML date, also when quoted ("2019-02-26"), or None. Impossible dates raise ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return dt.date.fromisoformat(value.strip())
    return None
