"""Hook: theme templates are compiled once per build, not once per language (sitekit/template_cache.py)."""

import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit.template_cache import use_cache


def on_env(env, config, files):
    return use_cache(env)
