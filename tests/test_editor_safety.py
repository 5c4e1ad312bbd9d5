"""The editors' safety net: every mistake from REDAKTION.md's world caught by the check, once, in
German, with file, line and what to do – and the tools that keep facts in one place and pages
linked (move, delete, translation state). Fast tier in-process on the small fixture site; the
build tier runs the real build, `make serve` and git."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from minisite import append, build, edit, messages


@pytest.fixture
def site(minisite) -> Path:
    return minisite


def only(found: list[str]) -> str:
    assert len(found) == 1, "\n".join(found)
    return found[0]


# --- one root cause, one message -----------------------------------------------------------------

def test_a_tab_in_contacts_gives_one_error_and_one_summary(site):
    edit(site, "data/contacts.yml", "    email: integration@example.org", "\temail: integration@example.org")
    assert messages(site) == [
        "data/contacts.yml, Zeile 6: Die Datei ist kein gültiges YAML: Hier steht ein Tabulator. – Was tun: Rücken Sie nur "
        "mit Leerzeichen ein, nie mit der Tabulatortaste.",
        "data/contacts.yml: 2 Seiten, die Kontakte aus dieser Datei nutzen, wurden nicht geprüft. – Was tun: Beheben Sie "
        "zuerst den Fehler in data/contacts.yml."]


def test_a_missing_closing_quote_names_the_line_where_the_quote_opens(site):
    edit(site, "data/links.yml", "          de: Beratungsstelle Beispiel", '          de: "Beratungsstelle Beispiel')
    message = only(messages(site))
    assert message.startswith("data/links.yml, Zeile 8: Die Datei ist kein gültiges YAML: Ein Anführungszeichen wird "
                              "geöffnet, aber nicht geschlossen.")
    assert not re.search(r"\b(found|expected|while|scanning|line)\b", message)  # no English left


def test_an_e_mail_with_mailto_gets_a_hint_without_mailto(site):
    edit(site, "data/contacts.yml", "email: integration@example.org", "email: mailto:integration@example.org")
    assert "Schreiben Sie nur die Adresse, z. B. „integration@erkrath.de“ (ohne mailto:)" in "\n".join(messages(site))


# --- dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2026-11-31", "2026-02-30"])
def test_an_impossible_date_is_a_german_message_with_the_line(site, value):
    edit(site, "docs/de/kontakt.md", "stand: 2026-01-15", f"stand: {value}")
    assert only(messages(site)) == (
        f"docs/de/kontakt.md, Zeile 4: „{value}“ ist kein gültiges Datum (diesen Tag gibt es nicht). – Was tun: Prüfen Sie "
        "Tag und Monat; schreiben Sie Jahr-Monat-Tag, z. B. 2026-11-27.")


def test_an_impossible_document_date(site):
    (site / "data/documents.yml").write_text(
        "documents:\n  - id: konzept\n    url: https://www.example.org/konzept.pdf\n    title:\n      de: Konzept\n"
        "    date: 2019-02-30\n", encoding="utf-8")
    assert only(messages(site)).startswith("data/documents.yml, Zeile 6: „2019-02-30“ ist kein gültiges Datum")


def test_a_quoted_iso_date_and_a_byte_order_mark_are_accepted(site):
    edit(site, "docs/de/kontakt.md", "stand: 2026-01-15", 'stand: "2026-01-15"')
    path = site / "docs/de/impressum.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert messages(site) == []


def test_a_future_stand_is_refused(site):
    edit(site, "docs/de/kontakt.md", "stand: 2026-01-15", "stand: 2030-01-01")
    message = only(messages(site))
    assert message.startswith("docs/de/kontakt.md, Zeile 4: Feld „stand“: Das Datum 2030-01-01 liegt in der Zukunft.")


# --- links, anchors, images, headings ------------------------------------------------------------

@pytest.mark.parametrize("link, words", [
    ("htps://www.example.org/", "Prüfen Sie die Schreibweise: Die Adresse beginnt mit https://."),
    ("http://www.example.org/", "Verwenden Sie die sichere Adresse mit https://"),
    ("<https://www.example.org/a b>", "enthält Leerzeichen"),
    ("/links/", "Der Link „/links/“ beginnt mit „/“ (absolute Adresse)."),
    ("kontakt.md#gibtsnicht", "Den Abschnitt „#gibtsnicht“ gibt es auf der Seite „kontakt.md“ (diese Sprache) nicht."),
    ("#auch-nicht", "Den Abschnitt „#auch-nicht“ gibt es auf dieser Seite nicht."),
    ("anfahrt.md", "Der Link „anfahrt.md“ führt zu keiner vorhandenen Seite."),
    ("../../../etc/passwd", "führt aus der Website heraus"),
])
def test_links_in_markdown_are_checked_like_links_in_data(site, link, words):
    append(site, "docs/de/links.md", f"Siehe [hier]({link}).")
    message = only(messages(site))
    assert message.startswith("docs/de/links.md, Zeile 12: ") and words in message


def test_each_translation_links_to_its_own_headings(site):
    """The German page links kontakt.md#so-erreichen-sie-uns, the Arabic one its own heading: both fine."""
    assert messages(site) == []
    edit(site, "docs/ar/index.md", "kontakt.md#كيف-تصلون-إلينا", "kontakt.md#so-erreichen-sie-uns")
    assert "Den Abschnitt „#so-erreichen-sie-uns“ gibt es auf der Seite „kontakt.md“ (diese Sprache) nicht." in only(messages(site))


def test_an_image_without_alt_text(site):
    (site / "docs/assets/images/karte.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    append(site, "docs/de/kontakt.md", "![](../assets/images/karte.png)")
    assert "Das Bild „../assets/images/karte.png“ hat keinen Alternativtext." in only(messages(site))


def test_a_page_without_a_title_heading(site):
    edit(site, "docs/de/kontakt.md", "# Kontakt\n", "Kontakt\n")
    assert only(messages(site)).startswith("docs/de/kontakt.md, Zeile 7: Die Seite hat 0 Hauptüberschriften")


def test_markdown_in_a_data_text(site):
    edit(site, "data/links.yml", "de: Beratung für Geflüchtete", "de: Beratung für **alle** Geflüchtete")
    assert "Der Text enthält Markdown-Zeichen („**“)" in only(messages(site))


def test_two_offers_with_the_same_order(site):
    source = (site / "docs/de/angebote/sprachkurs.md").read_text(encoding="utf-8")
    (site / "docs/de/angebote/nachhilfe.md").write_text(source.replace("title: Sprachkurs", "title: Nachhilfe")
                                                        .replace("# Sprachkurs", "# Nachhilfe"), encoding="utf-8")
    assert only(messages(site)) == (
        "docs/de/angebote/sprachkurs.md, Zeile 5: Feld „order“: „order: 1“ hat auch docs/de/angebote/nachhilfe.md; die "
        "Reihenfolge im Menü wäre Zufall. – Was tun: Geben Sie jeder Seite im selben Bereich eine eigene Zahl.")


def test_an_unknown_language_code(site):
    edit(site, "data/links.yml", "languages: [de, ar]", "languages: [de, ua]")
    assert "„ua“ ist kein bekanntes Sprachkürzel" in only(messages(site))


# --- one place for each fact ---------------------------------------------------------------------

def test_a_hand_written_contact_detail_is_refused(site):
    append(site, "docs/de/links.md", "Fragen? [integration@example.org](mailto:integration@example.org)")
    assert only(messages(site)) == (
        "docs/de/links.md, Zeile 12: Die Angabe „integration@example.org“ steht von Hand im Text; sie kommt aus "
        "data/contacts.yml. – Was tun: Schreiben Sie stattdessen „<!-- daten: email integration -->“ (als Link oder Text "
        "eingesetzt), damit eine Änderung in data/contacts.yml überall ankommt.")
    edit(site, "docs/de/links.md", "Fragen? [integration@example.org](mailto:integration@example.org)",
         "Wir sind in der Teststraße 1, 12345 Teststadt.")
    assert "Die Angabe „Teststraße 1, 12345 Teststadt“ steht von Hand im Text" in only(messages(site))


def test_legal_pages_are_marked_and_required(site):
    edit(site, "docs/de/impressum.md", "footer: impressum\n", "")
    assert only(messages(site)).startswith("docs/de/: Keine Seite ist als Impressum markiert.")


def test_translations_take_order_and_date_from_the_german_page(site):
    edit(site, "docs/ar/kontakt.md", "translation:", "order: 7\ntranslation:")
    assert only(messages(site)) == (
        "docs/ar/kontakt.md, Zeile 4: Feld „order“: Das Feld „order“ gehört zur deutschen Seite. – Was tun: Löschen Sie "
        "die Zeile; die Übersetzung übernimmt „order“ aus docs/de/kontakt.md.")


def test_changing_stand_or_order_keeps_translations_current(site):
    from sitekit.site import Site
    before = Site.load(site).translation_states.report()
    edit(site, "docs/de/kontakt.md", "stand: 2026-01-15\norder: 5", "stand: 2026-01-20\norder: 6")
    assert Site.load(site).translation_states.report() == before
    assert before["kontakt.md"]["ar"] == "machine"


# --- the build: quiet and German ------------------------------------------------------------------

@pytest.mark.build
def test_build_output_is_quiet_and_german(site, tmp_path):
    result = build(site, tmp_path / "ok")
    assert result.returncode == 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and re.fullmatch(r"INFO\s+-\s+Website gebaut in \d+,\d+ s\.", lines[0]), lines
    edit(site, "docs/de/kontakt.md", "stand: 2026-01-15", "stand: 2026-13-01")
    result = build(site, tmp_path / "broken")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and output.strip().startswith("Die Website wurde nicht gebaut: 1 Fehler")
    assert "INFO" not in output and "Aborted" not in output and "Traceback" not in output


@pytest.mark.build
def test_serve_shows_errors_in_the_browser_and_recovers(site):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    edit(site, "docs/de/kontakt.md", "title: Kontakt", "title: Kontakt <b>")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BUILD_ONLY_LANGUAGE": "de"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=site,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/kontakt/", lambda text: "Fehler in Inhalten" in text)
        assert "docs/de/kontakt.md, Zeile 2: Feld „title“: Der Text enthält HTML („&lt;b“)" in page
        edit(site, "docs/de/kontakt.md", "title: Kontakt <b>", "title: Kontakt")
        page = _wait_for(f"http://127.0.0.1:{port}/kontakt/", lambda text: "<title>Kontakt – " in text)
        assert "Fehler in Inhalten" not in page
        # A finding in the rendered page (checked on the build's own rendering): shown the same way.
        original = (site / "docs/de/kontakt.md").read_text(encoding="utf-8")
        (site / "docs/de/kontakt.md").write_text(original + "\n[Weiter](gibt-es-nicht.md)\n", encoding="utf-8")
        page = _wait_for(f"http://127.0.0.1:{port}/kontakt/", lambda text: "Fehler in Inhalten" in text)
        assert "Der Link „gibt-es-nicht.md“ führt zu keiner vorhandenen Seite" in page
        (site / "docs/de/kontakt.md").write_text(original, encoding="utf-8")
        page = _wait_for(f"http://127.0.0.1:{port}/kontakt/", lambda text: "<title>Kontakt – " in text)
        assert "Fehler in Inhalten" not in page
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "Vorschau läuft: http://127.0.0.1" in output and "Traceback" not in output
    assert "Doc file" not in output  # no English warning from MkDocs about the broken link


def _wait_for(url: str, ready, timeout: float = 60) -> str:
    deadline, text = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                text = response.read().decode("utf-8")
            if ready(text):
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready:\n{text[:500]}")


# --- rename, move, delete --------------------------------------------------------------------------

def pages_tool(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/pages.py", *args], cwd=site, capture_output=True, text=True, timeout=60)


@pytest.mark.build
def test_move_a_page_in_every_language_with_a_redirect(site, tmp_path):
    from bs4 import BeautifulSoup
    from sitekit.site import Site
    before = Site.load(site).translation_states.report()["index.md"]
    result = pages_tool(site, "move", "kontakt.md", "hilfe/kontakt.md")
    assert result.returncode == 0, result.stderr
    assert "docs/ar/kontakt.md → docs/ar/hilfe/kontakt.md" in result.stdout
    assert messages(site) == []
    after = Site.load(site).translation_states.report()
    assert after["index.md"] == before and after["hilfe/kontakt.md"]["ar"] == "machine"
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    for prefix in ("", "ar/"):
        redirect = BeautifulSoup((out / prefix / "kontakt/index.html").read_text(encoding="utf-8"), "html.parser")
        assert redirect.select_one('meta[name="robots"]')["content"] == "noindex"
        assert redirect.select_one("a")["href"] == "../hilfe/kontakt/"
        assert redirect.select_one('link[rel="canonical"]')["href"].endswith(f"/{prefix}hilfe/kontakt/")
        start = BeautifulSoup((out / prefix / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert any(a["href"].startswith("hilfe/kontakt/") for a in start.select(".md-content a[href]"))
        assert (out / prefix / "hilfe/kontakt/index.html").is_file()
    assert "kontakt/" not in (out / "sitemap.xml").read_text(encoding="utf-8").replace("hilfe/kontakt/", "")


@pytest.mark.build
def test_delete_refuses_legal_pages_and_linked_pages_then_redirects(site, tmp_path):
    result = pages_tool(site, "delete", "impressum.md")
    assert result.returncode == 2 and "Das ist die Seite „Impressum“" in result.stderr
    result = pages_tool(site, "delete", "angebote/sprachkurs.md")
    assert result.returncode == 0, result.stderr  # only the generated overview links it
    result = pages_tool(site, "delete", "kontakt.md")
    assert result.returncode == 2 and "Andere Seiten verlinken diese Seite: docs/de/index.md" in result.stderr
    assert (site / "docs/de/kontakt.md").is_file() and (site / "docs/ar/kontakt.md").is_file()
    result = pages_tool(site, "delete", "kontakt.md", "--redirect-to", "links.md")
    assert result.returncode == 0, result.stderr
    assert not (site / "docs/ar/kontakt.md").exists()
    assert "](links.md#" in (site / "docs/de/index.md").read_text(encoding="utf-8")
    assert [m for m in messages(site) if "Abschnitt" not in m] == []


# --- "Übersetzungen: unverändert" in a commit message, and `minor` refusing changed facts -------------

def git(site: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=site, check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.build
def test_commit_message_trailer_keeps_translations_current(site):
    from sitekit.site import Site
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Anfang")
    start = git(site, "rev-parse", "HEAD").strip()
    edit(site, "docs/de/kontakt.md", "Schreiben Sie an", "Schreiben Sie bitte an")
    git(site, "commit", "-qam", "Tippfehler\n\nÜbersetzungen: unverändert")
    edit(site, "docs/de/index.md", "Willkommen.", "Herzlich willkommen.")
    git(site, "commit", "-qam", "Begrüßung geändert")
    assert Site.load(site).translation_states.report()["kontakt.md"]["ar"] == "outdated"
    result = subprocess.run([sys.executable, "scripts/translations.py", "apply-trailers", "--range", f"{start}..HEAD"],
                            cwd=site, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    states = Site.load(site).translation_states.report()
    assert states["kontakt.md"]["ar"] == "machine" and states["index.md"]["ar"] == "outdated"


@pytest.mark.build
def test_minor_refuses_a_change_of_facts(site):
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Anfang")
    append(site, "docs/de/kontakt.md", "Seit 2019.")
    git(site, "commit", "-qam", "Jahr")
    append(site, "docs/de/kontakt.md", "Seit 2020 auch.")
    result = subprocess.run([sys.executable, "scripts/translations.py", "minor", "kontakt.md"], cwd=site,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "betrifft Fakten (Jahreszahlen (zusätzlich: 2020))" in result.stderr and "Übersetzungen müssen angepasst werden" in result.stderr
