"""Hook: sitemap.xml with absolute hreflang alternates (translated pages only) and x-default; none in a preview."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.sitemap import write_sitemap


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built every language
def on_post_build(config):
    if build_state.is_last_pass(config):
        state = build_state.of(config)
        write_sitemap(config.site_dir, config.site_url or "/", state.site, preview=state.preview)
