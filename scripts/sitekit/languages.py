"""The site's languages, read from mkdocs.yml (the one place where they are listed)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date

ROOT = Path(__file__).resolve().parents[2]
MKDOCS_YML = ROOT / "mkdocs.yml"
DEFAULT_LANGUAGE = "de"
# English readers in Germany expect "27 November 2026", not the US "November 27, 2026".
DATE_LOCALES = {"en": "en_GB"}


@dataclass(frozen=True)
class Language:
    code: str
    name: str          # own name in own script, e.g. "العربية"
    default: bool

    @property
    def direction(self) -> str:
        return "rtl" if Locale.parse(self.code).character_order == "right-to-left" else "ltr"

    @property
    def url_prefix(self) -> str:
        """Path of this language's pages below the site root ("" or "en/")."""
        return "" if self.default else f"{self.code}/"


@functools.lru_cache(maxsize=8)
def _load(path: str) -> tuple[Language, ...]:
    from mkdocs.utils.yaml import yaml_load  # understands !ENV

    with open(path, encoding="utf-8") as handle:
        config = yaml_load(handle)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            return tuple(
                Language(code=entry["locale"], name=entry["name"], default=bool(entry.get("default", False)))
                for entry in plugin["i18n"]["languages"]
                if entry.get("build", True)
            )
    raise RuntimeError(f"{path}: no i18n plugin configured")


def languages(mkdocs_yml: Path = MKDOCS_YML) -> tuple[Language, ...]:
    return _load(str(Path(mkdocs_yml).resolve()))


def language(code: str, mkdocs_yml: Path = MKDOCS_YML) -> Language:
    for candidate in languages(mkdocs_yml):
        if candidate.code == code:
            return candidate
    raise KeyError(code)


def format_long_date(value: dt.date, code: str) -> str:
    """A date the way readers of ``code`` write it (CLDR via Babel), e.g. 27. November 2026."""
    return format_date(value, format="long", locale=DATE_LOCALES.get(code, code))
