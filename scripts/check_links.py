#!/usr/bin/env python3
"""Check that the external links in the data files still answer.

Reads data/links.yml and data/contacts.yml (with the same code as the build), asks each
https address once (HEAD, then GET where a server refuses HEAD), politely: one request at a
time, at least --delay seconds between requests to the same host, a timeout per request.
Prints a table of broken links; with --summary FILE also appends it as Markdown (GitHub's
job summary). Exit code 0 even when links are broken (this report never blocks publishing);
2 when the data files cannot be read. Certificates: system store or SSL_CERT_FILE.
"""

from __future__ import annotations

import argparse
import os
import ssl
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit import console, data  # noqa: E402
from sitekit.errors import ContentError  # noqa: E402
from sitekit.site import REPOSITORY  # noqa: E402

USER_AGENT = "Erkrath-Integration-Linkpruefung/1.0 (+https://www.erkrath.de/)"


def collect(links_file: Path, contacts_file: Path) -> list[tuple[str, str]]:
    """(url, where) for every https link in the data files, each url once."""
    found: dict[str, str] = {}
    for group in data.load_links(links_file):
        for link in group.links:
            if link.url.startswith("https:"):
                found.setdefault(link.url, f"{data.display_path(links_file)}: {link.name['de']}")
    for contact in data.load_contacts(contacts_file).values():
        if contact.url:
            found.setdefault(contact.url, f"{data.display_path(contacts_file)}: {contact.name['de']}")
    return list(found.items())


def probe(url: str, timeout: float, context: ssl.SSLContext) -> str | None:
    """None when the link works, else a short reason."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
                if method == "GET":
                    response.read(1024)
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD; ask again with GET
            return f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            return f"nicht erreichbar ({reason})"
    return "nicht erreichbar"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--links", type=Path, default=REPOSITORY / "data" / "links.yml")
    parser.add_argument("--contacts", type=Path, default=REPOSITORY / "data" / "contacts.yml")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request (default 15)")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    parser.add_argument("--summary", type=Path, help="append a Markdown report to this file")
    args = parser.parse_args(argv)
    try:
        links = collect(args.links, args.contacts)
    except ContentError as error:
        return console.refuse(error)
    context = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE"))
    last_request: dict[str, float] = {}
    broken = []
    for url, where in links:
        host = urlsplit(url).hostname or ""
        wait = last_request.get(host, 0) + args.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        reason = probe(url, args.timeout, context)
        last_request[host] = time.monotonic()
        print(f"{'OK     ' if reason is None else 'DEFEKT '} {url}" + (f"  – {reason}" if reason else ""))
        if reason:
            broken.append((url, where, reason))
    summary = [f"## Externe Links: {len(links)} geprüft, {len(broken)} defekt", ""]
    if broken:
        summary += ["| Link | Wo | Problem |", "|---|---|---|"]
        summary += [f"| {url} | {where} | {reason} |" for url, where, reason in broken]
    else:
        summary.append("Alle Links sind erreichbar.")
    print("\n".join(summary))
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(summary) + "\n")
    return 0


if __name__ == "__main__":
    console.exit_with(main)
