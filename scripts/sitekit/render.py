"""HTML for data rendered into pages: offer cards, external links, documents, contacts,
translation notices. All text from data files is HTML-escaped here."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from babel.numbers import format_decimal
from mkdocs.utils import get_relative_url

from .data import Contact, LinkGroup, pick
from .documents import DOCUMENT_TYPES, DOCUMENTS_URL, DocumentEntry, DocumentState
from .languages import EASY_LANGUAGE, SOURCE_LANGUAGE, babel_locale, format_long_date, number_locale, text_direction
from .pages import icon_file, order_of
from .strings import fill
from .translation import MACHINE, MISSING, OUTDATED, REVIEWED

if TYPE_CHECKING:
    from .checks import SiteData
    from .site import Site



@dataclass(frozen=True)
class DataContext:
    """Where data is rendered: the site, its data, the page's language and address."""

    site: "Site"
    data: "SiteData"
    code: str         # language of the page (its links stay in this language)
    text_code: str    # language of the texts around (German on a page not yet translated)
    page_url: str     # the page's path below the site root, e.g. "ar/kontakt/"

    def href(self, target: str) -> str:
        return get_relative_url(target or "./", self.page_url or "./")

    @property
    def strings(self) -> dict[str, str]:
        return self.data.ui(self.text_code)


def placeholder_html(found, context: DataContext) -> str:
    """The HTML a data placeholder (placeholders.Found) stands for."""
    strings, data = context.strings, context.data
    if found.name == "angebote":
        return offer_cards(_offer_cards(context), context.text_code)
    if found.name == "links":
        return external_links(data.links, context.text_code, strings)
    if found.name == "dokumente":
        entries = data.documents.entries if data.documents else []
        return documents(entries, data.document_states, context.text_code, strings,
                         lambda file: context.href(DOCUMENTS_URL + file))
    if found.name == "glossar":
        return glossary_list(data.glossary, context.text_code)
    if found.name == "leichte-sprache":
        return easy_pages(context)
    contact = data.contacts.get(found.arg)
    if contact is None:
        return ""
    if found.name == "kontakt":
        return contact_card(contact, context.text_code, strings)
    return {"email": contact_email, "adresse": contact_address, "telefon": contact_phone}[found.name](contact)


def _offer_cards(context: DataContext) -> list["OfferCard"]:
    site = context.site
    cards = []
    for rel_path in site.offer_pages:
        text_code = context.text_code if site.has_page(context.text_code, rel_path) else SOURCE_LANGUAGE
        meta = site.page_meta(text_code, rel_path)
        cards.append(OfferCard(title=str(meta.get("title", "")), summary=str(meta.get("summary", "")),
                               icon=str(meta.get("icon", "")), href=context.href(site.site_path(context.code, rel_path)),
                               language=text_code, order=order_of(meta)))
    return cards


def _lang_attrs(text_language: str, page_language: str) -> str:
    """lang (and dir) for a text that falls back to another language than the page's."""
    if text_language == page_language:
        return ""
    return f' lang="{text_language}" dir="{text_direction(text_language)}"'


def _text(texts: dict[str, str] | None, language: str, tag: str = "span", css: str = "") -> str:
    text, real_language = pick(texts, language)
    class_attr = f' class="{css}"' if css else ""
    return f"<{tag}{class_attr}{_lang_attrs(real_language, language)}>{escape(text)}</{tag}>"


def easy_pages(context: "DataContext") -> str:
    """Links to every page in Leichte Sprache, titled in Leichte Sprache, in menu order."""
    site = context.site
    items = []
    pages = sorted(site.pages(EASY_LANGUAGE), key=lambda rel: (rel.count("/"), rel != "index.md",
                   order_of(site.page_meta(SOURCE_LANGUAGE, rel)), rel))
    for rel_path in pages:
        title = str(site.page(EASY_LANGUAGE, rel_path).meta.get("title", rel_path))
        href = context.href(site.site_path(EASY_LANGUAGE, rel_path))
        items.append(f'<li><a href="{escape(href)}" hreflang="{EASY_LANGUAGE}" lang="{EASY_LANGUAGE}" dir="ltr">'
                     f'{escape(title)}</a></li>')
    return f'<ul class="easy-pages">{"".join(items)}</ul>' if items else ""


def glossary_list(terms, language: str) -> str:
    """The lexicon: each German term as readers meet it in letters, its rendering and explanation
    in the reader's language (German where a language has none yet)."""
    items = []
    for term in sorted(terms, key=lambda term: term.german.term.casefold()):
        own = term.renderings.get(language)
        text_language = language if own and own.explanation else SOURCE_LANGUAGE
        explanation = (own if own and own.explanation else term.german).explanation
        rendering = f' <span class="glossary__rendering">– {escape(own.term)}</span>' if own and language != SOURCE_LANGUAGE else ""
        items.append(f'<dt id="wort-{term.id}"><span lang="de" dir="ltr">{escape(term.german.term)}</span>{rendering}</dt>'
                     f'<dd{_lang_attrs(text_language, language)}>{escape(explanation)}</dd>')
    return f'<dl class="glossary">{"".join(items)}</dl>'


def svg_icon(name: str, css: str = "icon") -> str:
    """Inline SVG of a Material icon, hidden from screen readers (its meaning is in text)."""
    svg = _icon_svg(name) if isinstance(name, str) else ""
    if not svg:
        return ""
    return svg.replace("<svg ", f'<svg class="{css}" aria-hidden="true" focusable="false" ', 1)


@functools.lru_cache(maxsize=None)
def _icon_svg(name: str) -> str:
    """The icon file's text, read once per process (Material's icons do not change during a build)."""
    path = icon_file(name)
    return path.read_text(encoding="utf-8").strip() if path is not None else ""


def external_mark(strings: dict[str, str]) -> str:
    """The "other website" icon (drawn by site.css: one copy in the cached stylesheet instead of an
    SVG per link - 0.7 KB of the links page) and its text for screen readers."""
    return (f'<span class="external-mark" aria-hidden="true"></span>'
            f'<span class="visually-hidden"> {escape(strings["external_link"])}</span>')


@dataclass(frozen=True)
class OfferCard:
    title: str
    summary: str
    icon: str
    href: str
    language: str   # language of title and summary (German where the offer is not translated)
    order: int


def offer_cards(offers: list[OfferCard], language: str) -> str:
    """Cards of the offer pages, in their ``order``."""
    items = []
    for card in sorted(offers, key=lambda card: (card.order, card.href)):
        items.append(
            f'<li class="offer-card"{_lang_attrs(card.language, language)}>'
            f'{svg_icon(card.icon, "offer-card__icon")}'
            f'<h2 class="offer-card__title"><a href="{escape(card.href)}">{escape(card.title)}</a></h2>'
            f'<p class="offer-card__summary">{escape(card.summary)}</p>'
            '</li>'
        )
    return f'<ul class="offer-cards">{"".join(items)}</ul>'


@functools.lru_cache(maxsize=None)  # Babel parses its locale data on every call
def language_name(code: str) -> str:
    """A language's own name in its own script (e.g. العربية), as its speakers look for it."""
    try:
        locale = babel_locale(code)
        name = (locale.get_display_name(locale) if locale else None) or code
    except (ValueError, LookupError):
        return code
    return name[:1].upper() + name[1:]


def external_links(groups: list[LinkGroup], language: str, strings: dict[str, str]) -> str:
    sections = []
    for group in groups:
        items = []
        for link in group.links:
            langs = ""
            if link.languages:
                names = ", ".join(
                    f'<span lang="{code}"{_dir(code)}>{escape(language_name(code))}</span>' for code in link.languages
                )
                langs = f'<p class="link-item__languages">{escape(strings["service_languages"])} {names}</p>'
            items.append(
                '<li class="link-item">'
                f'<a class="external-link link-item__name" href="{escape(link.url)}" rel="external noopener">'
                f'{_text(link.name, language)}{external_mark(strings)}</a>'
                f'{_text(link.description, language, "p", "link-item__description")}'
                f'{langs}'
                '</li>'
            )
        heading_id = f"links-{group.id}"
        title, title_language = pick(group.title, language)
        sections.append(
            f'<section class="link-group" aria-labelledby="{heading_id}">'
            f'<h2 id="{heading_id}"{_lang_attrs(title_language, language)}>{escape(title)}</h2>'
            f'<ul class="link-list">{"".join(items)}</ul>'
            '</section>'
        )
    return "".join(sections)


def _dir(code: str) -> str:
    return ' dir="rtl"' if text_direction(code) == "rtl" else ""


def file_size(size: int, language: str) -> str:
    """Human size with the language's decimal sign: 1,2 MB in German, 1.2 MB in English."""
    if size >= 1_000_000:
        return f"{format_decimal(size / 1_000_000, '#,##0.0', locale=number_locale(language))}\u00a0MB"
    return f"{format_decimal(max(size / 1000, 0.1), '#,##0.0', locale=number_locale(language))}\u00a0kB"


def documents(entries: list[DocumentEntry], states: dict[str, DocumentState], language: str,
              strings: dict[str, str], href_for: callable) -> str:
    if not entries:
        return f'<p class="documents-none">{escape(strings["documents_none"])}</p>'
    # Page count: "document_pages_one" where the language's CLDR plural rule says "one", else "_other".
    # Languages with more forms (ar, ru, uk) word "_other" so that it fits every number (e.g. "12 стр.").
    plural = number_locale(language).plural_form
    items = []
    for entry in entries:
        state = states.get(entry.id)
        label = DOCUMENT_TYPES[entry.type][0]
        details = [label]
        if state and state.pages:
            key = "document_pages_one" if plural(state.pages) == "one" else "document_pages_other"
            details.append(fill(strings[key], count=format_decimal(state.pages, locale=number_locale(language))))
        if state:
            details.append(file_size(state.size, language))
        date = entry.date or (state.date if state else None)  # the manifest's date first, else the PDF's
        if date:
            details.append(fill(strings["document_date"], date=format_long_date(date, language)))
        meta = f'<span class="document__meta" dir="auto">({escape(", ".join(details))})</span>'
        title = _text(entry.title, language)
        if state:
            link = (f'<a class="document__link" href="{escape(href_for(state.file))}" '
                    f'type="{escape(state.content_type)}">{title}</a> {meta}')
        else:
            link = f'{title} {meta} <span class="document__unavailable">{escape(strings["document_unavailable"])}</span>'
        description = _text(entry.description, language, "p", "document__description") if entry.description else ""
        items.append(f'<li class="document">{link}{description}</li>')
    return f'<ul class="document-list">{"".join(items)}</ul>'


def contact_email(contact: Contact) -> str:
    return f'<a href="mailto:{escape(contact.email)}" dir="ltr">{escape(contact.email)}</a>'


def contact_address(contact: Contact) -> str:
    return f'<bdi lang="de" dir="ltr">{escape(contact.address)}</bdi>'


def contact_phone(contact: Contact) -> str:
    number = "".join(contact.phone.split())
    return f'<a href="tel:{escape(number)}" dir="ltr">{escape(contact.phone)}</a>'


def contact_card(contact: Contact, language: str, strings: dict[str, str]) -> str:
    rows = []
    if contact.email:
        rows.append(f'<dt>{escape(strings["contact_email"])}</dt><dd>{contact_email(contact)}</dd>')
    if contact.phone:
        rows.append(f'<dt>{escape(strings["contact_phone"])}</dt><dd>{contact_phone(contact)}</dd>')
    if contact.address:
        rows.append(f'<dt>{escape(strings["contact_address"])}</dt><dd>{contact_address(contact)}</dd>')
    if contact.url:
        rows.append(f'<dt>{escape(strings["contact_website"])}</dt><dd><a class="external-link" href="{escape(contact.url)}" '
                    f'rel="external noopener" dir="ltr">{escape(_host(contact.url))}{external_mark(strings)}</a></dd>')
    note = _text(contact.note, language, "p", "contact-card__note") if contact.note else ""
    return (f'<div class="contact-card">{_text(contact.name, language, "p", "contact-card__name")}'
            f'<dl class="contact-card__list">{"".join(rows)}</dl>{note}</div>')


def _host(url: str) -> str:
    from urllib.parse import urlsplit
    return urlsplit(url).hostname or url


def translation_notice(kind: str, strings: dict[str, str], original_href: str,
                       available: list[tuple[str, str, str]] = (), reviewed: tuple[str, str] = ("", "")) -> str:
    """A notice at the top of a translated page. ``available``: (code, own name, href);
    ``reviewed``: (who, date) in the reader's language for a reviewed translation."""
    original = f'<a href="{escape(original_href)}" hreflang="de">{escape(strings["original_link"])}</a>'
    if kind == MISSING:
        links = "".join(
            f'<li><a href="{escape(href)}" hreflang="{code}" lang="{code}"{_dir(code)}>{escape(name)}</a></li>'
            for code, name, href in available
        )
        body = (f'<p>{escape(strings["notice_missing"])}</p>'
                f'<p>{escape(strings["notice_missing_available"])}</p><ul>{links}</ul>')
    elif kind in (MACHINE, OUTDATED):
        body = f'<p>{escape(strings["notice_" + kind])} {original}</p>'
    elif kind == REVIEWED:
        by, date = reviewed
        body = f'<p>{escape(fill(strings["notice_reviewed"], by=by, date=date))} {original}</p>'
    else:
        raise ValueError(kind)
    return (f'<div class="translation-notice translation-notice--{kind}" data-translation-state="{kind}" role="note">'
            f'{body}</div>')


_EXTERNAL_A = re.compile(r'<a href="(https?://[^"]+|mailto:[^"]+|tel:[^"]+)"(?![^>]*class=)([^>]*)>(.*?)</a>', re.S)


def mark_external_links(html: str, strings: dict[str, str], own_origin: str = "") -> str:
    """Mark links in Markdown content that lead to other websites, visibly and for screen readers."""
    def replace(match: re.Match) -> str:
        href, rest, inner = match.groups()
        if href.startswith(("mailto:", "tel:")):
            if re.search(r'\sdir=', rest):  # already marked (e.g. a contact card): no duplicate attribute
                return match.group(0)
            return f'<a href="{href}" dir="ltr"{rest}>{inner}</a>'
        if own_origin and href.startswith(own_origin):
            return match.group(0)
        return f'<a href="{href}" class="external-link" rel="external noopener"{rest}>{inner}{external_mark(strings)}</a>'
    return _EXTERNAL_A.sub(replace, html)


@functools.lru_cache(maxsize=4096)
def qr_code_svg(url: str) -> str:
    """A QR code for ``url`` as inline SVG (made at build time by segno; nothing is requested from
    elsewhere). Error correction M survives a creased or smudged print; quiet zone of 4 modules.
    Cached: two of an offer flyer's three codes (the German page, the language list) are the same
    in every language, and choosing the best mask costs about 10 ms per code."""
    import segno

    svg = segno.make_qr(url, error="m").svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code",
                                                      lineclass=None)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)

