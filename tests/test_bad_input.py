"""Every kind of editor mistake stops the build with the intended German message – never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import run_build

pytestmark = pytest.mark.build  # builds the site (the build tier)


def _break(project, rel_path, old, new):
    path = project / rel_path
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {rel_path}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _replace_line(project, rel_path, starts_with, new_line):
    """Replace the first line starting with ``starts_with``; returns its 1-based number."""
    path = project / rel_path
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(starts_with))
    if new_line is None:
        del lines[index]
    else:
        lines[index] = new_line
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def _first_offer(project):
    return sorted((project / "docs/de/angebote").glob("[!i]*.md"))[0].relative_to(project).as_posix()


def _assert_fails(project, tmp_path, *expected):
    result = run_build(project, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    for text in expected:
        assert text in output, f"missing {text!r} in:\n{output}"
    assert not (tmp_path / "out" / "index.html").exists(), "a broken build must not write pages"
    # the standalone check says the same
    check = subprocess.run([sys.executable, "scripts/check_content.py"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    for text in expected:
        assert text in check.stderr
    return output


def test_broken_yaml(project, tmp_path):
    _break(project, "data/links.yml", "groups:", "groups:\n  - id: kaputt\n    title: [nicht geschlossen")
    _assert_fails(project, tmp_path, "data/links.yml, Zeile", "kein gültiges YAML", "Was tun:")


def test_missing_required_field(project, tmp_path):
    path = project / "data/links.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    url_index = next(i for i, line in enumerate(lines) if line.strip().startswith("url:"))
    entry_line = next(i for i in range(url_index, 0, -1) if lines[i].strip().startswith("- ")) + 1
    del lines[url_index]
    path.write_text("\n".join(lines), encoding="utf-8")
    # the message points at the entry that lacks the field
    _assert_fails(project, tmp_path, f"data/links.yml, Zeile {entry_line}:", "Feld „url“", "Pflichtfeld fehlt", "https://")


def test_wrong_type(project, tmp_path):
    offer = _first_offer(project)
    order_line = _replace_line(project, offer, "order:", "order: [1, 2]")
    _assert_fails(project, tmp_path, f"{offer}, Zeile {order_line}", "Feld „order“", "keine ganze Zahl")


@pytest.mark.parametrize("url, hint", [
    ("javascript:alert(1)", "Nur Adressen mit https: sind erlaubt."),
    ("http://www.fkfe.de/", "https://"),
    ("../relativ/seite.html", "vollständige Adresse"),
])
def test_bad_url_scheme(project, tmp_path, url, hint):
    path = project / "data/links.yml"
    text = path.read_text(encoding="utf-8")
    first_url = next(line for line in text.splitlines() if line.strip().startswith("url:"))
    line_no = text.splitlines().index(first_url) + 1
    indent = first_url[: len(first_url) - len(first_url.lstrip())]
    path.write_text(text.replace(first_url, f"{indent}url: {url}", 1), encoding="utf-8")
    _assert_fails(project, tmp_path, f"data/links.yml, Zeile {line_no}", "Feld „url“", "nicht erlaubt", hint)


def test_html_in_a_title(project, tmp_path):
    path = project / "data/links.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == "title:")
    lines[index + 1] = lines[index + 1].split(":")[0] + ': "<script>alert(1)</script> Beratung"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_fails(project, tmp_path, f"data/links.yml, Zeile {index + 2}", "HTML", "nicht erlaubt")


def test_html_in_a_page_title(project, tmp_path):
    offer = _first_offer(project)
    line = _replace_line(project, offer, "title:", 'title: "<b>Fett</b>"')
    _assert_fails(project, tmp_path, f"{offer}, Zeile {line}", "Feld „title“", "HTML")


def test_duplicate_key(project, tmp_path):
    _break(project, "data/contacts.yml", "    email:", "    email: a@b.de\n    email:")
    _assert_fails(project, tmp_path, "data/contacts.yml, Zeile", "steht zweimal")


def test_unknown_placeholder(project, tmp_path):
    _break(project, "docs/de/links.md", "<!-- daten: links -->", "<!-- daten: linkz -->")
    _assert_fails(project, tmp_path, "docs/de/links.md, Zeile", "Platzhalter", "unbekannt")


def test_unknown_icon(project, tmp_path):
    offer = _first_offer(project)
    line = _replace_line(project, offer, "icon:", "icon: material/gibt-es-nicht")
    _assert_fails(project, tmp_path, f"{offer}, Zeile {line}", "Symbol „material/gibt-es-nicht“ gibt es nicht")


def test_missing_stand(project, tmp_path):
    _replace_line(project, "docs/de/kontakt.md", "stand:", None)
    _assert_fails(project, tmp_path, "docs/de/kontakt.md", "Feld „stand“", "Pflichtfeld fehlt")


def test_bad_document_manifest_entry(project, tmp_path):
    (project / "data/documents.yml").write_text(
        "documents:\n  - id: ../x\n    url: https://www.erkrath.de/a.pdf\n    title:\n      de: Test\n", encoding="utf-8")
    _assert_fails(project, tmp_path, "data/documents.yml, Zeile 2", "Feld „id“", "Kleinbuchstaben")


def test_text_from_data_is_escaped(project, tmp_path):
    path = project / "data/links.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == "description:")
    key = lines[index + 1].split(":")[0]
    lines[index + 1] = f'{key}: "Beratung & Hilfe für Kinder < 12 Jahre"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/links/index.html").read_text(encoding="utf-8")
    assert "Beratung &amp; Hilfe für Kinder &lt; 12 Jahre" in html


def test_link_to_a_missing_page(project, tmp_path):
    path = project / "docs/de/kontakt.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.append("Siehe [Anfahrt](anfahrt.md).")
    path.write_text("\n".join(lines), encoding="utf-8")
    _assert_fails(project, tmp_path, f"docs/de/kontakt.md, Zeile {len(lines)}", "„anfahrt.md“ führt zu keiner vorhandenen Seite")


def test_page_file_name_unfit_for_an_address(project, tmp_path):
    (project / "docs/de/kontakt.md").rename(project / "docs/de/Neue Seite.md")
    _assert_fails(project, tmp_path, "docs/de/Neue Seite.md", "Dateiname", "Kleinbuchstaben")
