"""Renaming, moving and deleting a page in every language at once, without breaking anything.

Every internal link in every language is rewritten, the old address keeps working through
a redirect (data/redirects.yml, pages written by the redirects hook), and translations that
were current stay current: their links change exactly like the German page's.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError
from .files import write_text_atomically
from .languages import SOURCE_LANGUAGE
from .pages import FOOTER_ROLE_NAMES, split_front_matter
from .site import Site
from .translation import source_hash_of_text

# Link targets in Markdown: [text](target "title"), [ref]: target, and href="target" in raw HTML.
LINK_TARGET = re.compile(r"(?P<pre>\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|\bhref\s*=\s*[\"'])(?P<target>[^)\s>\"']+)", re.M)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
REDIRECTS_HEADER = """# Alte Adressen, die auf eine neue Seite weiterleiten. Diese Datei schreibt
# python scripts/pages.py move/delete – von Hand nur, um eine Weiterleitung zu entfernen.
# from: alte Seite, to: neue Seite (Pfade unter docs/de/). Gilt für alle Sprachen.
"""


@dataclass
class Change:
    """What a move or delete did, for the German summary and the tests."""

    moved: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)
    kept_current: list[str] = field(default_factory=list)


def _resolve(from_rel: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_rel), target))


def _relative(from_rel: str, to_rel: str) -> str:
    return posixpath.relpath(to_rel, posixpath.dirname(from_rel) or ".")


def rewrite_links(text: str, old_location: str, new_location: str, mapping: dict[str, str]) -> str:
    """Links of a page that moves from ``old_location`` to ``new_location``, with pages renamed per ``mapping``."""
    def replace(match: re.Match) -> str:
        target = match.group("target")
        if target.startswith(("#", "/")) or SCHEME.match(target):
            return match.group(0)
        path, hash_, fragment = target.partition("#")
        if not path:
            return match.group(0)
        resolved = _resolve(old_location, path)
        destination = mapping.get(resolved, resolved)
        if destination == resolved and old_location == new_location:
            return match.group(0)
        return match.group("pre") + _relative(new_location, destination) + hash_ + fragment
    return LINK_TARGET.sub(replace, text)


def links_to(site: Site, rel_path: str) -> list[str]:
    """Files (all languages) with a link to ``rel_path``."""
    found = []
    for code in site.codes:
        for page_rel, path in site.pages(code).items():
            if page_rel == rel_path:
                continue
            text = path.read_text(encoding="utf-8")
            for match in LINK_TARGET.finditer(text):
                target = match.group("target").partition("#")[0]
                if target and not SCHEME.match(target) and not target.startswith("/") and _resolve(page_rel, target) == rel_path:
                    found.append(site.display(path))
                    break
    return found


def _apply(site: Site, mapping: dict[str, str], deleted: set[str], redirect: dict[str, str], change: Change) -> None:
    """Rewrite every page for ``mapping`` (old -> new), move files, delete ``deleted``, keep states, add redirects."""
    german_before = {rel: source_hash_of_text(path.read_text(encoding="utf-8"), rel)
                     for rel, path in site.source_pages.items() if rel not in deleted}
    current_before = {}
    for code in site.codes:
        if code == SOURCE_LANGUAGE:
            continue
        for rel, path in site.pages(code).items():
            meta, _, _ = split_front_matter(path.read_text(encoding="utf-8"), rel)
            info = meta.get("translation") or {}
            current_before[(code, rel)] = german_before.get(rel) is not None and info.get("source_hash") == german_before[rel]
    for code in site.codes:
        for rel, path in list(site.pages(code).items()):
            if rel in deleted:
                path.unlink()
                change.deleted.append(site.display(path))
                continue
            new_rel = mapping.get(rel, rel)
            text = path.read_text(encoding="utf-8")
            new_text = rewrite_links(text, rel, new_rel, mapping)
            target = site.docs_dir / code / new_rel
            if new_rel != rel:
                write_text_atomically(target, new_text)
                path.unlink()
                change.moved.append(f"{site.display(path)} → {site.display(target)}")
                _remove_empty_folders(path.parent, site.docs_dir / code)
            elif new_text != text:
                write_text_atomically(path, new_text)
                change.relinked.append(site.display(path))
    # Translations that were current stay current: their links changed like the German page's.
    for (code, old_rel), was_current in current_before.items():
        new_rel = mapping.get(old_rel, old_rel)
        path = site.docs_dir / code / new_rel
        german = site.docs_dir / SOURCE_LANGUAGE / new_rel
        if was_current and path.is_file() and german.is_file():
            new_hash = source_hash_of_text(german.read_text(encoding="utf-8"), new_rel)
            text = path.read_text(encoding="utf-8")
            updated = re.sub(r"(?m)^(\s+source_hash:\s*).*$", lambda m: m.group(1) + new_hash, text, count=1)
            if updated != text:
                write_text_atomically(path, updated)
            change.kept_current.append(site.display(path))
    _add_redirects(site, redirect)


def _raw_redirects(site: Site) -> dict[str, str]:
    from .yamlfile import load_yaml

    path = site.data_dir / "redirects.yml"
    data = load_yaml(path, site.display(path)) or {} if path.is_file() else {}
    return {str(item["from"]): str(item["to"]) for item in (data.get("redirects") or [])}


def _remove_empty_folders(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _add_redirects(site: Site, new: dict[str, str]) -> None:
    site._pages.clear()  # pages moved: the checked loader must see the new layout
    redirects = {old: target for old, target in _raw_redirects(site).items()}
    redirects = {old: new.get(target, target) for old, target in redirects.items()}  # no chains
    redirects.update(new)
    redirects = {old: target for old, target in redirects.items() if old != target}
    lines = [REDIRECTS_HEADER.rstrip("\n"), "redirects:" if redirects else "redirects: []"]
    lines += [f"  - from: {old}\n    to: {target}" for old, target in sorted(redirects.items())]
    write_text_atomically(site.data_dir / "redirects.yml", "\n".join(lines) + "\n")


def _check_path(site: Site, rel: str, must_exist: bool) -> str:
    from .checks import SAFE_PAGE_PATH

    rel = rel.replace("\\", "/").removeprefix(f"docs/{SOURCE_LANGUAGE}/").removeprefix(f"{SOURCE_LANGUAGE}/")
    if not SAFE_PAGE_PATH.fullmatch(rel):
        raise ContentError(rel, "Dieser Dateiname ist für eine Internetadresse nicht geeignet.",
                           "Nur Kleinbuchstaben a–z, Ziffern, Bindestriche, Ordner mit /, Endung .md "
                           "(z. B. angebote/sprach-cafe.md).")
    exists = site.has_page(SOURCE_LANGUAGE, rel)
    if must_exist and not exists:
        raise ContentError(f"docs/{SOURCE_LANGUAGE}/{rel}", "Diese Seite gibt es nicht.",
                           f"Geben Sie den Pfad unter docs/{SOURCE_LANGUAGE}/ an, z. B. angebote/integrationskurs.md.")
    if not must_exist and (exists or any(site.has_page(code, rel) for code in site.codes)):
        raise ContentError(f"docs/{SOURCE_LANGUAGE}/{rel}", "Diese Seite gibt es schon.", "Wählen Sie einen anderen Namen.")
    return rel


def move(site: Site, old: str, new: str) -> Change:
    old, new = _check_path(site, old, True), _check_path(site, new, False)
    if old.endswith("index.md"):
        raise ContentError(f"docs/{SOURCE_LANGUAGE}/{old}", "Startseiten von Bereichen (index.md) werden nicht verschoben.",
                           "Verschieben Sie die einzelnen Seiten.")
    change = Change()
    _apply(site, {old: new}, set(), {old: new}, change)
    return change


def delete(site: Site, rel: str, redirect_to: str | None = None) -> Change:
    rel = _check_path(site, rel, True)
    role = site.page(SOURCE_LANGUAGE, rel).meta.get("footer")
    if role:
        raise ContentError(f"docs/{SOURCE_LANGUAGE}/{rel}", f"Das ist die Seite „{FOOTER_ROLE_NAMES[role]}“; die Website "
                           "braucht sie (Pflichtangabe bzw. Barrierefreiheit).",
                           "Ändern Sie den Text der Seite, statt sie zu löschen.")
    if rel == "index.md" or rel.endswith("/index.md"):
        raise ContentError(f"docs/{SOURCE_LANGUAGE}/{rel}", "Startseiten (index.md) werden nicht gelöscht.",
                           "Löschen Sie die einzelnen Seiten des Bereichs.")
    if redirect_to is not None:
        redirect_to = _check_path(site, redirect_to, True)
    elif links_to(site, rel):
        files = ", ".join(links_to(site, rel)[:8])
        raise ContentError(f"docs/{SOURCE_LANGUAGE}/{rel}", f"Andere Seiten verlinken diese Seite: {files}.",
                           "Geben Sie mit --redirect-to an, wohin Links und die alte Adresse führen sollen, "
                           "oder entfernen Sie die Links zuerst.")
    change = Change()
    _apply(site, {rel: redirect_to} if redirect_to else {}, {rel}, {rel: redirect_to} if redirect_to else {}, change)
    return change
