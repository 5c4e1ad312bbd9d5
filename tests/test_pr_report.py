"""The German pull-request report (scripts/pr_report.py): rendering as plain functions, and the
whole script on fixture commits of a copy of the project (a German text change, a data change,
a new page, a deleted page, a change that breaks the check)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project, run_build
from sitemap_helpers import SITE
from pr_report import (CheckResult, DocumentChange, PageChange, Report, Screenshot, TranslationChange, language_label, md,
                       render_report, screenshot_name)

PREVIEW = "https://stadt.example/erkrath/pr-preview/pr-7/"


# ---------------------------------------------------------------- rendering (fast)

def report(**fields) -> Report:
    values = {"base": "abc1234567", "check": CheckResult((), languages=8), "languages": ("de", "en", "ar")}
    return Report(**{**values, **fields})


def test_language_labels_are_german_names():
    assert [language_label(code) for code in ("de", "en", "ar", "fa", "uk", "ru", "tr", "ps")] == [
        "Deutsch", "Englisch", "Arabisch", "Persisch", "Ukrainisch", "Russisch", "Türkisch", "Paschtu"]


def test_markdown_text_is_escaped_no_html_no_mentions_no_table_breaks():
    assert md("Kinder <12> | Eltern @team *fett* [x](y) <!-- daten: links -->") == (
        "Kinder \\<12\\> \\| Eltern \\@team \\*fett\\* \\[x\\](y) \\<\\!-- daten: links --\\>")


def test_successful_check_and_no_changes():
    text = render_report(report())
    assert "✅ **Alles in Ordnung:** Inhalte und Daten in 8 Sprachen geprüft." in text
    assert "Keine Seite ändert sich durch diese Änderung." in text
    assert "Der Stand der Übersetzungen ändert sich nicht." in text
    assert "Keine Dokumente hinzugefügt oder entfernt." in text
    assert "Verglichen mit dem Stand `abc1234567`." in text


def test_failed_check_lists_messages_and_marks_new_ones():
    old = "docs/de/links.md, Zeile 3: Alter Fehler – Was tun: x"
    new = "docs/de/kontakt.md, Zeile 9: Der Link „x.md“ führt zu keiner vorhandenen Seite. – Was tun: prüfen"
    text = render_report(report(check=CheckResult((old, new), frozenset({new}), 8)))
    assert "❌ **2 Fehler gefunden** (1 davon neu durch diese Änderung)" in text
    assert "wird die Website nicht gebaut" in text
    assert "- **neu:** docs/de/kontakt.md, Zeile 9: Der Link „x.md“ führt zu keiner vorhandenen Seite." in text
    assert "- (bestand schon vorher) docs/de/links.md, Zeile 3: Alter Fehler" in text
    assert "**Keine neue Vorschau:**" in text


def test_changed_pages_link_into_the_preview_in_every_language_that_has_them():
    pages = [PageChange("kontakt.md", "Kontakt", "geändert", ("deutscher Text",), ("de", "en", "ar")),
             PageChange("angebote/neu.md", "Sprachcafé", "neu", (), ("de",)),
             PageChange("alt.md", "Alte Seite", "gelöscht", (), ())]
    paths = {("de", "kontakt.md"): "kontakt/", ("en", "kontakt.md"): "en/kontakt/", ("ar", "kontakt.md"): "ar/kontakt/",
             ("de", "angebote/neu.md"): "angebote/neu/"}
    text = render_report(report(pages=pages, site_paths=paths, preview_url=PREVIEW))
    assert f"**Vorschau:** {PREVIEW} – noch nicht veröffentlicht." in text
    assert (f"| Kontakt (`kontakt.md`) | geändert: deutscher Text | [Deutsch]({PREVIEW}kontakt/) · "
            f"[Englisch]({PREVIEW}en/kontakt/) · [Arabisch]({PREVIEW}ar/kontakt/) |") in text
    assert f"| Sprachcafé (`angebote/neu.md`) | neu | [Deutsch]({PREVIEW}angebote/neu/) |" in text
    assert "| Alte Seite (`alt.md`) | gelöscht | – |" in text
    assert "Neue Seite Sprachcafé (`angebote/neu.md`): noch in keiner anderen Sprache" in text


def test_without_preview_url_paths_are_shown():
    pages = [PageChange("index.md", "Start", "geändert", ("deutscher Text",), ("de", "ar"))]
    text = render_report(report(pages=pages, site_paths={("de", "index.md"): "", ("ar", "index.md"): "ar/"}))
    assert "Deutsch `/` · Arabisch `ar/`" in text
    assert "**Vorschau:** keine Adresse (lokal: `make serve`)." in text
    fork = render_report(report(no_preview_note="Forks bekommen keine Vorschau."))
    assert "**Vorschau:** Forks bekommen keine Vorschau." in fork


def test_translation_changes_grouped_with_minor_hint():
    items = [TranslationChange("kontakt.md", "Kontakt", "en", "outdated"),
             TranslationChange("kontakt.md", "Kontakt", "ar", "outdated"),
             TranslationChange("links.md", "Externe Hilfe", "en", "kept"),
             TranslationChange("index.md", "Start", "fa", "added")]
    text = render_report(report(translations=items))
    assert "- **Werden veraltet – die Seite zeigt dort den Hinweis „vielleicht nicht mehr aktuell“:**" in text
    assert "  - Kontakt (`kontakt.md`): Englisch, Arabisch" in text
    assert "- **Bleiben aktuell:**\n  - Externe Hilfe (`links.md`): Englisch" in text
    assert "- **Neu übersetzt:**\n  - Start (`index.md`): Persisch" in text
    assert "`python scripts/translations.py minor kontakt.md --since abc1234567`" in text


def test_documents_and_technical_files():
    docs = [DocumentChange("hinzugefügt", "konzept", "Integrationskonzept", "data/documents.yml"),
            DocumentChange("entfernt", "alt.pdf", "", "docs/assets/dokumente/alt.pdf")]
    text = render_report(report(documents=docs, other_files=[f"scripts/f{i}.py" for i in range(25)]))
    assert "- **hinzugefügt:** `konzept` – Integrationskonzept (`data/documents.yml`)" in text
    assert "- **entfernt:** `alt.pdf` (`docs/assets/dokumente/alt.pdf`)" in text
    assert "### Technische Änderungen" in text and "- … und 5 weitere" in text


def test_screenshots_shown_as_images_from_the_preview():
    pages = [PageChange("kontakt.md", "Kontakt", "geändert", ("deutscher Text",), ("de", "ar"))]
    shots = [Screenshot("kontakt.md", "de", "de-kontakt.png"), Screenshot("kontakt.md", "ar", "ar-kontakt.png")]
    text = render_report(report(pages=pages, screenshots=shots, screenshots_url=PREVIEW + "_bericht/"))
    assert "### Bildschirmfotos (Handy, 360 px breit)" in text
    assert "| Seite | Deutsch | Arabisch |" in text
    assert (f'<a href="{PREVIEW}_bericht/de-kontakt.png"><img src="{PREVIEW}_bericht/de-kontakt.png" width="180" '
            'alt="Kontakt, Deutsch, Handy-Breite"></a>') in text
    local = render_report(report(pages=pages, screenshots=shots, screenshots_dir="bilder"))
    assert "Dateien in `bilder`: `de-kontakt.png`, `ar-kontakt.png`" in local


def test_screenshot_names():
    assert screenshot_name("de", "index.md") == "de-start.png"
    assert screenshot_name("ar", "angebote/index.md") == "ar-angebote.png"
    assert screenshot_name("ar", "angebote/integrationskurs.md") == "ar-angebote-integrationskurs.png"


# ---------------------------------------------------------------- the script on fixture commits (build tier)

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def git(project: Path, *args: str) -> str:
    result = subprocess.run([*GIT, *args], cwd=project, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("pr-report") / "project")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Basis")
    return project


@pytest.fixture
def repo(template, tmp_path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "project", symlinks=True))


def run_report(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/pr_report.py", *args], cwd=project, capture_output=True, text=True,
                          timeout=300)


def replace(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def section(text: str, title: str) -> str:
    return text.split(f"### {title}", 1)[1].split("\n### ", 1)[0]


@pytest.mark.build
def test_german_text_change_outdates_translations(repo):
    replace(repo, "docs/de/angebote/kinderbetreuung.md", "Sie möchten einen Integrationskurs besuchen",
            "Sie wollen einen Integrationskurs besuchen")
    git(repo, "commit", "-qam", "Text")
    result = run_report(repo, "--base", "HEAD~1", "--preview-url", PREVIEW)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert f"✅ **Alles in Ordnung:** Inhalte und Daten in {len(SITE.languages)} Sprachen geprüft." in text
    pages = section(text, "Geänderte Seiten")
    assert ("| Kinderbetreuung während des Integrationskurses (`angebote/kinderbetreuung.md`) | geändert: deutscher Text | "
            f"[Deutsch]({PREVIEW}angebote/kinderbetreuung/) · [Englisch]({PREVIEW}en/angebote/kinderbetreuung/) · "
            f"[Arabisch]({PREVIEW}ar/angebote/kinderbetreuung/)") in pages
    assert "Beratungsangebote" not in pages, "a body change leaves the overview cards as they are"
    assert pages.count("\n| ") == 2, pages  # header and one page
    translations = section(text, "Übersetzungen")
    assert ("- **Werden veraltet – die Seite zeigt dort den Hinweis „vielleicht nicht mehr aktuell“:**\n"
            "  - Kinderbetreuung während des Integrationskurses (`angebote/kinderbetreuung.md`): Englisch, Arabisch, "
            "Persisch, Ukrainisch, Russisch, Türkisch, Paschtu") in translations
    assert "translations.py minor angebote/kinderbetreuung.md --since" in translations
    assert "Keine Dokumente hinzugefügt oder entfernt." in text
    assert "### Technische Änderungen" not in text


@pytest.mark.build
def test_minor_change_keeps_translations_current_and_uncommitted_changes_count(repo):
    path = repo / "docs/de/kontakt.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n# ", "\n\n# ", 1), encoding="utf-8")  # whitespace only: the hash ignores it
    result = run_report(repo, "--base", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "- **Bleiben aktuell:**\n  - Kontakt (`kontakt.md`): Englisch, Arabisch" in result.stdout
    assert "Werden veraltet" not in result.stdout


@pytest.mark.build
def test_data_change_names_the_pages_that_show_the_data(repo):
    replace(repo, "data/links.yml", "description:\n          de: ", "description:\n          de: Neu – ")
    result = run_report(repo, "--base", "HEAD", "--preview-url", PREVIEW)
    assert result.returncode == 0, result.stderr
    assert "✅ **Alles in Ordnung:**" in result.stdout
    pages = section(result.stdout, "Geänderte Seiten")
    assert f"| Externe Hilfe (`links.md`) | geändert: Daten aus data/links.yml | [Deutsch]({PREVIEW}links/) ·" in pages
    assert "Der Stand der Übersetzungen ändert sich nicht." in result.stdout


@pytest.mark.build
def test_new_page_is_listed_and_changes_the_offer_overview(repo):
    source = (repo / "docs/de/angebote/kinderbetreuung.md").read_text(encoding="utf-8")
    new = (source.replace("title: Kinderbetreuung während des Integrationskurses", "title: Sprachcafé")
           .replace("# Kinderbetreuung während des Integrationskurses", "# Sprachcafé").replace("order: 6", "order: 60"))
    (repo / "docs/de/angebote/sprachcafe.md").write_text(new, encoding="utf-8")  # untracked: counts too
    result = run_report(repo, "--base", "HEAD", "--preview-url", PREVIEW)
    assert result.returncode == 0, result.stderr
    pages = section(result.stdout, "Geänderte Seiten")
    assert f"| Sprachcafé (`angebote/sprachcafe.md`) | neu | [Deutsch]({PREVIEW}angebote/sprachcafe/) |" in pages
    assert f"| Beratungsangebote (`angebote/index.md`) | geändert: Karten der Angebote | [Deutsch]({PREVIEW}angebote/)" in pages
    assert ("Neue Seite Sprachcafé (`angebote/sprachcafe.md`): noch in keiner anderen Sprache; dort erscheint der "
            "deutsche Text mit einem Hinweis.") in result.stdout


@pytest.mark.build
def test_deleted_page_and_removed_document(repo):
    (repo / "docs/de/alte-seite.md").write_text("---\ntitle: Alte Seite\ndescription: Eine Seite, die gelöscht wird.\n"
                                                "stand: 2026-01-05\n---\n\n# Alte Seite\n\nText.\n", encoding="utf-8")
    (repo / "docs/assets/dokumente").mkdir(parents=True, exist_ok=True)
    (repo / "docs/assets/dokumente/alt.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Seite und Datei")
    git(repo, "rm", "-q", "docs/de/alte-seite.md", "docs/assets/dokumente/alt.pdf")
    git(repo, "commit", "-qm", "gelöscht")
    result = run_report(repo, "--base", "HEAD~1", "--preview-url", PREVIEW)
    assert result.returncode == 0, result.stderr
    assert "| Alte Seite (`alte-seite.md`) | gelöscht | – |" in section(result.stdout, "Geänderte Seiten")
    assert "- **entfernt:** `alt.pdf` (`docs/assets/dokumente/alt.pdf`)" in section(result.stdout, "Dokumente")


@pytest.mark.build
def test_change_that_breaks_the_check_is_reported_and_exit_code_stays_0(repo):
    replace(repo, "docs/de/kontakt.md", "](", "](gibt-es-nicht.md) [x](")
    result = run_report(repo, "--base", "HEAD")
    assert result.returncode == 0, result.stderr
    check = section(result.stdout, "Prüfung (`make check`)")
    assert "❌ **1 Fehler gefunden** (1 davon neu durch diese Änderung)" in check
    assert "- **neu:** docs/de/kontakt.md, Zeile" in check
    assert "Der Link „gibt-es-nicht.md“ führt zu keiner vorhandenen Seite." in check
    assert "**Keine neue Vorschau:**" in result.stdout


@pytest.mark.build
@pytest.mark.parametrize("args, message", [
    (["--base", "gibt-es-nicht"], "Den Git-Stand „gibt-es-nicht“ gibt es nicht."),
    (["--base", "HEAD", "--screenshots", "x"], "--screenshots braucht --site"),
    (["--base", "HEAD", "--site", "fehlt"], "fehlt/index.html fehlt"),
])
def test_usage_errors_exit_2_in_german(repo, args, message):
    result = run_report(repo, *args)
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.browser
def test_screenshots_of_changed_pages_at_phone_width_in_german_and_arabic(repo):
    replace(repo, "docs/de/kontakt.md", "\n# Kontakt", "\n# Kontakt\n\nNeuer Satz am Anfang.")
    site = repo / "site"
    build = run_build(repo, site)
    assert build.returncode == 0, build.stdout + build.stderr
    out = site / "_bericht"
    result = run_report(repo, "--base", "HEAD", "--preview-url", PREVIEW, "--site", "site", "--screenshots", str(out),
                        "--screenshots-url", PREVIEW + "_bericht/", "--output", "bericht.md")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ar-kontakt.png", "de-kontakt.png"]
    for name in ("ar-kontakt.png", "de-kontakt.png"):
        width, height = png_size(out / name)
        assert width == 360 and 780 <= height <= 2400, (name, width, height)
    text = (repo / "bericht.md").read_text(encoding="utf-8")
    assert f'<img src="{PREVIEW}_bericht/ar-kontakt.png" width="180" alt="Kontakt, Arabisch, Handy-Breite">' in text
