"""What editors see in the terminal and, while serving, in the browser: German, short.

MkDocs and the i18n plugin log a dozen English INFO lines per build. The filter keeps
warnings and errors, translates the few lines an editor needs ("Serving on …", "built
in …") and drops the rest. While `make serve` runs, a content error does not stop the
server: every page shows the German messages instead, and reloads when the file is fixed.
"""

from __future__ import annotations

import html
import logging
import re
import sys

TRANSLATIONS = [
    (re.compile(r"Serving on (\S+)"), "Vorschau läuft: {0} – beenden mit Strg+C"),
    (re.compile(r"Documentation built in ([\d.]+) seconds"), "Website gebaut in {0} s."),
    (re.compile(r"Detected file changes"), "Änderung gespeichert – baue neu …"),
]
_command: list[str] = []
# MkDocs logs as "mkdocs", ProperDocs (the second build path, README "Which builder") as "properdocs".
BUILDER_LOGGERS = ("mkdocs", "properdocs")
NESTED_BUILD_LINES = ("Documentation built in", "Building documentation to directory")
_i18n_plugin: list = []  # the i18n plugin: its `building` flag is set while it builds the other languages


class GermanConsole(logging.Filter):
    """Keeps warnings and errors, translates the INFO lines editors need, drops the others."""

    def filter(self, record: logging.LogRecord) -> bool:
        verbose = any(logging.getLogger(name).getEffectiveLevel() < logging.INFO for name in BUILDER_LOGGERS
                      if logging.getLogger(name).handlers)
        if record.levelno >= logging.WARNING or verbose:
            return True  # problems always; everything with --verbose
        message = record.getMessage()
        if _i18n_plugin and getattr(_i18n_plugin[0], "building", False) and message.startswith(NESTED_BUILD_LINES):
            # one line per language build: the i18n plugin filters them for MkDocs' logger only
            return False
        for pattern, german in TRANSLATIONS:
            match = pattern.search(message)
            if match:
                record.msg, record.args = german.format(*(g.replace(".", ",") if re.fullmatch(r"[\d.]+", g) else g
                                                         for g in match.groups())), ()
                return True
        return False


def install(command: str) -> None:
    """Once per process (MkDocs' on_startup): German console output."""
    _command[:] = [command]
    for name in BUILDER_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(existing, GermanConsole) for existing in handler.filters):
                handler.addFilter(GermanConsole())


def watch_nested_builds(i18n_plugin) -> None:
    """Called with the i18n plugin once per build: its per-language builds stay silent under ProperDocs too."""
    _i18n_plugin[:] = [i18n_plugin] if i18n_plugin is not None else []


def serving() -> bool:
    return _command == ["serve"]


def print_errors(report: str) -> None:
    """While serving: to the terminal, without going through MkDocs' logger (strict mode would abort)."""
    print(report, file=sys.stderr, flush=True)


def error_page(report: str) -> str:
    """The page every address shows while the content has errors (only while serving)."""
    lines = report.split("\n")
    items = "".join(f"<li>{html.escape(line.strip().removeprefix('- '))}</li>" for line in lines[1:] if line.strip())
    return ("<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width,initial-scale=1\"><title>Fehler in Inhalten</title><style>"
            "body{font:1.05rem/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
            "h1{color:#8a1010}li{margin:.6rem 0}</style></head><body>"
            f"<h1>{html.escape(lines[0])}</h1><ul>{items}</ul>"
            "<p>Sobald Sie den Fehler behoben und die Datei gespeichert haben, lädt diese Seite von selbst neu.</p>"
            "</body></html>")


# --- editor scripts (scripts/*.py) ----------------------------------------------------------

def refuse(error: Exception) -> int:
    """A script's answer to invalid input or environment: one German line, exit status 2."""
    print(f"Fehler: {error}", file=sys.stderr)
    return 2


def exit_with(main) -> None:
    """Runs a script's ``main``; output piped into `head` and the like ends quietly, not in a traceback."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        status = 0
        # stdout is gone: point it at nothing, so Python's flush at exit does not complain again
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(status)
