"""MkDocs hook of the Erkrath site: forwards events to sitekit.build (logic and tests live there)."""

import sys
from pathlib import Path

import mkdocs.plugins

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from sitekit import build  # noqa: E402


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin has set the language
def on_config(config):
    build.on_config(config)
    return config


def on_page_markdown(markdown, page, config, files):
    return build.page_markdown(markdown, page, config)


def on_page_content(html, page, config, files):
    return build.page_content(html, config)


@mkdocs.plugins.event_priority(-200)
def on_page_context(context, page, config, nav):
    return build.page_context(context, page, config)


@mkdocs.plugins.event_priority(-200)
def on_template_context(context, template_name, config):
    return build.template_context(context, template_name, config)


def on_post_template(output_content, template_name, config):
    return build.post_template(output_content, template_name, config)


def on_post_page(output, page, config):
    return build.post_page(output, config)


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built every language
def on_post_build(config):
    build.post_build(config)


@mkdocs.plugins.event_priority(-200)
def on_nav(nav, config, files):
    return build.order_nav(nav, config)
