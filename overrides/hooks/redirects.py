"""Hook: pages for old addresses that lead to the new ones (data/redirects.yml)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.redirects import write_redirect_pages


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built every language
def on_post_build(config):
    state = build_state.of(config)
    if build_state.is_last_pass(config) and not state.errors and state.data.redirects:
        site = state.site
        titles = {f"{lang.code}:{new}": str(site.page_meta(lang.code, new).get("title", new))
                  for new in set(state.data.redirects.values()) for lang in site.languages}
        write_redirect_pages(config.site_dir, config.site_url or "/", site, state.data.redirects, titles)
