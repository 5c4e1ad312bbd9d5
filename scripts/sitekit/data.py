"""Reading and checking the YAML data files in ``data/`` (links and contacts).

Documents have their own module (``documents.py``) because the update script
writes their state.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, display_path
from .fields import (LANGUAGE_CODE, check_url, email_field, list_field, localized_text, plain_text,
                     require_mapping, slug_field, text_field, unknown_fields, url_field)
from .languages import SOURCE_LANGUAGE
from .yamlfile import load_yaml


@dataclass(frozen=True)
class ExternalLink:
    name: dict[str, str]
    url: str
    description: dict[str, str]
    languages: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True)
class LinkGroup:
    id: str
    title: dict[str, str]
    links: tuple[ExternalLink, ...]


@dataclass(frozen=True)
class Contact:
    id: str
    name: dict[str, str]
    email: str | None
    url: str | None
    address: str | None
    phone: str | None
    note: dict[str, str] | None


def _top_list(path: Path, key: str, name: str) -> list:
    data = load_yaml(path, name)
    if data is None:
        raise ContentError(name, "Die Datei ist leer.", f"Sie muss mit der Zeile „{key}:“ beginnen.")
    data = require_mapping(data, name, "Die Datei")
    unknown_fields(data, {key}, name)
    return list_field(data, key, name)


def _service_languages(raw, name: str, known_languages: set[str] | None) -> tuple[str, ...]:
    values = list_field(raw, "languages", name, optional=True)
    line = raw.line_of("languages")
    result = []
    for value in values:
        code = plain_text(value, name, line, "languages")
        if not LANGUAGE_CODE.fullmatch(code) or (known_languages is not None and code not in known_languages):
            raise ContentError(name, f"„{code}“ ist kein bekanntes Sprachkürzel.",
                               "Verwenden Sie Kürzel nach ISO 639 wie de, en, ar, fa, uk (nicht ua), ru, tr, ps, ku, fr.",
                               line, "languages")
        result.append(code)
    return tuple(result)


def load_links(path: Path, name: str | None = None, known_languages: set[str] | None = None) -> list[LinkGroup]:
    """``known_languages``: codes Babel can name (a link's ``languages`` are shown by their own names)."""
    name = name or display_path(path)
    groups: list[LinkGroup] = []
    seen: set[str] = set()
    for raw_group in _top_list(path, "groups", name):
        raw_group = require_mapping(raw_group, name, "Jede Gruppe unter „groups:“")
        unknown_fields(raw_group, {"id", "title", "links"}, name)
        group_id = slug_field(raw_group, "id", name)
        if group_id in seen:
            raise ContentError(name, f"Die Gruppe „{group_id}“ kommt zweimal vor.", "Geben Sie jeder Gruppe eine eigene Kennung.",
                               raw_group.line_of("id"), "id")
        seen.add(group_id)
        links = []
        for raw in list_field(raw_group, "links", name):
            raw = require_mapping(raw, name, "Jeder Link unter „links:“", raw_group.line_of("links"))
            unknown_fields(raw, {"name", "url", "description", "languages"}, name)
            links.append(ExternalLink(
                name=localized_text(raw, "name", name),
                url=url_field(raw, "url", name, schemes=("https",)),
                description=localized_text(raw, "description", name),
                languages=_service_languages(raw, name, known_languages),
                line=raw.line,
            ))
        groups.append(LinkGroup(id=group_id, title=localized_text(raw_group, "title", name), links=tuple(links)))
    return groups


def load_contacts(path: Path, name: str | None = None) -> dict[str, Contact]:
    name = name or display_path(path)
    contacts: dict[str, Contact] = {}
    for raw in _top_list(path, "contacts", name):
        raw = require_mapping(raw, name, "Jeder Eintrag unter „contacts:“")
        unknown_fields(raw, {"id", "name", "email", "url", "address", "phone", "note"}, name)
        contact_id = slug_field(raw, "id", name)
        if contact_id in contacts:
            raise ContentError(name, f"Die Kennung „{contact_id}“ kommt zweimal vor.", "Geben Sie jedem Kontakt eine eigene Kennung.",
                               raw.line_of("id"), "id")
        phone = text_field(raw, "phone", name, optional=True)
        if phone:
            check_url("tel:" + "".join(phone.split()), name, raw.line_of("phone"), "phone", ("tel",))
        contacts[contact_id] = Contact(
            id=contact_id,
            name=localized_text(raw, "name", name),
            email=email_field(raw, "email", name, optional=True),
            url=url_field(raw, "url", name, optional=True, schemes=("https",)),
            address=text_field(raw, "address", name, optional=True),
            phone=phone,
            note=localized_text(raw, "note", name, optional=True),
        )
    return contacts


def pick(texts: dict[str, str] | None, language: str) -> tuple[str, str]:
    """The text for ``language`` and the language it is really in (German as fallback)."""
    if not texts:
        return "", language
    if language in texts:
        return texts[language], language
    return texts[SOURCE_LANGUAGE], SOURCE_LANGUAGE
