"""The weekly link check, against a real HTTPS server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from https_server import HTTPSServer, respond_status, serve_file
from conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_reports_broken_links_and_never_fails(tmp_path):
    server = HTTPSServer().start()
    try:
        server.route("/ok", serve_file(b"<html>ok</html>"))
        server.route("/weg", respond_status(404))
        refused = f"https://127.0.0.1:{free_port()}/nichts"
        links = tmp_path / "links.yml"
        links.write_text(f"""groups:
  - id: test
    title:
      de: Test
    links:
      - name:
          de: Gut
        url: {server.url('/ok')}
        description:
          de: erreichbar
      - name:
          de: Verschwunden
        url: {server.url('/weg')}
        description:
          de: 404
      - name:
          de: Niemand da
        url: {refused}
        description:
          de: abgelehnt
""", encoding="utf-8")
        contacts = tmp_path / "contacts.yml"
        contacts.write_text("contacts:\n  - id: x\n    name:\n      de: X\n", encoding="utf-8")
        summary = tmp_path / "summary.md"
        env = {**os.environ, "SSL_CERT_FILE": str(server.write_ca(tmp_path / "ca.pem"))}
        result = subprocess.run([sys.executable, "scripts/check_links.py", "--links", str(links), "--contacts", str(contacts),
                                 "--delay", "0", "--timeout", "5", "--summary", str(summary)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    report = summary.read_text(encoding="utf-8")
    assert "3 geprüft, 2 defekt" in report
    assert "/weg" in report and "HTTP 404" in report
    assert refused in report and "nicht erreichbar" in report
    assert server.url("/ok") not in report


def test_bad_data_file_exits_2(tmp_path):
    links = tmp_path / "links.yml"
    links.write_text("groups:\n  - id: [kaputt\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "scripts/check_links.py", "--links", str(links)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "kein gültiges YAML" in result.stderr
