"""Hook: one 404 page for all languages (the i18n plugin would keep only the last language's)."""

import mkdocs.plugins
import sitekit_path  # noqa: F401 - makes sitekit importable

from sitekit import build_state
from sitekit.not_found import not_found_languages, write_not_found_page
from sitekit.page_build import compact_html, html_with_direction, preview_context


@mkdocs.plugins.event_priority(-200)
def on_template_context(context, template_name, config):
    if template_name == "404.html":
        state = build_state.of(config)
        context["not_found_languages"] = not_found_languages(state)
        context.update(preview_context(state, state.site.source.code))
    return context


def on_post_template(output_content, template_name, config):
    state = build_state.of(config)
    if template_name == "404.html" and build_state.current_language(config) == state.site.source.code:
        state.not_found_html = compact_html(html_with_direction(output_content, state.site.source))
    return output_content


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin built every language
def on_post_build(config):
    if build_state.is_last_pass(config):
        write_not_found_page(config.site_dir, build_state.of(config))
