"""Lighthouse budgets for the built site, served locally WITH gzip (as a real host would).

    python scripts/audit.py                # builds the site into a temporary folder first
    python scripts/audit.py --site site/   # audits an existing build

Runs Lighthouse 12.2.3 (default mobile preset: simulated slow 4G, 4x CPU slowdown) on the
start page, an offer page (angebote/integrationskurs/) and the links page (the longest) of every
language (Cyrillic: uk, ru; Arabic script: ar, fa, ps), and checks:

* Performance >= 98 (a miss is measured twice more, the best run counts: blocking time depends
  on the machine's load); Accessibility, Best Practices and SEO = 100;
* first view of a page <= 80 KB transferred: the sum of ``transferSize`` (compressed bytes
  on the wire, headers included) of every request in Lighthouse's ``network-requests``
  audit, i.e. HTML, CSS, JavaScript, images (the search index, worker and stemmer load only when
  the reader starts to search, so they are not part of it);
* each further page <= 8 KB once shared assets are cached. Method: a reader who has seen
  the language's start page has every resource of that page in the browser cache (the
  server sends ``Cache-Control: max-age=3600``). For another page we take Lighthouse's
  request list of that page and add up the transfer sizes of the requests whose URL the
  start page did NOT load - in practice the page's own HTML plus anything only that page
  uses. The start page itself has no "further page" figure.

Prints a table, then each language's search index size (raw and gzipped). Exit status 1 when
a budget is missed (or Lighthouse fails), 0 otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit.browser import chromium_path, serve_directory  # noqa: E402
from sitekit.site import REPOSITORY, Site  # noqa: E402

ROOT = REPOSITORY
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
PAGES = ["", "angebote/integrationskurs/", "links/"]
MIN_SCORES = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
FIRST_VIEW_BUDGET = 80 * 1024
FURTHER_PAGE_BUDGET = 8 * 1024


def build(site_dir: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
                   cwd=ROOT, env=env, check=True)


def lighthouse(url: str) -> dict:
    result = subprocess.run(
        [str(LIGHTHOUSE), url, f"--chrome-path={chromium_path()}", f"--chrome-flags={CHROME_FLAGS}",
         "--output=json", "--quiet"],
        capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"Lighthouse failed for {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def requests_of(report: dict) -> dict[str, int]:
    items = report["audits"]["network-requests"]["details"]["items"]
    sizes: dict[str, int] = {}
    for item in items:
        sizes[item["url"]] = sizes.get(item["url"], 0) + int(item.get("transferSize") or 0)
    return sizes


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    return [f"{ref['id']} ({report['audits'][ref['id']].get('score')})" for ref in refs
            if ref.get("weight") and report["audits"][ref["id"]].get("score") not in (None, 1)]


def search_index_sizes(site: Path) -> list[tuple[str, int, int]]:
    rows = []
    for lang in Site.load().languages:
        index = site / lang.url_prefix / "search" / "search_index.json"
        if index.exists():
            raw = index.read_bytes()
            rows.append((lang.code, len(raw), len(gzip.compress(raw, compresslevel=9))))
    return rows


def kb(size: int | None) -> str:
    return "–" if size is None else f"{size / 1024:.1f} KB"


def audit(site: Path) -> int:
    misses: list[str] = []
    rows = []
    with serve_directory(site, compress=True) as base:
        for lang in Site.load().languages:
            code, prefix = lang.code, lang.url_prefix
            start_requests: set[str] = set()
            for path in PAGES:
                url = base + prefix + path
                report = lighthouse(url)
                scores = {key: round((report["categories"][key]["score"] or 0) * 100) for key in MIN_SCORES}
                # The performance score depends on the machine's load (blocking time under 4x CPU
                # throttling); a miss is measured twice more and the best run counts. Sizes don't vary.
                for _ in range(2):
                    if scores["performance"] >= MIN_SCORES["performance"]:
                        break
                    again = lighthouse(url)
                    score = round((again["categories"]["performance"]["score"] or 0) * 100)
                    if score > scores["performance"]:
                        scores["performance"] = score
                sizes = requests_of(report)
                first_view = sum(sizes.values())
                if path == "":
                    start_requests = set(sizes)
                    further = None
                else:
                    further = sum(size for request, size in sizes.items() if request not in start_requests)
                rows.append((code, "/" + prefix + path, scores, first_view, further, len(sizes)))
                for key, minimum in MIN_SCORES.items():
                    if scores[key] < minimum:
                        misses.append(f"{url}: {key} {scores[key]} < {minimum}; "
                                      f"not passing: {', '.join(failing_audits(report, key)) or '-'}")
                if first_view > FIRST_VIEW_BUDGET:
                    misses.append(f"{url}: first view {kb(first_view)} > {kb(FIRST_VIEW_BUDGET)}")
                if further is not None and further > FURTHER_PAGE_BUDGET:
                    misses.append(f"{url}: further page {kb(further)} > {kb(FURTHER_PAGE_BUDGET)}")

    header = f"{'lang':4}  {'page':32} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4}  {'first view':>10} {'requests':>8}  {'further page':>12}"
    print(header)
    print("-" * len(header))
    for code, page, scores, first_view, further, count in rows:
        print(f"{code:4}  {page:32} {scores['performance']:>4} {scores['accessibility']:>4} "
              f"{scores['best-practices']:>4} {scores['seo']:>4}  {kb(first_view):>10} {count:>8}  {kb(further):>12}")
    print(f"\nbudgets: performance >= {MIN_SCORES['performance']}, accessibility/best practices/SEO = 100, "
          f"first view <= {kb(FIRST_VIEW_BUDGET)}, further page <= {kb(FURTHER_PAGE_BUDGET)}")
    print("\nsearch index per language (raw / gzip):")
    for code, raw, gz in search_index_sizes(site):
        print(f"  {code:4} {kb(raw):>10} / {kb(gz):>9}")
    if misses:
        print("\nBUDGETS MISSED:")
        for miss in misses:
            print("  - " + miss)
        return 1
    print("\nall budgets met")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an existing build (default: build into a temporary folder)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("Lighthouse fehlt: scripts/install_test_tools.sh (npm) installiert es.", file=sys.stderr)
        return 1
    if args.site:
        return audit(args.site.resolve())
    with tempfile.TemporaryDirectory(prefix="audit-site-") as tmp:
        build(Path(tmp))
        return audit(Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
