"""Hostile and careless input: every case ends in one German message from the check (in-process,
fast) and from the build (subprocess on the small fixture site), never in a traceback, and
nothing unsafe is built. Cases are written as an attacker with an editor's account would try."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minisite import append, build, edit, messages

BIDI = "\u202e"


def line_of(project: Path, rel_path: str, needle: str) -> int:
    lines = (project / rel_path).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def nested_list(depth: int) -> str:
    return "\n".join("    " * level + "- x" for level in range(depth))


# (id, change to the fixture site, texts the German message must contain)
CASES = [
    ("title-unclosed-tag", lambda p: edit(p, "docs/de/kontakt.md", "title: Kontakt",
                                          "title: Hilfe <meta http-equiv=refresh content=0;url=https://example.invalid/"),
     ["docs/de/kontakt.md, Zeile 2", "Feld „title“", "HTML („<meta“)", "Was tun:"]),
    ("description-script", lambda p: edit(p, "docs/de/kontakt.md", "description: So", "description: <script>alert(1)</script> So"),
     ["docs/de/kontakt.md, Zeile 3", "Feld „description“", "HTML („<script“)"]),
    ("description-entity", lambda p: edit(p, "docs/de/kontakt.md", "description: So", "description: Text &lt;b&gt; So"),
     ["Feld „description“", "HTML („&lt;“)"]),
    ("ui-string-tag", lambda p: edit(p, "data/ui/de.yml", 'footer_label: "', 'footer_label: "<img src=x onerror=alert(1)> '),
     ["data/ui/de.yml", "Feld „footer_label“", "HTML („<img“)"]),
    ("ui-placeholder-renamed", lambda p: edit(p, "data/ui/ar.yml", "{date}", "{datum}"),
     ["data/ui/ar.yml", "„stand“ hat die Platzhalter {datum}, der deutsche Text {date}"]),
    ("ui-format-spec", lambda p: edit(p, "data/ui/ar.yml", "{date}", "{date:>300000000}"),
     ["data/ui/ar.yml", "Feld „stand“", "geschweifte Klammern"]),
    ("ui-attribute-access", lambda p: edit(p, "data/ui/de.yml", "{date}", "{date.year}"),
     ["data/ui/de.yml", "geschweifte Klammern"]),
    ("meta-refresh", lambda p: append(p, "docs/de/kontakt.md", '<meta http-equiv="refresh" content="0;url=https://example.invalid/">'),
     ["docs/de/kontakt.md, Zeile 16", "Das HTML-Element <meta> ist auf dieser Website nicht erlaubt", "Erlaubt sind"]),
    ("script-src-own-asset", lambda p: append(p, "docs/de/kontakt.md", '<script src="../assets/javascripts/md-scope.js"></script>'),
     ["docs/de/kontakt.md, Zeile 16", "<script>"]),
    ("inline-svg-onload", lambda p: append(p, "docs/de/kontakt.md", '<svg onload="alert(1)"><circle r="4"/></svg>'),
     ["<svg> ist auf dieser Website nicht erlaubt"]),
    ("event-handler", lambda p: append(p, "docs/de/kontakt.md", 'Text <span lang="en" onmouseover="alert(1)">hover</span>'),
     ["docs/de/kontakt.md, Zeile 16", "Das Attribut „onmouseover“ an <span> ist nicht erlaubt"]),
    ("style-attribute", lambda p: append(p, "docs/de/kontakt.md", '<div class="timeline" markdown style="display:none">\n\nx\n\n</div>'),
     ["Das Attribut „style“ an <div>"]),
    ("foreign-class", lambda p: append(p, "docs/de/kontakt.md", '<div class="md-banner" markdown>\n\nx\n\n</div>'),
     ["Die Klasse „md-banner“ an <div> ist nicht erlaubt"]),
    ("html-comment-trick", lambda p: append(p, "docs/de/kontakt.md", "<!-- Notiz --><script>alert(1)</script>"),
     ["<script>"]),
    ("javascript-link", lambda p: append(p, "docs/de/kontakt.md", "[Hier klicken](javascript:alert(document.cookie))"),
     ["docs/de/kontakt.md, Zeile 16", "„javascript:alert(document.cookie)“ ist nicht erlaubt"]),
    ("data-link", lambda p: append(p, "docs/de/kontakt.md", "[Formular](data:text/html;base64,PHNjcmlwdD4=)"),
     ["„data:text/html;base64,PHNjcmlwdD4=“ ist nicht erlaubt"]),
    ("vbscript-raw-link", lambda p: append(p, "docs/de/kontakt.md", '<a href="vbscript:msgbox(1)">x</a>'),
     ["„vbscript:msgbox(1)“ ist nicht erlaubt"]),
    ("reference-link", lambda p: append(p, "docs/de/kontakt.md", "Siehe [hier][ref].\n\n[ref]: javascript:alert(1)"),
     ["„javascript:alert(1)“ ist nicht erlaubt"]),
    ("protocol-relative", lambda p: append(p, "docs/de/kontakt.md", "[x](//example.invalid/)"),
     ["„//example.invalid/“ hat keine vollständige Adresse"]),
    ("remote-image", lambda p: append(p, "docs/de/kontakt.md", "![Karte](https://example.invalid/track.png)"),
     ["„https://example.invalid/track.png“ liegt nicht auf dieser Website", "Datenschutz"]),
    ("js-file", lambda p: (p / "docs/assets/javascripts/evil.js").write_text("alert(1)"),
     ["docs/assets/javascripts/evil.js", "Dateien dieser Art (.js) werden nicht veröffentlicht"]),
    ("html-file", lambda p: (p / "docs/de/seite.html").write_text("<script>alert(1)</script>"),
     ["docs/de/seite.html", "(.html)"]),
    ("svg-script", lambda p: (p / "docs/assets/images/karte.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
     ["docs/assets/images/karte.svg", "ein <script>-Element"]),
    ("svg-handler", lambda p: (p / "docs/assets/images/karte.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'),
     ["einen Event-Handler (onload)"]),
    ("svg-entity", lambda p: (p / "docs/assets/images/karte.svg").write_text(
        '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'),
     ["DOCTYPE"]),
    ("pdf-that-is-html", lambda p: (p / "docs/assets/images/plan.pdf").write_text("<html><script>alert(1)</script>"),
     ["docs/assets/images/plan.pdf", "Der Inhalt passt nicht zur Endung .pdf"]),
    ("symlink-file", lambda p: os.symlink("/etc/passwd", p / "docs/de/passwd.md"),
     ["docs/de/passwd.md", "Verknüpfung"]),
    ("symlink-environ", lambda p: os.symlink("/proc/self/environ", p / "docs/assets/umgebung.pdf"),
     ["docs/assets/umgebung.pdf", "Verknüpfung"]),
    ("symlink-loop", lambda p: os.symlink("..", p / "docs/de/schleife"),
     ["docs/de/schleife", "Der Ordner ist eine Verknüpfung"]),
    ("page-outside-language", lambda p: (p / "docs/assets/notiz.md").write_text("---\ntitle: x\n---\n# x\n"),
     ["docs/assets/notiz.md", "Seiten gehören in einen Sprachordner"]),
    ("bidi-in-title", lambda p: edit(p, "docs/de/kontakt.md", "title: Kontakt", f"title: Kontakt {BIDI}tkatnoK"),
     ["docs/de/kontakt.md, Zeile 2", "U+202E (RIGHT-TO-LEFT OVERRIDE)"]),
    ("bidi-in-link-text", lambda p: append(p, "docs/ar/kontakt.md", "[\u2066https://www.erkrath.de\u2069](https://example.invalid/)"),
     ["docs/ar/kontakt.md, Zeile 17", "U+2066 (LEFT-TO-RIGHT ISOLATE)"]),
    ("bidi-in-data", lambda p: edit(p, "data/links.yml", "de: Beratungsstelle Beispiel", "de: Beratungsstelle \u202bBeispiel"),
     ["data/links.yml, Zeile 8", "U+202B (RIGHT-TO-LEFT EMBEDDING)"]),
    ("zero-width-in-url", lambda p: append(p, "docs/de/kontakt.md", "[Amt](https://www.exam\u200cple.org/)"),
     ["docs/de/kontakt.md, Zeile 16", "U+200C (ZERO WIDTH NON-JOINER)"]),
    ("zero-width-space-in-text", lambda p: append(p, "docs/de/kontakt.md", "Ein\u200bWort"),
     ["docs/de/kontakt.md, Zeile 16", "U+200B (ZERO WIDTH SPACE)"]),
    ("yaml-alias-bomb", lambda p: (p / "data/links.yml").write_text(
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{c}: &{c} [{','.join(['*' + chr(ord(c) - 1)] * 9)}]\n" for c in "bcdefghi")
        + "groups: *i\n"),
     ["data/links.yml, Zeile 1", "Anker („&name“) ist in den Dateien dieser Website nicht erlaubt"]),
    ("yaml-python-tag", lambda p: edit(p, "data/contacts.yml", "contacts:", "x: !!python/object/apply:os.system [id]\ncontacts:"),
     ["data/contacts.yml, Zeile 1", "Typangabe"]),
    ("yaml-list-key", lambda p: edit(p, "data/contacts.yml", "    email:", "    ? [a, b]\n    : x\n    email:"),
     ["data/contacts.yml, Zeile 6", "Feldnamen sind einfache Wörter"]),
    ("front-matter-braces", lambda p: edit(p, "docs/de/kontakt.md", "title: Kontakt", "title: {{ x }}"),
     ["docs/de/kontakt.md, Zeile 2", "Feldnamen sind einfache Wörter"]),
    ("front-matter-template", lambda p: edit(p, "docs/de/kontakt.md", "title: Kontakt", "title: Kontakt\ntemplate: 404.html"),
     ["docs/de/kontakt.md, Zeile 3", "Das Feld „template“ ist unbekannt"]),
    ("icon-traversal", lambda p: edit(p, "docs/de/angebote/sprachkurs.md", "icon: material/book-open-variant",
                                      "icon: ../../../../etc/passwd"),
     ["docs/de/angebote/sprachkurs.md, Zeile 7", "Das Symbol „../../../../etc/passwd“ gibt es nicht"]),
    ("placeholder-traversal", lambda p: append(p, "docs/de/kontakt.md", "<!-- daten: kontakt ../../x -->"),
     ["docs/de/kontakt.md, Zeile 16", "Der Platzhalter", "ist unbekannt"]),
    ("contact-url-javascript", lambda p: edit(p, "data/contacts.yml", "url: https://www.example.org/integration/",
                                              "url: javascript:alert(1)"),
     ["data/contacts.yml, Zeile 8", "Feld „url“", "nicht erlaubt"]),
    ("site-name-quote", lambda p: edit(p, "mkdocs.yml", "site_name: Integration in Erkrath", 'site_name: Integration" onload="x'),
     ["mkdocs.yml", "Feld „site_name“", "enthält < > oder \""]),
    ("deep-list", lambda p: append(p, "docs/de/kontakt.md", nested_list(300)),
     ["docs/de/kontakt.md, Zeile 25", "zu tief ineinander geschachtelt"]),
    ("very-deep-list", lambda p: append(p, "docs/de/kontakt.md", nested_list(10_000)),  # 200 MB of indentation
     ["docs/de/kontakt.md", "zu groß (höchstens 200 kB)"]),
    ("deep-quote", lambda p: append(p, "docs/de/kontakt.md", ">" * 2000 + " x"),
     ["zu tief ineinander geschachtelt"]),
    ("huge-page", lambda p: append(p, "docs/de/kontakt.md", ("Ein langer Satz. " * 20 + "\n\n") * 60_000),
     ["docs/de/kontakt.md", "zu groß (höchstens 200 kB)"]),
    # Only in a translation: found on the build's rendering of that language, after German was written
    # (the build removes it again); the translation comparison does not look at HTML.
    ("translation-meta-refresh", lambda p: append(p, "docs/ar/kontakt.md",
                                                  '<meta http-equiv="refresh" content="0;url=https://example.invalid/">'),
     ["docs/ar/kontakt.md, Zeile", "Das HTML-Element <meta> ist auf dieser Website nicht erlaubt"]),
    ("translation-iframe", lambda p: append(p, "docs/ar/kontakt.md", '<iframe src="https://example.invalid/"></iframe>'),
     ["docs/ar/kontakt.md, Zeile", "<iframe>"]),
    # A page without any text: Markdown runs no tree step for it, the build inspects it all the same.
    ("empty-page", lambda p: (p / "docs/de/kontakt.md").write_text(
        (p / "docs/de/kontakt.md").read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n", encoding="utf-8"),
     ["docs/de/kontakt.md", "Die Seite hat 0 Hauptüberschriften"]),
    # Links and images MkDocs itself would warn about in English: one German message instead.
    ("broken-link", lambda p: append(p, "docs/de/kontakt.md", "[Weiter](gibt-es-nicht.md)"),
     ["docs/de/kontakt.md, Zeile 16", "Der Link „gibt-es-nicht.md“ führt zu keiner vorhandenen Seite"]),
    ("missing-image", lambda p: append(p, "docs/de/kontakt.md", "![Karte](../assets/images/gibt-es-nicht.png)"),
     ["docs/de/kontakt.md, Zeile 16", "Das Bild „../assets/images/gibt-es-nicht.png“ gibt es nicht"]),
    ("not-utf8", lambda p: (p / "docs/de/kontakt.md").write_bytes("---\ntitle: Gr\xfc\xdfe\n---\n".encode("latin-1")),
     ["docs/de/kontakt.md", "nicht in UTF-8"]),
]


@pytest.mark.parametrize("change, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_check_refuses_with_one_german_message(minisite, change, expected):
    change(minisite)
    found = messages(minisite)
    assert found, "the check accepted hostile input"
    text = "\n".join(found)
    for part in expected:
        assert part in text, f"missing {part!r} in:\n{text}"
    assert "Traceback" not in text


def test_alias_bomb_and_deep_nesting_are_refused_fast_and_small(minisite):
    """Refused before anything expensive: well under a second, no memory growth worth mentioning."""
    for case_id in ("yaml-alias-bomb", "very-deep-list", "symlink-loop"):
        change = next(case[1] for case in CASES if case[0] == case_id)
        change(minisite)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    found = messages(minisite)
    assert found and time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # kB


PLAIN_TEXT = 'Kinder < 12 & "Eltern"'


def test_plain_special_characters_are_accepted(minisite):
    edit(minisite, "docs/de/kontakt.md", "title: Kontakt", f"title: '{PLAIN_TEXT}'")
    edit(minisite, "docs/de/kontakt.md", "description: So erreichen Sie die Integrationsbeauftragten der Test-Website.",
         f"description: 'Für {PLAIN_TEXT}: So'")
    edit(minisite, "data/ui/de.yml", 'footer_label: "', 'footer_label: "Fuß\\" & 3 < 4: ')
    append(minisite, "docs/ar/kontakt.md", "كلمة\u200cكلمة")  # zero-width non-joiner: Persian, Pashto, Sorani need it
    assert messages(minisite) == []


@pytest.mark.build
@pytest.mark.parametrize("change, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_build_and_make_check_refuse_and_publish_nothing(minisite, tmp_path, change, expected):
    change(minisite)
    result = build(minisite, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    assert "Die Website wurde nicht gebaut" in output
    assert "WARNING" not in output and "Doc file" not in output, "MkDocs' English warnings must not show"
    for part in expected:
        assert part in output, f"missing {part!r} in:\n{output}"
    assert not any((tmp_path / "out").rglob("*")), "a refused build must leave nothing behind"
    check = subprocess.run([sys.executable, "scripts/check_content.py"], cwd=minisite, capture_output=True, text=True,
                           timeout=120)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    for part in expected:
        assert part in check.stderr


@pytest.mark.build
def test_plain_special_characters_are_shown_as_typed(minisite, tmp_path):
    from bs4 import BeautifulSoup

    edit(minisite, "docs/de/kontakt.md", "title: Kontakt", f"title: '{PLAIN_TEXT}'")
    edit(minisite, "docs/de/kontakt.md", "description: So erreichen Sie die Integrationsbeauftragten der Test-Website.",
         f"description: 'Für {PLAIN_TEXT}: So'")
    edit(minisite, "data/ui/de.yml", 'footer_label: "', 'footer_label: "Fuß\\" & 3 < 4: ')
    result = build(minisite, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("kontakt/index.html", "index.html"):
        html = BeautifulSoup((tmp_path / "out" / page).read_text(encoding="utf-8"), "html.parser")
        assert PLAIN_TEXT in [a.get_text(strip=True) for a in html.select(".md-nav--primary a")]
        assert html.select_one(".site-footer__legal")["aria-label"] == 'Fuß" & 3 < 4: Hinweise zur Website'
        assert not html.select("meta[http-equiv]:not([http-equiv=Content-Security-Policy])")
    page = BeautifulSoup((tmp_path / "out/kontakt/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.title.get_text() == f"{PLAIN_TEXT} – Integration in Erkrath"
    assert page.select_one('meta[name="description"]')["content"] == f"Für {PLAIN_TEXT}: So"
    assert page.select_one(".md-header__topic:last-child .md-ellipsis").get_text(strip=True) == PLAIN_TEXT


@pytest.mark.build
def test_attribute_syntax_is_plain_text(minisite, tmp_path):
    """attr_list is not enabled: "{ onclick=… }" after a link stays visible text, never an attribute."""
    append(minisite, "docs/de/kontakt.md", '[Kontakt](kontakt.md){ onclick="alert(1)" }')
    assert messages(minisite) == []
    result = build(minisite, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/kontakt/index.html").read_text(encoding="utf-8")
    assert "onclick" not in html.replace('{ onclick="alert(1)" }', "").replace("{ onclick=&quot;alert(1)&quot; }", "")


# The sanitiser on its own: what the check would refuse still cannot reach a reader.
SANITISER_CASES = [
    ('<meta http-equiv="refresh" content="0;url=https://example.invalid/"><p>x</p>', "<p>x</p>"),
    ('<script src="../assets/javascripts/md-scope.js"></script><p>x</p>', "<p>x</p>"),
    ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
    ('<iframe src="https://example.invalid/"></iframe><object data="x.pdf"></object><embed src="x">ok', "ok"),
    ('<form action="https://example.invalid/"><input name="q"><button>Senden</button></form>', "Senden"),
    ('<base href="https://example.invalid/"><link rel="stylesheet" href="x.css"><style>*{}</style>ok', "ok"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,x">x</a><a href="vbscript:x">y</a>', "<a>x</a><a>y</a>"),
    ('<a href="//example.invalid/">x</a>', "<a>x</a>"),
    ('<a href="https://www.erkrath.de/" onclick="x" target="_blank">x</a>', '<a href="https://www.erkrath.de/">x</a>'),
    ('<img src="https://example.invalid/t.png" alt="t"><img src="../a.png" alt="a" onerror="x">',
     '<img alt="t"><img src="../a.png" alt="a">'),
    ('<svg onload="alert(1)"><circle r="1"/></svg><math><mi>x</mi></math>ok', "ok"),
    ('<div class="timeline md-banner" style="x" id="y"><p>a</p></div>', '<div class="timeline"><p>a</p></div>'),
    ('<time datetime="2019-02-26">a</time><time datetime="javascript:x">b</time>',
     '<time datetime="2019-02-26">a</time><time>b</time>'),
    ('<span lang="en" dir="rtl">a</span><span lang="x y" dir="sideways">b</span>', '<span lang="en" dir="rtl">a</span><span>b</span>'),
    ("<!-- <script>alert(1)</script> -->ok", "ok"),
    ("<p>Kinder &lt; 12 &amp; &quot;Eltern&quot;</p>", '<p>Kinder &lt; 12 &amp; "Eltern"</p>'),
]


@pytest.mark.parametrize("html, expected", SANITISER_CASES)
def test_sanitiser_alone_removes_what_the_check_refuses(html, expected):
    from sitekit.sanitize import sanitize

    assert sanitize(html) == expected
