"""Translation state of a page: one implementation for the build, the report and the tools.

A translated page records in its front matter which version of the German page it
was made from (``translation.source_hash``) and whether it is a machine
translation or reviewed by a person (``translation.state``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .fields import DEFAULT_LANGUAGE
from .pages import DOCS_DIR, Page, language_pages, read_page

CURRENT, OUTDATED, MACHINE, MISSING = "current", "outdated", "machine", "missing"
STATES = (CURRENT, OUTDATED, MACHINE, MISSING)


def source_hash_of_text(text: str) -> str:
    """Hash of a German page as translators saw it; line endings and trailing spaces don't count."""
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip() + "\n"
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def source_hash(german_file: Path) -> str:
    return source_hash_of_text(Path(german_file).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class TranslationStatus:
    rel_path: str
    language: str
    machine: bool = False
    outdated: bool = False
    missing: bool = False

    @property
    def state(self) -> str:
        """One word for reports; missing > outdated > machine > current."""
        if self.missing:
            return MISSING
        if self.outdated:
            return OUTDATED
        if self.machine:
            return MACHINE
        return CURRENT

    @property
    def notices(self) -> tuple[str, ...]:
        """The reader notices this page gets, in display order (none for a reviewed, current page)."""
        if self.missing:
            return (MISSING,)
        return tuple(name for name, flag in ((OUTDATED, self.outdated), (MACHINE, self.machine)) if flag)


def status_of(rel_path: str, language: str, docs_dir: Path = DOCS_DIR) -> TranslationStatus:
    if language == DEFAULT_LANGUAGE:
        return TranslationStatus(rel_path, language)
    translated = Path(docs_dir) / language / rel_path
    german = Path(docs_dir) / DEFAULT_LANGUAGE / rel_path
    if not translated.is_file():
        return TranslationStatus(rel_path, language, missing=True)
    page = read_page(translated, docs_dir)
    return status_of_page(page, german)


def status_of_page(page: Page, german_file: Path) -> TranslationStatus:
    info = page.translation
    machine = info.get("state") != "reviewed"
    outdated = not german_file.is_file() or info.get("source_hash") != source_hash(german_file)
    return TranslationStatus(page.rel_path, page.language, machine=machine, outdated=outdated)


def available_languages(rel_path: str, languages: list[str], docs_dir: Path = DOCS_DIR) -> list[str]:
    """Languages that have their own file for this page (German always)."""
    return [code for code in languages if (Path(docs_dir) / code / rel_path).is_file()]


def report(languages: list[str], docs_dir: Path = DOCS_DIR) -> dict[str, dict[str, str]]:
    """{page: {language: state}} for every German page and every language."""
    return {
        rel_path: {code: status_of(rel_path, code, docs_dir).state for code in languages}
        for rel_path in language_pages(DEFAULT_LANGUAGE, docs_dir)
    }
