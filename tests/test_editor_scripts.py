"""The translators' export/import scripts as an editor calls them: a wrong language code and a
closed pipe (`… | head`) end in one German line or quietly, never in a traceback or a changed file."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest

from sitekit.site import REPOSITORY

F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux
DATA_FILES = sorted((REPOSITORY / "data").rglob("*.yml"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPOSITORY, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, expected", [
    (("scripts/glossary.py", "export", "ua"), "Die Sprache „ua“ ist nicht eingerichtet."),
    (("scripts/glossary.py", "export", "de"), "„de“ ist die Ausgangssprache, nicht eine Übersetzung."),
    (("scripts/glossary.py", "import", "xx", "/dev/null"), "Die Sprache „xx“ ist nicht eingerichtet."),
    (("scripts/data_translations.py", "export", "ua"), "Die Sprache „ua“ ist nicht eingerichtet."),
    (("scripts/data_translations.py", "import", "ua", "/dev/null"), "Die Sprache „ua“ ist nicht eingerichtet."),
    (("scripts/data_translations.py", "import", "de", "/dev/null"), "„de“ ist die Ausgangssprache"),
])
def test_a_language_that_is_not_a_translation_is_refused_in_german(args, expected):
    before = {path: path.read_bytes() for path in DATA_FILES}
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Fehler: Aufruf: ") and expected in result.stderr
    assert "Möglich: en, ar" in result.stderr or "Nennen Sie die Sprache der Übersetzung: en, ar" in result.stderr
    assert "Traceback" not in result.stderr
    assert {path: path.read_bytes() for path in DATA_FILES} == before


@pytest.mark.parametrize("args", [
    ("scripts/glossary.py", "export", "ar"),
    ("scripts/data_translations.py", "export", "ar"),
])
def test_output_read_only_in_part_ends_quietly(args):
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, F_SETPIPE_SZ, 4096)  # smaller than the output: the script must meet the closed pipe
    process = subprocess.Popen([sys.executable, *args], cwd=REPOSITORY, stdout=write_end, stderr=subprocess.PIPE,
                               text=True)
    os.close(write_end)
    with os.fdopen(read_end) as reader:
        assert reader.readline()  # the reader (`head -1`) takes a line and goes away
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert stderr == ""
