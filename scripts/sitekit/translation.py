"""Translation state of a page: one implementation for the build, the report and the tools.

A translated page records in its front matter which version of the German page it
was made from (``translation.source_hash``) and whether it is a machine translation or
reviewed by a person (``translation.state``, with ``reviewed_by`` and ``reviewed_on``).

The hash covers what a translator translates – the German body and the translated
front-matter fields – with whitespace and line endings normalised, so that changing
``stand`` or ``order`` or re-wrapping a line does not make every translation outdated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ContentError
from .languages import SOURCE_LANGUAGE
from .pages import TRANSLATED_FIELDS, split_front_matter

if TYPE_CHECKING:
    from .site import Site

CURRENT, OUTDATED, MACHINE, MISSING = "current", "outdated", "machine", "missing"
REVIEWED = "reviewed"  # a notice, not a state: a current translation a person checked
STATES = (CURRENT, OUTDATED, MACHINE, MISSING)
# What editors read in reports (`make translations`, the pull-request report).
STATE_WORDS = {CURRENT: "aktuell", OUTDATED: "veraltet", MACHINE: "maschinell", MISSING: "fehlt"}


def normalise(text: str) -> str:
    """Text as a translator sees it: no trailing spaces, one blank line between blocks, one space between words."""
    lines = [re.sub(r"(?<=\S)[ \t]+", " ", line.rstrip()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def source_hash_of(meta: dict, body: str) -> str:
    translated = {key: normalise(str(meta[key])) for key in sorted(TRANSLATED_FIELDS) if key in meta}
    payload = json.dumps(translated, ensure_ascii=False, sort_keys=True) + "\n" + normalise(body)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def source_hash_of_text(text: str, display: str = "Seite") -> str:
    """Hash of a German page's file text (front matter and body)."""
    meta, body, _ = split_front_matter(text, display)
    return source_hash_of(meta, body)


@dataclass(frozen=True)
class TranslationStatus:
    rel_path: str
    language: str
    machine: bool = False
    outdated: bool = False
    missing: bool = False
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None

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
        """The reader notices this page gets, in display order; a reviewed, current page says who checked it."""
        if self.missing:
            return (MISSING,)
        if not self.outdated and not self.machine:
            return (REVIEWED,)
        return tuple(name for name, flag in ((OUTDATED, self.outdated), (MACHINE, self.machine)) if flag)


class TranslationStates:
    """Status of every (page, language), computed once per Site (i.e. per build or script run)."""

    def __init__(self, site: "Site"):
        self.site = site
        self._hashes: dict[str, str | None] = {}
        self._status: dict[tuple[str, str], TranslationStatus] = {}

    def source_hash(self, rel_path: str) -> str | None:
        if rel_path not in self._hashes:
            try:
                page = self.site.page(SOURCE_LANGUAGE, rel_path)
                self._hashes[rel_path] = source_hash_of(page.meta, page.body)
            except (ContentError, KeyError):
                self._hashes[rel_path] = None
        return self._hashes[rel_path]

    def status(self, rel_path: str, code: str) -> TranslationStatus:
        key = (rel_path, code)
        if key not in self._status:
            self._status[key] = self._compute(rel_path, code)
        return self._status[key]

    def _compute(self, rel_path: str, code: str) -> TranslationStatus:
        if code == SOURCE_LANGUAGE:
            return TranslationStatus(rel_path, code)
        if not self.site.has_page(code, rel_path):
            return TranslationStatus(rel_path, code, missing=True)
        info = self.site.page(code, rel_path).translation
        reviewed = info.get("state") == "reviewed"
        outdated = info.get("source_hash") != self.source_hash(rel_path)
        return TranslationStatus(rel_path, code, machine=not reviewed, outdated=outdated,
                                 reviewed_by=str(info.get("reviewed_by")) if reviewed else None,
                                 reviewed_on=info.get("reviewed_on") if reviewed else None)

    def report(self) -> dict[str, dict[str, str]]:
        """{page: {language: state}} for every German page and every language."""
        return {rel_path: {code: self.status(rel_path, code).state for code in self.site.codes}
                for rel_path in self.site.source_pages}
