"""Hook: reading offline by the reader's choice – manifests, offline pages and the service worker (sitekit/offline.py)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.offline import write_offline_files


@mkdocs.plugins.event_priority(-300)  # after every other hook finished the files it lists (bundle patch, search index)
def on_post_build(config):
    if build_state.is_last_pass(config):
        write_offline_files(config.site_dir, build_state.of(config), config.site_url or "/")
