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


def test_fetched_document_is_listed_with_type_size_and_date_in_every_language(project, tmp_path):
    body = pdf_bytes(1_234_567)
    server = HTTPSServer().start()
    try:
        server.route("/konzept.pdf", serve_file(body, etag='"v1"'))
        (project / "data/documents.yml").write_text(f"""documents:
  - id: integrationskonzept
    url: {server.url('/konzept.pdf')}
    title:
      de: Integrationskonzept der Stadt Erkrath
      en: Integration concept of the City of Erkrath
    date: 2019-02-26
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
        "de": ("Integrationskonzept der Stadt Erkrath", "PDF, 1,2\u00a0MB, vom 26. Februar 2019"),
        "en": ("Integration concept of the City of Erkrath", "PDF, 1.2\u00a0MB, of 26 February 2019"),
    }
    for lang in SITE.languages:
        page = site / lang.url_prefix / "integrationskonzept" / "index.html"
        item = soup(page).select_one(".document-list .document")
        link = item.select_one("a.document__link")
        assert link["type"] == "application/pdf"
        target = (page.parent / link["href"]).resolve()
        assert target == (site / "assets/dokumente/integrationskonzept.pdf").resolve() and target.read_bytes() == body
        meta = item.select_one(".document__meta").get_text()
        assert "PDF" in meta and "2019" in meta
        if lang.code in expected:
            title, details = expected[lang.code]
            assert link.get_text(strip=True) == title
            assert meta.strip("()") in {details, details.replace("of ", "dated ")}, meta
        elif lang.code not in ("de", "en"):
            assert link.select_one('[lang="de"]') is not None  # German title, marked as German
