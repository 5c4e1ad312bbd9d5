"""Hook (named so as not to shadow the material package): what this site needs to know about Material's internals (see sitekit/material_compat.py)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.material_compat import patch_bundle, search_worker_config


@mkdocs.plugins.event_priority(-200)
def on_page_context(context, page, config, nav):
    context["search_worker"] = search_worker_config()
    return context


@mkdocs.plugins.event_priority(-200)
def on_template_context(context, template_name, config):
    context["search_worker"] = search_worker_config()
    return context


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built every language
def on_post_build(config):
    if build_state.is_last_pass(config):
        patch_bundle(config.site_dir)
