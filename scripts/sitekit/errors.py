"""Errors that editors see: German, naming file, line, field and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def display_path(path: str | Path, root: str | Path | None = None) -> str:
    """How a file is named in messages: relative to the project (default: the working folder)."""
    try:
        return Path(path).resolve().relative_to(Path(root or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass
class ContentError(Exception):
    """A mistake in content or data that an editor can fix.

    ``str(error)`` is the German message shown by the build and by the checks.
    """

    file: str | Path
    problem: str
    hint: str = ""
    line: int | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def location(self) -> str:
        where = str(self.file)
        if self.line:
            where += f", Zeile {self.line}"
        return where

    @property
    def message(self) -> str:
        text = f"{self.location}: "
        if self.field:
            text += f"Feld „{self.field}“: "
        text += self.problem
        if self.hint:
            text += f" – Was tun: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.message
