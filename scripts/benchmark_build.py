#!/usr/bin/env python3
"""Build time at 1x, 10x and 50x the real content: our build against a bare build.

For each size the benchmark copies the project into a temporary folder and adds
N-1 copies of every page of every language under docs/<lang>/teil-<k>/ (same paths in
every language, so the i18n plugin pairs them; titles numbered, footer roles and the
site-wide list of Leichte-Sprache pages only on the originals – a site with more content
still has one of each; 50 copies of that list, each listing every copy, would make the
content itself grow with the square of its size –, translation hashes kept current or
outdated as they were). Then it builds

  ours  the project's mkdocs.yml (hooks, our templates, every content check), and
  bare  the same docs, theme, features, plugins (mkdocs-material + mkdocs-static-i18n)
        and Markdown extensions – no hooks, no templates of ours (only the Pashto
        language file Material lacks), no content checks,

alternately (ours, bare, ours, bare, ...) and reports the median wall time, the median
CPU time of the build process (user + system, from os.wait4) and the peak memory
(maximum resident set size). The budgets are judged on CPU time, which other work on
the machine disturbs less than wall time:

  - ours <= 1.15 x bare at every size (the cost of our hooks and templates), and
  - ours at 50x <= 60 x ours at 1x (the build grows about linearly with the content).

    .venv/bin/python scripts/benchmark_build.py                 # 1x (5 runs), 10x (3), 50x (1)
    .venv/bin/python scripts/benchmark_build.py --sizes 1 10 --runs 3 1
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from sitekit.site import copy_project  # noqa: E402
from sitekit.translation import source_hash_of  # noqa: E402

COPY_FOLDER = "teil-{k}"
SOURCE_LANGUAGE = "de"
DEFAULT_SIZES = (1, 10, 50)
DEFAULT_RUNS = {1: 5, 10: 3, 50: 1}
HOOK_BUDGET = 1.15        # ours / bare, each size
LINEAR_BUDGET = 60.0      # ours at 50x / ours at 1x
# Placeholders that list the whole site: kept on the original page only (see the module docstring).
SITE_WIDE_LISTS = ("<!-- daten: leichte-sprache -->",)
FRONT_MATTER = re.compile(r"\A---\r?\n(.*?\r?\n)---\r?\n", re.S)


# --- content at N times its size -------------------------------------------------------------

def split_page(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        raise ValueError("page without front matter")
    return yaml.safe_load(match.group(1)) or {}, text[match.end():]


def join_page(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n" + body


def copy_page(meta: dict, k: int, rel_path: str = "") -> dict:
    """Front matter of copy number k: numbered title, no footer role (each role has one page);
    the copied start page leads its own top-level section, after the real ones (own order number)."""
    copied = {key: value for key, value in meta.items() if key != "footer"}
    if "title" in copied:
        copied["title"] = f"{copied['title']} {k}"
    if rel_path == "index.md" and "order" in copied:
        copied["order"] = 1000 + k
    return copied


def copy_body(body: str) -> str:
    """Body of a copy: without the lists of the whole site (the original page has them)."""
    for placeholder in SITE_WIDE_LISTS:
        body = body.replace(placeholder + "\n", "").replace(placeholder, "")
    return body


def scaled_pages(pages: dict[str, dict[str, str]], factor: int) -> dict[str, dict[str, str]]:
    """{language: {rel_path: text}} with factor-1 copies of every page under teil-<k>/.

    A translation that was current for its German page is current for the German copy
    (its source_hash is recomputed), an outdated one stays outdated."""
    german = pages[SOURCE_LANGUAGE]
    result = {code: dict(files) for code, files in pages.items()}
    for k in range(2, factor + 1):
        folder = COPY_FOLDER.format(k=k)
        new_hashes, old_hashes = {}, {}
        for rel_path, text in german.items():
            meta, body = split_page(text)
            copied, copied_body = copy_page(meta, k, rel_path), copy_body(body)
            old_hashes[rel_path] = source_hash_of(meta, body)
            new_hashes[rel_path] = source_hash_of(copied, copied_body)
            result[SOURCE_LANGUAGE][f"{folder}/{rel_path}"] = join_page(copied, copied_body)
        for code, files in pages.items():
            if code == SOURCE_LANGUAGE:
                continue
            for rel_path, text in files.items():
                meta, body = split_page(text)
                copied = copy_page(meta, k, rel_path)
                translation = copied.get("translation")
                if isinstance(translation, dict) and translation.get("source_hash") == old_hashes.get(rel_path):
                    copied["translation"] = {**translation, "source_hash": new_hashes[rel_path]}
                result[code][f"{folder}/{rel_path}"] = join_page(copied, copy_body(body))
    return result


def read_pages(docs: Path, languages: list[str]) -> dict[str, dict[str, str]]:
    return {code: {path.relative_to(docs / code).as_posix(): path.read_text(encoding="utf-8")
                   for path in sorted((docs / code).rglob("*.md"))} for code in languages}


def languages_of(mkdocs_yml: Path) -> list[str]:
    return re.findall(r"(?m)^\s+- locale: (\S+)", mkdocs_yml.read_text(encoding="utf-8"))


def make_project(target: Path, factor: int, source_root: Path = ROOT) -> Path:
    """A copy of the project with the content at ``factor`` times its size, plus mkdocs-bare.yml."""
    copy_project(target, source_root)
    languages = languages_of(target / "mkdocs.yml")
    pages = scaled_pages(read_pages(target / "docs", languages), factor)
    for code, files in pages.items():
        for rel_path, text in files.items():
            path = target / "docs" / code / rel_path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    bare_theme = target / "bare-overrides" / "partials" / "languages"
    shutil.copytree(target / "overrides" / "partials" / "languages", bare_theme)
    (target / "mkdocs-bare.yml").write_text(bare_config((target / "mkdocs.yml").read_text(encoding="utf-8")),
                                            encoding="utf-8")
    return target


def _drop_top_level_block(text: str, key: str) -> str:
    """Remove a top-level YAML key with everything indented below it (and its comments)."""
    pattern = re.compile(rf"(?m)^{key}:.*\n(?:(?:[ \t]+.*|[ \t]*)\n)*")
    result, count = pattern.subn("", text)
    if count != 1:
        raise ValueError(f"mkdocs.yml: top-level key {key!r} not found exactly once")
    return result


def bare_config(mkdocs_yml: str) -> str:
    """mkdocs.yml without our hooks and templates: Material and the i18n plugin only.

    The theme folder keeps only the language files Material lacks (Pashto), which the
    i18n plugin needs to build that language at all."""
    text = _drop_top_level_block(mkdocs_yml, "hooks")
    text = _drop_top_level_block(text, "watch")
    text, count = re.subn(r"(?m)^(\s+custom_dir:) overrides\b", r"\1 bare-overrides", text)
    if count != 1:
        raise ValueError("mkdocs.yml: theme.custom_dir not found")
    return text


# --- measuring -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    wall: float      # seconds
    cpu: float       # seconds, user + system of the build process
    peak_rss: float  # MB


def build(project: Path, config: str, site_dir: Path) -> Run:
    env = {key: value for key, value in os.environ.items() if key != "BUILD_ONLY_LANGUAGE"}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", SITE_URL="http://127.0.0.1:8000/")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", config, "--site-dir", str(site_dir)]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=log)
        # wait4: CPU time and peak memory of exactly this child (RUSAGE_CHILDREN would mix all runs).
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"build with {config} failed:\n{log.read().decode('utf-8', 'replace')[-5000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)  # ru_maxrss: KiB on Linux


@dataclass(frozen=True)
class Result:
    factor: int
    pages: int
    runs: int
    ours: list[Run]
    bare: list[Run]

    def median(self, which: str, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in getattr(self, which))

    def peak(self, which: str) -> float:
        return max(run.peak_rss for run in getattr(self, which))

    @property
    def ratio(self) -> float:
        return self.median("ours", "cpu") / self.median("bare", "cpu")

    @property
    def wall_ratio(self) -> float:
        return self.median("ours", "wall") / self.median("bare", "wall")


def without_hook(mkdocs_yml: str, hook_file: str) -> str:
    """mkdocs.yml with one of our hooks left out (to see what it costs or saves)."""
    text, count = re.subn(rf"(?m)^\s+- overrides/hooks/{re.escape(hook_file)}\b.*\n", "", mkdocs_yml)
    if count != 1:
        raise ValueError(f"mkdocs.yml lists no hook overrides/hooks/{hook_file}")
    return text


def measure(factor: int, runs: int, progress, source_root: Path = ROOT, left_out_hook: str | None = None) -> Result:
    with tempfile.TemporaryDirectory(prefix=f"benchmark-build-{factor}x-") as folder:
        project = make_project(Path(folder) / "project", factor, source_root)
        ours_config = "mkdocs.yml"
        if left_out_hook:
            ours_config = "mkdocs-ours.yml"
            (project / ours_config).write_text(without_hook((project / "mkdocs.yml").read_text(encoding="utf-8"),
                                                            left_out_hook), encoding="utf-8")
        pages = sum(1 for _ in (project / "docs").glob("*/**/*.md") if _.parts[-2] != "assets")
        ours, bare = [], []
        for index in range(runs):
            for name, config, results in (("ours", ours_config, ours), ("bare", "mkdocs-bare.yml", bare)):
                results.append(build(project, config, Path(folder) / f"site-{name}"))
                progress(f"  {factor}x run {index + 1}/{runs} {name}: {results[-1].wall:.1f} s wall, "
                         f"{results[-1].cpu:.1f} s CPU")
    return Result(factor, pages, runs, ours, bare)


# --- report ----------------------------------------------------------------------------------

def table(results: list[Result]) -> str:
    lines = [f"{'size':>5} {'pages':>6} {'runs':>4}  {'bare wall':>9} {'bare CPU':>9}  {'ours wall':>9} {'ours CPU':>9}"
             f"  {'ratio CPU':>9} {'ratio wall':>10}  {'peak RSS bare/ours':>18}"]
    for r in results:
        lines.append(f"{r.factor:>4}x {r.pages:>6} {r.runs:>4}  {r.median('bare', 'wall'):>7.1f} s {r.median('bare', 'cpu'):>7.1f} s"
                     f"  {r.median('ours', 'wall'):>7.1f} s {r.median('ours', 'cpu'):>7.1f} s"
                     f"  {r.ratio:>8.2f}x {r.wall_ratio:>9.2f}x  {r.peak('bare'):>7.0f} / {r.peak('ours'):>4.0f} MB")
    return "\n".join(lines)


def verdicts(results: list[Result]) -> list[tuple[bool, str]]:
    found = []
    for r in results:
        found.append((r.ratio <= HOOK_BUDGET,
                      f"{r.factor}x: ours / bare = {r.ratio:.2f} (CPU), budget <= {HOOK_BUDGET:.2f}"))
    by_factor = {r.factor: r for r in results}
    if 1 in by_factor and 50 in by_factor:
        growth = by_factor[50].median("ours", "cpu") / by_factor[1].median("ours", "cpu")
        found.append((growth <= LINEAR_BUDGET,
                      f"50x / 1x (ours, CPU) = {growth:.1f}, budget <= {LINEAR_BUDGET:.0f}"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="N",
                        help="content sizes as multiples of the real content (default: 1 10 50)")
    parser.add_argument("--runs", type=int, nargs="+", metavar="R",
                        help="runs per size, one number per size (default: 5 at 1x, 3 at 10x, 1 otherwise)")
    parser.add_argument("--without-hook", metavar="FILE",
                        help="build ours without one hook of overrides/hooks/ (e.g. i18n_plugin.py: our hooks' "
                             "cost without the faster i18n alternates)")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="project to measure, e.g. an export of an older commit (default: this checkout)")
    args = parser.parse_args(argv)
    if not (args.project / "mkdocs.yml").is_file():
        parser.error(f"{args.project}/mkdocs.yml does not exist")
    if any(size < 1 for size in args.sizes):
        parser.error("sizes must be 1 or more")
    runs = args.runs or [DEFAULT_RUNS.get(size, 1) for size in args.sizes]
    if len(runs) != len(args.sizes) or any(count < 1 for count in runs):
        parser.error("--runs needs one positive number per size")
    if sys.platform != "linux":
        print("note: ru_maxrss is read as KiB, which is correct on Linux only", file=sys.stderr)
    print("Build benchmark: `mkdocs build --strict`, all languages; ours and bare built alternately; "
          "medians over the runs; CPU = user + system time of the build process.", flush=True)
    if args.without_hook:
        print(f"ours: without overrides/hooks/{args.without_hook}", flush=True)
    results = []
    for size, count in zip(args.sizes, runs):
        results.append(measure(size, count, lambda line: print(line, file=sys.stderr, flush=True), args.project.resolve(),
                               args.without_hook))
    print(table(results), flush=True)
    print("Budgets (judged on CPU time):")
    checks = verdicts(results)
    for ok, text in checks:
        print(f"  {'ok  ' if ok else 'OVER'} {text}")
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
