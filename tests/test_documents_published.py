"""From manifest entry to published page: the update script fetches, the build shows it in every language."""

from __future__ import annotations

import pytest
import os
import subprocess
import sys

from conftest import run_build, soup
from https_server import HTTPSServer, pdf_bytes, serve_file
from sitemap_helpers import SITE

pytestmark = pytest.mark.build  # builds the site (the build tier)


def test_fetched_document_is_listed_with_type_pages_size_and_date_in_every_language(project, tmp_path):
    body = pdf_bytes(1_234_567, pages=12)
    # no date in the manifest: the listing shows the date from the PDF's metadata
    one_page = pdf_bytes(3_000, "bericht", pages=1, created="20240315093000+01'00'")
    server = HTTPSServer().start()
    try:
        server.route("/konzept.pdf", serve_file(body, etag='"v1"'))
        server.route("/bericht.pdf", serve_file(one_page))
        (project / "data/documents.yml").write_text(f"""documents:
  - id: integrationskonzept
    url: {server.url('/konzept.pdf')}
    title:
      de: Integrationskonzept der Stadt Erkrath
      en: Integration concept of the City of Erkrath
    date: 2019-02-26
  - id: jahresbericht
    url: {server.url('/bericht.pdf')}
    title:
      de: Jahresbericht
""", encoding="utf-8")
        env = {**os.environ, "SSL_CERT_FILE": str(server.write_ca(tmp_path / "ca.pem"))}
        fetched = subprocess.run([sys.executable, "scripts/update_documents.py"], cwd=project, env=env,
                                 capture_output=True, text=True, timeout=120)
    finally:
        server.stop()
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert (project / "docs/assets/dokumente/integrationskonzept.pdf").read_bytes() == body

    site = tmp_path / "out"
    result = run_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = {
        "de": ("Integrationskonzept der Stadt Erkrath", "PDF, 12 Seiten, 1,2\u00a0MB, vom 26. Februar 2019",
               "PDF, 1 Seite, 3,0\u00a0kB, vom 15. März 2024"),
        "en": ("Integration concept of the City of Erkrath", "PDF, 12 pages, 1.2\u00a0MB, dated 26 February 2019",
               "PDF, 1 page, 3.0\u00a0kB, dated 15 March 2024"),
        "ru": (None, "PDF, 12 стр., 1,2\u00a0MB", None),
        "ar": (None, "PDF, عدد الصفحات: 12, 1.2\u00a0MB", "PDF, 1 صفحة, 3.0\u00a0kB"),
    }
    from sitekit.checks import load_data
    from sitekit.strings import fill
    strings = load_data(SITE)[0]
    pages_texts = {fill(strings.ui(lang.code)["document_pages_other"], count="12") for lang in SITE.languages}
    for lang in SITE.languages:
        page = site / lang.url_prefix / "integrationskonzept" / "index.html"
        items = soup(page).select(".document-list .document")
        assert len(items) == 2
        item = items[0]
        link = item.select_one("a.document__link")
        assert link["type"] == "application/pdf"
        target = (page.parent / link["href"]).resolve()
        assert target == (site / "assets/dokumente/integrationskonzept.pdf").resolve() and target.read_bytes() == body
        meta = item.select_one(".document__meta").get_text()
        assert "PDF" in meta and "2019" in meta
        assert any(text in meta for text in pages_texts), meta
        second = items[1].select_one(".document__meta").get_text()
        assert "2024" in second, second  # the date from the PDF's metadata
        if lang.code in expected:
            title, details, details_second = expected[lang.code]
            if title:
                assert link.get_text(strip=True) == title
            assert meta.strip("()").startswith(details), meta
            if details_second:
                assert second.strip("()").startswith(details_second), second
        elif lang.code not in ("de", "en"):
            # German title, marked as German (on a page not yet translated the whole text is)
            assert link.select_one('[lang="de"]') is not None or link.find_parent(attrs={"lang": "de"}) is not None
