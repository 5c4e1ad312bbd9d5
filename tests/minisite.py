"""A small project for tests of single rules (tests/fixtures/minisite), built like the real one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from builder import build_command
from sitekit.checks import check_all
from sitekit.site import Site
from sitekit.translation import source_hash_of_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "minisite"
LANGUAGES = ("de", "ar")


def mkdocs_yml_for(languages: tuple[str, ...]) -> str:
    """The repository's mkdocs.yml with only ``languages`` in the i18n plugin."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    entries = re.split(r"(?m)^(?=        - locale: )", text)
    kept = [entries[0]]
    for entry in entries[1:]:
        locale = re.match(r"        - locale: (\S+)", entry).group(1)
        body, rest = re.match(r"(.*?)(\n(?! {10}|        - locale)(?=\S|\n).*)?\Z", entry, re.S).groups()
        if locale in languages:
            kept.append(body)
        if rest:
            kept.append(rest)
    return "".join(kept)


def make_minisite(target: Path, languages: tuple[str, ...] = LANGUAGES) -> Path:
    """The fixture site in ``target``; ``languages`` beyond de and ar get the real UI texts and no pages."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "docs", target / "docs")
    shutil.copytree(ROOT / "docs" / "assets", target / "docs" / "assets",
                    ignore=shutil.ignore_patterns("dokumente"))
    shutil.copytree(FIXTURE / "data", target / "data")
    (target / "data" / "ui").mkdir()
    for code in languages:
        shutil.copy2(ROOT / "data" / "ui" / f"{code}.yml", target / "data" / "ui" / f"{code}.yml")
    for name in ("glossary.yml", "languages.yml"):
        shutil.copy2(ROOT / "data" / name, target / "data" / name)
    for part in ("overrides", "scripts"):
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "mkdocs.yml").write_text(mkdocs_yml_for(languages), encoding="utf-8")
    for page in (target / "docs").glob("[!d]*/**/*.md"):
        if page.parts[-2] == "assets":
            continue
        rel = page.relative_to(target / "docs").parts
        german = target / "docs" / "de" / Path(*rel[1:])
        source = source_hash_of_text(german.read_text(encoding="utf-8"))
        page.write_text(page.read_text(encoding="utf-8").replace("source_hash: pending", f"source_hash: {source}"),
                        encoding="utf-8")
    return target


def messages(project: Path) -> list[str]:
    """The German messages `make check` would print for ``project`` (in-process)."""
    errors, _ = check_all(Site.load(project))
    return [error.message for error in errors]


def append(project: Path, rel_path: str, text: str) -> None:
    path = project / rel_path
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def edit(project: Path, rel_path: str, old: str, new: str) -> None:
    path = project / rel_path
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel_path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(project: Path, site_dir: Path, **settings: str) -> subprocess.CompletedProcess:
    """``settings``: more environment variables, e.g. SITE_PREVIEW="true"."""
    env = {**{key: value for key, value in os.environ.items() if key != "SITE_PREVIEW"},
           "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "SITE_URL": "http://127.0.0.1:8000/", **settings}
    return subprocess.run(build_command(site_dir), cwd=project, env=env, capture_output=True, text=True, timeout=300)
