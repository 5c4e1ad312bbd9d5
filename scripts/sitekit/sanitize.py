"""The allow-list of HTML a page's Markdown may produce, and the sanitiser that enforces it.

The content check refuses anything outside this list with a German message (see
``content.py``); the build runs the HTML rendered from Markdown through nh3 (the Rust
``ammonia`` sanitiser) against the same list as a second line of defence, so that what
the check might miss still cannot reach a reader. HTML the site itself renders from
data files (cards, contact boxes, notices) is inserted after sanitising.

Raw HTML editors may write in Markdown (documented in REDAKTION.md):
``<div class="timeline" markdown>`` (a timeline), ``<time datetime="2019-02-26">``,
``<abbr title="…">``, ``<span lang="…">`` (a word in another language) and ``<br>``.
"""

from __future__ import annotations

import re

import nh3

# What Python-Markdown writes for Markdown syntax (with the extensions in mkdocs.yml) plus
# the raw HTML above. tag -> allowed attributes.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "p": set(), "br": set(), "hr": set(), "em": set(), "strong": set(), "blockquote": set(),
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "ul": set(), "ol": {"start"}, "li": set(), "dl": set(), "dt": set(), "dd": set(),
    "a": {"href", "title"}, "img": {"src", "alt", "title"},
    "code": set(), "pre": set(),
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": set(), "td": set(),
    "div": {"class", "lang", "dir"}, "span": {"lang", "dir"}, "time": {"datetime"}, "abbr": {"title"},
}
# Classes that may appear, per tag: admonitions (Python-Markdown) and the timeline.
ADMONITION_TYPES = {"note", "info", "tip", "warning", "danger", "example"}
ALLOWED_CLASSES: dict[str, set[str]] = {
    "div": {"admonition", "timeline", *ADMONITION_TYPES},
    "p": {"admonition-title"},
}
URL_SCHEMES = {"https", "mailto", "tel"}
# Removed with everything inside them, not only the tag.
REMOVED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math",
                        "textarea", "select", "title", "noembed", "noframes", "xmp", "plaintext"}
DATETIME = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)?)?")
DIRECTIONS = {"ltr", "rtl", "auto"}
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Per-value rules the allow-list alone cannot express (returning None drops the attribute)."""
    if attribute == "datetime":
        return value if DATETIME.fullmatch(value) else None
    if attribute == "dir":
        return value if value in DIRECTIONS else None
    if attribute == "lang":
        return value if LANGUAGE_TAG.fullmatch(value) else None
    if attribute == "src" and tag == "img":
        return None if re.match(r"\s*(?:[a-z][a-z0-9+.-]*:|//)", value, re.I) else value  # own images only
    if attribute == "href" and value.lstrip().startswith("//"):
        return None  # protocol-relative: another host
    return value


def sanitize(html: str) -> str:
    """HTML rendered from an editor's Markdown, reduced to the allow-list."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_ATTRIBUTES),
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes={tag: attributes - {"class"} for tag, attributes in ALLOWED_ATTRIBUTES.items()},
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=None,  # external links get rel="external noopener" when they are marked
        url_schemes=URL_SCHEMES,
    )
