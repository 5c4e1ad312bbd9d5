"""Hook: theme templates are compiled once per build, not once per language; page configuration
without escaped letters (sitekit/template_cache.py)."""

import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit.template_cache import use_cache, use_plain_json


def on_env(env, config, files):
    return use_plain_json(use_cache(env))
