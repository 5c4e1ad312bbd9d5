"""Local static server and headless Chromium, shared by tests, screenshots and the audit."""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import http.server
import os
import shutil
import threading
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


def chromium_path() -> str:
    """Debian's Chromium here; CHROME_PATH or an installed Chrome elsewhere (e.g. GitHub's runners)."""
    if os.environ.get("CHROME_PATH"):
        return os.environ["CHROME_PATH"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Chromium fehlt: scripts/install_test_tools.sh installiert es (apt-get install chromium).")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml"}

    base_path = "/"  # the site's address below the host, e.g. /erkrath/pr-preview/pr-7/

    def log_message(self, *args):  # keep test output readable
        pass

    def translate_path(self, path):
        """Serve the folder under ``base_path`` only, as a host serves a project site or a preview."""
        if self.base_path != "/":
            clean = path.split("?", 1)[0].split("#", 1)[0]
            if not clean.startswith(self.base_path):
                return str(Path(self.directory) / ".outside-base-path")  # does not exist: 404
            path = "/" + path[len(self.base_path):]
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        """Serve the site's own 404 page, as a static web host does."""
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml", "application/xml")


class _CompressingHandler(_QuietHandler):
    """Like a production host: gzip for text responses when the client accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirect to the folder URL
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if ("gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file()
                or not ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=3600")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve_directory(directory: Path, requests: list | None = None, compress: bool = False, base_path: str = "/"):
    """Serve ``directory`` on 127.0.0.1 (free port); yields the base URL ending in '/'.
    ``compress=True``: gzip text responses for clients that accept it (for the audit).
    ``base_path``: serve the folder below this path (e.g. /erkrath/pr-preview/pr-7/); the base URL
    yielded includes it. A missing file anywhere gets the folder's 404.html."""
    base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    handler_class = type("Handler", (_CompressingHandler if compress else _QuietHandler,), {"base_path": base_path})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launch_chromium(java_script: bool = True):
    """Playwright driving Debian's Chromium (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
