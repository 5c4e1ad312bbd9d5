"""Unit tests of what keeps the build fast: the C YAML loader, the character check, the template
cache, the per-build caches, and the benchmark's content generator (fast tier)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
import yaml

import benchmark_build
from sitekit import yamlfile
from sitekit.errors import ContentError
from sitekit.pages import FRONT_MATTER
from sitekit.template_cache import MemoryBytecodeCache, use_cache
from sitekit.text import FORBIDDEN_IN_TEXT, forbidden_characters, is_forbidden_in_text
from sitekit.translation import source_hash_of

ROOT = Path(__file__).resolve().parents[1]


# --- YAML: libyaml where available, same result, same messages ------------------------------

def _plain(value):
    """Data with the line numbers LineDict and LineList carry, for comparing two loads."""
    if isinstance(value, dict):
        return ("map", value.line, dict(value.key_lines), {key: _plain(item) for key, item in value.items()})
    if isinstance(value, list):
        return ("list", value.line, [_plain(item) for item in value])
    return (type(value).__name__, value)


def _repository_yaml() -> list[tuple[str, str, int]]:
    texts = [(path.name, path.read_text(encoding="utf-8"), 1) for path in sorted((ROOT / "data").rglob("*.yml"))]
    for path in sorted((ROOT / "docs").rglob("*.md")):
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        texts.append((path.name, match.group(1) or "", 2))
    return texts


def test_libyaml_is_used_here():
    assert yamlfile._FAST, "PyYAML without libyaml: front matter is parsed about five times slower"
    assert issubclass(yamlfile._FastLineLoader, yaml.CSafeLoader)


def test_fast_loader_gives_the_same_data_and_lines_as_the_pure_one(monkeypatch):
    texts = _repository_yaml()
    assert len(texts) > 100
    fast = [_plain(yamlfile.parse_yaml(text, name, first)) for name, text, first in texts]
    monkeypatch.setattr(yamlfile, "_FAST", False)
    pure = [_plain(yamlfile.parse_yaml(text, name, first)) for name, text, first in texts]
    assert fast == pure


BROKEN_YAML = [
    "title: Beratung: Kurs\n",                 # colon in a plain value
    "title: \"offen\nstand: 2026-01-01\n",     # quote not closed
    "a:\n\t- x\n",                             # tab
    "a: &anker 1\nb: *anker\n",                # anchor and alias
    "a: !!python/object:os.system x\n",        # tag
    "a: 1\nb: 2\na: 3\n",                      # duplicate key
    "stand: 2026-02-30\n",                     # impossible date
    "[1, 2]: x\n",                             # key that is not a word
    "liste:\n  - a\n - b\n",                   # indentation
    "a: [1, 2\n",                              # bracket not closed
    "@x: 1\n",                                 # character that starts no token
    # Tabs libyaml would accept but PyYAML (and so this site) refuses.
    "a:\tb\n", "a: b\t# c\n", "a: b\t\n", "a:\n  - x\t\n", "a: [1,\t2]\n", "a: {b:\t1}\n",
    "a: \ufffe\n",                              # a noncharacter
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_fast_loader_errors_are_the_pure_loaders_messages(text, monkeypatch):
    with pytest.raises(ContentError) as fast:
        yamlfile.parse_yaml(text, "docs/de/x.md", first_line=2)
    monkeypatch.setattr(yamlfile, "_FAST", False)
    with pytest.raises(ContentError) as pure:
        yamlfile.parse_yaml(text, "docs/de/x.md", first_line=2)
    assert str(fast.value) == str(pure.value)


# --- characters editors must not use ------------------------------------------------------

def test_forbidden_character_pattern_matches_the_rule():
    # Cc (control characters) lies entirely below U+00A0; the other forbidden ones are listed.
    codes = [*range(0x10000), *range(0xE0000, 0xE0100), 0x10FFFF]
    wrong = [hex(code) for code in codes if bool(FORBIDDEN_IN_TEXT.fullmatch(chr(code))) != is_forbidden_in_text(chr(code))]
    assert wrong == []


def test_forbidden_characters_with_positions():
    text = "a\u202eb\tc\u200cd\u0000e\U000e0041"
    assert forbidden_characters(text) == [(1, "\u202e"), (7, "\u0000"), (9, "\U000e0041")]
    assert forbidden_characters("Schön, مرحبا\n\u200c") == []


# --- templates compiled once per process --------------------------------------------------

class _CountingEnvironment(jinja2.Environment):
    compiled = 0

    def compile(self, *args, **kwargs):
        type(self).compiled += 1
        return super().compile(*args, **kwargs)


def test_template_cache_compiles_once_for_every_language_pass_and_again_after_an_edit():
    sources = {"page.html": "<p>{{ text }}</p>"}
    cache = MemoryBytecodeCache()
    _CountingEnvironment.compiled = 0
    for language in ("de", "ar", "en"):  # the i18n plugin: a new environment per language
        env = use_cache(_CountingEnvironment(loader=jinja2.DictLoader(sources)), cache)
        assert env.get_template("page.html").render(text=language) == f"<p>{language}</p>"
    assert _CountingEnvironment.compiled == 1 and len(cache) == 1
    sources["page.html"] = "<div>{{ text }}</div>"  # edited while `mkdocs serve` runs
    env = use_cache(_CountingEnvironment(loader=jinja2.DictLoader(sources)), cache)
    assert env.get_template("page.html").render(text="de") == "<div>de</div>"
    assert _CountingEnvironment.compiled == 2


# --- the benchmark's content at N times its size ------------------------------------------

GERMAN = "---\ntitle: Kontakt\ndescription: So erreichen Sie uns.\nstand: 2026-11-27\nfooter: impressum\n---\n\n# Kontakt\n\nText [Links](links.md).\n"


def _translation(source_hash: str) -> str:
    return (f"---\ntitle: اتصال\ndescription: كيف تصلون إلينا.\ntranslation:\n  source_hash: {source_hash}\n"
            "  state: machine\n---\n\n# اتصال\n")


def test_scaled_pages_copy_every_page_of_every_language_and_keep_translation_states():
    meta, body = benchmark_build.split_page(GERMAN)
    current = source_hash_of(meta, body)
    pages = {"de": {"kontakt.md": GERMAN, "links.md": GERMAN.replace("footer: impressum\n", "")},
             "ar": {"kontakt.md": _translation(current), "links.md": _translation("00000000000000ff")}}
    scaled = benchmark_build.scaled_pages(pages, 3)
    assert sorted(scaled["de"]) == sorted(scaled["ar"]) == [
        "kontakt.md", "links.md", "teil-2/kontakt.md", "teil-2/links.md", "teil-3/kontakt.md", "teil-3/links.md"]
    assert scaled["de"]["kontakt.md"] == GERMAN  # the originals are untouched
    copy_meta, copy_body = benchmark_build.split_page(scaled["de"]["teil-3/kontakt.md"])
    assert copy_meta["title"] == "Kontakt 3" and "footer" not in copy_meta  # one page per footer role
    assert copy_body == body  # relative links stay valid inside the copied folder
    arabic = benchmark_build.split_page(scaled["ar"]["teil-3/kontakt.md"])[0]
    assert arabic["title"] == "اتصال 3"
    assert arabic["translation"]["source_hash"] == source_hash_of(copy_meta, copy_body)  # current stays current
    outdated = benchmark_build.split_page(scaled["ar"]["teil-2/links.md"])[0]
    assert outdated["translation"]["source_hash"] == "00000000000000ff"  # outdated stays outdated


def test_the_list_of_all_easy_pages_stays_on_the_original_page_only():
    german = GERMAN.replace("footer: impressum\n", "") + "\n<!-- daten: leichte-sprache -->\n\nEnde.\n"
    meta, body = benchmark_build.split_page(german)
    arabic = _translation(source_hash_of(meta, body)) + "\n<!-- daten: leichte-sprache -->\n"
    scaled = benchmark_build.scaled_pages({"de": {"leichte-sprache.md": german}, "ar": {"leichte-sprache.md": arabic}}, 2)
    assert scaled["de"]["leichte-sprache.md"] == german and "daten: leichte-sprache" in scaled["ar"]["leichte-sprache.md"]
    copy_meta, copy_body = benchmark_build.split_page(scaled["de"]["teil-2/leichte-sprache.md"])
    assert "daten: leichte-sprache" not in copy_body and "Ende." in copy_body
    arabic_copy = scaled["ar"]["teil-2/leichte-sprache.md"]
    assert "daten: leichte-sprache" not in arabic_copy
    assert benchmark_build.split_page(arabic_copy)[0]["translation"]["source_hash"] == source_hash_of(copy_meta, copy_body)


def test_bare_config_has_no_hooks_and_no_templates_of_ours():
    ours = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    bare = benchmark_build.bare_config(ours)
    assert "hooks:" in ours and "\nhooks:" not in bare and "overrides/hooks" not in bare
    assert "\nwatch:" not in bare
    assert "custom_dir: bare-overrides" in bare and "custom_dir: overrides" not in bare
    # Everything else stays: theme features, plugins with the same languages, Markdown extensions.
    for line in ("  - i18n:", "    - navigation.indexes", "markdown_extensions:", "        - locale: ps"):
        assert line in bare
    with pytest.raises(ValueError):
        benchmark_build.bare_config(ours.replace("\nhooks:", "\nhook_files:"))


def test_budget_verdicts():
    def result(factor, ours, bare):
        return benchmark_build.Result(factor, 160 * factor, 1, [benchmark_build.Run(ours, ours, 50)],
                                      [benchmark_build.Run(bare, bare, 40)])

    verdicts = benchmark_build.verdicts([result(1, 4.0, 3.6), result(50, 250.0, 200.0)])
    assert [ok for ok, _ in verdicts] == [True, False, False]  # 1.11 ok; 1.25 over; 62.5 x over 60 x
    verdicts = benchmark_build.verdicts([result(1, 4.0, 3.6), result(50, 230.0, 210.0)])
    assert [ok for ok, _ in verdicts] == [True, True, True]


# --- navigation: a section is led by its index page (what a pruned section links to) ------

class _File:
    def __init__(self, rel_path: str):
        self.src_uri = f"de/{rel_path}"
        self.norm_src_uri = rel_path


class _Page:
    def __init__(self, rel_path: str, title: str):
        self.file, self.title, self.children = _File(rel_path), title, None


class _Section:
    def __init__(self, title: str, children: list):
        self.file, self.title, self.children = None, title, children


class _Site:
    def __init__(self, meta: dict[str, dict]):
        self.meta = meta

    def page_meta(self, code: str, rel_path: str) -> dict:
        return self.meta[rel_path]


def test_arrange_puts_the_index_page_first_in_its_section_and_orders_the_rest():
    from sitekit.navigation import arrange

    site = _Site({"index.md": {"order": 1}, "kontakt.md": {"order": 6},
                  "angebote/index.md": {"order": 2, "title": "Beratungsangebote"},
                  "angebote/a.md": {"order": 1}, "angebote/b.md": {"order": 3}, "angebote/c.md": {"in_nav": False}})
    section = _Section("Angebote", [_Page("angebote/b.md", "B"), _Page("angebote/index.md", "Übersicht"),
                                    _Page("angebote/a.md", "A"), _Page("angebote/c.md", "C")])
    items = arrange([_Page("kontakt.md", "Kontakt"), section, _Page("index.md", "Start")], site, "de")
    assert [item.title for item in items] == ["Start", "Beratungsangebote", "Kontakt"]
    assert [child.file.norm_src_uri for child in section.children] == ["angebote/index.md", "angebote/a.md", "angebote/b.md"]


# --- per-build state: UI strings merged and escaped once per language ---------------------

def test_build_state_ui_strings_fall_back_to_german_and_are_escaped_once_per_language():
    from sitekit.build_state import BuildState
    from sitekit.checks import SiteData

    data = SiteData(strings={"de": {"stand": "Stand: {date}", "hint": "Kinder < 12 & Eltern"}, "ar": {"stand": "آخر تحديث: {date}"}})
    state = BuildState(site=None, data=data)
    assert state.ui("ar") == {"stand": "آخر تحديث: {date}", "hint": "Kinder < 12 & Eltern"}
    assert state.ui("ar") is state.ui("ar")
    escaped = state.escaped_ui("ar")
    assert escaped["hint"] == "Kinder &lt; 12 &amp; Eltern" and escaped is state.escaped_ui("ar")
    assert state.escaped_ui("de")["stand"] == "Stand: {date}"


def test_serve_benchmark_page_addresses_and_build_times():
    import benchmark_serve

    base = "http://127.0.0.1:8123/"
    assert [benchmark_serve.page_url(base, rel) for rel in ("index.md", "kontakt.md", "angebote/index.md",
                                                            "angebote/integrationskurs.md")] == [
        base, base + "kontakt/", base + "angebote/", base + "angebote/integrationskurs/"]
    log = "INFO    -  Documentation built in 1.25 seconds\nINFO    -  Reloading browsers\nINFO - Documentation built in 0.41 seconds\n"
    assert benchmark_serve.build_seconds(log) == [1.25, 0.41]
    port = benchmark_serve.free_port()
    assert 1024 < port < 65536


def test_pages_in_the_navigation_are_found_in_sections_at_any_depth():
    from sitekit.navigation import pages_in

    class _Link:
        title, children = "Extern", None

    deep = _Section("Tief", [_Page("a/b/c.md", "C")])
    items = [_Page("index.md", "Start"), _Section("A", [_Page("a/index.md", "A"), deep]), _Link()]
    assert pages_in(items) == {"de/index.md", "de/a/index.md", "de/a/b/c.md"}
    assert pages_in([]) == set()


def test_offer_pages_are_the_german_pages_directly_in_angebote_but_the_overview():
    from sitekit.site import Site

    site = Site.load(ROOT)
    assert site.offer_pages == [rel for rel in site.source_pages
                                if rel.startswith("angebote/") and rel.count("/") == 1 and rel != "angebote/index.md"]
    assert len(site.offer_pages) >= 9 and site.offer_pages is site.offer_pages


def test_scaled_project_passes_the_content_check(tmp_path):
    """The benchmark measures builds, not refusals: its generated content must be valid content."""
    from sitekit.checks import check_all
    from sitekit.site import Site

    project = benchmark_build.make_project(tmp_path / "project", 2)
    errors, _ = check_all(Site.load(project))
    assert errors == []


# --- the i18n plugin's alternates (sitekit/i18n_alternates.py) ---------------------------------

def _i18n_setup(docs_dir: Path | None = None):
    """The real mkdocs.yml with its i18n plugin configured as in a build (optionally other docs)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    import i18n_language_tags

    i18n_language_tags.widen_locale_check()
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs_dir) if docs_dir else None,
                         site_dir="/tmp/erkrath-i18n-test-site")
    plugin = config.plugins["i18n"]
    plugin.current_language = plugin.default_language
    return config, plugin, get_files(config)


def _file_facts(file) -> tuple:
    return (file.src_uri, file.src_path, file.abs_src_path, file.dest_uri, file.dest_path, file.abs_dest_path, file.url,
            file.name, file.inclusion, file.locale, file.locale_alternate_of, file.localization, file.norm_src_uri,
            [(code, alternate is file) for code, alternate in file.alternates.items()])


def _alternates(plugin, config, files) -> dict:
    result = {}
    for file in plugin.reconfigure_files(files, config):
        if hasattr(file, "alternates"):
            result[file.src_uri] = [(code, _file_facts(alternate)) for code, alternate in file.alternates.items()]
    return result


def _edge_case_docs(folder: Path) -> Path:
    """Pages only in German, only in Arabic, a README, a folder of an unconfigured language, assets."""
    for rel_path in ("de/index.md", "de/nur-deutsch.md", "de/teil/README.md", "de/teil/seite.md", "ar/index.md",
                     "ar/nur-arabisch.md", "ar/teil/seite.md", "de-x-ls/index.md", "xx/index.md", "en/bild.png",
                     "assets/images/logo.svg", "robots.txt"):
        (folder / rel_path).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel_path).write_text("# Seite\n", encoding="utf-8")
    return folder


def test_i18n_plugin_is_the_version_the_faster_alternates_were_written_for():
    from sitekit import i18n_alternates

    assert i18n_alternates.problems() == []


@pytest.mark.parametrize("docs", ["site", "edge cases"])
def test_make_i18n_file_gives_the_same_file_as_the_plugin_for_every_file_and_language(docs, tmp_path):
    from mkdocs_static_i18n import folder

    from sitekit.i18n_alternates import make_i18n_file

    config, plugin, files = _i18n_setup(None if docs == "site" else _edge_case_docs(tmp_path / "docs"))
    assert len(files) > (200 if docs == "site" else 10)
    for language in plugin.all_languages:
        for file in files:
            ours = make_i18n_file(file, language, plugin.default_language, plugin.all_languages, config)
            theirs = folder.create_i18n_file(file, language, plugin.default_language, plugin.all_languages, config)
            assert _file_facts(ours) == _file_facts(theirs), (language, file.src_uri)


@pytest.mark.parametrize("docs", ["site", "edge cases"])
def test_faster_alternates_are_the_plugins_alternates_in_every_language(docs, tmp_path):
    from sitekit import i18n_alternates

    config, plugin, files = _i18n_setup(None if docs == "site" else _edge_case_docs(tmp_path / "docs"))
    compared = 0
    for language in plugin.all_languages:
        plugin.current_language = language
        plugin.__dict__.pop("reconfigure_files_alternates", None)
        theirs = _alternates(plugin, config, files)
        i18n_alternates.install(plugin)
        assert "reconfigure_files_alternates" in plugin.__dict__
        ours = _alternates(plugin, config, files)
        assert ours == theirs, language
        compared += sum(len(alternates) for alternates in ours.values())
    assert compared > len(files) * len(plugin.all_languages)  # every file has an alternate per language


# --- the check inspects the build's own rendering (content.SourceCapture) -----------------------

def _markdown_like_mkdocs(capture):
    """A Markdown converter set up as MkDocs' Page.render sets it up, with the capture listed last."""
    import markdown
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    config = load_config(str(ROOT / "mkdocs.yml"))
    config.markdown_extensions.append(capture)
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    file, other = (File(path, config.docs_dir, config.site_dir, True) for path in ("de/kontakt.md", "de/links.md"))
    _RelativePathTreeprocessor(file, Files([file, other]), config)._register(md)
    return md


def test_capture_runs_after_markdowns_own_steps_and_before_mkdocs_rewrites_links():
    from sitekit.content import SourceCapture

    names = list(_markdown_like_mkdocs(SourceCapture()).treeprocessors._priority)
    order = [item.name for item in sorted(names, key=lambda item: item.priority, reverse=True)]
    assert order.index("toc") < order.index("unescape") < order.index("erkrath_capture_source") < order.index("relpath")


def test_captured_html_is_what_the_check_renders_for_every_page_of_the_site():
    """The build's inspection sees exactly the HTML `make check` inspects (before MkDocs' link rewriting)."""
    from sitekit import placeholders, render
    from sitekit.checks import load_data
    from sitekit.content import MarkdownRenderer, SourceCapture, substitute
    from sitekit.site import Site

    site = Site.load(ROOT)
    loaded, errors = load_data(site)
    assert errors == []
    renderer, capture = MarkdownRenderer(ROOT / "mkdocs.yml"), SourceCapture()
    md = _markdown_like_mkdocs(capture)
    compared = 0
    for code in site.codes:
        for rel_path in site.pages(code):
            page = site.page(code, rel_path)
            found = placeholders.find(page.body, rel_path, page.body_line, loaded.contacts)
            context = render.DataContext(site, loaded, code, code, site.site_path(code, rel_path))
            text, _slots = substitute(page.body, found, lambda item: render.placeholder_html(item, context))
            seen = []
            capture.expect(lambda html, ids: seen.append((html, ids)) or set())
            md.reset()
            md.convert(text)
            capture.finish()
            assert seen == [renderer.render(text)], f"{code}/{rel_path}"
            compared += 1
    assert compared > 200


def test_links_with_a_finding_are_neutralised_before_mkdocs_would_warn_in_english():
    from sitekit.content import SourceCapture

    capture = SourceCapture()
    md = _markdown_like_mkdocs(capture)
    capture.expect(lambda html, ids: {"gibtsnicht.md", "fehlt.png"})
    html = md.convert("# T\n\n[a](gibtsnicht.md) [b](links.md) ![c](fehlt.png)\n")
    assert 'href="#"' in html and 'src="#"' in html and "gibtsnicht" not in html and "fehlt" not in html
    assert 'href="../links/"' in html  # the others are rewritten as usual


def test_an_empty_page_is_inspected_too():
    from sitekit.content import SourceCapture

    capture, seen = SourceCapture(), []
    md = _markdown_like_mkdocs(capture)
    capture.expect(lambda html, ids: seen.append((html, ids)) or set())
    assert md.convert("   \n") == ""
    capture.finish()
    assert seen == [("", [])]


def test_benchmark_can_leave_one_hook_out():
    ours = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    left_out = benchmark_build.without_hook(ours, "i18n_plugin.py")
    assert "overrides/hooks/i18n_plugin.py" in ours and "overrides/hooks/i18n_plugin.py" not in left_out
    assert left_out.count("overrides/hooks/") == ours.count("overrides/hooks/") - 1
    with pytest.raises(ValueError):
        benchmark_build.without_hook(ours, "gibt_es_nicht.py")
