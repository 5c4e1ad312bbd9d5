"""Data placeholders in pages: the one registry of their names, grammar and arguments.

A placeholder is an HTML comment such as ``<!-- daten: kontakt integration -->``. Block
placeholders stand on a line of their own and become a box or list; inline placeholders
(``<!-- daten: email integration -->``) become a short text inside a sentence. The check,
the translation check and the build all find placeholders through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ContentError


@dataclass(frozen=True)
class Placeholder:
    name: str
    argument: str | None   # what the argument names ("contact"), or None
    inline: bool
    example: str


REGISTRY: dict[str, Placeholder] = {p.name: p for p in (
    Placeholder("angebote", None, False, "<!-- daten: angebote -->"),
    Placeholder("links", None, False, "<!-- daten: links -->"),
    Placeholder("dokumente", None, False, "<!-- daten: dokumente -->"),
    Placeholder("kontakt", "contact", False, "<!-- daten: kontakt integration -->"),
    Placeholder("email", "contact", True, "<!-- daten: email integration -->"),
    Placeholder("adresse", "contact", True, "<!-- daten: adresse integration -->"),
    Placeholder("telefon", "contact", True, "<!-- daten: telefon integration -->"),
    Placeholder("glossar", None, False, "<!-- daten: glossar -->"),
    Placeholder("leichte-sprache", None, False, "<!-- daten: leichte-sprache -->"),
)}
PATTERN = re.compile(r"<!--\s*daten:\s*(?P<name>[a-z]+(?:-[a-z]+)*)(?:\s+(?P<arg>[a-z0-9-]+))?\s*-->")
LOOKS_LIKE = re.compile(r"<!--(?:(?!-->).)*?\bdaten\b(?:(?!-->).)*?(?:-->|$)", re.I | re.S)
CONTACT_FIELDS = {"email": "email", "adresse": "address", "telefon": "phone"}


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    name: str
    arg: str | None
    line: int

    @property
    def placeholder(self) -> Placeholder:
        return REGISTRY[self.name]


def known_list() -> str:
    return ", ".join(p.example for p in REGISTRY.values())


def find(body: str, file: str, first_line: int = 1, contacts: dict | None = None) -> list[Found]:
    """Every placeholder in ``body``, validated; an unknown or malformed one raises ContentError."""
    found = []
    for match in LOOKS_LIKE.finditer(body):
        line = first_line + body.count("\n", 0, match.start())
        exact = PATTERN.fullmatch(match.group(0))
        if not exact or exact.group("name") not in REGISTRY:
            shown = match.group(0) if match.group(0).endswith("-->") else match.group(0)[:60] + " …"
            raise ContentError(file, f"Der Platzhalter „{shown}“ ist unbekannt.", f"Erlaubt sind: {known_list()}.", line)
        name, arg = exact.group("name"), exact.group("arg")
        placeholder = REGISTRY[name]
        if placeholder.argument and not arg:
            raise ContentError(file, f"Dem Platzhalter „{match.group(0)}“ fehlt die Kennung.",
                               f"Schreiben Sie z. B. „{placeholder.example}“.", line)
        if not placeholder.argument and arg:
            raise ContentError(file, f"Der Platzhalter „{match.group(0)}“ hat keine Kennung.",
                               f"Schreiben Sie „{placeholder.example}“.", line)
        if placeholder.argument == "contact" and contacts is not None:
            if arg not in contacts:
                raise ContentError(file, f"Den Kontakt „{arg}“ gibt es nicht in data/contacts.yml.",
                                   f"Vorhandene Kennungen: {', '.join(contacts) or 'keine'}.", line)
            field = CONTACT_FIELDS.get(name)
            if field and not getattr(contacts[arg], field):
                raise ContentError(file, f"Der Kontakt „{arg}“ hat in data/contacts.yml kein Feld „{field}“.",
                                   f"Ergänzen Sie „{field}:“ beim Kontakt oder verwenden Sie einen anderen Platzhalter.", line)
        if not placeholder.inline:
            line_start = body.rfind("\n", 0, match.start()) + 1
            line_end = body.find("\n", match.end())
            line_text = body[line_start: len(body) if line_end < 0 else line_end]
            if line_text.strip() != match.group(0):
                raise ContentError(file, f"Der Platzhalter „{match.group(0)}“ muss allein in einer Zeile stehen.",
                                   "Setzen Sie ihn in eine eigene Zeile, mit einer Leerzeile davor und danach.", line)
        found.append(Found(match.start(), match.end(), name, arg, line))
    return found


def normalised(body: str) -> list[str]:
    """The placeholders of a text as comparable strings (for the translation check)."""
    return [f"{m.group('name')} {m.group('arg') or ''}".strip() for m in PATTERN.finditer(body)]
