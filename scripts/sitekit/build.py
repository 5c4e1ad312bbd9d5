"""What the MkDocs hook does, as plain functions (the hook file only forwards events)."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape as xml_escape

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from . import render
from .checks import PLACEHOLDER, check_all
from .documents import DOCUMENTS_URL
from .fields import DEFAULT_LANGUAGE
from .languages import Language, format_long_date, languages as configured_languages
from .pages import language_pages, read_page
from .strings import strings as ui_strings
from .translation import available_languages, status_of

# Material's language-switch helper fetches "<alternate URL>/sitemap.xml" for every
# <link rel=alternate> in the head: 404s and console errors in this layout (see
# STACK.md). We keep the hreflang links for search engines and turn the helper off.
BUNDLE_SELECTOR = 'M("link[rel=alternate]")'
BUNDLE_SELECTOR_OFF = 'M("link[rel=alternate][data-md-switch]")'


@dataclass
class BuildState:
    """Loaded once per `mkdocs build` (all languages), reused by every language pass."""

    languages: tuple[Language, ...] = ()
    data: dict = field(default_factory=dict)
    not_found_html: str | None = None


STATE = BuildState()


def i18n_plugin(config):
    return config.plugins["i18n"]


def current_language(config) -> str:
    return i18n_plugin(config).current_language or DEFAULT_LANGUAGE


def is_first_pass(config) -> bool:
    plugin = i18n_plugin(config)
    return not plugin.building and current_language(config) == plugin.default_language


def on_config(config) -> None:
    """Check all content before the first language is built; a finding stops the build."""
    if not is_first_pass(config):
        return
    languages = configured_languages(Path(config.config_file_path))
    errors, loaded = check_all([lang.code for lang in languages], Path(config.docs_dir))
    if errors:
        count = "1 Fehler" if len(errors) == 1 else f"{len(errors)} Fehler"
        lines = "\n".join(f"  - {error.message}" for error in errors)
        raise PluginError(f"Die Website wurde nicht gebaut: {count} in Inhalten oder Daten.\n{lines}")
    STATE.languages = languages
    STATE.data = loaded
    STATE.not_found_html = None


def page_url_in_language(rel_path: str) -> str:
    """URL path of a page below its language root: index.md -> "", a/b.md -> a/b/."""
    path = PurePosixPath(rel_path)
    if path.name == "index.md":
        parent = path.parent.as_posix()
        return "" if parent == "." else f"{parent}/"
    return f"{path.with_suffix('').as_posix()}/"


def site_path(language: Language, rel_path: str) -> str:
    return language.url_prefix + page_url_in_language(rel_path)


def _language(code: str) -> Language:
    return next(lang for lang in STATE.languages if lang.code == code)


def page_markdown(markdown: str, page, config) -> str:
    """Render data placeholders and put the translation notice under the page's title."""
    page_code = current_language(config)
    rel_path = page.file.norm_src_uri
    docs_dir = Path(config.docs_dir)
    missing = page_code != DEFAULT_LANGUAGE and status_of(rel_path, page_code, docs_dir).missing
    code = DEFAULT_LANGUAGE if missing else page_code  # data texts in the language of the content around them
    strings = ui_strings(code)

    def href(target_site_path: str) -> str:
        return get_relative_url(target_site_path or "./", page.url or "./")

    def replace(match: re.Match) -> str:
        name, arg = match.group("name"), match.group("arg")
        if name == "angebote":
            return "\n" + render.offer_cards(_offers(code, page_code, docs_dir, href), code, strings) + "\n"
        if name == "links":
            return "\n" + render.external_links(STATE.data["links"], code, strings) + "\n"
        if name == "dokumente":
            manifest = STATE.data["documents"]
            return "\n" + render.documents(manifest.entries, STATE.data["document_states"], code, strings,
                                           lambda file: href(DOCUMENTS_URL + file)) + "\n"
        return "\n" + render.contact_card(STATE.data["contacts"][arg], code, strings) + "\n"

    markdown = PLACEHOLDER.sub(replace, markdown)
    notices = _notices(rel_path, page_code, ui_strings(page_code), docs_dir, href)
    if missing:
        # The German text stands in for a missing translation: mark it as German, left-to-right.
        german = _language(DEFAULT_LANGUAGE)
        return f'{notices}\n\n<div lang="{german.code}" dir="{german.direction}" markdown>\n\n{markdown}\n\n</div>\n'
    if notices:
        markdown = _insert_after_title(markdown, notices)
    return markdown


def _offers(text_code: str, url_code: str, docs_dir: Path, href) -> list:
    """(offer page in the reader's language or German, link in the page's language)."""
    offers = []
    german = language_pages(DEFAULT_LANGUAGE, docs_dir)
    own = language_pages(text_code, docs_dir)
    for rel_path, german_path in german.items():
        page = read_page(own.get(rel_path, german_path), docs_dir)
        if page.is_offer:
            offers.append((page, href(site_path(_language(url_code), rel_path))))
    return offers


def _notices(rel_path: str, code: str, strings: dict, docs_dir: Path, href) -> str:
    if code == DEFAULT_LANGUAGE:
        return ""
    status = status_of(rel_path, code, docs_dir)
    german_href = href(site_path(_language(DEFAULT_LANGUAGE), rel_path))
    available = [
        (lang.code, lang.name, href(site_path(lang, rel_path)))
        for lang in STATE.languages
        if lang.code in available_languages(rel_path, [lang.code], docs_dir) and lang.code != code
    ]
    return "".join(render.translation_notice(kind, strings, german_href, available) for kind in status.notices)


def _insert_after_title(markdown: str, html: str) -> str:
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", html, "", *lines[index + 1:]])
    return f"{html}\n\n{markdown}"


def page_content(html: str, config) -> str:
    code = current_language(config)
    html = render.mark_external_links(html, ui_strings(code), config.site_url or "")
    if _language(code).direction == "rtl":
        html = render.isolate_latin_runs(html)
    return html


def page_context(context: dict, page, config) -> dict:
    code = current_language(config)
    rel_path = page.file.norm_src_uri
    docs_dir = Path(config.docs_dir)
    site_url = (config.site_url or "/").rstrip("/") + "/"
    translated = set(available_languages(rel_path, [lang.code for lang in STATE.languages], docs_dir))
    context["site_strings"] = ui_strings(code)
    context["site_language"] = _language(code)
    context["site_languages"] = STATE.languages
    context["hreflang_links"] = [
        (lang.code, site_url + site_path(lang, rel_path)) for lang in STATE.languages if lang.code in translated
    ] + [("x-default", site_url + site_path(_language(DEFAULT_LANGUAGE), rel_path))]
    context["switcher_links"] = [
        (lang, get_relative_url(site_path(lang, rel_path) or "./", page.url or "./")) for lang in STATE.languages
    ]
    context["footer_pages"] = _footer_pages(code, docs_dir, page)
    stand = page.meta.get("stand")
    context["stand_text"] = ui_strings(code)["stand"].format(date=format_long_date(stand, code)) if stand else ""
    if status_of(rel_path, code, docs_dir).missing:
        # German text under another language's address: point search engines to the original.
        page.canonical_url = site_url + site_path(_language(DEFAULT_LANGUAGE), rel_path)
    return context


FOOTER_PAGES = ("leichte-sprache.md", "gebaerdensprache.md", "barrierefreiheit.md", "impressum.md", "datenschutz.md")


def _footer_pages(code: str, docs_dir: Path, page) -> list[tuple[str, str]]:
    links = []
    own = language_pages(code, docs_dir)
    german = language_pages(DEFAULT_LANGUAGE, docs_dir)
    for rel_path in FOOTER_PAGES:
        source = own.get(rel_path) or german.get(rel_path)
        if source is None:
            continue
        title = read_page(source, docs_dir).title
        links.append((title, get_relative_url(site_path(_language(code), rel_path), page.url or "./")))
    return links


def template_context(context: dict, template_name: str, config) -> dict:
    if template_name == "404.html" and STATE.languages:
        context["not_found_languages"] = [(lang, ui_strings(lang.code)) for lang in STATE.languages]
    return context


def post_template(output: str, template_name: str, config) -> str:
    if template_name == "404.html" and current_language(config) == DEFAULT_LANGUAGE:
        STATE.not_found_html = output
    return output


def post_page(output: str, config) -> str:
    """<html> gets dir too (Material sets it on <body> only)."""
    direction = _language(current_language(config)).direction
    return output.replace("<html lang=", f'<html dir="{direction}" lang=', 1)


def post_build(config) -> None:
    """After the last language: per-language search, one 404 for all, sitemap with x-default."""
    if i18n_plugin(config).building:
        return
    site_dir = Path(config.site_dir)
    split_search_index(site_dir, STATE.languages)
    if STATE.not_found_html:
        (site_dir / "404.html").write_text(post_page(STATE.not_found_html, config), encoding="utf-8")
    write_sitemap(site_dir, config.site_url or "/", STATE.languages, Path(config.docs_dir))
    patch_bundle(site_dir)


def split_search_index(site_dir: Path, languages: tuple[Language, ...]) -> None:
    """One index per language, with that language's stemmer, or none where lunr has none."""
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.exists():
        return
    combined = json.loads(index_file.read_text(encoding="utf-8"))
    prefixes = {lang.code: lang.url_prefix for lang in languages if not lang.default}
    lunr_dir = Path(__import__("material").__file__).parent / "templates/assets/javascripts/lunr/min"
    for lang in languages:
        docs = []
        for doc in combined["docs"]:
            owner = next((code for code, prefix in prefixes.items() if doc["location"].startswith(prefix)), DEFAULT_LANGUAGE)
            if owner == lang.code:
                docs.append({**doc, "location": doc["location"][len(lang.url_prefix):]})
        has_stemmer = lang.code == "en" or (lunr_dir / f"lunr.{lang.code}.min.js").exists()
        config = {**combined["config"], "lang": [lang.code if has_stemmer else "en"]}
        if not has_stemmer:
            config["pipeline"] = []  # no English stemming or trimming of Persian, Ukrainian, Pashto words
        else:
            config.pop("pipeline", None)
        target = site_dir / lang.url_prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")


def write_sitemap(site_dir: Path, site_url: str, languages: tuple[Language, ...], docs_dir: Path) -> None:
    """sitemap.xml with absolute hreflang alternates (translated pages only) and x-default."""
    base = site_url.rstrip("/") + "/"
    german = language_pages(DEFAULT_LANGUAGE, docs_dir)
    default = next(lang for lang in languages if lang.default)
    entries = []
    for rel_path in german:
        translated = [lang for lang in languages if lang.default or (docs_dir / lang.code / rel_path).is_file()]
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang.code}" href="{xml_escape(base + site_path(lang, rel_path))}"/>'
            for lang in translated
        ) + f'<xhtml:link rel="alternate" hreflang="x-default" href="{xml_escape(base + site_path(default, rel_path))}"/>'
        for lang in translated:
            entries.append(f"<url><loc>{xml_escape(base + site_path(lang, rel_path))}</loc>{alternates}</url>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
           + "\n".join(entries) + "\n</urlset>\n")
    (site_dir / "sitemap.xml").write_text(xml, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode("utf-8"), mtime=0))
    for lang in languages:  # per-language copies the i18n plugin leaves behind would lack x-default
        if not lang.default:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (site_dir / lang.code / name).unlink(missing_ok=True)


def patch_bundle(site_dir: Path) -> None:
    for bundle in (site_dir / "assets" / "javascripts").glob("bundle.*.min.js"):
        text = bundle.read_text(encoding="utf-8")
        if BUNDLE_SELECTOR in text:
            bundle.write_text(text.replace(BUNDLE_SELECTOR, BUNDLE_SELECTOR_OFF), encoding="utf-8")
        elif BUNDLE_SELECTOR_OFF not in text:
            raise PluginError(f"{bundle}: Material's language-switch helper changed; update BUNDLE_SELECTOR in sitekit/build.py")


def order_nav(nav, config):
    """Navigation from the pages themselves: order by front matter ``order``, sections named
    after their index page, pages with ``in_nav: false`` only in the footer."""

    def meta_of(item):
        file = getattr(item, "file", None)
        if file is None:
            index = next((child for child in getattr(item, "children", []) or []
                          if getattr(child, "file", None) and PurePosixPath(child.file.src_uri).name == "index.md"), None)
            return meta_of(index) if index else {}
        return read_page(Path(file.abs_src_path), Path(config.docs_dir)).meta

    def arrange(items):
        kept = []
        for item in items:
            meta = meta_of(item)
            if meta.get("in_nav") is False:
                continue
            if getattr(item, "children", None):
                item.children = arrange(item.children)
                if meta.get("title"):
                    item.title = str(meta["title"])
            kept.append(item)
        return sorted(kept, key=lambda item: (_order(meta_of(item)), str(getattr(item, "title", "") or "")))

    nav.items = arrange(nav.items)
    return nav


def _order(meta) -> int:
    value = meta.get("order") if meta else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 1000
