"""All content checks, used by the build (before anything is written) and by
``scripts/check_content.py``. Each finding is a ContentError in German.

Order matters for editors: data files first; a page check that depends on a broken data
file is skipped and summed up in one line, so that one typo gives one message.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from . import content, data, documents, placeholders, render
from .docs_files import check_docs_files
from .glossary import load_glossary
from .language_rules import load_rules
from .redirects import load_redirects
from .reviewers import load_reviewers
from .errors import ContentError
from .fields import plain_text
from .languages import SOURCE_LANGUAGE
from .pages import FOOTER_ROLE_NAMES, REQUIRED_FOOTER_ROLES, check_front_matter
from .site import Site
from .strings import check_strings, load_strings
from .text import check_characters

SAFE_PAGE_PATH = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*\.md")
PAGE_FILE_SUFFIXES = (".md",)
ASSET_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".webp", ".svg")


@dataclass
class SiteData:
    """Everything the data files hold, loaded once per build or check."""

    links: list = field(default_factory=list)
    contacts: dict = field(default_factory=dict)
    documents: documents.Manifest | None = None
    document_states: dict = field(default_factory=dict)
    strings: dict[str, dict[str, str]] = field(default_factory=dict)
    glossary: list = field(default_factory=list)
    rules: object = None          # language_rules.Rules
    reviewers: object = None      # reviewers.Reviewers
    redirects: dict = field(default_factory=dict)  # old page -> new page
    broken: set[str] = field(default_factory=set)   # data files that failed to load

    def ui(self, code: str) -> dict[str, str]:
        """UI strings of a language; a key it lacks falls back to German (empty while a file is broken)."""
        return UiStrings({**self.strings.get(SOURCE_LANGUAGE, {}), **self.strings.get(code, {})})


class UiStrings(dict):
    """A broken UI file is reported once; pages are still checked with empty texts meanwhile."""

    def __missing__(self, key: str) -> str:
        return ""


def load_data(site: Site) -> tuple[SiteData, list[ContentError]]:
    """Load every data file; returns what could be loaded and one error per broken file."""
    loaded, errors = SiteData(), []
    known = set(site.codes) | _babel_codes()
    loaders = (
        ("links", lambda: data.load_links(site.data_dir / "links.yml", site.display(site.data_dir / "links.yml"), known)),
        ("contacts", lambda: data.load_contacts(site.data_dir / "contacts.yml", site.display(site.data_dir / "contacts.yml"))),
        ("documents", lambda: documents.load_manifest(site.data_dir / "documents.yml",
                                                      site.display(site.data_dir / "documents.yml"))),
    )
    loaders += (("glossary", lambda: load_glossary(site)), ("rules", lambda: load_rules(site)),
                ("reviewers", lambda: load_reviewers(site)), ("redirects", lambda: load_redirects(site)))
    for key, loader in loaders:
        try:
            setattr(loaded, key, loader())
        except ContentError as error:
            errors.append(error)
            loaded.broken.add(key)
    if loaded.documents is not None:
        try:
            loaded.document_states = documents.load_state(loaded.documents.state_path)
        except ContentError as error:
            errors.append(error)
            loaded.broken.add("documents")
    files = {code: site.data_dir / "ui" / f"{code}.yml" for code in dict.fromkeys([SOURCE_LANGUAGE, *site.codes])}
    for code, path in files.items():
        if not path.is_file():
            errors.append(ContentError(site.display(path), "Die Datei mit den Texten der Website für diese Sprache fehlt.",
                                       f"Kopieren Sie {SOURCE_LANGUAGE}.yml nach {code}.yml und übersetzen Sie die Texte."))
            loaded.broken.add("strings")
            continue
        try:
            loaded.strings[code] = load_strings(path, site.display(path))
        except ContentError as error:
            errors.append(error)
            loaded.broken.add("strings")
    if "strings" not in loaded.broken:
        errors += check_strings(loaded.strings, files, site.display)
    feedback = loaded.rules.feedback_contact if loaded.rules else None
    if feedback and "contacts" not in loaded.broken and (feedback not in loaded.contacts or not loaded.contacts[feedback].email):
        errors.append(ContentError("data/languages.yml", f"Den Kontakt „{feedback}“ (translation_feedback) gibt es nicht "
                                   "oder er hat keine E-Mail-Adresse.", "Tragen Sie die Kennung eines Kontakts aus "
                                   "data/contacts.yml ein, der eine E-Mail-Adresse hat.", None, "translation_feedback.contact"))
    return loaded, errors


def _babel_codes() -> set[str]:
    from babel.localedata import locale_identifiers

    return {identifier.split("_")[0] for identifier in locale_identifiers()}


@dataclass
class _Checked:
    """What phase 1 learned about one page in one language."""

    file: str
    rendered: content.RenderedPage


def check_pages(site: Site, loaded: SiteData, renderer: content.MarkdownRenderer | None) -> list[ContentError]:
    """Every page of every language. With ``renderer=None`` (the build) the checks of the rendered
    HTML are left out: the build makes them on its own rendering (RenderedChecks)."""
    errors: list[ContentError] = []
    checked: dict[tuple[str, str], _Checked] = {}
    contacts = None if "contacts" in loaded.broken else loaded.contacts
    skipped = 0
    for code in site.codes:
        for rel_path, path in site.pages(code).items():
            name = site.display(path)
            try:
                if not SAFE_PAGE_PATH.fullmatch(rel_path):
                    raise ContentError(name, "Der Dateiname ist für eine Internetadresse nicht geeignet.",
                                       "Verwenden Sie nur Kleinbuchstaben a–z, Ziffern und Bindestriche, "
                                       "z. B. „sprach-cafe.md“ (ä → ae, ö → oe, ü → ue, ß → ss).")
                page = site.page(code, rel_path)
                check_front_matter(page, site.today)
                _check_reviewer(page, loaded)
                if code != SOURCE_LANGUAGE and not site.has_page(SOURCE_LANGUAGE, rel_path):
                    raise ContentError(name, "Zu dieser Übersetzung gibt es keine deutsche Seite.",
                                       f"Benennen Sie die Datei wie die deutsche Seite in docs/{SOURCE_LANGUAGE}/ oder löschen Sie sie.")
                check_characters(page.body, name, page.body_line)
                content.check_limits(page.body, name, page.body_line)
                found = placeholders.find(page.body, name, page.body_line, contacts)
                if contacts is None and any(item.placeholder.argument == "contact" for item in found):
                    skipped += 1
                    continue
                errors += _hand_written_contact_details(page.body, name, page.body_line, found, loaded.contacts)
                if renderer is None:
                    continue
                context = render.DataContext(site, loaded, code, code, site.site_path(code, rel_path))
                markdown, slots = content.substitute(page.body, found, lambda item: render.placeholder_html(item, context))
                html, ids = renderer.render(markdown)
                checked[(code, rel_path)], problems = inspect_page(page, name, html, set(ids) | slots.ids())
                errors += problems
            except ContentError as error:
                errors.append(error)
    for (code, rel_path), page in checked.items():
        errors += _check_links(site, checked, code, rel_path, page)
    errors += _check_footer_roles(site)
    errors += _check_orders(site)
    if skipped:
        errors.append(ContentError("data/contacts.yml", f"{skipped} Seiten, die Kontakte aus dieser Datei nutzen, wurden "
                                                        "nicht geprüft.", "Beheben Sie zuerst den Fehler in data/contacts.yml."))
    return errors


def inspect_page(page, name: str, html: str, ids: set[str]) -> tuple[_Checked, list[ContentError]]:
    """The checks of a page's rendered HTML: allowed HTML, one main heading; what it links to."""
    result, errors = content.inspect(html, page.body, name, page.body_line)
    result.ids |= ids
    if result.h1 != 1:
        errors.append(ContentError(name, f"Die Seite hat {result.h1} Hauptüberschriften (Zeilen mit „# “).",
                                   "Jede Seite hat genau eine Zeile „# Titel“ am Anfang; Abschnitte beginnen mit „## “.",
                                   page.body_line))
    return _Checked(name, result), errors


class RenderedChecks:
    """The page checks on the build's own rendering, so that the build renders each page once.

    The build hands each page's HTML (content.SourceCapture) to ``page`` and calls
    ``language_done`` before the language's pages are written (MkDocs renders all pages of
    a language first). Links to sections of other pages are checked there, when every page
    of the language (and, before it, the German one) has been rendered."""

    def __init__(self, site: Site):
        self.site = site
        self.checked: dict[tuple[str, str], _Checked] = {}
        self.errors: list[ContentError] = []

    def page(self, code: str, rel_path: str, html: str, ids: set[str]) -> set[str]:
        """Inspect one page; returns the link targets and image sources with a finding."""
        page = self.site.page(code, rel_path)
        checked, problems = inspect_page(page, self.site.display(self.site.pages(code)[rel_path]), html, ids)
        self.checked[(code, rel_path)] = checked
        self.errors += problems
        # Here only the links MkDocs would warn about (relative and absolute paths; it leaves addresses
        # with a scheme alone); every link is checked in language_done, with the other pages' sections.
        bad = {link.href for link in checked.rendered.links
               if not content.SCHEME.match(link.href) and not link.href.startswith("//")
               and _link_problem(self.site, {}, code, rel_path, checked, link) is not None}
        return bad | {src for src, alt, line in checked.rendered.images
                      if _image_problems(self.site, code, rel_path, checked, src, alt, line)}

    def language_done(self, code: str) -> list[ContentError]:
        """Every finding of this language's rendered pages (with their links)."""
        for (page_code, rel_path), page in self.checked.items():
            if page_code == code:
                self.errors += _check_links(self.site, self.checked, code, rel_path, page)
        return self.errors


def _check_reviewer(page, loaded: SiteData) -> None:
    by = page.translation.get("reviewed_by")
    if page.translation.get("state") == "reviewed" and loaded.reviewers is not None and loaded.reviewers.find(str(by)) is None:
        raise ContentError(page.display, f"„{by}“ steht nicht in data/reviewers.yml.",
                           "Tragen Sie die prüfende Stelle dort ein (Rolle oder Organisation, nie ein Personenname) und "
                           "markieren Sie mit scripts/translations.py review.", page.translation.line_of("reviewed_by"),
                           "translation.reviewed_by")


def _hand_written_contact_details(body: str, file: str, first_line: int, found, contacts: dict) -> list[ContentError]:
    """A contact detail the data file holds may appear in a page only through its placeholder."""
    errors = []
    cleaned = body
    for item in reversed(found):
        cleaned = cleaned[:item.start] + " " * (item.end - item.start) + cleaned[item.end:]
    for contact in contacts.values():
        for field_name, value, placeholder in (("email", contact.email, "email"), ("address", contact.address, "adresse"),
                                               ("phone", contact.phone, "telefon")):
            if not value:
                continue
            pattern = re.escape(value).replace(r"\ ", r"\s+").replace("–", "[–-]")
            match = re.search(pattern, cleaned, re.I)
            if match is None and field_name == "address":  # also the address split over two lines
                match = re.search(r"\s+".join(re.escape(part.strip()) for part in value.split(",")).replace("–", "[–-]"), cleaned)
            if match:
                line = first_line + cleaned.count("\n", 0, match.start())
                errors.append(ContentError(file, f"Die Angabe „{value}“ steht von Hand im Text; sie kommt aus data/contacts.yml.",
                                           f"Schreiben Sie stattdessen „<!-- daten: {placeholder} {contact.id} -->“ (als Link "
                                           f"oder Text eingesetzt), damit eine Änderung in data/contacts.yml überall ankommt.",
                                           line))
    return errors


def _check_links(site: Site, checked: dict, code: str, rel_path: str, page: _Checked) -> list[ContentError]:
    errors = [error for link in page.rendered.links
              if (error := _link_problem(site, checked, code, rel_path, page, link)) is not None]
    for src, alt, line in page.rendered.images:
        errors += _image_problems(site, code, rel_path, page, src, alt, line)
    return errors


def _link_problem(site: Site, checked: dict, code: str, rel_path: str, page: _Checked, link) -> ContentError | None:
    """What is wrong with one link (sections of other pages: only if ``checked`` holds that page)."""
    href = link.href
    if href.startswith("#"):
        if href[1:] and href[1:] not in page.rendered.ids:
            return ContentError(page.file, f"Den Abschnitt „{href}“ gibt es auf dieser Seite nicht.",
                                "Prüfen Sie den Teil nach # (er entsteht aus der Überschrift, klein geschrieben, "
                                "Leerzeichen als -).", link.line)
        return None
    if content.SCHEME.match(href) or href.startswith("//"):
        if href.startswith("//"):
            return ContentError(page.file, f"Der Link „{href}“ hat keine vollständige Adresse.",
                                "Schreiben Sie https:// vor die Adresse.", link.line)
        try:
            content.check_external_href(href, page.file, link.line)
        except ContentError as error:
            return error
        return None
    if href.startswith("/"):
        return ContentError(page.file, f"Der Link „{href}“ beginnt mit „/“ (absolute Adresse).",
                            content.LINK_HINT + " Absolute Adressen brechen, wenn die Website in einem "
                            "Unterordner liegt (z. B. in der Vorschau).", link.line)
    path, fragment = content.split_href(href)
    target = content.resolve_page_link(rel_path, path) if path else rel_path
    if target is None:
        return ContentError(page.file, f"Der Link „{href}“ führt aus der Website heraus.", content.LINK_HINT, link.line)
    if target.endswith(".md"):
        own = site.has_page(code, target)
        if not own and not site.has_page(SOURCE_LANGUAGE, target):
            return ContentError(page.file, f"Der Link „{path}“ führt zu keiner vorhandenen Seite.",
                                "Prüfen Sie den Dateinamen (mit .md) und den Ordner; Links zu anderen Websites "
                                "beginnen mit https://.", link.line)
        if fragment:
            target_page = checked.get((code if own else SOURCE_LANGUAGE, target))
            if target_page is not None and fragment not in target_page.rendered.ids:
                return ContentError(page.file, f"Den Abschnitt „#{fragment}“ gibt es auf der Seite „{target}“ "
                                               f"({'diese Sprache' if own else 'deutsches Original'}) nicht.",
                                    "Prüfen Sie den Teil nach #: er entsteht aus der Überschrift der Zielseite in "
                                    "derselben Sprache (klein geschrieben, Leerzeichen als -).", link.line)
        return None
    if PurePosixPath(target).suffix.lower() in ASSET_SUFFIXES:
        if not _asset_exists(site, code, target):
            return ContentError(page.file, f"Die Datei „{path}“ gibt es nicht.", content.LINK_HINT, link.line)
        return None
    return ContentError(page.file, f"Der Link „{href}“ zeigt nicht auf eine Seite (.md) oder Datei.",
                        content.LINK_HINT, link.line)


def _asset_exists(site: Site, code: str, target: str) -> bool:
    candidates = [site.docs_dir / code / target, site.docs_dir / target, site.docs_dir / SOURCE_LANGUAGE / target]
    return any(candidate.is_file() and not candidate.is_symlink() for candidate in candidates)


def _image_problems(site: Site, code: str, rel_path: str, page: _Checked, src: str, alt: str,
                    line: int | None) -> list[ContentError]:
    errors = []
    if not alt:
        errors.append(ContentError(page.file, f"Das Bild „{src}“ hat keinen Alternativtext.",
                                   "Beschreiben Sie in den eckigen Klammern, was das Bild zeigt: ![Was zu sehen ist](bild.png).",
                                   line))
    if content.SCHEME.match(src) or src.startswith("/"):
        errors.append(ContentError(page.file, f"Das Bild „{src}“ liegt nicht auf dieser Website.",
                                   "Legen Sie Bilder unter docs/assets/images/ ab und verlinken Sie sie relativ; "
                                   "Bilder von anderen Servern sind nicht erlaubt (Datenschutz).", line))
    else:
        path = content.split_href(src)[0]
        # Relative to the page below its language folder, or to the page's file (both work in the build).
        targets = [content.resolve_page_link(rel_path, path), content.resolve_page_link(f"{code}/{rel_path}", path)]
        if not any(target is not None and _asset_exists(site, code, target) for target in targets):
            errors.append(ContentError(page.file, f"Das Bild „{src}“ gibt es nicht.",
                                       "Prüfen Sie Dateinamen und Ordner; Bilder liegen unter docs/assets/images/ und werden "
                                       "relativ zur Seite verlinkt, z. B. ../assets/images/bild.png.", line))
    return errors


def _check_orders(site: Site) -> list[ContentError]:
    """Pages next to each other in the menu (and the offer cards) need different ``order`` numbers."""
    import posixpath

    errors, seen = [], {}
    for rel_path in site.source_pages:
        try:
            meta = site.page(SOURCE_LANGUAGE, rel_path).meta
        except ContentError:
            return []  # reported with the page
        order = meta.get("order")
        if not isinstance(order, int) or isinstance(order, bool) or meta.get("in_nav") is False:
            continue
        folder = posixpath.dirname(rel_path)
        group = posixpath.dirname(folder) if posixpath.basename(rel_path) == "index.md" and folder else folder
        if (group, order) in seen:
            errors.append(ContentError(f"docs/{SOURCE_LANGUAGE}/{rel_path}", f"„order: {order}“ hat auch "
                                       f"docs/{SOURCE_LANGUAGE}/{seen[(group, order)]}; die Reihenfolge im Menü wäre Zufall.",
                                       "Geben Sie jeder Seite im selben Bereich eine eigene Zahl.",
                                       meta.line_of("order"), "order"))
        else:
            seen[(group, order)] = rel_path
    return errors


def _check_footer_roles(site: Site) -> list[ContentError]:
    errors = []
    roles = defaultdict(list)
    for rel_path in site.source_pages:
        try:
            role = site.page(SOURCE_LANGUAGE, rel_path).meta.get("footer")
        except ContentError:
            return []  # reported with the page
        if role:
            roles[role].append(rel_path)
    for role in REQUIRED_FOOTER_ROLES:
        if not roles.get(role):
            errors.append(ContentError(f"docs/{SOURCE_LANGUAGE}/", f"Keine Seite ist als {FOOTER_ROLE_NAMES[role]} markiert.",
                                       f"Jede Website der Stadt braucht diese Seite. Schreiben Sie in ihre Angaben oben "
                                       f"„footer: {role}“ (oder stellen Sie die Seite aus Git wieder her)."))
    for role, paths in roles.items():
        if len(paths) > 1:
            errors.append(ContentError(f"docs/{SOURCE_LANGUAGE}/{paths[1]}", f"Auch „{paths[0]}“ ist als „footer: {role}“ markiert.",
                                       "Jede Rolle hat genau eine Seite; löschen Sie die Zeile „footer:“ bei einer der beiden."))
    return errors


def check_site_texts(site: Site) -> list[ContentError]:
    """Names and descriptions in mkdocs.yml: plain text without < > " (Material writes them into
    attributes unescaped, and the i18n plugin needs them as plain strings)."""
    from mkdocs.utils.yaml import yaml_load

    name = "mkdocs.yml"
    with open(site.root / name, encoding="utf-8") as handle:
        config = yaml_load(handle)
    texts = [(key, config.get(key)) for key in ("site_name", "site_description", "copyright")]
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            for entry in plugin["i18n"].get("languages", []):
                texts += [(f"{entry.get('locale')}.{key}", entry.get(key)) for key in ("name", "site_name", "site_description")]
    errors = []
    for field_name, value in texts:
        if value is None:
            continue
        try:
            text = plain_text(value, name, None, field_name)
            if any(char in text for char in '<>"'):
                raise ContentError(name, f"„{text}“ enthält < > oder \".", "Diese Zeichen sind in Namen und Beschreibungen "
                                   "der Website nicht möglich; verwenden Sie „ “ als Anführungszeichen.", None, field_name)
        except ContentError as error:
            errors.append(error)
    return errors


def check_all(site: Site, render_pages: bool = True) -> tuple[list[ContentError], SiteData]:
    """Every check. ``render_pages=False``: without the checks of the pages' rendered HTML, which
    the build makes on its own rendering (RenderedChecks)."""
    errors = check_docs_files(site.docs_dir, list(site.folders or site.codes), site.display) + check_site_texts(site)
    if errors:  # a link or an unknown file type: stop before reading anything else
        return errors, SiteData()
    loaded, data_errors = load_data(site)
    errors += data_errors
    renderer = content.MarkdownRenderer(site.root / "mkdocs.yml") if render_pages else None
    errors += check_pages(site, loaded, renderer)
    if not errors:  # compare translations only once every page parses
        from .translation_check import check_short_texts, check_translations
        errors += check_translations(site)
        errors += check_short_texts(short_text_pairs(site, loaded), loaded.glossary, loaded.rules)
    return errors, loaded


def short_text_pairs(site: Site, loaded: SiteData):
    """(file, field, language, German text, translated text) of every short translated text:
    UI strings, site names from mkdocs.yml, texts in the data files."""
    pairs = []
    german_ui = loaded.strings.get(SOURCE_LANGUAGE, {})
    for code, strings in loaded.strings.items():
        if code != SOURCE_LANGUAGE:
            pairs += [(f"data/ui/{code}.yml", key, code, german_ui.get(key, ""), text) for key, text in strings.items()]
    names = _site_texts(site)
    for code, texts in names.items():
        if code != SOURCE_LANGUAGE:
            pairs += [("mkdocs.yml", f"{code}.{key}", code, names.get(SOURCE_LANGUAGE, {}).get(key, ""), text)
                      for key, text in texts.items()]
    localized = [("data/links.yml", f"{group.id}.title", group.title) for group in loaded.links]
    localized += [("data/links.yml", f"{group.id}.{field_name}", getattr(link, field_name))
                  for group in loaded.links for link in group.links for field_name in ("name", "description")]
    localized += [("data/contacts.yml", f"{contact.id}.{field_name}", getattr(contact, field_name))
                  for contact in loaded.contacts.values() for field_name in ("name", "note")]
    if loaded.documents:
        localized += [("data/documents.yml", f"{entry.id}.{field_name}", getattr(entry, field_name))
                      for entry in loaded.documents.entries for field_name in ("title", "description")]
    for file, field_name, texts in localized:
        for code, text in (texts or {}).items():
            if code != SOURCE_LANGUAGE and code in site.codes:
                pairs.append((file, field_name, code, texts[SOURCE_LANGUAGE], text))
    return pairs


def _site_texts(site: Site) -> dict[str, dict[str, str]]:
    """{language: {site_name, site_description}} from mkdocs.yml (German: the top-level values)."""
    from mkdocs.utils.yaml import yaml_load

    with open(site.root / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml_load(handle)
    result = {SOURCE_LANGUAGE: {key: str(config.get(key, "")) for key in ("site_name", "site_description")}}
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            for entry in plugin["i18n"].get("languages", []):
                if not entry.get("default"):
                    result[entry["locale"]] = {key: str(entry[key]) for key in ("site_name", "site_description") if entry.get(key)}
    return result
