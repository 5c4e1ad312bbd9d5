"""Hook: a page's content – data placeholders, translation notices, sanitising, links, right-to-left."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.page_build import prepare_markdown, finish_html


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin's own markdown step
def on_page_markdown(markdown, page, config, files):
    state = build_state.of(config)
    if state.errors:  # serving with content errors: on_post_page shows them instead
        return markdown
    return prepare_markdown(state, build_state.current_language(config), page, markdown)


def on_page_content(html, page, config, files):
    state = build_state.of(config)
    if state.errors:
        return html
    return finish_html(state, build_state.current_language(config), page, html, config.site_url or "")
