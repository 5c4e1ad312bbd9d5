"""The project as one object: paths, languages and pages, read once per build or script run.

``Site.load()`` reads mkdocs.yml (scripts); ``Site.from_mkdocs_config()`` takes the
languages the i18n plugin builds (the hook). Pages and translation states are read
once and cached on the object, so a build never scans the file system per page.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import ContentError
from .languages import SOURCE_LANGUAGE, Language
from .pages import Page, is_offer_path, read_page

REPOSITORY = Path(__file__).resolve().parents[2]  # the checkout this sitekit belongs to
PROJECT_PARTS = ("docs", "data", "overrides", "scripts", "mkdocs.yml")  # what a build needs


def copy_project(target: Path, source_root: Path = REPOSITORY) -> Path:
    """A buildable copy of the project (tests and benchmarks change and build copies, never the checkout)."""
    for part in PROJECT_PARTS:
        source = source_root / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", ".tmp-*"))
        else:
            shutil.copy2(source, target / part)
    return target


@functools.lru_cache(maxsize=None)  # every page asks for every language's address of itself and the footer pages
def page_url_in_language(rel_path: str) -> str:
    """URL path of a page below its language root: index.md -> "", a/b.md -> a/b/."""
    path = PurePosixPath(rel_path)
    if path.name == "index.md":
        parent = path.parent.as_posix()
        return "" if parent == "." else f"{parent}/"
    return f"{path.with_suffix('').as_posix()}/"


def _languages_from_mkdocs_yml(mkdocs_yml: Path) -> tuple[Language, ...]:
    from mkdocs.utils.yaml import yaml_load  # understands !ENV

    with open(mkdocs_yml, encoding="utf-8") as handle:
        config = yaml_load(handle)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            return tuple(
                Language(code=entry["locale"], name=entry["name"], default=bool(entry.get("default", False)))
                for entry in plugin["i18n"]["languages"]
                if entry.get("build", True)
            )
    raise ContentError(mkdocs_yml.name, "Das Sprach-Plugin (i18n) ist nicht eingerichtet.", "Stellen Sie mkdocs.yml aus Git wieder her.")


@dataclass
class Site:
    root: Path
    languages: tuple[Language, ...]
    docs_dir: Path
    folders: tuple[str, ...] = ()   # every configured language's folder (also those not built now)
    today: dt.date = field(default_factory=dt.date.today)
    _pages: dict[str, dict[str, Path]] = field(default_factory=dict, repr=False)
    _parsed: dict[tuple[str, str], Page] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, root: Path | None = None) -> "Site":
        root = Path(root or REPOSITORY).resolve()
        languages = _languages_from_mkdocs_yml(root / "mkdocs.yml")
        return cls(root=root, languages=languages, docs_dir=root / "docs", folders=tuple(lang.code for lang in languages))

    @classmethod
    def from_mkdocs_config(cls, config) -> "Site":
        plugin = config.plugins["i18n"]
        languages = tuple(Language(code=lang.locale, name=lang.name, default=bool(lang.default))
                          for lang in plugin.config.languages if lang.build)
        return cls(root=Path(config.config_file_path).resolve().parent, languages=languages,
                   docs_dir=Path(config.docs_dir).resolve(),
                   folders=tuple(lang.locale for lang in plugin.config.languages))

    # --- paths and names ------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def display(self, path: str | Path) -> str:
        """How a file is named in messages: relative to the project, e.g. docs/de/kontakt.md."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()  # a link is named, not its target
        except ValueError:
            return str(path)

    # --- languages ------------------------------------------------------------------------

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    @functools.cached_property
    def _by_code(self) -> dict[str, Language]:
        return {lang.code: lang for lang in self.languages}

    def language(self, code: str) -> Language:
        return self._by_code[code]

    @property
    def source(self) -> Language:
        """German, the language every other one translates (also when only another is served)."""
        return self._by_code.get(SOURCE_LANGUAGE) or Language(SOURCE_LANGUAGE, "Deutsch", default=False)

    def site_path(self, code: str, rel_path: str) -> str:
        """Path of a page below the site root, e.g. ("ar", "kontakt.md") -> "ar/kontakt/"."""
        language = self._by_code.get(code) or Language(code, code)
        return language.url_prefix + page_url_in_language(rel_path)

    def translation_language(self, code: str) -> str:
        """``code`` as a script's argument naming a language to translate into; refused in German otherwise."""
        others = [c for c in self.codes if c != SOURCE_LANGUAGE]
        if code == SOURCE_LANGUAGE:
            raise ContentError("Aufruf", f"„{code}“ ist die Ausgangssprache, nicht eine Übersetzung.",
                               f"Nennen Sie die Sprache der Übersetzung: {', '.join(others)}.")
        if code not in others:
            raise ContentError("Aufruf", f"Die Sprache „{code}“ ist nicht eingerichtet.", f"Möglich: {', '.join(others)}.")
        return code

    # --- pages ----------------------------------------------------------------------------

    def pages(self, code: str) -> dict[str, Path]:
        """Markdown files of one language folder by path below it; scanned once (symlinks skipped)."""
        if code not in self._pages:
            folder = self.docs_dir / code
            found: dict[str, Path] = {}
            for current, folders, files in os.walk(folder):  # followlinks=False: never leaves the folder
                folders[:] = sorted(name for name in folders if not name.startswith(".")
                                    and not os.path.islink(os.path.join(current, name)))
                for name in sorted(files):
                    path = Path(current) / name
                    if name.endswith(".md") and not name.startswith(".") and not path.is_symlink():
                        found[path.relative_to(folder).as_posix()] = path
            self._pages[code] = dict(sorted(found.items()))
        return self._pages[code]

    @property
    def source_pages(self) -> dict[str, Path]:
        return self.pages(SOURCE_LANGUAGE)

    @functools.cached_property
    def offer_pages(self) -> list[str]:
        """The German offer pages (angebote/<name>.md), found once: the overview lists them on every pass."""
        return [rel_path for rel_path in self.source_pages if is_offer_path(rel_path)]

    def has_page(self, code: str, rel_path: str) -> bool:
        return rel_path in self.pages(code)

    def page(self, code: str, rel_path: str) -> Page:
        """The parsed page (cached); ContentError if it cannot be read."""
        key = (code, rel_path)
        if key not in self._parsed:
            path = self.pages(code)[rel_path]
            self._parsed[key] = read_page(path, code, rel_path, self.display(path))
        return self._parsed[key]

    def page_meta(self, code: str, rel_path: str) -> dict:
        """Front matter as the page is built: the German page's own fields, the translation's texts."""
        from .pages import SOURCE_FIELDS

        german = self.page(SOURCE_LANGUAGE, rel_path).meta if self.has_page(SOURCE_LANGUAGE, rel_path) else {}
        if code == SOURCE_LANGUAGE or not self.has_page(code, rel_path):
            return dict(german)
        own = self.page(code, rel_path).meta
        return {**{key: value for key, value in german.items() if key in SOURCE_FIELDS},
                **{key: value for key, value in own.items() if key not in SOURCE_FIELDS}}

    @functools.cached_property
    def footer_pages(self) -> dict[str, str]:
        """{role: rel_path} of the German pages marked with ``footer:`` (legal and access pages)."""
        roles = {}
        for rel_path in self.source_pages:
            try:
                role = self.page(SOURCE_LANGUAGE, rel_path).meta.get("footer")
            except ContentError:
                continue
            if isinstance(role, str):
                roles.setdefault(role, rel_path)
        return roles

    def available_languages(self, rel_path: str) -> list[str]:
        """Languages that have their own file for this page."""
        return [code for code in self.codes if self.has_page(code, rel_path)]

    @functools.cached_property
    def translation_states(self):
        from .translation import TranslationStates

        return TranslationStates(self)
