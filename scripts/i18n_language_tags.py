"""MkDocs plugin `erkrath-language-tags`: lets mkdocs-static-i18n accept BCP 47 language tags.

mkdocs-static-i18n 1.3.1 (its last release) accepts only two-letter locales ("ku",
"de-DE"); this site needs Kurmanji `kmr`, Sorani `ckb` and Leichte Sprache `de-x-ls`.
The plugin is listed in mkdocs.yml BEFORE the i18n plugin, so that it is loaded first and
widens the i18n plugin's locale check before that plugin validates its languages.
Everything else about those languages works unchanged (folders, URLs, Material's language
files, which we provide in overrides/partials/languages/).

A standalone module (not part of sitekit) because it is imported through its package
entry point, before the hooks put scripts/ on sys.path.
"""

from __future__ import annotations

import importlib.metadata
import re

from mkdocs.plugins import BasePlugin

I18N_VERSION = "1.3.1"
# BCP 47 language tags: a primary language subtag of 2–3 letters, then subtags (script, region, private use).
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def widen_locale_check() -> None:
    from mkdocs_static_i18n import config

    if config.RE_LOCALE.pattern != LANGUAGE_TAG.pattern:
        config.RE_LOCALE = LANGUAGE_TAG


def problems() -> list[str]:
    """What to re-check when mkdocs-static-i18n is updated (run by a fast test)."""
    from mkdocs_static_i18n import config

    found = []
    version = importlib.metadata.version("mkdocs-static-i18n")
    if version != I18N_VERSION:
        found.append(f"mkdocs-static-i18n {version} is installed, this plugin was written for {I18N_VERSION}: check "
                     "whether it still validates locales with config.RE_LOCALE (or accepts BCP 47 tags by itself).")
    if not hasattr(config, "RE_LOCALE"):
        found.append("mkdocs_static_i18n.config.RE_LOCALE is gone: the locale check moved; update widen_locale_check().")
    return found


class LanguageTags(BasePlugin):
    """No events: loading it is what matters (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        widen_locale_check()
