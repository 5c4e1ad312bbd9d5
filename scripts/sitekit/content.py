"""A page's Markdown body: limits, data slots, rendering, and the rules for what it produces.

The check renders every page once with the same Markdown settings as the build, then
looks at the HTML: elements and attributes outside the allow-list (sanitize.py), links
(schemes, missing pages and headings, absolute links), images without alt text, the
number of top-level headings. The build uses the same slots and sanitiser, so a page
that passes the check is built exactly as checked.
"""

from __future__ import annotations

import functools
import html as html_lib
import posixpath
import re
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown as markdown_lib
import markdown.extensions
import markdown.treeprocessors

from .errors import ContentError
from .fields import check_url
from .sanitize import ADMONITION_TYPES, ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, _attribute_filter

MAX_LIST_DEPTH = 8
MAX_QUOTE_DEPTH = 5
MAX_HTML_DEPTH = 20
MAX_LINE_CHARS = 5000
FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
# Markdown extensions MkDocs always adds before those listed in mkdocs.yml.
MKDOCS_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]


# --- limits, before any rendering -----------------------------------------------------------

QUOTE_MARKERS = re.compile(r"^(?:\s*>)*")
DIV_OPEN = re.compile(r"<div\b", re.I)
DIV_CLOSE = re.compile(r"</div\s*>", re.I)


def check_limits(body: str, file: str, first_line: int) -> None:
    """Nesting and line length, checked on the source: Markdown recurses per level and a
    list nested a few hundred levels deep would crash or stall the build."""
    in_fence = None
    html_depth = 0
    for offset, line in enumerate(body.split("\n")):
        if not line:
            continue
        number = first_line + offset
        fence = FENCE.match(line) if line[0] in " `~" else None
        if fence:
            marker = fence.group(1)[0]
            in_fence = None if in_fence == marker else (in_fence or marker)
            continue
        if in_fence:
            continue
        if len(line) > MAX_LINE_CHARS:
            raise ContentError(file, f"Die Zeile ist länger als {MAX_LINE_CHARS} Zeichen.",
                               "Teilen Sie den Absatz auf oder kürzen Sie ihn.", number)
        indent = 0
        if line[0] in " \t":
            expanded = line.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip(" "))
        quotes = len(QUOTE_MARKERS.match(line).group(0).replace(" ", "")) if ">" in line else 0
        if indent // 4 > MAX_LIST_DEPTH or quotes > MAX_QUOTE_DEPTH:
            raise ContentError(file, "Listen oder Zitate sind hier zu tief ineinander geschachtelt.",
                               f"Höchstens {MAX_LIST_DEPTH} Ebenen (Einrückung bis {MAX_LIST_DEPTH * 4} Leerzeichen) "
                               f"und {MAX_QUOTE_DEPTH} Zitat-Ebenen „>“; gliedern Sie den Text flacher.", number)
        if "<" in line:
            html_depth += len(DIV_OPEN.findall(line)) - len(DIV_CLOSE.findall(line))
            if html_depth > MAX_HTML_DEPTH:
                raise ContentError(file, "HTML-Blöcke sind zu tief ineinander geschachtelt.",
                                   "Verwenden Sie höchstens einen <div class=\"timeline\" markdown>-Block ohne weitere darin.",
                                   number)


# --- data slots: trusted HTML goes in after sanitising ---------------------------------------

@dataclass
class Slots:
    """Placeholders become opaque tokens before Markdown; their HTML replaces them afterwards."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(6).upper())
    items: list[tuple[str, bool]] = field(default_factory=list)

    def add(self, html: str, block: bool) -> str:
        self.items.append((html, block))
        return f"SLOT{self.nonce}N{len(self.items) - 1}E"

    def ids(self) -> set[str]:
        """Anchors the data HTML brings (e.g. the link groups' headings)."""
        return {match for html, _ in self.items for match in re.findall(r'\bid="([^"]+)"', html)}

    def fill(self, rendered: str) -> str:
        for index, (html, block) in enumerate(self.items):
            token = f"SLOT{self.nonce}N{index}E"
            if block:
                rendered = rendered.replace(f"<p>{token}</p>", html)
            rendered = rendered.replace(token, html)
        return rendered


def substitute(body: str, found: list, html_for) -> tuple[str, Slots]:
    """Replace each placeholder (placeholders.find) with a slot token; ``html_for(found)`` renders it."""
    slots = Slots()
    parts, last = [], 0
    for item in found:
        token = slots.add(html_for(item), not item.placeholder.inline)
        parts += [body[last:item.start], f"\n{token}\n" if not item.placeholder.inline else token]
        last = item.end
    parts.append(body[last:])
    return "".join(parts), slots


# --- Markdown ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def markdown_settings(mkdocs_yml: str) -> tuple[tuple, dict]:
    """Extensions and their settings as MkDocs uses them (its built-ins plus mkdocs.yml's list)."""
    from mkdocs.utils.yaml import yaml_load

    with open(mkdocs_yml, encoding="utf-8") as handle:
        listed = yaml_load(handle).get("markdown_extensions", [])
    names, configs = list(MKDOCS_BUILTIN_EXTENSIONS), {}
    for item in listed:
        name, config = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
        if name not in names:
            names.append(name)
        if config:
            configs[name] = config
    return tuple(names), configs


class MarkdownRenderer:
    """One Markdown converter, reset between pages (building it per page costs more than rendering)."""

    def __init__(self, mkdocs_yml: Path):
        names, configs = markdown_settings(str(mkdocs_yml))
        self._md = markdown_lib.Markdown(extensions=list(names), extension_configs=configs)

    def render(self, text: str) -> tuple[str, list[str]]:
        """(HTML, ids of the headings)."""
        self._md.reset()
        html = self._md.convert(text)
        return html, heading_ids(self._md)


class SourceCapture(markdown_lib.extensions.Extension):
    """The build's own rendering, as the check inspects it: a page's HTML as Markdown produced it,
    before MkDocs rewrites its links (``kontakt.md`` -> ``../kontakt/``).

    Listed in the build's Markdown extensions (build_state.start), so every page the build
    renders passes through ``_CaptureSource``: registered at priority 0 during Markdown's
    set-up, it runs after Python-Markdown's own tree steps (toc 5, unescape 0) and before
    MkDocs adds its link rewriting (relpath, also 0, registered after set-up). The HTML it
    hands on is what ``MarkdownRenderer.render`` gives for the same text (a test compares
    them). ``expect(inspect)`` before a page is rendered: ``inspect(html, heading_ids)`` is
    called with it and returns the links and image sources to neutralise (set to "#") so that
    MkDocs does not warn about them in English – the check reports them in German."""

    def __init__(self):
        super().__init__()
        self._inspect = None

    def expect(self, inspect) -> None:
        self._inspect = inspect

    def finish(self) -> None:
        """After the page was rendered: a page Markdown had nothing to render for (an empty body runs
        no tree step) is inspected as the empty HTML it is."""
        inspect_page, self._inspect = self._inspect, None
        if inspect_page is not None:
            inspect_page("", [])

    def extendMarkdown(self, md):
        md.treeprocessors.register(_CaptureSource(md, self), "erkrath_capture_source", 0)


class _CaptureSource(markdown_lib.treeprocessors.Treeprocessor):
    def __init__(self, md, capture: SourceCapture):
        super().__init__(md)
        self.capture = capture

    def run(self, root):
        inspect_page, self.capture._inspect = self.capture._inspect, None
        if inspect_page is None:
            return None
        html = serialize(self.md, root)
        bad = inspect_page(html, heading_ids(self.md))
        if bad:
            for element in root.iter():
                key = {"a": "href", "img": "src"}.get(element.tag)
                if key and element.get(key) in bad:
                    element.set(key, "#")
        return None


def serialize(md, root) -> str:
    """What ``Markdown.convert`` makes of the tree from here on (without the tree steps still to come)."""
    output = md.serializer(root)
    if md.stripTopLevelTags:
        start, end = output.find(f"<{md.doc_tag}>"), output.rfind(f"</{md.doc_tag}>")
        output = output[start + len(md.doc_tag) + 2:end].strip() if start >= 0 and end >= 0 else ""
    for processor in md.postprocessors:
        output = processor.run(output)
    return output.strip()


def heading_ids(md) -> list[str]:
    ids = []

    def walk(tokens):
        for token in tokens:
            ids.append(token["id"])
            walk(token["children"])
    walk(getattr(md, "toc_tokens", []))
    return ids


# --- what the rendered HTML contains --------------------------------------------------------

@dataclass
class Link:
    href: str
    line: int | None
    text: str = ""


@dataclass
class RenderedPage:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    images: list[tuple[str, str, int | None]] = field(default_factory=list)  # (src, alt, line)
    h1: int = 0


class _Inspector(HTMLParser):
    def __init__(self, source: str, file: str, first_line: int):
        super().__init__(convert_charrefs=True)
        self.source, self.file, self.first_line = source, file, first_line
        self.result = RenderedPage()
        self.errors: list[ContentError] = []
        self._link: Link | None = None

    def line_of(self, *needles: str) -> int | None:
        lowered = self.source.lower()
        for needle in needles:
            if needle:
                index = lowered.find(needle.lower())
                if index >= 0:
                    return self.first_line + self.source.count("\n", 0, index)
        return None

    def refuse(self, problem: str, hint: str, *needles: str) -> None:
        self.errors.append(ContentError(self.file, problem, hint, self.line_of(*needles)))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in ALLOWED_ATTRIBUTES:
            self.refuse(f"Das HTML-Element <{tag}> ist auf dieser Website nicht erlaubt.", ALLOWED_HINT, f"<{tag}")
            return
        for name, value in attrs:
            value = value or ""
            if name == "class":
                extra = set(value.split()) - ALLOWED_CLASSES.get(tag, set())
                if extra:
                    self.refuse(f"Die Klasse „{' '.join(sorted(extra))}“ an <{tag}> ist nicht erlaubt.", ALLOWED_HINT,
                                f'class="{value}', f"<{tag}")
            elif name not in ALLOWED_ATTRIBUTES[tag] and not (tag == "div" and name == "markdown"):
                self.refuse(f"Das Attribut „{name}“ an <{tag}> ist nicht erlaubt.", ALLOWED_HINT, f"{name}=", f"<{tag}")
            elif name not in ("href", "src") and _attribute_filter(tag, name, value) is None:
                self.refuse(f"Der Wert „{value}“ von „{name}“ an <{tag}> ist nicht erlaubt.",
                            "Schreiben Sie z. B. <time datetime=\"2019-02-26\">, <span lang=\"en\">.", f'{name}="{value}')
        if "id" in attributes:
            self.result.ids.add(attributes["id"])
        if tag == "h1":
            self.result.h1 += 1
        if tag == "a" and "href" in attributes:
            href = attributes["href"] or ""
            self._link = Link(href, self.line_of(f"({href}", f"<{href}>", href))
            self.result.links.append(self._link)
        if tag == "img":
            src = attributes.get("src") or ""
            self.result.images.append((src, (attributes.get("alt") or "").strip(), self.line_of(src)))

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link.text += data

    def handle_comment(self, data):
        pass  # removed by the sanitiser

    def handle_decl(self, decl):
        self.refuse(f"„<!{decl[:20]}>“ ist in Seiten nicht erlaubt.", ALLOWED_HINT, f"<!{decl[:10]}")

    def handle_pi(self, data):
        self.refuse(f"„<?{data[:20]}>“ ist in Seiten nicht erlaubt.", ALLOWED_HINT, "<?")

    def unknown_decl(self, data):
        self.refuse("„<![…]>“ ist in Seiten nicht erlaubt.", ALLOWED_HINT, "<![")


ALLOWED_HINT = ("Erlaubt sind Markdown und diese HTML-Elemente: <div class=\"timeline\" markdown>, <time datetime=\"…\">, "
                "<abbr title=\"…\">, <span lang=\"…\">, <br> (siehe REDAKTION.md, „Erlaubtes HTML“). "
                "Skripte, Formulare, eingebettete Inhalte und Weiterleitungen sind nicht möglich.")


def inspect(rendered_html: str, source: str, file: str, first_line: int) -> tuple[RenderedPage, list[ContentError]]:
    """What a page's HTML contains, and every element or attribute outside the allow-list."""
    inspector = _Inspector(source, file, first_line)
    inspector.feed(rendered_html)
    inspector.close()
    return inspector.result, inspector.errors


# --- links ---------------------------------------------------------------------------------

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def split_href(href: str) -> tuple[str, str]:
    path, _, fragment = href.partition("#")
    return path, fragment


def resolve_page_link(from_rel_path: str, path: str) -> str | None:
    """The page (path below the language folder) a relative link leads to; None if it leaves docs/."""
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(from_rel_path), path))
    return None if resolved.startswith("..") or resolved.startswith("/") else resolved


def check_external_href(href: str, file: str, line: int | None) -> None:
    check_url(html_lib.unescape(href), file, line, "Link")


LINK_HINT = ("Verlinken Sie Seiten dieser Website mit dem Dateinamen, relativ zur Seite, z. B. „kontakt.md“ oder "
             "„../links.md“; Links zu anderen Websites beginnen mit https://.")
ADMONITIONS = ADMONITION_TYPES
