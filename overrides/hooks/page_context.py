"""Hook: what our templates show around a page – languages, hreflang, footer, date checked."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state, console
from sitekit.page_build import compact_html, html_with_direction, page_context, write_language_hints


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin's page context
def on_page_context(context, page, config, nav):
    state = build_state.of(config)
    if state.errors:
        return context
    context.update(page_context(state, build_state.current_language(config), page, config.site_url or "/"))
    return context


def on_post_page(output, page, config):
    state = build_state.of(config)
    if state.errors:
        return console.error_page(state.errors)
    return compact_html(html_with_direction(output, state.site.language(build_state.current_language(config))))


def on_post_build(config):
    if build_state.is_last_pass(config) and not build_state.of(config).errors:
        write_language_hints(config.site_dir, build_state.of(config))
