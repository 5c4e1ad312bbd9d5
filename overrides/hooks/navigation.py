"""Hook: the navigation follows the pages' front matter (order, section names, in_nav)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.navigation import arrange, pages_in


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built the language's navigation
def on_nav(nav, config, files):
    state = build_state.of(config)
    if state.errors:
        return nav
    code = build_state.current_language(config)
    nav.items = arrange(nav.items, state.site, code)
    state.cache[f"nav-pages:{code}"] = pages_in(nav.items)
    return nav


@mkdocs.plugins.event_priority(-200)
def on_page_context(context, page, config, nav):
    """page_in_nav: toc.html links its title to the drawer's __toc switch only on pages in the menu."""
    state = build_state.of(config)
    if state.errors:  # serving with content errors: no navigation was arranged, on_post_page shows them
        return context
    context["page_in_nav"] = page.file.src_uri in state.cache[f"nav-pages:{build_state.current_language(config)}"]
    return context
