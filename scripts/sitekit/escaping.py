"""Texts from front matter and data, escaped for the templates that show them.

MkDocs renders templates without autoescaping, and Material writes page titles into
element text and attributes as they are. Handing those templates ``Markup`` objects
(escaped once, marked safe) makes every place show the text as typed: "Kinder < 12 &
Eltern" stays text, never markup – also where we cannot edit the template. (Site names
from mkdocs.yml cannot be Markup – the i18n plugin compares their type – so the check
refuses < > " in them instead.)
"""

from __future__ import annotations

from markupsafe import Markup, escape

PAGE_TEXT_FIELDS = ("title", "description", "summary")


def escaped(value) -> Markup:
    """Text as safe HTML (escaping an already escaped Markup changes nothing)."""
    return escape(value if isinstance(value, Markup) else str(value))


def escape_page_texts(meta: dict) -> None:
    for key in PAGE_TEXT_FIELDS:
        if meta.get(key) is not None:
            meta[key] = escaped(meta[key])


def escape_strings(strings: dict[str, str]) -> dict[str, Markup]:
    return {key: escaped(value) for key, value in strings.items()}
