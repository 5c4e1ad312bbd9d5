"""The documents state file, host names and slugs, the PDF check and the commit's roll-back, tested in-process
(issues #10 and #11); ``make check`` is run on a copy of the project."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from https_server import pdf_bytes
from sitekit.documents import load_state
from sitekit.errors import ContentError
from sitekit.fields import SLUG, check_url, hostname_ascii, valid_hostname
from sitekit.files import PreparedWrite, atomic_temp_pattern, write_atomically
from sitekit.pdf import PdfRejected, inspect_pdf

SHA = "a" * 64
GOOD_ENTRY = {"file": "konzept.pdf", "sha256": SHA, "size": 1234, "content_type": "application/pdf",
              "fetched_at": "2026-11-30T08:00:00Z", "etag": '"v1"', "last_modified": None,
              "source_url": "https://www.erkrath.de/konzept.pdf", "pages": 12, "document_date": "2019-02-26"}


def write_state(path: Path, entry: dict | None = None, version=2, doc_id: str = "konzept", **top) -> Path:
    data = {"version": version, "documents": {doc_id: GOOD_ENTRY if entry is None else entry}, **top}
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def changed(**fields) -> dict:
    entry = {**GOOD_ENTRY, **fields}
    return {key: value for key, value in entry.items() if value is not ...}


# --- the state file -----------------------------------------------------------------------------


def test_valid_state_is_read(tmp_path):
    states = load_state(write_state(tmp_path / "documents.state.json"))
    assert states["konzept"].pages == 12 and states["konzept"].date.isoformat() == "2019-02-26"


def test_version_1_state_without_page_count_is_read(tmp_path):
    entry = changed(pages=..., document_date=...)
    states = load_state(write_state(tmp_path / "documents.state.json", entry, version=1))
    assert states["konzept"].pages is None and states["konzept"].date is None


BAD_STATES = {
    "size is text": (changed(size="gross"), "size", "Hier wird eine ganze Zahl erwartet, gefunden wurde \"gross\""),
    "size negative": (changed(size=-5), "size", "Die Größe -5 ist nicht möglich"),
    "size is bool": (changed(size=True), "size", "Hier wird eine ganze Zahl erwartet, gefunden wurde true"),
    "unknown field": (changed(farbe="blau"), "farbe", "Das Feld „farbe“ ist unbekannt"),
    "file of another id": (changed(file="anderes.pdf"), "file", "Der Dateiname „anderes.pdf“ passt nicht zur Kennung"),
    "file with path": (changed(file="../konzept.pdf"), "file", "passt nicht zur Kennung"),
    "file with other type": (changed(file="konzept.exe"), "file", "passt nicht zur Kennung"),
    "bad sha256": (changed(sha256="xyz"), "sha256", "„xyz“ ist keine SHA-256-Prüfsumme"),
    "upper-case sha256": (changed(sha256="A" * 64), "sha256", "ist keine SHA-256-Prüfsumme"),
    "missing field": (changed(sha256=...), None, "Das Pflichtfeld „sha256“ fehlt"),
    "bad content type": (changed(content_type="text/html"), "content_type", "Der Inhaltstyp „text/html“ passt nicht"),
    "bad timestamp": (changed(fetched_at="gestern"), "fetched_at", "„gestern“ ist kein Zeitpunkt"),
    "pages zero": (changed(pages=0), "pages", "Die Seitenzahl 0 ist nicht möglich"),
    "bad date": (changed(document_date="2019-02-30"), "document_date", "„2019-02-30“ ist kein Datum"),
    "etag with control character": (changed(etag='"v1"\x1b[2J'), "etag", "Steuerzeichen"),
    "source url not https": (changed(source_url="http://www.erkrath.de/x.pdf"), "source_url", "keine https-Adresse"),
    "entry not an object": ([1, 2], None, "Der Eintrag „konzept“ muss ein JSON-Objekt sein"),
}


@pytest.mark.parametrize("case", BAD_STATES)
def test_bad_state_entry_is_one_german_error(tmp_path, case):
    entry, field, problem = BAD_STATES[case]
    path = write_state(tmp_path / "documents.state.json", entry)

    with pytest.raises(ContentError) as caught:
        load_state(path)

    message = str(caught.value)
    assert problem in message, message
    assert caught.value.field == ("konzept" if field is None else f"konzept.{field}")
    assert "Was tun:" in message and "aus Git" in message and "scripts/update_documents.py erneut" in message
    if field and field in json.dumps(entry):
        line = path.read_text(encoding="utf-8").splitlines()[caught.value.line - 1]
        assert line.strip().startswith(f'"{field}":'), (caught.value.line, line)


@pytest.mark.parametrize("doc_id", ["abc\n", "../x", "ABC", "a b"])
def test_state_with_a_bad_id_is_refused(tmp_path, doc_id):
    path = write_state(tmp_path / "documents.state.json", changed(file=f"{doc_id}.pdf"), doc_id=doc_id)
    with pytest.raises(ContentError, match="ist nicht erlaubt"):
        load_state(path)


@pytest.mark.parametrize("text, problem", [
    ('{"version": 3, "documents": {}}', "hat die Version 3"),
    ('{"version": "2", "documents": {}}', "hat die Version \"2\""),
    ('{"version": 2, "documents": []}', "„documents“ fehlt oder ist kein JSON-Objekt"),
    ('{"version": 2, "documents": {}, "extra": 1}', "das unbekannte Feld „extra“"),
    ('{"version": 2, "documents": {}, "version": 2}', "„version“ steht zweimal"),
    ('[]', "muss ein JSON-Objekt"),
    ('{"version": 2,\n "documents": {\n', "kein gültiges JSON"),
])
def test_bad_state_file_is_one_german_error(tmp_path, text, problem):
    path = tmp_path / "documents.state.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_state(path)
    assert problem in str(caught.value) and "Was tun:" in str(caught.value), str(caught.value)


def test_make_check_reports_a_bad_state_file(project):
    (project / "data/documents.state.json").write_text(json.dumps(
        {"version": 2, "documents": {"konzept": changed(size="gross")}}, indent=2), encoding="utf-8")
    check = subprocess.run([sys.executable, "scripts/check_content.py"], cwd=project, capture_output=True, text=True,
                           timeout=300)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Traceback" not in check.stderr
    assert "data/documents.state.json" in check.stderr and "Feld „konzept.size“" in check.stderr, check.stderr


def test_make_check_refuses_a_host_with_an_empty_label(project):
    manifest = project / "data/documents.yml"
    manifest.write_text("documents:\n  - id: konzept\n    url: https://www..erkrath.de/konzept.pdf\n"
                        "    title: Konzept\n", encoding="utf-8")
    check = subprocess.run([sys.executable, "scripts/check_content.py"], cwd=project, capture_output=True, text=True,
                           timeout=300)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "data/documents.yml, Zeile 3: Feld „url“: Die Adresse „https://www..erkrath.de/konzept.pdf“ hat keinen " \
        "gültigen Servernamen" in check.stderr, check.stderr


# --- host names, URLs, slugs --------------------------------------------------------------------


@pytest.mark.parametrize("host, expected", [
    ("www.erkrath.de", "www.erkrath.de"), ("WWW.Erkrath.DE", "www.erkrath.de"),
    ("dökumente.erkrath.de", "xn--dkumente-n4a.erkrath.de"), ("127.0.0.1", "127.0.0.1"), ("::1", "::1"),
    ("www..erkrath.de", None), ("www.erkrath.de.", None), (".erkrath.de", None), ("localhost", None),
    ("-www.erkrath.de", None), ("www-.erkrath.de", None), ("www_1.erkrath.de", None), ("a" * 64 + ".de", None),
    ("www.erkrath.123", None), ("127.1", None), ("xn--zz.erkrath.de", None), ("", None),
    (("a" * 62 + ".") * 4 + "de", None), (("a" * 62 + ".") * 3 + "a" * 61 + ".de", "a" * 62 + "." + "a" * 62 + "." + "a" * 62 + "." + "a" * 61 + ".de"),
])
def test_hostname_rules(host, expected):
    assert hostname_ascii(host) == expected
    assert valid_hostname(host) is (expected is not None)


@pytest.mark.parametrize("url", ["https://www..erkrath.de/", "https://www.erkrath.de:0/", "https://www.erkrath.de:99999/",
                                 "https://www.erkrath.de/\x00datei.pdf"])
def test_check_url_refuses_bad_hosts_ports_and_control_characters(url):
    with pytest.raises(ContentError, match="Was tun:"):
        check_url(url, "data/links.yml", 4, "url")


def test_check_url_accepts_umlauts_in_host_and_path():
    url = "https://www.dökumente.erkrath.de/Integrationskonzept_Erkrath_Übersicht.pdf"
    assert check_url(url, "data/links.yml", 4, "url") == url


def test_slug_needs_a_full_match():
    assert SLUG.fullmatch("integrationskonzept-2019")
    assert not SLUG.fullmatch("abc\n") and not SLUG.fullmatch("abc/def") and not SLUG.fullmatch("abc-")


# --- the PDF check ------------------------------------------------------------------------------


def test_pdf_check_reads_pages_and_date(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes(3000, pages=3, created="20190226120000Z"))
    info = inspect_pdf(path)
    assert (info.pages, info.date) == (3, "2019-02-26")


def test_pdf_check_ignores_an_implausible_date(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes(3000, created="00010101000000Z"))
    assert inspect_pdf(path).date is None


def test_pdf_check_that_takes_too_long_is_stopped(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes(3000))
    started = time.monotonic()
    with pytest.raises(PdfRejected, match="dauerte länger als 0.01 s"):
        inspect_pdf(path, timeout=0.01)  # far too short to even start Python: the child is killed
    assert time.monotonic() - started < 5


def test_pdf_check_of_a_big_file_stays_small(tmp_path):
    # pypdf reads from the open file: a 100 MB PDF must not be read into memory (the limit is 1 GiB, so
    # check the child's own peak instead, via a wrapper that reports it).
    path = tmp_path / "big.pdf"
    with path.open("wb") as handle:
        from https_server import pdf_stream
        for piece in pdf_stream(100_000_000, "gross"):
            handle.write(piece)
    wrapper = ("import os, sys; pid = os.posix_spawn(sys.executable, [sys.executable, '-I', sys.argv[1], sys.argv[2]], "
               "os.environ); _, status, usage = os.wait4(pid, 0); print(usage.ru_maxrss)")
    pdf_module = Path(inspect_pdf.__code__.co_filename)
    done = subprocess.run([sys.executable, "-c", wrapper, str(pdf_module), str(path)], capture_output=True, text=True,
                          timeout=120)
    peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024
    assert peak_mb < 80, f"the PDF check used {peak_mb:.0f} MB for a 100 MB file"


# --- atomic writes and the commit's way back ----------------------------------------------------


def test_write_atomically_keeps_the_mode_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "datei.json"
    path.write_text("alt")
    path.chmod(0o640)
    write_atomically(path, b"neu")
    assert path.read_bytes() == b"neu" and path.stat().st_mode & 0o777 == 0o640
    assert list(tmp_path.glob(atomic_temp_pattern(path))) == []


def test_state_rename_failing_after_publishing_brings_the_old_file_back(tmp_path, monkeypatch):
    import update_documents as script

    manifest = tmp_path / "data/documents.yml"
    manifest.parent.mkdir()
    manifest.write_text("documents:\n  - id: konzept\n    url: https://www.erkrath.de/konzept.pdf\n    title: K\n",
                        encoding="utf-8")
    documents = tmp_path / "dokumente"
    documents.mkdir()
    target = documents / "konzept.pdf"
    target.write_bytes(b"%PDF-alt")
    options = script.parse_options(["--manifest", str(manifest), "--documents-dir", str(documents)])
    run = script.Run(options, script.load_manifest(manifest), {}, None, tmp_path)
    staging = script.Staging(tmp_path, "konzept")
    staging.start()
    staging.write(b"%PDF-neu")
    staging.finish(8)
    new_state = script.DocumentState(file="konzept.pdf", sha256=SHA, size=8, content_type="application/pdf",
                                     fetched_at="2026-11-30T08:00:00Z", pages=1)

    def fail(self, sync=True):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(PreparedWrite, "commit", fail)

    with pytest.raises(script.StateNotWritten, match=r"kann nicht geschrieben werden \(Input/output error\)"):
        run.publish("konzept", staging, target, new_state)
    assert target.read_bytes() == b"%PDF-alt"
    assert run.states == {} and not (manifest.parent / "documents.state.json").exists()
    assert sorted(path.name for path in documents.iterdir()) == ["konzept.pdf"], "hard link removed"
    assert list(manifest.parent.glob(".*.tmp")) == [], "state temp file removed"
