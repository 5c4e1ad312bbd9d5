#!/usr/bin/env python3
"""Seconds from saving a German page to seeing it in `make serve` (median of several edits).

Copies the project into a temporary folder, starts `mkdocs serve` there on a free port
of 127.0.0.1 with BUILD_ONLY_LANGUAGE=de (what `make serve` does), then edits a German
page several times. Each time it writes a new sentence into the page and polls the
served page until the sentence appears; the time from the write to that moment is what
an editor waits (MkDocs' file watcher, its pause for further changes, the rebuild). The
rebuild's own time is read from MkDocs' log.

    .venv/bin/python scripts/benchmark_serve.py              # 5 edits of docs/de/kontakt.md
    .venv/bin/python scripts/benchmark_serve.py --edits 9 --page angebote/integrationskurs.md --language de
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from sitekit.site import copy_project  # noqa: E402

BUDGET = 1.5  # seconds from save to page, on today's content
POLL = 0.02
ALL = "all"       # --language all: every language, as `make serve-all`
SOURCE = "de"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_url(base: str, rel_path: str) -> str:
    """Address of a page of the language at the root (the one served, or German with all)."""
    path = rel_path.removesuffix(".md")
    path = "" if path == "index" else (path.removesuffix("/index") + "/")
    return base + path


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, timeout: float) -> float | None:
    """Seconds until the page at ``url`` contains ``needle`` (None after ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        body = fetch(url)
        if body is not None and needle in body:
            return time.monotonic() - started
        time.sleep(POLL)
    return None



def build_seconds(log_text: str) -> list[float]:
    return [float(value) for value in re.findall(r"Documentation built in ([0-9.]+) seconds", log_text)]


def measure(edits: int, rel_path: str, language: str, timeout: float) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory(prefix="benchmark-serve-") as folder:
        project = copy_project(Path(folder) / "project")
        page = project / "docs" / (SOURCE if language == ALL else language) / rel_path
        original = page.read_text(encoding="utf-8")
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        env = {key: value for key, value in os.environ.items() if key != "BUILD_ONLY_LANGUAGE"}
        env.update(NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
        if language != ALL:
            env["BUILD_ONLY_LANGUAGE"] = language
        log_path = Path(folder) / "serve.log"
        with open(log_path, "w", encoding="utf-8") as log:
            server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                                       "--livereload"], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = page_url(base, rel_path)
            if wait_for(url, "</html>", timeout=120) is None:
                raise SystemExit(f"mkdocs serve did not come up:\n{log_path.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(1.0)  # the file watcher takes its first look at the folders
            seconds = []
            for edit in range(1, edits + 1):
                marker = f"Messpunkt {edit} {os.urandom(4).hex()}"
                page.write_text(original + f"\n{marker}\n", encoding="utf-8")
                waited = wait_for(url, marker, timeout)
                if waited is None:
                    raise SystemExit(f"edit {edit} did not appear within {timeout:.0f} s:\n"
                                     f"{log_path.read_text(encoding='utf-8')[-3000:]}")
                seconds.append(waited)
                print(f"  edit {edit}: {waited:.2f} s", file=sys.stderr, flush=True)
                # Let the watcher settle; a random part so that saves do not fall into step with its
                # half-second polling (which would make every measurement equally lucky or unlucky).
                time.sleep(1.0 + random.random() * 0.5)
        finally:
            server.send_signal(signal.SIGINT)  # mkdocs serve shuts down cleanly on Ctrl+C
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        builds = build_seconds(log_path.read_text(encoding="utf-8"))
    if language == ALL:
        return seconds, []  # MkDocs logs each language's pass on its own
    return seconds, builds[1:]  # the first build is the start, not an edit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=5, help="number of saves to time (default 5)")
    parser.add_argument("--page", default="kontakt.md", help="page below docs/<language>/ (default kontakt.md)")
    parser.add_argument("--language", default="de", help="the one language served (default de, as `make serve`); "
                                                         "all: every language, as `make serve-all`")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one edit (default 60)")
    args = parser.parse_args(argv)
    if args.edits < 1:
        parser.error("--edits must be 1 or more")
    folder = SOURCE if args.language == ALL else args.language
    if not (ROOT / "docs" / folder / args.page).is_file():
        parser.error(f"docs/{folder}/{args.page} does not exist")
    served = "all languages" if args.language == ALL else f"BUILD_ONLY_LANGUAGE={args.language}"
    print(f"Serve benchmark: `mkdocs serve` with {served}, {args.edits} saves of docs/{folder}/{args.page}; "
          "seconds from the save to the changed page being served.", flush=True)
    seconds, builds = measure(args.edits, args.page, args.language, args.timeout)
    median = statistics.median(seconds)
    print(f"save to page:  median {median:.2f} s  (each: {', '.join(f'{value:.2f}' for value in seconds)})")
    if builds:
        print(f"rebuild alone: median {statistics.median(builds):.2f} s  (MkDocs' \"Documentation built in\")")
    if args.language != SOURCE:
        return 0  # the budget is for `make serve` (German)
    ok = median <= BUDGET
    print(f"Budget: {'ok  ' if ok else 'OVER'} median {median:.2f} s, budget <= {BUDGET} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
