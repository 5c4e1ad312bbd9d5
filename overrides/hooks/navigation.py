"""Hook: the navigation follows the pages' front matter (order, section names, in_nav)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.navigation import arrange


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built the language's navigation
def on_nav(nav, config, files):
    state = build_state.of(config)
    if state.errors:
        return nav
    nav.items = arrange(nav.items, state.site, build_state.current_language(config))
    return nav
