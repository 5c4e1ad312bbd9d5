"""Follow REDAKTION.md's own steps in a throwaway copy and check the built site shows the result."""

from __future__ import annotations

import pytest
import re
import subprocess
import sys

from conftest import ROOT, run_build, soup

pytestmark = pytest.mark.build  # builds the site (the build tier)


def guide_block(heading: str, indent: int = 0) -> str:
    """The first YAML code block under a heading of REDAKTION.md (``indent``: its indentation in a list)."""
    guide = (ROOT / "REDAKTION.md").read_text(encoding="utf-8")
    section = guide[guide.index(heading):]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match, f"no yaml block under {heading}"
    return "\n".join(line[indent:] for line in match.group(1).splitlines())


def test_add_an_offer_appears_in_overview_and_navigation(project, tmp_path):
    # Step 1: copy an existing offer under a new name; step 2: change the front matter.
    source = (project / "docs/de/angebote/integrationskurs.md").read_text(encoding="utf-8")
    new = re.sub(r"^title: .*$", "title: Sprachcafé", source, count=1, flags=re.M)
    new = re.sub(r"^summary: .*$", "summary: Deutsch sprechen üben in lockerer Runde.", new, count=1, flags=re.M)
    new = re.sub(r"^icon: .*$", "icon: material/coffee", new, count=1, flags=re.M)
    new = re.sub(r"^order: .*$", "order: 10", new, count=1, flags=re.M)
    new = re.sub(r"^# .*$", "# Sprachcafé", new, count=1, flags=re.M)
    (project / "docs/de/angebote/sprachcafe.md").write_text(new, encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    overview = soup(tmp_path / "out/angebote/index.html")
    cards = overview.select(".offer-card")
    assert cards[-1].select_one("a")["href"] == "sprachcafe/"
    assert "Deutsch sprechen üben" in cards[-1].get_text()
    nav = [a["href"] for a in overview.select(".md-nav--primary a[href]")]
    assert any(href.rstrip("/").endswith("sprachcafe") for href in nav)
    # Other languages show the new offer too (German text, marked as German, until it is translated).
    arabic = soup(tmp_path / "out/ar/angebote/index.html").select(".offer-card")
    assert arabic[-1]["lang"] == "de" and arabic[-1].select_one("a")["href"] == "sprachcafe/"
    assert (tmp_path / "out/ar/angebote/sprachcafe/index.html").is_file()


def test_add_an_external_link_as_in_the_guide(project, tmp_path):
    snippet = guide_block("## Einen externen Link hinzufügen")
    path = project / "data/links.yml"
    text = path.read_text(encoding="utf-8")
    # put the guide's entry first in the first group's links
    text = text.replace("    links:\n", "    links:\n" + snippet.replace("https://www.fkfe.de/", "https://www.fkfe.de/neu") + "\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    page = soup(tmp_path / "out/links/index.html")
    assert page.select_one('a[href="https://www.fkfe.de/neu"]') is not None


def test_add_a_document_entry_as_in_the_guide(project, tmp_path):
    snippet = guide_block("## Ein Dokument hinzufügen", indent=3)
    (project / "data/documents.yml").write_text(snippet + "\n", encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    item = soup(tmp_path / "out/integrationskonzept/index.html").select_one(".document-list .document")
    assert "Integrationskonzept der Stadt Erkrath" in item.get_text()
    assert "noch nicht abrufbar" in item.get_text()  # until the update script has fetched it


def test_translate_a_page_and_mark_it_reviewed(project, tmp_path):
    target = project / "docs/tr/kontakt.md"
    translated = target.read_text(encoding="utf-8")
    target.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "scripts/translations.py", "start", "kontakt.md", "tr"],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # "then translate": the started page holds the German text until the translator replaces it
    started_hash = re.search(r"source_hash: (\w+)", target.read_text(encoding="utf-8")).group(1)
    target.write_text(re.sub(r"source_hash: \w+", f"source_hash: {started_hash}", translated), encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert soup(tmp_path / "out/tr/kontakt/index.html").select_one("[data-translation-state=machine]")
    result = subprocess.run([sys.executable, "scripts/translations.py", "review", "kontakt.md", "tr", "--by",
                             "integrationsbeauftragte"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = run_build(project, tmp_path / "out2")
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "out2/tr/kontakt/index.html")
    assert [n["data-translation-state"] for n in page.select("[data-translation-state]")] == ["reviewed"]


def test_every_message_in_the_guide_table_exists_in_the_code():
    guide = (ROOT / "REDAKTION.md").read_text(encoding="utf-8")
    table = guide[guide.index("## Meldungen der Prüfungen"):]
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "scripts/sitekit").glob("*.py"))
    for quoted in re.findall(r"^\| „([^“]+)“", table, re.M):
        for part in re.split(r"\s{0,1}…\s{0,1}", quoted):
            part = part.strip()
            if part:
                assert part in code, f"guide quotes a message the code does not produce: {part!r}"


def guide_commands(heading: str) -> list[list[str]]:
    """The shell commands of the first sh block under a heading (argument lists, without .venv/bin/python)."""
    guide = (ROOT / "REDAKTION.md").read_text(encoding="utf-8")
    section = guide[guide.index(heading):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split()[1:] for line in block.splitlines() if line.startswith(".venv/bin/python ")]


def test_contact_details_through_placeholders_as_in_the_guide(project, tmp_path):
    guide = (ROOT / "REDAKTION.md").read_text(encoding="utf-8")
    sentence = re.search(r"`(Schreiben Sie an <!-- daten: email integration -->\.)`", guide).group(1)
    page = project / "docs/de/links.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + sentence + "\n", encoding="utf-8")
    contacts = project / "data/contacts.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace("integration@erkrath.de", "neu@erkrath.de"), encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    old, new = 0, 0
    for html in (tmp_path / "out").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        old += text.count("integration@erkrath.de")
        new += text.count("neu@erkrath.de")
    assert old == 0 and new > 100  # one change in the data file reaches every page of every language
    link = soup(tmp_path / "out/links/index.html").select_one('.md-content a[href="mailto:neu@erkrath.de"]')
    assert link is not None and link.get_text() == "neu@erkrath.de"


def test_move_and_delete_a_page_as_in_the_guide(project, tmp_path):
    source = (project / "docs/de/angebote/integrationskurs.md").read_text(encoding="utf-8")
    new = re.sub(r"^order: .*$", "order: 10", source, count=1, flags=re.M)
    (project / "docs/de/angebote/sprachcafe.md").write_text(new, encoding="utf-8")
    for args in guide_commands("## Eine Seite umbenennen, verschieben oder löschen"):
        result = subprocess.run([sys.executable, *args], cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert not (project / "docs/de/angebote/sprachcafe.md").exists()
    assert not (project / "docs/de/angebote/sprach-cafe.md").exists()
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    for old in ("angebote/sprachcafe", "angebote/sprach-cafe", "ar/angebote/sprachcafe"):
        redirect = soup(tmp_path / "out" / old / "index.html")
        assert redirect.select_one('meta[name="robots"]')["content"] == "noindex"
        assert redirect.select_one("a")["href"] == "../"
