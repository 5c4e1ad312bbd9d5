"""Hook: check all content once, before the first language is built; a finding stops the build.
The checks of the rendered pages run on the build's own rendering, per language, before its
pages are written. Also the German console (MkDocs' English INFO lines dropped or translated)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state, console


def on_startup(command, dirty):
    console.install(command)


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin has set the language and its texts
def on_config(config):
    if build_state.is_first_pass(config):
        console.watch_nested_builds(config.plugins.get("i18n"))
        build_state.start(config)
    return config


@mkdocs.plugins.event_priority(100)  # every page of the language rendered, nothing written yet
def on_env(env, config, files):
    build_state.language_rendered(config)
    return env
