"""What the build does to one page in one language (called by the content and page_context hooks).

Markdown step: German-owned front matter for translations, data placeholders as slots,
the translation notice under the title, the German text marked as German where a
translation is missing. HTML step: sanitise what Markdown produced, then put the
trusted data HTML into its slots, mark external links, isolate Latin runs in
right-to-left text. Template step: languages, hreflang, footer and date for the frame.
"""

from __future__ import annotations

import re

from mkdocs.utils import get_relative_url

from . import content, placeholders, render
from .build_state import BuildState
from .escaping import escape_page_texts, escaped
from .languages import SOURCE_LANGUAGE, Language, format_long_date
from .pages import FOOTER_ROLES
from .sanitize import sanitize
from .strings import fill

MARKDOWN_PAGE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>#]+\.md)#[^)\s>]*")


def rel_path_of(page) -> str:
    """The page's path below its language folder, e.g. angebote/integrationskurs.md."""
    return page.file.norm_src_uri


def prepare_markdown(state: BuildState, code: str, page, markdown: str) -> str:
    site = state.site
    rel_path = rel_path_of(page)
    missing = code != SOURCE_LANGUAGE and not site.has_page(code, rel_path)
    text_code = SOURCE_LANGUAGE if missing else code
    page.meta.update(site.page_meta(text_code, rel_path))
    escape_page_texts(page.meta)
    context = render.DataContext(site, state.data, code, text_code, site.site_path(code, rel_path))
    found = placeholders.find(markdown, rel_path, 1, state.data.contacts)
    body, slots = content.substitute(markdown, found, lambda item: render.placeholder_html(item, context))
    notices = _notices(state, code, rel_path, context)
    state.slots[f"{code}:{rel_path}"] = slots
    if missing:
        # The German text stands in for a missing translation: marked as German, left-to-right;
        # links to sections of pages that exist in this language lose the #section (its headings differ).
        body = MARKDOWN_PAGE_LINK.sub(
            lambda m: m.group(0) if not site.has_page(code, content.resolve_page_link(rel_path, m.group(2)) or "")
            else m.group(1) + m.group(2), body)
        german = site.source
        notice = slots.add(notices, block=True) if notices else ""
        return f'{notice}\n\n<div lang="{german.code}" dir="{german.direction}" markdown>\n\n{body}\n\n</div>\n'
    if notices:
        body = insert_after_title(body, slots.add(notices, block=True))
    return body


def _notices(state: BuildState, code: str, rel_path: str, context: render.DataContext) -> str:
    site = state.site
    if code == SOURCE_LANGUAGE:
        return ""
    status = site.translation_states.status(rel_path, code)
    german_href = context.href(site.site_path(SOURCE_LANGUAGE, rel_path))
    available = [(lang.code, lang.name, context.href(site.site_path(lang.code, rel_path)))
                 for lang in site.languages if lang.code != code and site.has_page(lang.code, rel_path)]
    return "".join(render.translation_notice(kind, state.ui(code), german_href, available) for kind in status.notices)


def insert_after_title(markdown: str, block: str) -> str:
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", block, "", *lines[index + 1:]])
    return f"{block}\n\n{markdown}"


def finish_html(state: BuildState, code: str, page, html: str, site_url: str) -> str:
    html = sanitize(html)
    slots = state.slots.pop(f"{code}:{rel_path_of(page)}", None)
    if slots is not None:
        html = slots.fill(html)
    html = render.mark_external_links(html, state.ui(code), site_url)
    if state.site.language(code).direction == "rtl":
        html = render.isolate_latin_runs(html)
    return html


def page_context(state: BuildState, code: str, page, site_url: str) -> dict:
    site = state.site
    rel_path = rel_path_of(page)
    base = site_url.rstrip("/") + "/"
    here = page.url or "./"
    translated = set(site.available_languages(rel_path))
    context = {
        "site_strings": state.escaped_ui(code),
        "site_language": site.language(code),
        "site_languages": site.languages,
        "hreflang_links": [(lang.code, base + site.site_path(lang.code, rel_path))
                           for lang in site.languages if lang.code in translated]
                          + [("x-default", base + site.site_path(SOURCE_LANGUAGE, rel_path))],
        "switcher_links": [(lang, get_relative_url(site.site_path(lang.code, rel_path) or "./", here))
                           for lang in site.languages],
        "footer_pages": [(title, get_relative_url(target, here)) for title, target in footer_targets(state, code)],
    }
    stand = page.meta.get("stand")
    context["stand_text"] = escaped(fill(state.ui(code)["stand"], date=format_long_date(stand, code))) if stand else ""
    if code not in translated:
        # German text under another language's address: point search engines to the original.
        page.canonical_url = base + site.site_path(SOURCE_LANGUAGE, rel_path)
    return context


def footer_targets(state: BuildState, code: str) -> list[tuple[str, str]]:
    """(title in the language, path below the site root) of the footer pages; once per language."""
    key = f"footer:{code}"
    if key not in state.cache:
        site = state.site
        roles = site.footer_pages
        targets = []
        for role in FOOTER_ROLES:
            rel_path = roles.get(role)
            if rel_path:
                text_code = code if site.has_page(code, rel_path) else SOURCE_LANGUAGE
                targets.append((escaped(site.page_meta(text_code, rel_path)["title"]), site.site_path(code, rel_path)))
        state.cache[key] = targets
    return state.cache[key]


def html_with_direction(output: str, language: Language) -> str:
    """<html> gets dir too (Material sets it on <body> only)."""
    return output.replace("<html lang=", f'<html dir="{language.direction}" lang=', 1)
