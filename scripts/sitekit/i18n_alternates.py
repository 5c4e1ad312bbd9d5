"""The i18n plugin's alternates, found with one file per language instead of trying every file.

mkdocs-static-i18n builds every language as a complete MkDocs build and, in each one,
finds for every page and every other language the file that is that page's "alternate"
(its translation, or the German page as fallback). It does so by turning *every*
candidate file into a new i18n File (pathlib-heavy) until one has the wanted locale –
about half of a language's files per page and language, again in each of the 13
language builds. With 13 languages that was a third of the whole build's CPU time
(issue #12: 217,000 File objects for 2,640 pages).

A file's locale depends only on its path, so ``reconfigure_files_alternates`` below
looks the locale up first and creates the File only for the candidate it takes – the
same alternates in the same order, one File per page and language – and creates it with
``make_i18n_file``, the plugin's ``create_i18n_file`` with string operations instead of
pathlib. ``install`` puts the method on the plugin instance (not on the class or the
module: nothing else in the process changes). Written for ``I18N_VERSION``; ``problems()``
(run by a fast test) says what to re-check when the installed plugin's code differs, and
tests compare every File and every alternate with the plugin's own result.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import os
import types

I18N_VERSION = "1.3.1"
# sha256/16 of the source of the two plugin functions reproduced here, in I18N_VERSION (see problems()).
ORIGINAL_HASH = "75b0ea09ceb5b30f"


def file_locale(src_path: str, default_language: str, all_languages: list[str], locale_pattern) -> tuple[str, str | None]:
    """(locale, localization) as create_i18n_file (folder structure) gives them: the file's language
    folder for both, or the default language and None for a file outside the language folders."""
    first = src_path.replace("\\", "/").split("/", 1)[0]
    for language in all_languages:
        if first == language:
            return language, language
        if locale_pattern.match(first):  # a language folder not (yet) configured
            return first, first
    return default_language, None


def _relative_to(path: str, folder: str) -> str:
    """PurePath(path).relative_to(folder).as_posix() for a path known to lie in folder."""
    if path == folder:
        return "."
    return path[len(folder) + 1:] or "."


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def _joined(folder: str, path: str) -> str:
    return folder if path == "." else f"{folder}/{path}"


def make_i18n_file(file, current_language, default_language, all_languages, config, locale_pattern=None):
    """mkdocs_static_i18n.folder.create_i18n_file with string operations instead of pathlib (same File)."""
    from mkdocs.structure.files import File
    from mkdocs_static_i18n import folder

    new = File(file.src_path, config.docs_dir, file.dest_path, config.use_directory_urls,
               dest_uri=file.dest_uri, inclusion=file.inclusion)
    locale, localization = file_locale(new.src_uri, default_language, all_languages, locale_pattern or folder.RE_LOCALE)
    dest = new.dest_uri
    if dest.endswith("README.html"):
        dest = dest.rpartition("/")[0] + "/index.html" if "/" in dest else "index.html"
    if locale != current_language:
        if _under(dest, locale):
            new.dest_path = _joined(current_language, _relative_to(dest, locale))
        elif current_language != default_language:
            new.dest_path = _joined(current_language, dest)
    elif locale == default_language:
        if _under(dest, locale):
            new.dest_path = _relative_to(dest, locale)
        elif current_language != default_language:
            new.dest_path = _joined(current_language, dest)
    new.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, new.dest_path))
    if new.name == "README":
        new.name = "index"
    new.url = new._get_url(config.use_directory_urls)
    new.alternates = {current_language: new}
    new.locale = locale
    new.locale_alternate_of = current_language
    new.localization = localization
    new.norm_src_uri = _relative_to(new.src_uri, localization) if localization else new.src_uri
    return new


def reconfigure_files_alternates(plugin, i18n_src_uris, i18n_alternate_src_uris, mkdocs_config, _plugin_create_i18n_file):
    """Same result as the plugin's method (mkdocs_static_i18n.reconfigure): one File per alternate,
    made by make_i18n_file instead of the plugin's create_i18n_file (folder structure only, see install)."""
    from mkdocs_static_i18n import folder

    default, languages = plugin.default_language, plugin.all_languages

    def create(file, build_language):
        return make_i18n_file(file, build_language, default, languages, mkdocs_config, folder.RE_LOCALE)

    def first_by_locale(files) -> dict:
        """{locale: the first of these files in that locale} – the plugin takes the first match."""
        found = {}
        for file in files:
            found.setdefault(file_locale(file.src_path, default, languages, folder.RE_LOCALE)[0], file)
        return found

    fallback = plugin.config.fallback_to_default is True
    candidates = {src_uri: first_by_locale(files) for src_uri, files in i18n_alternate_src_uris.items()}
    for build_language in sorted(plugin.build_languages):
        for src_uri, i18n_file in i18n_src_uris.items():
            if build_language in i18n_file.alternates:
                continue
            by_locale = candidates.get(src_uri, {})
            if build_language in by_locale:
                i18n_file.alternates[build_language] = create(by_locale[build_language], build_language)
            elif fallback:
                if default in by_locale:
                    i18n_file.alternates[build_language] = create(by_locale[default], build_language)
                elif file_locale(i18n_file.src_path, default, languages, folder.RE_LOCALE)[0] == default:
                    i18n_file.alternates[build_language] = create(i18n_file, build_language)


def install(plugin) -> None:
    """Use the faster alternates on this plugin instance (idempotent; the docs structure must be "folder")."""
    if plugin.config.docs_structure != "folder":
        return
    plugin.reconfigure_files_alternates = types.MethodType(reconfigure_files_alternates, plugin)


def original_source() -> str:
    """The plugin code this module reproduces."""
    from mkdocs_static_i18n import folder
    from mkdocs_static_i18n.reconfigure import ExtendedPlugin

    return inspect.getsource(ExtendedPlugin.reconfigure_files_alternates) + inspect.getsource(folder.create_i18n_file)


def problems() -> list[str]:
    """What to re-check when mkdocs-static-i18n is updated (run by a fast test)."""
    import hashlib

    found = []
    version = importlib.metadata.version("mkdocs-static-i18n")
    if version != I18N_VERSION:
        found.append(f"mkdocs-static-i18n {version} is installed, sitekit/i18n_alternates.py was written for "
                     f"{I18N_VERSION}: compare it with the plugin's reconfigure_files_alternates and "
                     "create_i18n_file, then update I18N_VERSION and ORIGINAL_HASH (or drop the module if the "
                     "plugin became fast itself).")
    digest = hashlib.sha256(original_source().encode("utf-8")).hexdigest()[:16]
    if digest != ORIGINAL_HASH:
        found.append("mkdocs_static_i18n's reconfigure_files_alternates or create_i18n_file changed (hash "
                     f"{digest}, expected {ORIGINAL_HASH}): check that sitekit/i18n_alternates.py still "
                     "gives the same alternates, then update ORIGINAL_HASH.")
    return found
