"""Is a downloaded file a complete PDF that opens? Page count and date, read with pypdf.

``inspect_pdf(path)`` opens the file with pypdf (https://pypi.org/project/pypdf/) and
returns its page count and the date from its metadata (``/CreationDate``), or raises
``PdfRejected`` with a German reason.

Why a separate process: the file comes from a server we do not control, and a PDF
parser fed a hostile file can loop, recurse or allocate without bound. The check
therefore runs this module as a child process (``python -I pdf.py FILE``) with a
memory limit (``MEMORY_LIMIT``) and a time limit (``CHECK_SECONDS``): whatever the
file does, the update script gets a clear answer and goes on with the next document.
It also keeps pypdf out of the update script's own memory. pypdf loads the
``cryptography`` package (about 13 MB) whenever it is installed, but needs it only for
encrypted PDFs: the first check runs without it, and only a file that turns out to be
encrypted is checked a second time with it.

What counts as a complete, valid PDF:

* the file ends with the ``%%EOF`` marker (at most 1024 bytes of trailing junk, as
  PDF readers accept): a download cut off early lacks the end of the file, and pypdf
  alone would repair such a file silently by scanning for objects;
* pypdf opens it (from the open file, so a big file is not read into memory) and
  walks the page tree (not just its ``/Count``): at least one page. pypdf 7 refuses
  page trees that loop or nest too deep;
* encrypted files only if they open without a password (only an owner password that
  restricts printing or editing is fine: every reader opens such a file).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CHECK_SECONDS = 60.0
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the check process, bytes
TAIL_BYTES = 1024
EOF_MARKER = b"%%EOF"
EARLIEST_YEAR = 1993  # PDF 1.0; an older /CreationDate is garbage

REASONS = {
    "truncated": "die PDF-Datei ist unvollständig (ihr Ende fehlt) – vermutlich brach die Übertragung ab",
    "password": "die PDF-Datei ist mit einem Kennwort geschützt und lässt sich ohne Kennwort nicht öffnen",
    "encryption": "die PDF-Datei ist mit einem Verfahren verschlüsselt, das nicht geprüft werden kann",
    "no_pages": "die PDF-Datei enthält keine Seiten",
    "memory": "die PDF-Datei ist so aufgebaut, dass ihre Prüfung zu viel Speicher braucht – vermutlich ist sie beschädigt",
    "damaged": "die PDF-Datei ist beschädigt und lässt sich nicht öffnen",
}


class PdfRejected(Exception):
    """The file is no complete, valid PDF; str() is the German reason shown to editors."""


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    date: str | None  # ISO date, e.g. "2019-02-26"


def inspect_pdf(path: Path, timeout: float = CHECK_SECONDS) -> PdfInfo:
    """Check ``path`` in a child process; PdfInfo, or PdfRejected with a German reason."""
    result = _run_child(path, timeout, crypto=False)
    if result.get("error") == "encrypted":
        result = _run_child(path, timeout, crypto=True)
    if "error" in result:
        reason = REASONS.get(result["error"], REASONS["damaged"])
        detail = result.get("detail")
        raise PdfRejected(f"{reason} (pypdf: {detail})" if detail else reason)
    pages, date = result.get("pages"), result.get("date")
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise PdfRejected(REASONS["no_pages"])
    return PdfInfo(pages=pages, date=date if isinstance(date, str) else None)


def _run_child(path: Path, timeout: float, crypto: bool) -> dict:
    command = [sys.executable, "-I", str(Path(__file__).resolve()), *(["--crypto"] if crypto else []), str(path)]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PdfRejected(f"die Prüfung der PDF-Datei dauerte länger als {timeout:g} s und wurde abgebrochen "
                          "– vermutlich ist die Datei beschädigt") from None
    except OSError as error:
        raise PdfRejected(f"die PDF-Prüfung kann nicht gestartet werden ({error.strerror})") from None
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = None
    if done.returncode != 0 or not isinstance(result, dict):
        raise PdfRejected(f"{REASONS['damaged']} (die Prüfung brach ab, Code {done.returncode})")
    return result


# --- the child process --------------------------------------------------------------------------


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _ends_with_eof_marker(handle) -> bool:
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - TAIL_BYTES))
    return EOF_MARKER in handle.read(TAIL_BYTES)


def _creation_date(reader) -> str | None:
    import datetime as dt
    try:
        created = reader.metadata.creation_date if reader.metadata is not None else None
    except Exception:  # a malformed date or /Info dictionary: no date, not a broken document
        return None
    if not isinstance(created, dt.datetime):
        return None
    if not EARLIEST_YEAR <= created.year <= dt.date.today().year + 1:
        return None
    return created.date().isoformat()


def _printable(text: str, limit: int = 120) -> str:
    cleaned = "".join(ch if ch.isprintable() else "·" for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1] + "…"


def _inspect(path: str, crypto: bool) -> dict:
    if not crypto:
        sys.modules["cryptography"] = None  # pypdf then uses its built-in fallback and does not load the package
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    with open(path, "rb") as handle:
        if not _ends_with_eof_marker(handle):
            return {"error": "truncated"}
        try:
            reader = PdfReader(handle)  # an open file: pypdf seeks and reads parts, never the whole file at once
        except DependencyError:
            if crypto:
                raise
            return {"error": "encrypted"}  # pypdf tries an empty password already here (AES needs cryptography)
        if reader.is_encrypted:
            if not crypto:
                return {"error": "encrypted"}  # ask for a second check that loads cryptography
            try:
                if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    return {"error": "password"}
            except (DependencyError, NotImplementedError) as error:
                return {"error": "encryption", "detail": _printable(str(error))}
        pages = len(reader.pages)  # walks the page tree
        if pages < 1:
            return {"error": "no_pages"}
        return {"pages": pages, "date": _creation_date(reader)}


def _child(path: str, crypto: bool) -> int:
    _limit_memory()
    import logging
    import warnings
    logging.disable(logging.WARNING)  # pypdf logs the repairs it makes; they are not failures
    warnings.simplefilter("ignore")
    try:
        result = _inspect(path, crypto)
    except MemoryError:
        result = {"error": "memory"}
    except RecursionError:
        result = {"error": "damaged", "detail": "zu tief verschachtelt"}
    except Exception as error:  # noqa: BLE001 - any parser error means: does not open
        result = {"error": "damaged", "detail": _printable(f"{type(error).__name__}: {error}")}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    with_crypto = arguments[:1] == ["--crypto"]
    if with_crypto:
        arguments = arguments[1:]
    if len(arguments) != 1:
        print("usage: pdf.py [--crypto] FILE  (prints page count and date as JSON)", file=sys.stderr)
        sys.exit(2)
    sys.exit(_child(arguments[0], with_crypto))
