"""Hook: one search index per language, with that language's stemmer (or none)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.search_index import split_search_index


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built every language
def on_post_build(config):
    if build_state.is_last_pass(config):
        split_search_index(config.site_dir, build_state.of(config).site.languages)
