"""Hook: the i18n plugin finds each page's alternates with one file per language (sitekit/i18n_alternates.py)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.i18n_alternates import install


@mkdocs.plugins.event_priority(-200)  # before any on_files; every language's pass (idempotent)
def on_config(config):
    install(build_state.i18n(config))
    return config
