"""State of one `mkdocs build` (all languages), shared by the hook modules.

The i18n plugin builds German, then runs a complete MkDocs build once more per language
on the same config object. The state is created in the first pass's ``on_config``
(after every check passed) and kept on that config object – so each build, also each
rebuild of `mkdocs serve`, starts with a fresh one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mkdocs.exceptions import Abort
# Bound now, at hook load: while it builds the other languages the i18n plugin replaces
# mkdocs.utils.clean_directory with a no-op, and a refused later language must still empty the folder.
from mkdocs.utils import clean_directory

from . import console
from .checks import RenderedChecks, SiteData, check_all
from .content import Slots, SourceCapture
from .errors import ContentError
from .escaping import escape_strings
from .site import Site

CONFIG_KEY = "erkrath_build_state"


@dataclass
class BuildState:
    site: Site
    data: SiteData
    slots: dict[str, Slots] = field(default_factory=dict)   # per page, from markdown to content
    not_found_html: str | None = None
    errors: str = ""            # while serving: the German report every page shows instead
    preview: bool = False                                   # a pull-request preview (SITE_PREVIEW)
    cache: dict = field(default_factory=dict)               # per-language results reused by every page
    rendered: RenderedChecks | None = None                  # the page checks on the build's rendering
    capture: SourceCapture = field(default_factory=SourceCapture)  # hands each page's HTML to them

    def ui(self, code: str) -> dict[str, str]:
        """UI strings of a language (German where it lacks a key), merged once per build."""
        key = f"ui:{code}"
        if key not in self.cache:
            self.cache[key] = self.data.ui(code)
        return self.cache[key]

    def escaped_ui(self, code: str) -> dict:
        """The UI strings as safe HTML for the templates, escaped once per build."""
        key = f"escaped-ui:{code}"
        if key not in self.cache:
            self.cache[key] = escape_strings(self.ui(code))
        return self.cache[key]


def i18n(config):
    return config.plugins["i18n"]


def current_language(config) -> str:
    return i18n(config).current_language


def is_first_pass(config) -> bool:
    plugin = i18n(config)
    return not plugin.building and plugin.current_language == plugin.default_language


def is_preview(config) -> bool:
    """The build is a pull-request preview: ``extra.preview`` in mkdocs.yml (env SITE_PREVIEW) is true."""
    value = (config.extra or {}).get("preview", False)
    return value is True or str(value).strip().lower() in {"true", "1", "yes", "on"}


def is_last_pass(config) -> bool:
    """True in the on_post_build that runs after every language was built."""
    return not i18n(config).building


def report(errors: list[ContentError]) -> str:
    count = "1 Fehler" if len(errors) == 1 else f"{len(errors)} Fehler"
    lines = "\n".join(f"  - {error.message}" for error in errors)
    return f"Die Website wurde nicht gebaut: {count} in Inhalten oder Daten.\n{lines}"


def start(config) -> BuildState:
    """Check everything once and keep what was loaded for every language's pass.

    A finding stops `mkdocs build` with the German report (and exit code 1, nothing written);
    while serving, the server keeps running and every page shows the report. The checks of
    the rendered pages follow on the build's own rendering (see ``language_rendered``)."""
    site = Site.from_mkdocs_config(config)
    errors, data = check_all(site, render_pages=False)
    state = BuildState(site=site, data=data, preview=is_preview(config), rendered=RenderedChecks(site))
    config.markdown_extensions.append(state.capture)
    config[CONFIG_KEY] = state
    if errors:
        _stop(config, state, errors)
    return state


def language_rendered(config) -> None:
    """Every page of the current language is rendered, none written yet: a finding in their HTML
    stops the build here with the full German report (`make check`'s, every language). What
    earlier languages wrote is removed again (the build emptied the folder when it started)."""
    state = of(config)
    if state.errors or state.rendered is None:
        return
    errors = state.rendered.language_done(current_language(config))
    if errors:
        full_report, _ = check_all(state.site)  # also the languages not rendered yet
        _stop(config, state, full_report or errors)


def _stop(config, state: BuildState, errors: list[ContentError]) -> None:
    if not console.serving():
        if not is_first_pass(config):
            clean_directory(config.site_dir)
        raise Abort(report(errors))
    state.errors = report(errors)
    console.print_errors(state.errors)


def of(config) -> BuildState:
    return config[CONFIG_KEY]
