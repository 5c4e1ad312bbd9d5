"""Translation state: the notices readers see, the editor tools and the translation check."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import run_build, soup
from sitekit.translation import source_hash_of_text
from sitekit.translation_check import compare

FIXTURE_LANGUAGE = "en"


def tool(project, *args):
    return subprocess.run([sys.executable, "scripts/translations.py", *args], cwd=project, capture_output=True, text=True)


def set_state(project, rel_path, *, state="machine", source=None):
    """Make docs/en/<rel_path> (the existing English translation) a translation in the given state."""
    target = project / "docs" / FIXTURE_LANGUAGE / rel_path
    german_hash = source_hash_of_text((project / "docs/de" / rel_path).read_text(encoding="utf-8"))
    if state == "reviewed":
        result = tool(project, "review", rel_path, FIXTURE_LANGUAGE, "--by", "integrationsbeauftragte")
        assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    text = re.sub(r"source_hash: \w+", f"source_hash: {source or german_hash}", text)
    target.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    from conftest import copy_project
    project = copy_project(tmp_path_factory.mktemp("translations") / "project")
    set_state(project, "kontakt.md", state="machine")                         # machine, current
    set_state(project, "impressum.md", state="reviewed")                      # reviewed, current
    set_state(project, "datenschutz.md", state="reviewed", source="0" * 16)   # reviewed, German changed since
    set_state(project, "barrierefreiheit.md", state="machine", source="1" * 16)  # machine and outdated
    (project / "docs" / FIXTURE_LANGUAGE / "gebaerdensprache.md").unlink(missing_ok=True)  # missing
    site = project / "out"
    result = run_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, site


def notices(site, rel_dir):
    html = soup(site / FIXTURE_LANGUAGE / rel_dir / "index.html")
    return [n["data-translation-state"] for n in html.select("[data-translation-state]")], html


@pytest.mark.build
def test_machine_translation_shows_machine_notice_with_link_to_original(fixture_site):
    project, site = fixture_site
    states, html = notices(site, "kontakt")
    assert states == ["machine"]
    notice = html.select_one("[data-translation-state=machine]")
    assert "translated by machine" in notice.get_text()
    link = notice.select_one("a[hreflang=de]")
    assert link["href"] == "../../kontakt/"
    # the notice sits at the top of the content, right under the title
    assert html.select_one("article h1").find_next_sibling() is notice


@pytest.mark.build
def test_reviewed_current_translation_says_who_checked_it_instead_of_the_machine_notice(fixture_site):
    _, site = fixture_site
    states, html = notices(site, "impressum")
    assert states == ["reviewed"]
    note = html.select_one("[data-translation-state=reviewed]").get_text(" ", strip=True)
    from sitekit.languages import format_long_date
    import datetime as dt
    # who: the reviewer's English name from data/reviewers.yml; when: in English
    assert note == (f"Translation checked by the integration officers of the City of Erkrath on "
                    f"{format_long_date(dt.date.today(), 'en')}. Read the German original")
    assert "machine" not in note


@pytest.mark.build
def test_outdated_translation_says_so(fixture_site):
    _, site = fixture_site
    states, html = notices(site, "datenschutz")
    assert states == ["outdated"]
    assert "may be out of date" in html.select_one("[data-translation-state=outdated]").get_text()
    assert notices(site, "barrierefreiheit")[0] == ["outdated", "machine"]


@pytest.mark.build
def test_missing_translation_shows_german_content_under_a_notice(fixture_site):
    project, site = fixture_site
    states, html = notices(site, "gebaerdensprache")
    assert states == ["missing"]
    notice = html.select_one("[data-translation-state=missing]")
    assert "not yet available in English" in notice.get_text()
    available = [a["hreflang"] for a in notice.select("li a")]
    assert "de" in available and FIXTURE_LANGUAGE not in available
    for code in available:
        assert (project / "docs" / code / "gebaerdensprache.md").is_file()
    german_block = html.select_one('article div[lang="de"][dir="ltr"]')
    assert german_block is not None and german_block.h1 is not None
    assert html.select_one("link[rel=canonical]")["href"].endswith("/gebaerdensprache/")
    assert "/en/" not in html.select_one("link[rel=canonical]")["href"]


@pytest.mark.build
def test_german_pages_have_no_notice(fixture_site):
    _, site = fixture_site
    assert not soup(site / "kontakt/index.html").select("[data-translation-state]")


@pytest.mark.build
def test_report_matches_the_states(fixture_site):
    project, _ = fixture_site
    result = tool(project, "report", "--json")
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)["pages"]
    en = {page: states[FIXTURE_LANGUAGE] for page, states in pages.items()}
    assert en["kontakt.md"] == "machine"
    assert en["impressum.md"] == "current"
    assert en["datenschutz.md"] == "outdated"
    assert en["barrierefreiheit.md"] == "outdated"
    assert en["gebaerdensprache.md"] == "missing"
    assert all(states["de"] == "current" for states in pages.values())
    table = tool(project, "report").stdout
    assert "kontakt.md" in table and "fehlt" in table and "maschinell" in table and "veraltet" in table


@pytest.mark.build
def test_minor_change_keeps_current_translations_current(tmp_path):
    from conftest import copy_project
    project = copy_project(tmp_path / "project")
    set_state(project, "kontakt.md", state="reviewed")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"], cwd=project, check=True)
    german = project / "docs/de/kontakt.md"
    german.write_text(german.read_text(encoding="utf-8") + "\nEin Tippfehler wurde korrigiert.\n", encoding="utf-8")
    before = json.loads(tool(project, "report", "--json").stdout)["pages"]["kontakt.md"]["en"]
    assert before == "outdated"
    result = tool(project, "minor", "docs/de/kontakt.md")
    assert result.returncode == 0, result.stderr
    after = json.loads(tool(project, "report", "--json").stdout)["pages"]["kontakt.md"]
    assert after["en"] == "current"
    # a second run finds nothing left to mark
    assert tool(project, "minor", "docs/de/kontakt.md", "--since", "HEAD").returncode == 0


def test_tools_refuse_bad_arguments(tmp_path):
    from conftest import ROOT
    result = tool(ROOT, "start", "gibt-es-nicht.md", "en")
    assert result.returncode == 2 and "gibt es nicht" in result.stderr
    result = tool(ROOT, "start", "kontakt.md", "xx")
    assert result.returncode == 2 and "nicht eingerichtet" in result.stderr


GERMAN = """# Titel

## Kontakt

Schreiben Sie an [integration@erkrath.de](mailto:integration@erkrath.de).
Seit 2018. Mehr: [Links](links.md). Telefon 02104 123456.

<!-- daten: links -->
"""


def test_translation_check_accepts_same_facts_in_other_digits():
    arabic = GERMAN.replace("Seit 2018", "منذ ٢٠١٨").replace("Titel", "عنوان").replace("02104 123456", "٠٢١٠٤ ١٢٣٤٥٦")
    persian = GERMAN.replace("Seit 2018", "از ۲۰۱۸")
    assert compare(GERMAN, arabic, "docs/ar/x.md") == []
    assert compare(GERMAN, persian, "docs/fa/x.md") == []


@pytest.mark.parametrize("change, word", [
    (("## Kontakt", "### Kontakt"), "Überschriften"),
    (("(links.md)", "(kontakt.md)"), "Links"),
    (("mailto:integration@erkrath.de", "mailto:info@erkrath.de"), "Links"),
    (("Seit 2018", "Seit 2019"), "Jahreszahlen"),
    (("02104 123456", "02104 654321"), "Telefonnummern"),
    (("<!-- daten: links -->", ""), "Platzhalter"),
])
def test_translation_check_names_file_and_difference(change, word):
    errors = compare(GERMAN, GERMAN.replace(*change), "docs/en/x.md")
    assert errors and all(e.file == "docs/en/x.md" for e in errors)
    assert any(word in e.message for e in errors)


@pytest.mark.build
def test_build_stops_on_a_translation_that_changes_facts(project, tmp_path):
    set_state(project, "kontakt.md", state="machine")
    path = project / "docs/en/kontakt.md"
    path.write_text(path.read_text(encoding="utf-8").replace("<!-- daten: email integration -->", "info@example.org"), encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    assert result.returncode != 0
    assert "docs/en/kontakt.md" in result.stderr + result.stdout
    assert "E-Mail-Adressen weichen vom deutschen Original ab" in result.stderr + result.stdout
