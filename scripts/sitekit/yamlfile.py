"""Load YAML with line numbers, so that every error can name the editor's line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError


class LineDict(dict):
    """A mapping from YAML that remembers the line of itself and of each key (1-based)."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and keeps line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.MarkedYAMLError(
                problem=f"Der Schlüssel „{key}“ steht zweimal in diesem Abschnitt.",
                problem_mark=key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def yaml_error(path: str | Path, error: yaml.YAMLError) -> ContentError:
    """Turn a PyYAML error into a German editor message with the line."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, yaml.MarkedYAMLError) and problem.startswith("Der Schlüssel"):
        return ContentError(path, problem, "Löschen Sie einen der beiden Einträge oder benennen Sie ihn um.", line)
    return ContentError(
        path,
        f"Die Datei ist kein gültiges YAML ({problem}).",
        "Prüfen Sie Einrückung (nur Leerzeichen, keine Tabulatoren), Doppelpunkte und "
        "Anführungszeichen in dieser Zeile und in der Zeile davor.",
        line,
    )


def parse_yaml(text: str, path: str | Path) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        raise yaml_error(path, error) from None


def load_yaml(path: str | Path, display: str | None = None) -> Any:
    """Parse a YAML file; errors name ``display`` (the path as editors know it)."""
    path = Path(path)
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(shown, "Die Datei fehlt.", "Stellen Sie die Datei wieder her (siehe Git-Verlauf).") from None
    except UnicodeDecodeError:
        raise ContentError(shown, "Die Datei ist nicht in UTF-8 gespeichert.", "Speichern Sie sie als UTF-8.") from None
    return parse_yaml(text, shown)
