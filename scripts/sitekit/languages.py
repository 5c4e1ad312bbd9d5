"""The site's languages: codes, own names, text direction, dates.

Languages are listed once, in mkdocs.yml under the i18n plugin; ``site.Site`` reads them.
German is the source language: every other language translates it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

SOURCE_LANGUAGE = "de"
EASY_LANGUAGE = "de-x-ls"  # Leichte Sprache: German for readers who need it easy (a language of its own here)
# CLDR locale for dates where the language's default is not what our readers expect: English
# readers in Germany expect "27 November 2026", not the US "November 27, 2026"; Dari readers
# Afghan month names (fa_AF: نومبر, not the Iranian نوامبر); Arabic readers from Syria and Iraq
# the Levantine names (ar_SY: تشرين الثاني, not the Egyptian نوفمبر).
DATE_LOCALES = {"en": "en_GB", "fa": "fa_AF", "ar": "ar_SY"}
# Eritrean readers write the day first ("27 ሕዳር 2026"); CLDR's ti long format is US-style.
DATE_PATTERNS = {"ti": "d MMMM y"}


@functools.lru_cache(maxsize=64)
def babel_locale(code: str) -> Locale | None:
    """CLDR's data for a language code (also "de-x-ls" → de); None if CLDR has none."""
    for candidate in (code.replace("-", "_"), code.split("-")[0]):
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
    return None


def number_locale(code: str) -> Locale:
    """The CLDR locale for numbers and plural rules of a language (English where CLDR has none)."""
    return babel_locale(code) or Locale.parse("en")


@functools.lru_cache(maxsize=64)
def text_direction(code: str) -> str:
    locale = babel_locale(code)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


@dataclass(frozen=True)
class Language:
    code: str          # BCP 47 tag; also the folder under docs/ and the URL prefix
    name: str          # own name in own script, e.g. "العربية"
    default: bool = False  # built at the site root (German, or the only language being served)

    @property
    def direction(self) -> str:
        return text_direction(self.code)

    @property
    def url_prefix(self) -> str:
        """Path of this language's pages below the site root ("" or "en/")."""
        return "" if self.default else f"{self.code}/"


def format_long_date(value: dt.date, code: str) -> str:
    """A date the way readers of ``code`` write it (CLDR via Babel), e.g. 27. November 2026."""
    locale = DATE_LOCALES.get(code) or babel_locale(code) or "en_GB"
    return format_date(value, format=DATE_PATTERNS.get(code, "long"), locale=locale)
