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
    """The i18n plugin's locale checks accept BCP 47 tags (config validation and folder detection),
    and its navigation finds the folder of a tag with hyphens ("de-x-ls" is titled "De x ls")."""
    from mkdocs_static_i18n import config, folder

    config.RE_LOCALE = folder.RE_LOCALE = LANGUAGE_TAG
    if not getattr(folder.reconfigure_navigation, "language_tags", False):
        original = folder.reconfigure_navigation

        def reconfigure_navigation(i18n_plugin, nav):
            from mkdocs.utils import dirname_to_title

            for locale in (i18n_plugin.current_language, i18n_plugin.default_language):
                for section in nav.items:
                    if section.is_top_level and section.is_section and section.title == dirname_to_title(locale):
                        section.title = locale.capitalize()
            return original(i18n_plugin, nav)

        reconfigure_navigation.language_tags = True
        folder.reconfigure_navigation = reconfigure_navigation


def problems() -> list[str]:
    """What to re-check when mkdocs-static-i18n is updated (run by a fast test)."""
    from mkdocs_static_i18n import config

    found = []
    version = importlib.metadata.version("mkdocs-static-i18n")
    if version != I18N_VERSION:
        found.append(f"mkdocs-static-i18n {version} is installed, this plugin was written for {I18N_VERSION}: check "
                     "whether it still validates locales with config.RE_LOCALE (or accepts BCP 47 tags by itself).")
    from mkdocs_static_i18n import folder

    if not hasattr(config, "RE_LOCALE") or not hasattr(folder, "RE_LOCALE"):
        found.append("mkdocs_static_i18n's RE_LOCALE is gone: the locale check moved; update widen_locale_check().")
    if not hasattr(folder, "reconfigure_navigation"):
        found.append("mkdocs_static_i18n.folder.reconfigure_navigation is gone: update widen_locale_check().")
    return found


class LanguageTags(BasePlugin):
    """No events: loading it is what matters (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        widen_locale_check()
