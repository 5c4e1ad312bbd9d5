"""What the build does to one page in one language (called by the content and page_context hooks).

Markdown step: German-owned front matter for translations, data placeholders as slots,
the translation notice under the title, the German text marked as German where a
translation is missing. HTML step: sanitise what Markdown produced, then put the
trusted data HTML into its slots, mark external links, isolate Latin runs in
right-to-left text. Template step: languages, hreflang, footer and date for the frame.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from . import content, placeholders, render
from .bidi import isolate_ltr_runs
from .build_state import BuildState
from .escaping import escape_page_texts, escaped
from .files import write_text_atomically
from .languages import SOURCE_LANGUAGE, Language, format_long_date
from .offline import SIZE_MARKER
from .pages import FOOTER_ROLES, is_offer_path
from .sanitize import sanitize
from .data import pick
from .strings import fill
from .yamlfile import as_date

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
    if not missing and state.rendered is not None:  # the check inspects what the build renders
        state.capture.expect(lambda html, ids: state.rendered.page(code, rel_path, html, set(ids) | slots.ids()))
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
    reviewed = ("", "")
    if status.reviewed_by:
        reviewer = state.data.reviewers.find(status.reviewed_by) if state.data.reviewers else None
        by = pick(reviewer.name, code)[0] if reviewer else status.reviewed_by
        when = as_date(status.reviewed_on)
        reviewed = (by, format_long_date(when, code) if when else "")
    return "".join(render.translation_notice(kind, state.ui(code), german_href, available, reviewed)
                   for kind in status.notices)


def insert_after_title(markdown: str, block: str) -> str:
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", block, "", *lines[index + 1:]])
    return f"{block}\n\n{markdown}"


def finish_html(state: BuildState, code: str, page, html: str, site_url: str) -> str:
    state.capture.finish()
    html = sanitize(html)
    slots = state.slots.pop(f"{code}:{rel_path_of(page)}", None)
    if slots is not None:
        html = slots.fill(html)
    html = render.mark_external_links(html, state.ui(code), site_url)
    if state.site.language(code).direction == "rtl":
        html = isolate_ltr_runs(html)
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
    if code != SOURCE_LANGUAGE and code in translated:
        context["translation_feedback"] = translation_feedback(state, code, rel_path, base, page)
    context["flyer"] = flyer_codes(state, code, rel_path, base) if is_offer_path(rel_path) else []
    context["offline_size"] = (escaped(fill(state.ui(code)["offline_size"], size="\0")).replace("\0", Markup(SIZE_MARKER))
                               if rel_path == "index.md" else "")
    context.update(preview_context(state, code))
    stand = page.meta.get("stand")
    context["stand_text"] = escaped(fill(state.ui(code)["stand"], date=format_long_date(stand, code))) if stand else ""
    if code not in translated:
        # German text under another language's address: point search engines to the original.
        page.canonical_url = base + site.site_path(SOURCE_LANGUAGE, rel_path)
    return context


def translation_feedback(state: BuildState, code: str, rel_path: str, base: str, page) -> dict | None:
    """"Übersetzung unklar?": an e-mail to the office with page address and language filled in (no form, no server)."""
    rules, contacts = state.data.rules, state.data.contacts
    contact = contacts.get(rules.feedback_contact) if rules and rules.feedback_contact else None
    if contact is None or not contact.email:
        return None
    language = state.site.language(code)
    address = base + state.site.site_path(code, rel_path)
    subject = f"Übersetzung unklar ({language.code}): {html_lib.unescape(str(page.meta.get('title', '')))}"
    body = f"Seite: {address}\nSprache: {language.name} ({language.code})\n\n"
    href = f"mailto:{contact.email}?subject={quote(subject)}&body={quote(body)}"
    return {"href": href, "text": escaped(state.ui(code)["translation_unclear"])}


LANGUAGE_BAR_ID = "sprachen"  # id of the language bar (partials/language-bar.html)


def flyer_codes(state: BuildState, code: str, rel_path: str, base: str) -> list[dict]:
    """QR codes printed on an offer page's flyer (print stylesheet): this page in the page's language,
    in German, and the language list (the language bar of the German page). Absolute public URLs."""
    site = state.site
    german = site.source.code
    german_url = base + site.site_path(german, rel_path)
    own, de = state.ui(code), state.ui(german)
    codes = []
    if code != german:
        url = base + site.site_path(code, rel_path)
        codes.append({"url": url, "caption": escaped(own["flyer_this_language"]), "language": site.language(code)})
    codes.append({"url": german_url, "caption": escaped(de["flyer_this_language"]), "language": site.source})
    other = escaped(de["flyer_other_languages"])
    if code != german:
        language = site.language(code)
        other = (Markup('{}<span lang="{}" dir="{}">{}</span>').format(other + Markup("<br>"), language.code,
                                                                        language.direction, own["flyer_other_languages"]))
    codes.append({"url": f"{german_url}#{LANGUAGE_BAR_ID}", "caption": other, "language": site.source})
    for entry in codes:
        entry["svg"] = render.qr_code_svg(entry["url"])
    return codes


LANGUAGE_HINTS_FILE = "assets/javascripts/language-hints.json"


def language_hint_texts(state: BuildState) -> dict[str, dict[str, str]]:
    """Every language's hint texts ("Read this page in …", "Close this note"), as plain text.

    One shared file, fetched by language-hint.js only when it has a hint to show: as attributes of
    the language bar they cost every page half a kilobyte (gzip) that nearly no reader uses."""
    return {lang.code: {"offer": state.ui(lang.code)["language_hint"], "close": state.ui(lang.code)["language_hint_close"]}
            for lang in state.site.languages}


def write_language_hints(site_dir: str | Path, state: BuildState) -> None:
    text = json.dumps(language_hint_texts(state), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write_text_atomically(Path(site_dir) / LANGUAGE_HINTS_FILE, text + "\n")


def preview_context(state: BuildState, code: str) -> dict:
    """Template values of a pull-request preview: noindex and the banner in German and the page's
    language (each with lang and dir); nothing for the public site."""
    if not state.preview:
        return {}
    site = state.site
    codes = list(dict.fromkeys([SOURCE_LANGUAGE, code]))
    banner = [(site.language(c) if c in site.codes else site.source, escaped(state.ui(c)["preview_banner"])) for c in codes]
    return {"site_preview": True, "preview_banner": banner}


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


PRESERVED_BLOCKS = re.compile(r"<(pre|textarea)\b.*?</\1\s*>", re.S | re.I)
INDENTATION = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """Without the templates' indentation and blank lines (outside <pre> and <textarea>): a line
    break still separates what it separated, and every page is 0.4-0.5 KB lighter over gzip."""
    parts, last = [], 0
    for block in PRESERVED_BLOCKS.finditer(html):
        parts += [INDENTATION.sub("\n", html[last:block.start()]), block.group(0)]
        last = block.end()
    parts.append(INDENTATION.sub("\n", html[last:]))
    return "".join(parts)


def html_with_direction(output: str, language: Language) -> str:
    """<html> gets dir too (Material sets it on <body> only)."""
    return output.replace("<html lang=", f'<html dir="{language.direction}" lang=', 1)
